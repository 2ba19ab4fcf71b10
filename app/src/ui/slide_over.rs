//! A panel that slides in from the right over the page (the contact panel,
//! the add/edit form). Esc and the close button close it; the page under it
//! keeps its scroll position.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The slide-out panel.
#[component]
pub fn SlideOver(
    /// The panel's heading.
    #[prop(into)]
    title: Signal<String>,
    /// Called by Esc and the close button.
    on_close: Callback<()>,
    /// Extra class for the panel (width variants).
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" {
                on_close.run(());
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <aside class=format!("slide-over {class}") role="dialog" aria-label=move || title.get()>
            <header class="slide-over__header">
                <h2 class="slide-over__title">{move || title.get()}</h2>
                <button
                    type="button"
                    class="slide-over__close"
                    aria-label=move || i18n.t().close
                    title=move || i18n.t().close
                    on:click=move |_| on_close.run(())
                >
                    "×"
                </button>
            </header>
            <div class="slide-over__body">{children()}</div>
        </aside>
    }
}
