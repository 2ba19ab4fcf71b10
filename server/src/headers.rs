//! Security headers on every response, and the public URL setting.
//!
//! HTML pages also get their Content-Security-Policy, with the render's
//! nonce, from the app's shell (`app::page_policy`).

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use app::auth::session::is_https;
use app::state::AppState;

/// How long browsers keep to https once they saw it (a year).
const HSTS: &str = "max-age=31536000";

/// Adds the headers every response carries (keeping any a route set
/// itself): no MIME sniffing, no referrer to other sites, no framing, and
/// HSTS when the request came over https or the public URL is https.
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let https = is_https(request.headers(), request.uri().scheme_str())
        || state
            .limits
            .public_origin
            .as_deref()
            .is_some_and(|origin| origin.starts_with("https://"));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}

/// The origin (`https://host[:port]`) of `AGENDA_PUBLIC_URL`, the address
/// users reach the app at behind a reverse proxy: cross-site checks compare
/// a request's `Origin` with it instead of the `Host` header the proxy
/// forwards.
pub fn public_origin(url: &str) -> Result<String, String> {
    let parsed = url::Url::parse(url.trim()).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("{url:?} must start with https:// or http://"));
    }
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(format!(
            "{url:?} must be an origin only (https://host[:port]): Agenda is served at the root"
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("{url:?} must not hold a user or password"));
    }
    Ok(parsed.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::public_origin;

    #[test]
    fn the_public_url_is_read_as_an_origin() {
        assert_eq!(
            public_origin("https://Agenda.Example/").as_deref(),
            Ok("https://agenda.example")
        );
        assert_eq!(
            public_origin("https://agenda.example:443").as_deref(),
            Ok("https://agenda.example")
        );
        assert_eq!(
            public_origin("http://10.0.0.5:8080").as_deref(),
            Ok("http://10.0.0.5:8080")
        );
        for bad in [
            "agenda.example",
            "ftp://agenda.example",
            "https://agenda.example/app",
            "https://u:p@agenda.example",
            "https://agenda.example/?x=1",
        ] {
            assert!(public_origin(bad).is_err(), "{bad}");
        }
    }
}
