//! Closing a popup menu when the user clicks anywhere else.

use leptos::prelude::*;

/// While `open` is true, a click anywhere in the window sets it to false
/// (the menu's own button stops its click from reaching the window). The
/// listener exists only while open, so a long list of menus does not hold
/// one per row.
pub fn close_on_outside_click(open: RwSignal<bool>) {
    let listener = StoredValue::new(None::<WindowListenerHandle>);
    let drop_listener = move || {
        if let Some(handle) = listener.try_update_value(Option::take).flatten() {
            handle.remove();
        }
    };
    Effect::new(move |_| {
        if open.get() {
            let handle = window_event_listener(leptos::ev::click, move |_| open.set(false));
            listener.set_value(Some(handle));
        } else {
            drop_listener();
        }
    });
    on_cleanup(drop_listener);
}
