//! The "Iniciar conversa via" dropdown of a contact.

use leptos::prelude::*;

use crate::conversations::Channel;
use crate::i18n::use_i18n;

/// A dropdown listing the channels a conversation with the contact can be
/// started on (decided by [`crate::conversations::available_channels`]).
/// Escape or a second click closes it.
#[component]
pub fn StartConversationMenu(
    /// The contact's channels, in menu order.
    channels: Vec<Channel>,
    /// The contact's name, for the button's accessible label.
    #[prop(into)]
    contact_name: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let has_channels = !channels.is_empty();
    let first = channels.first().copied();

    let label = move || match first {
        Some(channel) => i18n.t().channel(channel),
        None => i18n.t().no_channels,
    };
    let aria_label = move || format!("{} — {}", i18n.t().col_start_via, contact_name);

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
                disabled=!has_channels
                on:click=move |ev| {
                    ev.stop_propagation();
                    open.update(|o| *o = !*o);
                }
            >
                {first.map(|c| view! { <span class=format!("channel-dot channel-dot--{}", c.slug()) /> })}
                <span class="start-via__label">{label}</span>
                {has_channels.then(|| view! { <span class="start-via__caret" aria-hidden="true">"▾"</span> })}
            </button>
            <Show when=move || open.get()>
                <ul class="start-via__menu" role="menu">
                    {channels
                        .iter()
                        .map(|&channel| {
                            view! {
                                <li role="menuitem" class="start-via__item" data-channel=channel.slug()>
                                    <span class=format!("channel-dot channel-dot--{}", channel.slug()) />
                                    {move || i18n.t().channel(channel)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </Show>
        </div>
    }
    .into_any()
}
