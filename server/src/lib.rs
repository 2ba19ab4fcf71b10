//! The Agenda HTTP server: configuration, router and start-up.

/// `agenda import`: a file, or the resumption of an interrupted import.
pub mod cli_import;
/// The demo company's conversations, comments, edits and linked contacts.
pub mod demo_life;
/// The request guard: sessions, cross-site checks, the role matrix, page access.
pub mod guard;
/// Security headers on every response; the public URL setting.
pub mod headers;
/// Request sizes: the request line, headers and bodies.
pub mod limits;
/// Demo data for new installations and benchmarks.
pub mod seed;
/// The opt-in `Server-Timing` header.
pub mod timing;

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::body::{to_bytes, Body};
use axum::http::{Method, Request, Response, StatusCode};
use axum::middleware::Next;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::{CompressionLayer, CompressionLevel};

use app::db::{Db, DbError, DbSettings};
use app::state::{AppState, LimitSettings};
use app::{shell, App};

/// Where the server listens, where the site's static files are, and which
/// database it uses.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub site_root: PathBuf,
    pub database_url: String,
    pub db_settings: DbSettings,
    /// Bounds on anonymous traffic and request sizes (`docs/security.md`).
    pub limits: LimitSettings,
    /// Whether responses carry a `Server-Timing` header ([`timing`]).
    pub server_timing: bool,
}

/// Leptos's options for this site: the browser bundle is `pkg/agenda.js` +
/// `pkg/agenda_bg.wasm` under the site root (built by `scripts/build-front.sh`).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("agenda")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(Env::PROD)
        .build()
}

/// Opens the database, applies migrations and, on the very first start of an
/// empty database, creates the demo company so a new user lands in a living app.
///
/// The first-start check runs under the database's start-up lock: of several
/// servers starting at once on one PostgreSQL database, exactly one seeds.
pub async fn open_database(url: &str, settings: DbSettings) -> Result<Db, DbError> {
    let db = Db::open_with(url, settings).await?;
    db.with_startup_lock(async {
        if app::tenant::has_no_company(&db).await? {
            let (_, created, life) = seed::seed_first_start(&db).await?;
            tracing::info!(
                created,
                conversations = life.conversations,
                messages = life.messages,
                company = seed::DEMO_COMPANY,
                "first start: demo company created"
            );
        }
        Ok::<_, DbError>(())
    })
    .await?;
    if app::tenant::demo_company(&db).await?.is_some() {
        tracing::info!(
            email = app::auth::DEMO_EMAIL,
            password = app::auth::DEMO_PASSWORD,
            "demo company present: sign in with its admin login"
        );
    }
    Ok(db)
}

/// A route of the router besides the pages and server functions: file
/// downloads and uploads, the channels' inbound endpoint, the health check.
/// Each has a rule in the role matrix (`app::auth::access::ENDPOINTS`).
pub struct PlainRoute {
    pub method: Method,
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
}

/// Every plain route, as [`build_router`] registers them.
pub fn plain_routes() -> Vec<PlainRoute> {
    let route = |method: Method, path, handler| PlainRoute {
        method,
        path,
        handler,
    };
    vec![
        route(Method::GET, "/healthz", get(|| async { "ok" })),
        route(
            Method::GET,
            "/contacts/{id}/photo",
            get(app::contacts::photo::api::serve_photo),
        ),
        route(
            Method::GET,
            "/contacts/export.csv",
            // Compressed here at the fastest level (the layer below then
            // leaves it alone): at the default level gzip took longer than
            // building the file (1,000,000 contacts: 5.0 s against 2.2 s
            // uncompressed).
            get(app::import_export::export::export_contacts)
                .layer(CompressionLayer::new().quality(CompressionLevel::Fastest)),
        ),
        route(
            Method::POST,
            app::conversations::INBOUND_PATH,
            post(app::conversations::inbound::inbound_route),
        ),
        route(
            Method::POST,
            "/contacts/import",
            post(app::import_export::import::upload_route),
        ),
        route(
            Method::GET,
            "/contacts/import/{id}/errors.csv",
            get(app::import_export::import::error_report_route),
        ),
    ]
}

/// The application's router: pages (SSR + hydration), server functions under
/// `/api/`, static files, and a health check.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let plain = plain_routes()
        .into_iter()
        .fold(Router::new(), |router, route| {
            router.route(route.path, route.handler)
        });
    plain
        .leptos_routes_with_context(&state, routes, || {}, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Bodies are read under their route's limit after the guard (so an
        // anonymous call is refused unread) and before any route.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::read_body,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        // Sizes are checked before the guard looks anything up; bodies are
        // read above under their limit, so axum's own default is off.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::limit_requests,
        ))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(axum::middleware::map_response(bad_request_status))
        .layer(axum::middleware::from_fn(word_validation_errors))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` completes, with each
/// connection's peer address available to the routes (the client address
/// of the per-client limits).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Largest error body inspected by [`bad_request_status`]; errors are tiny.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Server-function arguments are decoded before our code runs, so a request
/// whose arguments cannot be decoded (or lack a required one) is answered by
/// the framework with status 500. It is the client's mistake: answer 400 so
/// API clients can tell it from a server failure.
async fn bad_request_status(response: Response<Body>) -> Response<Body> {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if is_argument_error(&bytes) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Words a refusal's field messages (`AppError::Validation`, status 422)
/// in the request's language: the UI's cookie, else `Accept-Language`
/// (`app::i18n::request_locale`). Done here, on the way out, so server
/// functions and server rendering stay free of it; the codes and their
/// parameters are unchanged.
async fn word_validation_errors(request: Request<Body>, next: Next) -> Response<Body> {
    // Only the two headers are kept (cheap clones); they are read only for
    // the rare refusal, not on every request.
    let mut language = axum::http::HeaderMap::new();
    for name in [
        axum::http::header::COOKIE,
        axum::http::header::ACCEPT_LANGUAGE,
    ] {
        for value in request.headers().get_all(&name) {
            language.append(name.clone(), value.clone());
        }
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::UNPROCESSABLE_ENTITY {
        return response;
    }
    let locale = app::i18n::request_locale(&language);
    if locale == Default::default() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    let worded = match serde_json::from_slice::<app::error::AppError>(&bytes) {
        Ok(error) => serde_json::to_vec(&error.worded_in(locale)).ok(),
        Err(_) => None,
    };
    match worded {
        Some(worded) => {
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(worded))
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}

/// True for the JSON of `AppError::ServerFn(Args | MissingArg)`.
fn is_argument_error(body: &[u8]) -> bool {
    match serde_json::from_slice::<app::error::AppError>(body) {
        Ok(error) => error.status_code() == 400,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_argument_error;

    #[test]
    fn argument_errors_are_recognised_and_others_are_not() {
        assert!(is_argument_error(
            br#"{"ServerFn":{"Args":"invalid digit"}}"#
        ));
        assert!(is_argument_error(br#"{"ServerFn":{"MissingArg":"q"}}"#));
        assert!(!is_argument_error(br#""Internal""#));
        assert!(!is_argument_error(b"<html>oops</html>"));
    }
}
