//! The "Buscar contato" box.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::i18n::use_i18n;

/// How long typing must pause before the list is searched.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// The URL of the contact list for a search text. The text is kept as typed
/// (the server ignores surrounding spaces): the URL's value is written back
/// into the box, so trimming here would eat the space a user just typed.
pub fn contacts_url(search: &str) -> String {
    if search.trim().is_empty() {
        "/contacts".to_string()
    } else {
        let encoded: String =
            percent_encoding::utf8_percent_encode(search, percent_encoding::NON_ALPHANUMERIC)
                .collect();
        format!("/contacts?q={encoded}")
    }
}

/// Search box that searches as you type (debounced) by updating `?q=` in the
/// URL. Before hydration it is a plain GET form, so it works without WASM too.
#[component]
pub fn SearchBox(
    /// The current search text (from the URL).
    #[prop(into)]
    value: Signal<String>,
) -> impl IntoView {
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
            navigate(&contacts_url(&text), options);
        }
    };

    // What the box holds right now (typed text wins over the URL's until searched).
    let typed = RwSignal::new(None::<String>);

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
            <span class="search-box__icon" aria-hidden="true">"⌕"</span>
            <input
                id="contact-search"
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
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_search_is_the_plain_list() {
        assert_eq!(contacts_url("  "), "/contacts");
    }

    #[test]
    fn a_trailing_space_being_typed_is_kept() {
        assert_eq!(contacts_url("joao "), "/contacts?q=joao%20");
    }

    #[test]
    fn search_text_is_percent_encoded() {
        assert_eq!(contacts_url("João"), "/contacts?q=Jo%C3%A3o");
        assert_eq!(contacts_url("(11) 9876"), "/contacts?q=%2811%29%209876");
        assert_eq!(contacts_url("a&b=c"), "/contacts?q=a%26b%3Dc");
    }
}
