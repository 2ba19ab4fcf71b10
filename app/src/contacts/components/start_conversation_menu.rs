//! The "Iniciar conversa via" dropdown of a contact.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::conversations::api::start_conversation;
use crate::conversations::Channel;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ids::ContactId;
use crate::ui::{Icon, IconKind};

/// A dropdown listing the channels a conversation with the contact can be
/// started on (decided by [`crate::conversations::available_channels`]).
/// Choosing one starts the conversation (or continues the open one on that
/// channel) and opens it. Escape or a second click closes the menu.
#[component]
pub fn StartConversationMenu(
    /// The contact.
    contact_id: ContactId,
    /// The contact's channels, in menu order.
    channels: Vec<Channel>,
    /// The contact's name, for the button's accessible label.
    #[prop(into)]
    contact_name: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let starting = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let has_channels = !channels.is_empty();
    let first = channels.first().copied();

    let label = move || match first {
        Some(channel) => i18n.t().channel(channel),
        None => i18n.t().no_channels,
    };
    let aria_label = move || format!("{} — {}", i18n.t().col_start_via, contact_name);
    let start = move |channel: Channel| {
        open.set(false);
        starting.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match start_conversation(contact_id, channel).await {
                Ok(conversation) => navigate(
                    &format!("/conversations/{}", conversation.id),
                    Default::default(),
                ),
                Err(e) => {
                    starting.set(false);
                    error.set(Some(e));
                }
            }
        });
    };

    crate::ui::close_on_outside_click(open);

    view! {
        <div
            class="start-via"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="start-via__button"
                aria-haspopup="menu"
                aria-label=aria_label
                aria-expanded=move || open.get().to_string()
                disabled=move || !has_channels || starting.get()
                on:click=move |ev| {
                    ev.stop_propagation();
                    open.update(|o| *o = !*o);
                }
            >
                {first.map(|c| view! { <span class=format!("channel-dot channel-dot--{}", c.slug()) /> })}
                <span class="start-via__label">{label}</span>
                {has_channels.then(|| view! { <span class="start-via__caret"><Icon kind=IconKind::ChevronDown /></span> })}
            </button>
            <Show when=move || open.get()>
                <ul class="start-via__menu" role="menu">
                    {channels
                        .iter()
                        .map(|&channel| {
                            let start = start.clone();
                            view! {
                                <li role="none">
                                    <button type="button" role="menuitem" class="start-via__item" data-channel=channel.slug()
                                        on:click=move |_| start(channel)>
                                        <span class=format!("channel-dot channel-dot--{}", channel.slug()) />
                                        {move || i18n.t().channel(channel)}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </Show>
            {move || error.get().map(|e| view! {
                <p class="start-via__error error-message" role="alert">{i18n.t().error(&e)}</p>
            })}
        </div>
    }
    .into_any()
}
