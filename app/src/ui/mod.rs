//! Generic widgets and the application shell.

mod admin_only;
mod confirm_delete;
mod error_message;
mod icons;
mod local_time;
mod not_found;
mod outside_click;
mod shell;
mod slide_over;
mod text_field;

pub use admin_only::AdminOnly;
pub use confirm_delete::ConfirmDelete;
pub use error_message::ErrorMessage;
pub use icons::{Icon, IconKind};
pub use local_time::{clock_time, display_time, provide_viewer_zone, LocalTime};
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
