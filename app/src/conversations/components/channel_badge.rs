//! A channel's colored dot and name.

use leptos::prelude::*;

use crate::conversations::Channel;
use crate::i18n::use_i18n;

/// The channel's dot and name.
#[component]
pub fn ChannelBadge(channel: Channel) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("channel-badge channel-badge--{}", channel.slug()) data-channel=channel.slug()>
            <span class=format!("channel-dot channel-dot--{}", channel.slug()) aria-hidden="true" />
            {move || i18n.t().channel(channel)}
        </span>
    }
}
