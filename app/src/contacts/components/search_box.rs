//! The "Buscar contato" box.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::contacts::urls::{ListQuery, Panel};
use crate::i18n::use_i18n;
use crate::ui::{Icon, IconKind};

/// How long typing must pause before the list is searched.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// Search box that searches as you type (debounced) by updating `?q=` in the
/// URL (the filters stay). Before hydration it is a plain GET form, so it
/// works without WASM too.
#[component]
pub fn SearchBox(
    /// What the list shows now (from the URL).
    #[prop(into)]
    query: Signal<ListQuery>,
) -> impl IntoView {
    let value = Signal::derive(move || query.with(|q| q.q.clone()));
    let i18n = use_i18n();
    let navigate = use_navigate();
    let pending = StoredValue::new(None::<TimeoutHandle>);

    let search_now = {
        let navigate = navigate.clone();
        move |text: String| {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let options = NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            };
            let target = ListQuery {
                q: text,
                ..query.get_untracked()
            };
            navigate(&target.url(Panel::Closed), options);
        }
    };

    // What the box holds right now (typed text wins over the URL's until searched).
    let typed = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();
    focus_on_slash(input);

    let on_input = {
        let search_now = search_now.clone();
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            typed.set(Some(text.clone()));
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let search_now = search_now.clone();
            let handle = set_timeout_with_handle(move || search_now(text), DEBOUNCE).ok();
            pending.set_value(handle);
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed
            .get_untracked()
            .unwrap_or_else(|| value.get_untracked());
        search_now(text);
    };

    view! {
        <form class="search-box" role="search" method="get" action="/contacts" on:submit=on_submit>
            <label class="visually-hidden" for="contact-search">
                {move || i18n.t().search_label}
            </label>
            <span class="search-box__icon"><Icon kind=IconKind::Search /></span>
            <input
                node_ref=input
                id="contact-search"
                aria-keyshortcuts="/"
                class="search-box__input"
                type="search"
                name="q"
                autocomplete="off"
                placeholder=move || i18n.t().search_placeholder
                // The attribute carries the text in the server-rendered HTML
                // (before and without WASM); the property keeps it in step after.
                value=move || value.get()
                prop:value=move || value.get()
                on:input=on_input
            />
            {move || query.with(|q| q.organization).map(|id| view! { <input type="hidden" name="org" value=id /> })}
            {move || query.with(|q| q.group).map(|id| view! { <input type="hidden" name="group" value=id /> })}
        </form>
    }
}

/// "/" anywhere on the page (but in a text field) puts the cursor in the
/// box, its text selected, as in most address books and mail clients.
fn focus_on_slash(input: NodeRef<leptos::html::Input>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let typing = ev
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
                .is_some_and(|element| {
                    element.is_content_editable()
                        || matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if typing {
                return;
            }
            if let Some(input) = input.get_untracked() {
                ev.prevent_default();
                let _ = input.focus();
                input.select();
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = input;
}
