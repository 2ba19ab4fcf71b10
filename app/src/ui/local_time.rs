//! Times on the page, in the viewer's zone (see [`crate::time_zone`]): the
//! browser's own when the browser formats, the zone the browser reported
//! (else the company's) when the server renders.

use leptos::prelude::*;

/// The zone this render writes times in (server rendering only; provided
/// per request by [`provide_viewer_zone`]).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy)]
struct ViewerZone(chrono_tz::Tz);

/// Server: decides the zone of this page's times from the request's
/// [`crate::time_zone::ZONE_COOKIE`], else the signed-in user's company's
/// zone (the session the middleware resolved), else the default.
/// Browser: reports the browser's zone in that cookie, so the next page the
/// server renders matches what the browser shows.
pub fn provide_viewer_zone() {
    #[cfg(feature = "ssr")]
    {
        use crate::time_zone::{parse_zone, zone_in_cookie_header, DEFAULT_ZONE};
        let from_cookie = use_context::<axum::http::request::Parts>().and_then(|parts| {
            parts
                .headers
                .get_all(axum::http::header::COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .find_map(zone_in_cookie_header)
                .and_then(parse_zone)
        });
        let zone = from_cookie.unwrap_or_else(|| {
            let company = crate::auth::session::request_session()
                .user
                .map(|user| user.profile.time_zone);
            crate::time_zone::zone_or_default(company.as_deref().unwrap_or(DEFAULT_ZONE))
        });
        provide_context(ViewerZone(zone));
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    report_browser_zone();
}

/// Sets [`crate::time_zone::ZONE_COOKIE`] to the browser's IANA zone when it
/// says something else (or nothing).
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn report_browser_zone() {
    use crate::time_zone::{zone_in_cookie_header, MAX_ZONE_LEN, ZONE_COOKIE};
    use wasm_bindgen::JsCast;
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    let Some(zone) = js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|zone| zone.as_string())
    else {
        return;
    };
    // IANA names are letters, digits, '/', '_', '-' and '+': cookie-safe.
    let safe = zone.len() <= MAX_ZONE_LEN
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
    let Some(document) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    else {
        return;
    };
    let current = document.cookie().unwrap_or_default();
    if safe && zone_in_cookie_header(&current) != Some(zone.as_str()) {
        let cookie = format!("{ZONE_COOKIE}={zone}; Path=/; Max-Age=31536000; SameSite=Lax");
        // A refused cookie only means server-rendered times use the
        // company's zone until the browser takes the page over.
        let _ = document.set_cookie(&cookie);
    }
}

/// "2026-11-25T13:30:00Z" → "25/11/2026 10:30" in the viewer's zone.
pub fn display_time(rfc3339: &str) -> String {
    format_time(rfc3339, true)
}

/// "2026-12-07T13:05:00Z" → "10:05": the time of day in the viewer's zone.
pub fn clock_time(rfc3339: &str) -> String {
    format_time(rfc3339, false)
}

fn format_time(rfc3339: &str, with_date: bool) -> String {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if !date.get_time().is_nan() {
            let clock = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
            return if with_date {
                format!(
                    "{:02}/{:02}/{} {clock}",
                    date.get_date(),
                    date.get_month() + 1,
                    date.get_full_year()
                )
            } else {
                clock
            };
        }
    }
    #[cfg(feature = "ssr")]
    {
        let zone = use_context::<ViewerZone>()
            .map(|zone| zone.0)
            .unwrap_or_else(|| crate::time_zone::zone_or_default(crate::time_zone::DEFAULT_ZONE));
        if let Ok(at) = chrono::DateTime::parse_from_rfc3339(rfc3339) {
            let at = at.with_timezone(&zone);
            let pattern = if with_date { "%d/%m/%Y %H:%M" } else { "%H:%M" };
            return at.format(pattern).to_string();
        }
    }
    #[allow(unreachable_code)]
    rfc3339.to_string()
}

/// A `<time>` in the viewer's zone. The server writes it in the zone it
/// knows; if the browser's differs (a first visit, a trip), the browser
/// rewrites the text once it has taken the page over.
#[component]
pub fn LocalTime(
    /// RFC 3339.
    #[prop(into)]
    at: String,
    /// Only the time of day ("10:05"), not the date.
    #[prop(optional)]
    clock: bool,
) -> impl IntoView {
    let text = format_time(&at, !clock);
    let node = NodeRef::<leptos::html::Time>::new();
    #[cfg(feature = "hydrate")]
    {
        let at = at.clone();
        Effect::new(move |_| {
            if let Some(element) = node.get() {
                let wanted = format_time(&at, !clock);
                if element.text_content().as_deref() != Some(wanted.as_str()) {
                    element.set_text_content(Some(&wanted));
                }
            }
        });
    }
    view! { <time node_ref=node datetime=at>{text}</time> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_server_writes_times_in_the_viewers_zone() {
        let owner = Owner::new();
        owner.with(|| {
            // No request: the default company zone, Brasília.
            assert_eq!(display_time("2026-12-04T23:42:00Z"), "04/12/2026 20:42");
            provide_context(ViewerZone(chrono_tz::America::Manaus));
            assert_eq!(display_time("2026-12-04T23:42:00Z"), "04/12/2026 19:42");
            assert_eq!(clock_time("2026-12-05T02:05:00Z"), "22:05");
            assert_eq!(display_time("not a time"), "not a time");
        });
    }
}
