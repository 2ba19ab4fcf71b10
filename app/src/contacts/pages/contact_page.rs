//! `/contacts/:id`: the contact page ("Ver contato"): header with photo
//! (initials), name, ID, "Iniciar conversa via" and "Excluir"; the
//! information on the left; "Linha do tempo" and "Conversas" on the right.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::contacts::components::{
    ContactInfo, ContactPhoto, MainContactField, StartConversationMenu,
};
use crate::contacts::details_api::{delete_contact, get_contact};
use crate::contacts::model::ContactDetails;
use crate::contacts::urls::{list_url, Panel};
use crate::conversations::components::ContactConversations;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::timeline::components::Timeline;
use crate::ui::ErrorMessage;

/// The contact page.
#[component]
pub fn ContactPage() -> impl IntoView {
    let id = crate::ui::route_id();
    // Bumped after a change made on the page (link, unlink, merge).
    let version = RwSignal::new(0u32);
    let contact = Resource::new(move || (id.get(), version.get()), |(id, _)| get_contact(id));
    let on_changed = Callback::new(move |_: ()| version.update(|v| *v += 1));
    view! {
        <section class="contact-page">
            <Suspense>
                {move || Suspend::new(async move {
                    match contact.await {
                        Ok(details) => view! { <ContactView contact=details on_changed /> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Timeline,
    Conversations,
}

#[component]
fn ContactView(contact: ContactDetails, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let navigate = use_navigate();
    let id = contact.id;
    let tab = RwSignal::new(Tab::Timeline);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<AppError>);
    let confirm_delete = move |_| {
        deleting.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match delete_contact(id).await {
                Ok(()) => navigate("/contacts", Default::default()),
                Err(error) => {
                    deleting.set(false);
                    delete_error.set(Some(error));
                }
            }
        });
    };
    view! {
        <header class="contact-header">
            <ContactPhoto id name=contact.name.clone() photo_url=contact.photo_url.clone() />
            <div class="contact-header__who">
                <h1 class="contact-header__name">{contact.name.clone()}</h1>
                <p class="contact-header__id">{move || t().col_contact_id} ": " <strong>{id.get()}</strong></p>
            </div>
            <div class="contact-header__actions">
                <StartConversationMenu contact_id=id channels=contact.channels.clone() contact_name=contact.name.clone() />
                <a class="button" href=list_url("", Panel::Edit(id))>{move || t().edit}</a>
                <button type="button" class="button button--danger" on:click=move |_| confirming.set(true)>
                    {move || t().delete}
                </button>
            </div>
        </header>
        <Show when=move || confirming.get()>
            <div class="confirm-dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-delete-title">
                <div class="confirm-dialog__box">
                    <h2 id="confirm-delete-title">{move || t().delete_confirm_title}</h2>
                    <p>{move || t().delete_confirm_body}</p>
                    {move || delete_error.get().map(|error| view! { <ErrorMessage error /> })}
                    <div class="confirm-dialog__actions">
                        <button type="button" class="button" on:click=move |_| confirming.set(false)>{move || t().cancel}</button>
                        <button type="button" class="button button--danger" disabled=move || deleting.get() on:click=confirm_delete.clone()>
                            {move || t().delete_confirm}
                        </button>
                    </div>
                </div>
            </div>
        </Show>
        <div class="contact-page__columns">
            <section class="contact-page__details" aria-labelledby="details-title">
                <h2 id="details-title" class="section-title">{move || t().details_title}</h2>
                <MainContactField contact=contact.clone() on_changed />
                <ContactInfo contact=contact.clone() hide_links=true />
            </section>
            <section class="contact-page__activity">
                <div class="tabs" role="tablist">
                    <button type="button" role="tab" class="tabs__tab" aria-selected=move || (tab.get() == Tab::Timeline).to_string()
                        on:click=move |_| tab.set(Tab::Timeline)>{move || t().tab_timeline}</button>
                    <button type="button" role="tab" class="tabs__tab" aria-selected=move || (tab.get() == Tab::Conversations).to_string()
                        on:click=move |_| tab.set(Tab::Conversations)>{move || t().tab_conversations}</button>
                </div>
                <div role="tabpanel" class="tabs__panel">
                    {move || match tab.get() {
                        Tab::Timeline => view! { <Timeline contact_id=id /> }.into_any(),
                        Tab::Conversations => view! { <ContactConversations contact_id=id /> }.into_any(),
                    }}
                </div>
            </section>
        </div>
    }
}
