//! `AGENDA_SERVER_TIMING=1`: every response carries a `Server-Timing`
//! header with where its time went on the server: `db-begin` (waiting to
//! begin write transactions: SQLite's single write lock, a pool
//! connection), `db-write` (write transactions open, with how many) and
//! `total` (the handler, body excluded). Off by default: timings help an
//! attacker tell apart what the responses hide. Browsers' developer tools
//! show the header; the fault and load benches read it.

use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;

use app::db::timing::{measure, DbTiming};

/// `router` with the header on every response when `on`.
pub fn layer(router: Router, on: bool) -> Router {
    if on {
        router.layer(axum::middleware::from_fn(server_timing))
    } else {
        router
    }
}

async fn server_timing(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let (mut response, db) = measure(next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&header_value(&db, started.elapsed())) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}

fn millis(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

fn header_value(db: &DbTiming, total: Duration) -> String {
    format!(
        "db-begin;dur={}, db-write;dur={};desc=\"{} transactions\", total;dur={}",
        millis(db.lock()),
        millis(db.write()),
        db.writes(),
        millis(total)
    )
}

/// The durations in milliseconds of a `Server-Timing` header, by name.
pub fn parse(header: &str) -> Vec<(String, f64)> {
    header
        .split(',')
        .filter_map(|metric| {
            let mut parts = metric.split(';').map(str::trim);
            let name = parts.next()?.to_string();
            let dur = parts.find_map(|p| p.strip_prefix("dur="))?.parse().ok()?;
            Some((name, dur))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_read_back_by_name() {
        let value = header_value(&DbTiming::default(), Duration::from_micros(12_345));
        assert_eq!(
            parse(&value),
            vec![
                ("db-begin".to_string(), 0.0),
                ("db-write".to_string(), 0.0),
                ("total".to_string(), 12.3)
            ]
        );
    }
}
