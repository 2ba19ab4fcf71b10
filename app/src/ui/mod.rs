//! Generic widgets and the application shell.

mod confirm_delete;
mod error_message;
mod not_found;
mod outside_click;
mod shell;
mod slide_over;
mod text_field;

pub use confirm_delete::ConfirmDelete;
pub use error_message::ErrorMessage;
pub use not_found::NotFoundPage;
pub use outside_click::close_on_outside_click;
pub use shell::AppShell;
pub use slide_over::SlideOver;
pub use text_field::TextField;

/// Runs `f` as an effect in the browser only. Server rendering never needs
/// one (it renders once), and an effect created there outside the async
/// renderer's local task set would try to spawn a local task and panic.
pub fn browser_effect(f: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::Effect::new(move |_| f());
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = f;
    }
}

/// Runs `tick` every `period` in the browser while the page is visible (a
/// hidden tab skips its ticks), until the calling component is cleaned up.
/// Nothing on the server.
pub fn every_while_visible(period: std::time::Duration, tick: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        let handle = set_interval_with_handle(
            move || {
                let hidden = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.hidden());
                if !hidden {
                    tick();
                }
            },
            period,
        );
        on_cleanup(move || {
            if let Ok(handle) = handle {
                handle.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (period, tick);
    }
}

/// "2026-11-25T03:30:00Z" → "25/11/2026 03:30 UTC" (the same on the server
/// and in the browser, so hydration matches).
pub fn display_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(at) => at.format("%d/%m/%Y %H:%M UTC").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// "2026-12-07T13:05:00Z" → "10:05": the time of day in the browser's time
/// zone (server rendering, which has no viewer's zone, writes "13:05 UTC").
pub fn clock_time(rfc3339: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if !date.get_time().is_nan() {
            return format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
        }
    }
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(at) => at.format("%H:%M UTC").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// The route's `:id` parameter as an id (0 when missing or not a number,
/// which every lookup answers as not found).
pub fn route_id<K: 'static>() -> leptos::prelude::Memo<crate::ids::Id<K>> {
    use leptos::prelude::*;
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .unwrap_or(crate::ids::Id::new(0))
    })
}
