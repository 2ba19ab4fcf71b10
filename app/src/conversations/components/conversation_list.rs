//! Lists of conversations: the conversations module's, a contact's
//! "Conversas" tab and the chat details' history.

use leptos::prelude::*;

use leptos::task::spawn_local;

use crate::conversations::api::contact_conversations;
use crate::conversations::components::ChannelBadge;
use crate::conversations::model::{ContactConversationPage, ConversationSummary};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::ids::ConversationId;
use crate::ui::{ErrorMessage, LocalTime};

/// Conversations as rows: channel, contact (when `show_contact`), status,
/// start, agent, last message, "Abrir conversa". `current` is marked.
#[component]
pub fn ConversationList(
    conversations: Vec<ConversationSummary>,
    #[prop(optional)] show_contact: bool,
    #[prop(optional)] current: Option<ConversationId>,
) -> impl IntoView {
    view! {
        <ul class="conversation-list">
            {conversations
                .into_iter()
                .map(|conversation| view! { <ConversationRow conversation show_contact current /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// One conversation of a list.
#[component]
fn ConversationRow(
    conversation: ConversationSummary,
    show_contact: bool,
    current: Option<ConversationId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let c = conversation;
    let href = format!("/conversations/{}", c.id);
    let status = c.status;
    let is_current = current == Some(c.id);
    let assigned = c.assigned_to.clone();
    view! {
        <li class="conversation-row" class:conversation-row--current=is_current
            data-conversation=c.id.get() data-status=status.slug()>
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
                {move || t().conversation_started_at} " " <LocalTime at=c.started_at.clone() />
                " · " {move || t().conversation_assigned} ": "
                {move || assigned.clone().unwrap_or_else(|| t().conversation_unassigned.to_string())}
            </p>
            <a class="button conversation-row__open" href=href>{move || t().open_conversation}</a>
        </li>
    }
}

/// Every conversation with a contact, newest first: 50 at a time with
/// "Carregar mais" (the rows shown stay while the next page loads), how
/// many of how many, or the empty state.
#[component]
pub fn ContactConversations(
    contact_id: ContactId,
    #[prop(optional)] current: Option<ConversationId>,
    #[prop(optional, into)] refresh: Option<Signal<u32>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    // Older pages fetched with "Carregar mais", and where the next one
    // starts (`None`: the first page's own `next_before`).
    let older = RwSignal::new(Vec::<ConversationSummary>::new());
    let next_before = RwSignal::new(None::<Option<ConversationId>>);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(None::<AppError>);
    // Bumped when the first page is read again: a "Carregar mais" answer
    // for an earlier reading is dropped.
    let generation = StoredValue::new(0u32);
    let first = Resource::new(
        move || (contact_id, refresh.map(|r| r.get())),
        move |(id, _)| {
            generation.update_value(|g| *g += 1);
            older.set(Vec::new());
            next_before.set(None);
            failed.set(None);
            contact_conversations(id, None)
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="muted">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match first.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(page) if page.conversations.is_empty() => {
                        view! { <p class="empty-state">{move || t().conversations_none}</p> }.into_any()
                    }
                    Ok(page) => {
                        let ContactConversationPage { conversations, total, next_before: first_next } = page;
                        let first_count = conversations.len();
                        let more = move || next_before.get().unwrap_or(first_next);
                        let shown = move || first_count + older.with(Vec::len);
                        let load_more = move |_| {
                            let Some(before) = more() else { return };
                            loading.set(true);
                            let asked_in = generation.get_value();
                            spawn_local(async move {
                                let answer = contact_conversations(contact_id, Some(before)).await;
                                if generation.get_value() != asked_in {
                                    loading.set(false);
                                    return;
                                }
                                match answer {
                                    Ok(page) => {
                                        older.update(|list| list.extend(page.conversations));
                                        next_before.set(Some(page.next_before));
                                        failed.set(None);
                                    }
                                    Err(error) => failed.set(Some(error)),
                                }
                                loading.set(false);
                            });
                        };
                        view! {
                            <p class="muted conversation-count">
                                {move || t().conversations_shown
                                    .replace("{shown}", &shown().to_string())
                                    .replace("{total}", &total.to_string())}
                            </p>
                            <ul class="conversation-list">
                                {conversations
                                    .into_iter()
                                    .map(|conversation| view! { <ConversationRow conversation show_contact=false current /> })
                                    .collect_view()}
                                <For
                                    each=move || older.get()
                                    key=|conversation| conversation.id
                                    children=move |conversation| view! { <ConversationRow conversation show_contact=false current /> }
                                />
                            </ul>
                            {move || failed.get().map(|error| view! { <ErrorMessage error /> })}
                            <Show when=move || more().is_some()>
                                <button type="button" class="button conversation-list__more"
                                    disabled=move || loading.get() on:click=load_more>
                                    {move || if loading.get() { t().loading } else { t().load_more }}
                                </button>
                            </Show>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
    .into_any()
}
