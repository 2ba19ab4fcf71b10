//! "Detalhes do atendimento": beside a chat, the contact's information, its
//! conversation history and its timeline.

use leptos::prelude::*;

use crate::contacts::components::ContactInfo;
use crate::contacts::details_api::get_contact;
use crate::conversations::components::ContactConversations;
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::ids::ConversationId;
use crate::timeline::components::Timeline;
use crate::ui::ErrorMessage;

/// The details of conversation `conversation_id` with contact `contact_id`;
/// bumping `refresh` reloads the history and the timeline.
#[component]
pub fn ChatDetails(
    contact_id: ContactId,
    conversation_id: ConversationId,
    #[prop(into)] refresh: Signal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let contact = Resource::new(move || contact_id, get_contact);
    view! {
        <aside class="chat-details" aria-labelledby="chat-details-title">
            <h2 id="chat-details-title" class="section-title">{move || t().chat_details}</h2>
            <section class="chat-details__section" aria-labelledby="chat-details-contact">
                <h3 id="chat-details-contact" class="chat-details__heading">{move || t().chat_contact}</h3>
                <Suspense fallback=move || view! { <p class="muted">{move || t().loading}</p> }>
                    {move || Suspend::new(async move {
                        match contact.await {
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                            Ok(details) => {
                                let id = details.id;
                                view! {
                                    <p class="chat-details__name"><strong>{details.name.clone()}</strong></p>
                                    <ContactInfo contact=details />
                                    <a class="button" href=format!("/contacts/{id}")>{move || t().view_contact}</a>
                                }
                                .into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
            <section class="chat-details__section" aria-labelledby="chat-details-history">
                <h3 id="chat-details-history" class="chat-details__heading">{move || t().chat_history}</h3>
                <ContactConversations contact_id current=conversation_id refresh />
            </section>
            <section class="chat-details__section" aria-labelledby="chat-details-timeline">
                <h3 id="chat-details-timeline" class="chat-details__heading">{move || t().tab_timeline}</h3>
                <Timeline contact_id refresh />
            </section>
        </aside>
    }
    .into_any()
}
