//! `/contacts`: the contact list ("Contatos > Contatos") with its side panel.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::contacts::api::fetch_page;
use crate::contacts::components::{
    ContactFormPanel, ContactPanel, ContactTable, ListFilters, SearchBox,
};
use crate::contacts::details_api::get_contact;
use crate::contacts::urls::{ListQuery, Panel};
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::import_export::components::MoreOptionsMenu;
use crate::ui::ErrorMessage;

/// The contact list: search box, filters, "Adicionar contato", the table, and the
/// side panel. The search, the filters and the panel live in the URL, so reload,
/// back/forward and shared links keep them.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let list = Memo::new(move |_| {
        let q = query.read();
        ListQuery::from_query(|name| q.get_str(name))
    });
    let panel = Memo::new(move |_| {
        let q = query.read();
        Panel::from_query(q.get_str("contact"), q.get_str("new"), q.get_str("edit"))
    });
    // Bumped after a save, so the list shows the change.
    let version = RwSignal::new(0u32);
    let first_page = Resource::new(
        move || (list.get(), version.get()),
        |(list, _)| fetch_page(list, None),
    );

    // Panels change the URL without scrolling the list.
    let go = {
        let navigate = navigate.clone();
        Callback::new(move |target: Panel| {
            navigate(
                &list.get_untracked().url(target),
                NavigateOptions {
                    scroll: false,
                    ..Default::default()
                },
            );
        })
    };
    provide_context(go);
    let close = Callback::new(move |()| go.run(Panel::Closed));
    let saved = Callback::new(move |id: ContactId| {
        version.update(|v| *v += 1);
        go.run(Panel::Contact(id));
    });

    view! {
        <section class="contacts-page">
            <header class="page-header">
                <h1 class="page-header__title">{move || i18n.t().contacts_title}</h1>
                <SearchBox query=list />
                <button type="button" class="button button--primary" on:click=move |_| go.run(Panel::New)>
                    {move || i18n.t().add_contact}
                </button>
                <MoreOptionsMenu query=list />
            </header>
            <ListFilters query=list />
            <Transition fallback=move || {
                view! { <p class="muted">{move || i18n.t().loading}</p> }
            }>
                {move || Suspend::new(async move {
                    match first_page.await {
                        Ok(page) => {
                            view! { <ContactTable page query=list.get_untracked() /> }.into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Transition>
            {move || match panel.get() {
                Panel::Closed => ().into_any(),
                Panel::Contact(id) => view! {
                    <ContactPanel id on_close=close on_edit=Callback::new(move |id| go.run(Panel::Edit(id))) />
                }
                .into_any(),
                Panel::New => view! { <ContactFormPanel editing=None on_close=close on_saved=saved /> }.into_any(),
                Panel::Edit(id) => view! { <EditPanel id on_close=close on_saved=saved /> }.into_any(),
            }}
        </section>
    }
}

/// The edit form, once the contact is loaded.
#[component]
fn EditPanel(
    id: ContactId,
    on_close: Callback<()>,
    on_saved: Callback<ContactId>,
) -> impl IntoView {
    let contact = Resource::new(move || id, get_contact);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match contact.await {
                    Ok(details) => view! { <ContactFormPanel editing=Some(details) on_close on_saved /> }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
