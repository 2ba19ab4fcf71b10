//! `/contacts`: the contact list ("Contatos > Contatos").

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::contacts::api::list_contacts;
use crate::contacts::components::{ContactTable, SearchBox};
use crate::i18n::use_i18n;
use crate::ui::ErrorMessage;

/// The contact list: search box and table. The search text lives in the URL
/// (`?q=`), so reload, back/forward and shared links keep it.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let first_page = Resource::new(move || search.get(), |q| list_contacts(Some(q), None, None));

    view! {
        <section class="contacts-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || i18n.t().contacts_title}</h1>
                <SearchBox value=search />
            </header>
            <Transition fallback=move || {
                view! { <p class="muted">{move || i18n.t().loading}</p> }
            }>
                {move || Suspend::new(async move {
                    match first_page.await {
                        Ok(page) => {
                            view! { <ContactTable page search=search.get_untracked() /> }.into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
