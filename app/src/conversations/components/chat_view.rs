//! The chat: header with the contact, channel and status (close/reopen),
//! the messages, and the composer. While the page is visible it asks the
//! server what changed (`conversations/updates`) every
//! [`CHAT_POLL_EVERY`](crate::conversations::model::CHAT_POLL_EVERY), so a
//! customer's reply, or a close made elsewhere, shows without a reload.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::conversations::api::{
    close_conversation, poll_conversation, reopen_conversation, send_message,
};
use crate::conversations::components::ChannelBadge;
use crate::conversations::model::{
    merge_messages, Conversation, ConversationStatus, Direction, CHAT_POLL_EVERY,
};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{ErrorMessage, LocalTime};

/// The chat of one conversation. `on_status` runs after it was closed or
/// reopened (the details' timeline and history reload).
#[component]
pub fn ChatView(conversation: Conversation, on_status: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let id = conversation.summary.id;
    let contact_id = conversation.summary.contact_id;
    let channel = conversation.summary.channel;
    let earlier = conversation.earlier;
    let summary = RwSignal::new(conversation.summary);
    let messages = RwSignal::new(conversation.messages);
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let open = move || summary.with(|s| s.status == ConversationStatus::Open);

    let polling = StoredValue::new(false);
    crate::ui::every_while_visible(CHAT_POLL_EVERY, move || {
        if polling.get_value() {
            return;
        }
        polling.set_value(true);
        let after = messages.with_untracked(|list| list.last().map_or(0, |m| m.id));
        spawn_local(async move {
            if let Ok(updates) = poll_conversation(id, after).await {
                if !updates.messages.is_empty() {
                    messages.update(|list| merge_messages(list, updates.messages));
                }
                let status_changed = summary.with_untracked(|s| s.status != updates.summary.status);
                if summary.with_untracked(|s| *s != updates.summary) {
                    summary.set(updates.summary);
                }
                if status_changed {
                    on_status.run(());
                }
            }
            polling.set_value(false);
        });
    });

    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match send_message(id, text.get_untracked()).await {
                Ok(message) => {
                    messages.update(|list| merge_messages(list, vec![message]));
                    text.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let toggle = move |_| {
        busy.set(true);
        let reopen = !open();
        spawn_local(async move {
            let result = if reopen {
                reopen_conversation(id).await
            } else {
                close_conversation(id).await
            };
            match result {
                Ok(updated) => {
                    summary.set(updated);
                    error.set(None);
                    on_status.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="chat" aria-label=move || t().nav_conversations>
            <header class="chat__header">
                <div class="chat__who">
                    <h1 class="chat__contact">
                        <a href=format!("/contacts/{contact_id}")>{move || summary.with(|s| s.contact_name.clone())}</a>
                    </h1>
                    <p class="chat__channel">
                        <ChannelBadge channel />
                        {move || summary.with(|s| s.address.clone()).map(|a| view! { " · " <span>{a}</span> })}
                    </p>
                </div>
                <span class=move || format!("status-pill status-pill--{}", summary.with(|s| s.status.slug()))
                    data-testid="conversation-status">
                    {move || t().status(summary.with(|s| s.status))}
                </span>
                <button type="button" class="button" disabled=move || busy.get() on:click=toggle>
                    {move || if open() { t().conversation_close } else { t().conversation_reopen }}
                </button>
            </header>
            {(earlier > 0).then(|| view! { <p class="muted chat__earlier">{earlier} " " {move || t().messages_earlier}</p> })}
            <ol class="chat__messages" aria-live="polite">
                <Show when=move || messages.with(Vec::is_empty)>
                    <li class="empty-state">{move || t().messages_none}</li>
                </Show>
                <For
                    each=move || messages.get()
                    key=|m| (m.id, m.delivery.clone())
                    children=move |m| {
                        let outbound = m.direction == Direction::Out;
                        let failed = m.delivery == "failed";
                        let author = m.author.clone();
                        view! {
                            <li class="chat-message" class:chat-message--out=outbound class:chat-message--in=!outbound
                                data-direction=if outbound { "out" } else { "in" }>
                                <p class="chat-message__body">{m.body.clone()}</p>
                                <p class="chat-message__meta">
                                    {move || author.clone().unwrap_or_else(|| t().customer.to_string())}
                                    " · " <LocalTime at=m.sent_at.clone() />
                                    {failed.then(|| view! { " · " <strong class="chat-message__failed">{move || t().message_failed}</strong> })}
                                </p>
                            </li>
                        }
                    }
                />
            </ol>
            {move || error.get().map(|error| view! { <ErrorMessage error /> })}
            <Show when=open fallback=move || view! { <p class="muted chat__closed">{move || t().chat_closed_hint}</p> }>
                <form class="chat__composer" on:submit=send>
                    <label class="visually-hidden" for="chat-text">{move || t().message_placeholder}</label>
                    <textarea id="chat-text" class="chat__text" rows="2"
                        placeholder=move || t().message_placeholder
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    ></textarea>
                    <button type="submit" class="button button--primary"
                        disabled=move || busy.get() || text.get().trim().is_empty()>
                        {move || t().message_send}
                    </button>
                </form>
            </Show>
        </section>
    }
    .into_any()
}
