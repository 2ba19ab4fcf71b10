//! A panel that slides in from the right over the page (the contact panel,
//! the add/edit form). Esc and the close button close it; the page under it
//! keeps its scroll position.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::ui::{Icon, IconKind};

/// The slide-out panel. Opening it moves the keyboard focus into it (unless
/// something in it, such as a form's first field, already took it); Esc or
/// the close button closes it and gives the focus back to what had it
/// before, such as the list row that opened it.
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
    let panel = NodeRef::<leptos::html::Aside>::new();
    let close = move || {
        focus::give_back();
        on_close.run(());
    };
    #[cfg(feature = "hydrate")]
    {
        focus::remember_opener();
        Effect::new(move |_| {
            if let Some(panel) = panel.get() {
                // The element exists before it is on the page (a Suspense
                // may still hold it): focus it on the next frame.
                request_animation_frame(move || focus::move_into(&panel));
            }
        });
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" {
                close();
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <aside node_ref=panel class=format!("slide-over {class}") role="dialog" tabindex="-1"
            aria-label=move || title.get()>
            <header class="slide-over__header">
                <h2 class="slide-over__title">{move || title.get()}</h2>
                <button
                    type="button"
                    class="slide-over__close"
                    aria-label=move || i18n.t().close
                    title=move || i18n.t().close
                    on:click=move |_| close()
                >
                    <Icon kind=IconKind::Close />
                </button>
            </header>
            <div class="slide-over__body">{children()}</div>
        </aside>
    }
}

/// Where the keyboard focus goes around a panel (the browser only).
mod focus {
    #[cfg(feature = "hydrate")]
    use wasm_bindgen::JsCast;

    #[cfg(feature = "hydrate")]
    thread_local! {
        /// What had the focus when the first of a run of panels opened (a
        /// panel that replaces another, such as a contact's details after
        /// its loading state, keeps the first one's opener).
        static OPENER: std::cell::RefCell<Option<web_sys::HtmlElement>> =
            const { std::cell::RefCell::new(None) };
    }

    /// Remembers the focused element, unless it is inside a panel.
    #[cfg(feature = "hydrate")]
    pub fn remember_opener() {
        let Some(active) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
        else {
            return;
        };
        let in_panel = active.closest(".slide-over").ok().flatten().is_some();
        if !in_panel {
            OPENER.with(|opener| *opener.borrow_mut() = active.dyn_into().ok());
        }
    }

    /// Focuses the panel itself unless the focus is already inside it.
    #[cfg(feature = "hydrate")]
    pub fn move_into(panel: &web_sys::HtmlElement) {
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let inside = active.is_some_and(|active| panel.contains(Some(&active)));
        if !inside {
            let _ = panel.focus();
        }
    }

    /// Focuses the remembered opener again, if it is still on the page.
    pub fn give_back() {
        #[cfg(feature = "hydrate")]
        if let Some(opener) = OPENER.with(|opener| opener.borrow_mut().take()) {
            if opener.is_connected() {
                let _ = opener.focus();
            }
        }
    }
}
