//! Lists of conversations: the conversations module's, a contact's
//! "Conversas" tab and the chat details' history.

use leptos::prelude::*;

use crate::conversations::api::contact_conversations;
use crate::conversations::components::ChannelBadge;
use crate::conversations::model::ConversationSummary;
use crate::i18n::use_i18n;
use crate::ui::{display_time, ErrorMessage};

/// Conversations as rows: channel, contact (when `show_contact`), status,
/// start, agent, last message, "Abrir conversa". `current` is marked.
#[component]
pub fn ConversationList(
    conversations: Vec<ConversationSummary>,
    #[prop(optional)] show_contact: bool,
    #[prop(optional)] current: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <ul class="conversation-list">
            {conversations
                .into_iter()
                .map(|c| {
                    let href = format!("/conversations/{}", c.id);
                    let status = c.status;
                    let is_current = current == Some(c.id);
                    let assigned = c.assigned_to.clone();
                    view! {
                        <li class="conversation-row" class:conversation-row--current=is_current
                            data-conversation=c.id data-status=status.slug()>
                            <div class="conversation-row__main">
                                <ChannelBadge channel=c.channel />
                                {show_contact.then(|| view! {
                                    <strong class="conversation-row__contact">{c.contact_name.clone()}</strong>
                                })}
                                <span class=format!("status-pill status-pill--{}", status.slug())>
                                    {move || t().status(status)}
                                </span>
                            </div>
                            <p class="conversation-row__preview">{c.preview.clone().unwrap_or_default()}</p>
                            <p class="conversation-row__meta muted">
                                {move || t().conversation_started_at} " " {display_time(&c.started_at)}
                                " · " {move || t().conversation_assigned} ": "
                                {move || assigned.clone().unwrap_or_else(|| t().conversation_unassigned.to_string())}
                            </p>
                            <a class="button conversation-row__open" href=href>{move || t().open_conversation}</a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Every conversation with a contact (newest first), or the empty state.
#[component]
pub fn ContactConversations(
    contact_id: i64,
    #[prop(optional)] current: Option<i64>,
    #[prop(optional, into)] refresh: Option<Signal<u32>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(
        move || (contact_id, refresh.map(|r| r.get())),
        |(id, _)| contact_conversations(id, None),
    );
    view! {
        <Suspense fallback=move || view! { <p class="muted">{move || i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(conversations) if conversations.is_empty() => {
                        view! { <p class="empty-state">{move || i18n.t().conversations_none}</p> }.into_any()
                    }
                    Ok(conversations) => view! { <ConversationList conversations current=current.unwrap_or(0) /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
