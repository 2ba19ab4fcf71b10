//! The side panel of the contact list: the clicked contact's information,
//! "Editar", and "Ver contato" at the bottom right.

use leptos::prelude::*;

use crate::contacts::components::{Avatar, ContactInfo, StartConversationMenu};
use crate::contacts::details_api::get_contact;
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::timeline::components::Timeline;
use crate::ui::{ErrorMessage, Icon, IconKind, SlideOver};

/// The panel for contact `id`.
#[component]
pub fn ContactPanel(
    id: ContactId,
    /// Closes the panel.
    on_close: Callback<()>,
    /// Opens the edit form for this contact.
    on_edit: Callback<ContactId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let contact = Resource::new(move || id, get_contact);
    // The panel (and its title) renders once the contact is loaded: a title
    // read from the resource outside the Suspense would not hydrate.
    view! {
        <Suspense fallback=move || {
            view! {
                <SlideOver title=String::new() on_close class="contact-panel">
                    <p class="muted">{move || i18n.t().loading}</p>
                </SlideOver>
            }
        }>
            {move || Suspend::new(async move {
                match contact.await {
                    Err(error) => view! {
                        <SlideOver title=String::new() on_close class="contact-panel">
                            <ErrorMessage error />
                        </SlideOver>
                    }
                    .into_any(),
                    Ok(details) => {
                        let id = details.id;
                        let show_timeline = RwSignal::new(false);
                        let info = details.clone();
                        view! {
                            <SlideOver title=details.name.clone() on_close class="contact-panel">
                                <div class="contact-panel__who">
                                    <Avatar name=details.name.clone() photo_url=details.photo_url.clone() />
                                    <p class="contact-panel__id">
                                        {move || i18n.t().col_contact_id} ": " <strong>{id.get()}</strong>
                                    </p>
                                    <button type="button" class="icon-button contact-panel__timeline-toggle"
                                        aria-pressed=move || show_timeline.get().to_string()
                                        aria-label=move || if show_timeline.get() { i18n.t().timeline_hide } else { i18n.t().timeline_show }
                                        title=move || if show_timeline.get() { i18n.t().timeline_hide } else { i18n.t().timeline_show }
                                        on:click=move |_| show_timeline.update(|s| *s = !*s)>
                                        <Icon kind=IconKind::History />
                                    </button>
                                </div>
                                <StartConversationMenu contact_id=id channels=details.channels.clone() contact_name=details.name.clone() />
                                <Show when=move || show_timeline.get() fallback=move || view! { <ContactInfo contact=info.clone() /> }>
                                    <h3 class="section-title">{move || i18n.t().tab_timeline}</h3>
                                    <Timeline contact_id=id />
                                </Show>
                                <footer class="contact-panel__footer">
                                    <button type="button" class="button" on:click=move |_| on_edit.run(id)>
                                        {move || i18n.t().edit}
                                    </button>
                                    <a class="button button--primary" href=format!("/contacts/{id}")>
                                        {move || i18n.t().view_contact}
                                    </a>
                                </footer>
                            </SlideOver>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
