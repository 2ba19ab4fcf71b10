//! The request guard in front of every route: resolves the session cookie,
//! refuses cross-site state changes, applies the role matrix
//! (`app::auth::access`) to every server function and plain route, and
//! sends anonymous visitors of signed-in pages to the login page.
//!
//! Endpoints still check the session themselves (`require_user`,
//! `require_admin`, `require_grant` in `app::auth::session`), since server
//! rendering calls server functions without passing here.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use app::auth::access;
use app::auth::session::{is_https, resolve, RequestSession};
use app::error::AppError;
use app::state::AppState;

/// Paths served as files or probes: no session needed, none resolved.
fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || path == "/manifest.webmanifest"
        || path == "/favicon.ico"
        || path == "/healthz"
}

/// Pages anyone may open.
fn is_public_page(path: &str) -> bool {
    path == "/login" || path == "/signup" || path.starts_with("/invite/")
}

/// Host part of an `Origin` or `Referer` URL (`https://host:port/...`).
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// Whether a state-changing request comes from our own pages. Browsers send
/// `Origin` on every cross-site POST; it must name this site: the public
/// origin when one is configured (`AGENDA_PUBLIC_URL`: behind a reverse
/// proxy `Host` may be the proxy's upstream name), else the `Host` the
/// request was sent to. Without `Origin`, a `Referer` must; with neither, it
/// is not a browser form or fetch (API clients, tests), and the session
/// cookie is what protects it.
pub fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match (source, public_origin, host) {
        (None, _, _) => true,
        (Some(source), Some(public), _) => {
            url::Url::parse(source).is_ok_and(|url| url.origin().ascii_serialization() == public)
        }
        (Some(source), None, Some(host)) => {
            url_host(source).is_some_and(|h| h.eq_ignore_ascii_case(host))
        }
        (Some(_), None, None) => false,
    }
}

/// Sends the visitor to the login page, which brings them back here.
fn to_login(request: &Request) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(request.uri().path(), |pq| pq.as_str());
    let next_param: String =
        percent_encoding::utf8_percent_encode(target, percent_encoding::NON_ALPHANUMERIC).collect();
    Redirect::to(&format!("/login?next={next_param}")).into_response()
}

/// The status an error is answered with.
fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// An error answered as the server functions answer theirs.
fn json_error(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Says once that requests arrive without their peer's address (a server
/// started without `server::serve`): every per-client limit is then shared
/// by all clients.
fn warn_once_without_peer() {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            "requests carry no peer address: per-client limits are shared by every client \
             (serve the router with server::serve)"
        );
    }
}

/// The middleware. See the module documentation.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let method = request.method().clone();
    let reads = method == Method::GET || method == Method::HEAD;
    if !reads && !same_origin(request.headers(), state.limits.public_origin.as_deref()) {
        return json_error(StatusCode::FORBIDDEN, &AppError::Forbidden);
    }
    if is_asset(&path) {
        return next.run(request).await;
    }
    let secure = is_https(request.headers(), request.uri().scheme_str());
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok());
    let client = state.limits.trusted_proxies.client(peer, forwarded);
    if client.is_none() {
        warn_once_without_peer();
    }
    let session: RequestSession = resolve(
        &state.db,
        request.headers(),
        secure,
        client,
        state.limits.session_idle,
    )
    .await;
    // Endpoints follow the role matrix, decided here before their arguments
    // are decoded (so an anonymous caller learns nothing about them); the
    // endpoints check the session themselves too. An `/api/` path without
    // a rule is answered as missing (405 when it has one for another method).
    let rule = access::endpoint(method.as_str(), &path);
    match rule {
        Some(rule) => {
            if let Err(error) = access::decide(rule.access, session.user.as_deref()) {
                // A download opened in the browser without a session (it
                // expired): sign in, then come back to it.
                if error == AppError::Unauthorized && reads && !path.starts_with("/api/") {
                    return to_login(&request);
                }
                return json_error(status_of(&error), &error);
            }
        }
        None if path.starts_with("/api/") => {
            return if access::is_known_path(&path) {
                StatusCode::METHOD_NOT_ALLOWED.into_response()
            } else {
                json_error(StatusCode::NOT_FOUND, &AppError::NotFound)
            };
        }
        None => {}
    }
    if reads && rule.is_none() && !path.starts_with("/api/") {
        match (&session.user, is_public_page(&path)) {
            (None, false) => return to_login(&request),
            (Some(_), true) if path == "/login" || path == "/signup" => {
                return Redirect::to("/contacts").into_response();
            }
            _ => {}
        }
    }
    request.extensions_mut().insert(session);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    fn same_origin_here(headers: &HeaderMap) -> bool {
        same_origin(headers, None)
    }

    #[test]
    fn behind_a_proxy_the_public_origin_is_what_counts() {
        let public = Some("https://agenda.example");
        // The proxy forwards to an internal Host; the browser's Origin is public.
        let ours = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "https://agenda.example"),
        ]);
        assert!(same_origin(&ours, public));
        assert!(
            !same_origin(&ours, None),
            "without the setting Host decides"
        );
        for other in [
            "http://agenda.example",
            "https://agenda.example:8443",
            "https://evil.example",
            "https://agenda.example.evil.example",
            "null",
        ] {
            let mut map = headers(&[(header::HOST, "agenda.example")]);
            map.insert(
                header::ORIGIN,
                HeaderValue::from_str(other).expect("header"),
            );
            assert!(!same_origin(&map, public), "{other}");
        }
        let referer = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::REFERER, "https://agenda.example/contacts?q=1"),
        ]);
        assert!(same_origin(&referer, public));
    }

    #[test]
    fn a_post_from_our_own_page_is_accepted() {
        assert!(same_origin_here(&headers(&[
            (header::HOST, "agenda.example:3000"),
            (header::ORIGIN, "https://agenda.example:3000"),
        ])));
        assert!(same_origin_here(&headers(&[
            (header::HOST, "agenda.example"),
            (header::REFERER, "https://agenda.example/contacts?q=1"),
        ])));
    }

    #[test]
    fn a_post_from_another_site_is_refused() {
        assert!(!same_origin_here(&headers(&[
            (header::HOST, "agenda.example"),
            (header::ORIGIN, "https://evil.example"),
        ])));
        assert!(!same_origin_here(&headers(&[
            (header::HOST, "agenda.example"),
            (header::ORIGIN, "null"),
        ])));
        assert!(!same_origin_here(&headers(&[
            (header::HOST, "agenda.example"),
            (header::ORIGIN, "https://agenda.example.evil.example"),
        ])));
    }

    #[test]
    fn a_request_without_origin_or_referer_is_not_a_browser_form() {
        assert!(same_origin_here(&headers(&[(
            header::HOST,
            "agenda.example"
        )])));
    }

    #[test]
    fn assets_skip_the_role_matrix_only_where_it_says_anyone() {
        for endpoint in access::ENDPOINTS {
            if is_asset(endpoint.path) {
                assert_eq!(
                    endpoint.access,
                    access::Access::Public,
                    "{} is served as an asset, before the role matrix",
                    endpoint.path
                );
            }
        }
    }

    #[test]
    fn assets_and_public_pages_are_told_apart() {
        assert!(is_asset("/pkg/agenda_bg.wasm"));
        assert!(!is_asset("/contacts"));
        assert!(is_public_page("/invite/abc"));
        assert!(!is_public_page("/settings/agents"));
    }
}
