//! What anonymous traffic may cost (issue 32, docs/security.md): password
//! checks bounded and queued, guesses counted atomically per (e-mail,
//! client address), an e-mail guessed from many clients paced but never
//! locked, sign-ups limited per client, and request sizes refused early.
//! Bounds are configured small here: one check thread, a short queue.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use app::auth::password_checks::PasswordCheckSettings;
use app::auth::repo::{self, PaceTurn};
use app::state::{LimitSettings, RequestLimits};
use futures_util::future::join_all;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{admin_email, spawn_app, spawn_app_with_limits, Backend, TestApp, PASSWORD};

/// A cookie-keeping client whose requests come from `ip` (any 127.x.y.z
/// address reaches the loopback server).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .local_address(ip.parse::<IpAddr>().expect("ip"))
        .build()
        .expect("client")
}

async fn login(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> (u16, Value, Option<String>) {
    let response = app
        .post_as(
            client,
            "/api/auth/login",
            &[("email", email), ("password", password)],
        )
        .await;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, retry_after)
}

fn one_check_at_a_time(queue: usize) -> LimitSettings {
    LimitSettings {
        password_checks: PasswordCheckSettings {
            concurrent: 1,
            queue,
            max_wait: Duration::from_millis(500),
        },
        ..LimitSettings::default()
    }
}

async fn password_checks_past_the_bound_are_answered_busy_with_retry_after(backend: Backend) {
    let app = spawn_app_with_limits(backend, one_check_at_a_time(1)).await;
    let client = app.anonymous();
    let emails: Vec<String> = (0..20).map(|n| format!("nobody{n}@x.example")).collect();
    let answers = join_all(
        emails
            .iter()
            .map(|email| login(&app, &client, email, "wrong password")),
    )
    .await;
    let checked = answers.iter().filter(|(status, ..)| *status == 422).count();
    let busy: Vec<_> = answers
        .iter()
        .filter(|(status, ..)| *status == 503)
        .collect();
    assert_eq!(checked + busy.len(), 20, "{answers:?}");
    assert!(checked >= 1, "some were checked: {answers:?}");
    assert!(
        busy.len() >= 10,
        "one thread and a queue of one: {answers:?}"
    );
    for (_, body, retry_after) in busy {
        assert_eq!(body["Busy"]["retry_after_secs"], 1, "{body}");
        assert_eq!(retry_after.as_deref(), Some("1"));
    }
    // A refused check was not counted against its address: the same
    // e-mails may try again at once.
    let (status, ..) = login(&app, &client, &emails[19], "wrong password").await;
    assert!(status == 422 || status == 503, "{status}");
}

async fn sign_ups_share_the_password_check_bound(backend: Backend) {
    let app = spawn_app_with_limits(backend, one_check_at_a_time(0)).await;
    let sign_ups = join_all((0..8).map(|n| {
        let client = app.anonymous();
        let app = &app;
        async move {
            let email = format!("admin{n}@padaria.example");
            app.post_as(
                &client,
                "/api/auth/sign_up",
                &[
                    ("company", "Padaria"),
                    ("name", "Ana"),
                    ("email", email.as_str()),
                    ("password", PASSWORD),
                ],
            )
            .await
            .status()
            .as_u16()
        }
    }))
    .await;
    assert!(sign_ups.contains(&200), "{sign_ups:?}");
    assert!(sign_ups.contains(&503), "no queue: {sign_ups:?}");
    assert!(
        sign_ups.iter().all(|s| *s == 200 || *s == 503),
        "{sign_ups:?}"
    );
}

async fn at_most_five_guesses_are_checked_whatever_the_concurrency(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let email = admin_email("Padaria");
    let guesser = client_from("127.0.0.1");
    let answers = join_all((0..40).map(|n| {
        let (app, guesser, email) = (&app, &guesser, &email);
        async move { login(app, guesser, email, &format!("guess number {n}")).await }
    }))
    .await;
    let count = |wanted: u16| {
        answers
            .iter()
            .filter(|(status, ..)| *status == wanted)
            .count()
    };
    // Five checked; the rest refused, counted (429) or, past the password
    // checks' admission bound, before being counted (503).
    assert_eq!(count(422), 5, "{answers:?}");
    assert_eq!(count(429) + count(503), 35, "{answers:?}");
    assert!(count(429) >= 1, "{answers:?}");
    let (_, body, retry_after) = answers
        .iter()
        .find(|(status, ..)| *status == 429)
        .expect("a limited answer");
    assert_eq!(body["TooManyRequests"]["limit"], "login");
    let seconds: u64 = retry_after
        .as_deref()
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((14 * 60..=15 * 60).contains(&seconds), "{seconds}");

    // The owner, from another client address, still gets in; the guesser's
    // address stays limited, even with the right password.
    let (status, body, _) = login(&app, &client_from("127.0.0.2"), &email, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    let (status, ..) = login(&app, &guesser, &email, PASSWORD).await;
    assert_eq!(status, 429);
}

async fn an_email_guessed_from_many_clients_is_paced_not_locked(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let email = admin_email("Padaria");
    // Ten failures from ten addresses: each within its own limit.
    let answers = join_all((0..10).map(|n| {
        let (app, email) = (&app, &email);
        async move {
            let client = client_from(&format!("127.0.1.{}", n + 1));
            login(app, &client, email, "guessing").await.0
        }
    }))
    .await;
    assert_eq!(answers, vec![422; 10]);
    // From now on checks of this e-mail are a second apart at least,
    // whichever address asks.
    let started = Instant::now();
    let paced = join_all((0..2).map(|n| {
        let (app, email) = (&app, &email);
        async move {
            let client = client_from(&format!("127.0.2.{}", n + 1));
            let answer = login(app, &client, email, "guessing").await.0;
            (answer, started.elapsed())
        }
    }))
    .await;
    assert!(paced.iter().all(|(status, _)| *status == 422), "{paced:?}");
    let last = paced.iter().map(|(_, at)| *at).max().expect("two");
    assert!(last >= Duration::from_millis(1_000), "{paced:?}");

    // A turn far away is announced, not waited for: 429 with the wait.
    let now = chrono::Utc::now().timestamp_millis();
    set_pace(&app, &email, 60_000, now + 60_000).await;
    let owner = client_from("127.0.3.1");
    let (status, body, retry_after) = login(&app, &owner, &email, PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["TooManyRequests"]["limit"], "login_pace");
    let seconds: u64 = retry_after
        .as_deref()
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((50..=56).contains(&seconds), "{seconds}");
    // A near turn is waited for, and the right password gets in: a delay,
    // never a lock.
    let now = chrono::Utc::now().timestamp_millis();
    set_pace(&app, &email, 60_000, now + 1_500).await;
    let started = Instant::now();
    let (status, body, _) = login(&app, &owner, &email, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    assert!(started.elapsed() >= Duration::from_millis(1_400));

    // The browser that signed in is known from now on (its device cookie):
    // however far the e-mail's next turn, it is not paced. Another browser
    // still is.
    let now = chrono::Utc::now().timestamp_millis();
    set_pace(&app, &email, 60_000, now + 60_000).await;
    let (status, body, _) = login(&app, &owner, &email, PASSWORD).await;
    assert_eq!(status, 200, "the owner's browser is not paced: {body}");
    let (status, body, _) = login(&app, &client_from("127.0.3.2"), &email, PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["TooManyRequests"]["limit"], "login_pace");
    // A cookie of the right name and a made-up value is not known.
    let forged = client_from("127.0.3.3");
    let response = forged
        .post(format!("{}/api/auth/login", app.base))
        .header("cookie", format!("agenda_device={}", "0".repeat(64)))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 429);
}

/// Sets an e-mail's pace as many failures would have.
async fn set_pace(app: &TestApp, email: &str, spacing_ms: i64, next_at: i64) {
    app::with_db!(&app.db, pool => {
        sqlx::query("UPDATE login_pace SET spacing_ms = $1, next_at = $2 WHERE email = $3")
            .bind(spacing_ms)
            .bind(next_at)
            .bind(email)
            .execute(pool)
            .await
            .expect("pace");
    });
}

/// Repository: concurrent attempts get distinct numbers, and concurrent
/// turns of a paced e-mail are one spacing apart, up to the wait allowed.
async fn counts_and_turns_are_taken_atomically(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = &app.db;
    let now = 1_000_000_000_000;
    let numbers =
        join_all((0..30).map(|_| repo::count_attempt(db, "login", "k", now, 60_000))).await;
    let mut numbers: Vec<i64> = numbers.into_iter().map(|n| n.expect("count").0).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=30).collect::<Vec<_>>());
    // A window that has ended starts again at one.
    let (again, start) = repo::count_attempt(db, "login", "k", now + 60_000, 60_000)
        .await
        .expect("count");
    assert_eq!((again, start), (1, now + 60_000));

    for _ in 0..10 {
        repo::record_pace_failure(
            db,
            "ana@x.example",
            now,
            3_600_000,
            app::auth::throttle::pace_spacing_ms,
        )
        .await
        .expect("failure");
    }
    let turns = join_all(
        (0..8).map(|_| repo::take_pace_turn(db, "ana@x.example", now, now - 3_600_000, 5_000)),
    )
    .await;
    let mut at: Vec<i64> = Vec::new();
    let mut later = 0;
    for turn in turns {
        match turn.expect("turn") {
            PaceTurn::Now => at.push(now),
            PaceTurn::At(t) => at.push(t),
            PaceTurn::Later(t) => {
                assert_eq!(t, now + 1_000);
                later += 1;
            }
        }
    }
    at.sort_unstable();
    assert_eq!(at, (0..6).map(|n| now + n * 1_000).collect::<Vec<_>>());
    assert_eq!(later, 2);
    // An e-mail without failures is never paced.
    assert_eq!(
        repo::take_pace_turn(db, "bia@x.example", now, now - 3_600_000, 5_000)
            .await
            .expect("turn"),
        PaceTurn::Now
    );
}

async fn sign_ups_are_limited_per_client_address(backend: Backend) {
    let limits = LimitSettings {
        sign_ups_per_hour: 2,
        ..LimitSettings::default()
    };
    let app = spawn_app_with_limits(backend, limits).await;
    let sign_up = |client: reqwest::Client, n: usize| {
        let app = &app;
        async move {
            let email = format!("admin{n}@loja.example");
            let response = app
                .post_as(
                    &client,
                    "/api/auth/sign_up",
                    &[
                        ("company", "Loja"),
                        ("name", "Ana"),
                        ("email", email.as_str()),
                        ("password", PASSWORD),
                    ],
                )
                .await;
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    assert_eq!(sign_up(client_from("127.0.4.1"), 1).await.0, 200);
    assert_eq!(sign_up(client_from("127.0.4.1"), 2).await.0, 200);
    let (status, body) = sign_up(client_from("127.0.4.1"), 3).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["TooManyRequests"]["limit"], "sign_up");
    assert_eq!(sign_up(client_from("127.0.4.2"), 4).await.0, 200);
}

/// Sends raw bytes (written by a task of their own, which may stop when
/// the server stops reading) and returns the response's status and text.
async fn raw(app: &TestApp, request: Vec<u8>) -> (u16, String) {
    let addr = app.base.trim_start_matches("http://");
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&request).await;
        writer
    });
    let mut answer = vec![0u8; 16 * 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), reader.read(&mut answer))
        .await
        .expect("an answer without the whole body being read")
        .expect("read");
    drop(writing);
    let text = String::from_utf8_lossy(&answer[..read]).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    (status, text)
}

async fn oversized_requests_are_refused_before_any_work(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let limit = RequestLimits::default().max_body_bytes;

    // A declared 400 MB body is refused at once, without being read.
    let head = "POST /api/auth/login HTTP/1.1\r\nHost: x\r\n\
                Content-Type: application/x-www-form-urlencoded\r\n";
    let (status, text) = raw(
        &app,
        format!("{head}Content-Length: 400000000\r\n\r\n").into_bytes(),
    )
    .await;
    assert_eq!(status, 413, "{text}");
    assert!(
        text.contains(r#"{"TooLarge":{"part":"body","limit_bytes":1048576}}"#),
        "{text}"
    );

    // A body past the limit without a declared length is cut at the limit.
    let mut chunked = format!("{head}Transfer-Encoding: chunked\r\n\r\n").into_bytes();
    for _ in 0..3 {
        chunked.extend_from_slice(format!("{:x}\r\n", 512 * 1024).as_bytes());
        chunked.extend(std::iter::repeat_n(b'a', 512 * 1024));
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (status, text) = raw(&app, chunked).await;
    assert_eq!(status, 413, "{text}");
    assert!(
        text.contains(&format!(r#""limit_bytes":{limit}"#)),
        "{text}"
    );

    // A body within the limit still reaches the server function.
    let (status, ..) = login(&app, &app.anonymous(), "nobody@x.example", "wrong password").await;
    assert_eq!(status, 422);

    // Request lines and headers past their limits: 414 and 431.
    let words = vec!["silva"; 3_000].join(" ");
    assert_eq!(export_searching(&app, &words).await.status(), 414);
    let response = app
        .anonymous()
        .get(format!("{}/login", app.base))
        .header("x-padding", "p".repeat(40 * 1024))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 431);
}

async fn a_body_that_trickles_in_is_cut_off(backend: Backend) {
    let limits = LimitSettings {
        requests: RequestLimits {
            body_read_timeout: Duration::from_millis(500),
            ..RequestLimits::default()
        },
        ..LimitSettings::default()
    };
    let app = spawn_app_with_limits(backend, limits).await;
    // Forty bytes announced, ten sent, and then nothing.
    let started = Instant::now();
    let (status, text) = raw(
        &app,
        b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\nemail=a@b."
            .to_vec(),
    )
    .await;
    assert_eq!(status, 408, "{text}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // An anonymous call of a signed-in endpoint is refused before its body
    // is read: no wait at all.
    let (status, text) = raw(
        &app,
        b"POST /api/contacts/list HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\nq=a".to_vec(),
    )
    .await;
    assert_eq!(status, 401, "{text}");
}

async fn an_over_long_export_search_is_refused_naming_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    // 1,000 words fit in the request line, and are far past the search's
    // own 200 characters.
    let words = vec!["silva"; 1_000].join(" ");
    let response = export_searching(&app, &words).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["Validation"][0]["field"], "q");
    // At the limit it is a search like any other.
    let at_limit = "silva ".repeat(33);
    assert_eq!(export_searching(&app, at_limit.trim()).await.status(), 200);
}

/// `GET /contacts/export.csv?q=…` as the signed-in admin.
async fn export_searching(app: &TestApp, q: &str) -> reqwest::Response {
    app.client
        .get(format!("{}/contacts/export.csv", app.base))
        .query(&[("q", q)])
        .send()
        .await
        .expect("request")
}

async fn a_login_sets_the_session_cookie_first_and_marks_the_browser(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let response = app
        .post_as(
            &app.anonymous(),
            "/api/auth/login",
            &[
                ("email", admin_email("Padaria").as_str()),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(cookies[0].starts_with("agenda_session="), "{cookies:?}");
    assert!(
        cookies[1].starts_with("agenda_device=") && cookies[1].contains("Path=/api/auth/login"),
        "{cookies:?}"
    );
}

crate::on_both_backends!(
    password_checks_past_the_bound_are_answered_busy_with_retry_after,
    sign_ups_share_the_password_check_bound,
    at_most_five_guesses_are_checked_whatever_the_concurrency,
    an_email_guessed_from_many_clients_is_paced_not_locked,
    counts_and_turns_are_taken_atomically,
    sign_ups_are_limited_per_client_address,
    oversized_requests_are_refused_before_any_work,
    a_body_that_trickles_in_is_cut_off,
    a_login_sets_the_session_cookie_first_and_marks_the_browser,
    an_over_long_export_search_is_refused_naming_the_field,
);
