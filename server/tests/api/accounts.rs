//! Accounts over HTTP: sign-up, login, logout, rate limiting, invitations,
//! roles, deactivation, page access and cross-site refusal.

use serde_json::Value;

use app::auth::repo;
use app::state::LimitSettings;
use chrono::{DateTime, Duration, Utc};

use crate::helpers::{
    admin_email, new_client, spawn_app, spawn_app_with_limits, Backend, TestApp, PASSWORD,
};

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = app.post_as(client, path, form).await;
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn sign_up_sets_a_safe_session_cookie_and_login_logout_work(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .post_as(
            &app.anonymous(),
            "/api/auth/sign_up",
            &[
                ("company", "Padaria Pão Quente"),
                ("name", "Ana"),
                ("email", "Ana@Padaria.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("cookie")
        .to_string();
    assert!(cookie.starts_with("agenda_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let user: Value = response.json().await.expect("json");
    assert_eq!(user["role"], "admin");
    assert_eq!(user["email"], "ana@padaria.example");
    assert_eq!(user["company_name"], "Padaria Pão Quente");

    let client = new_client();
    let (status, body) = post(
        &app,
        &client,
        "/api/auth/login",
        &[("email", "ana@padaria.example"), ("password", "wrong one!")],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"][0]["field"], "password");
    let (status, _) = post(
        &app,
        &client,
        "/api/auth/login",
        &[("email", " ANA@padaria.example "), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(&app, &client, "/api/contacts/list", &[]).await;
    assert_eq!(status, 200);
    let (status, _) = post(&app, &client, "/api/auth/logout", &[]).await;
    assert_eq!(status, 200);
    let (status, _) = post(&app, &client, "/api/contacts/list", &[]).await;
    assert_eq!(status, 401, "the session is gone after logout");
}

async fn sign_up_reports_every_bad_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = post(
        &app,
        &app.anonymous(),
        "/api/auth/sign_up",
        &[
            ("company", " "),
            ("name", "Ana"),
            ("email", "ana@"),
            ("password", "short"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["Validation"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["company", "email", "password"]);
}

async fn repeated_failed_logins_are_rate_limited_with_a_clear_message(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let email = admin_email("Padaria");
    let client = app.anonymous();
    for _ in 0..5 {
        let (status, _) = post(
            &app,
            &client,
            "/api/auth/login",
            &[("email", email.as_str()), ("password", "wrong password")],
        )
        .await;
        assert_eq!(status, 422);
    }
    let (status, body) = post(
        &app,
        &client,
        "/api/auth/login",
        &[("email", email.as_str()), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(
        status, 429,
        "even the right password waits, from this client: {body}"
    );
    assert_eq!(body["TooManyRequests"]["limit"], "login");
    let wait = body["TooManyRequests"]["retry_after_secs"]
        .as_u64()
        .expect("seconds");
    assert!((14 * 60..=15 * 60).contains(&wait), "{wait}");
}

async fn an_invited_agent_joins_the_company_and_cannot_use_admin_functions(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let (status, invite) = post(
        &app,
        &app.client,
        "/api/agents/invite",
        &[("role", "agent")],
    )
    .await;
    assert_eq!(status, 200, "{invite}");
    let token = invite["path"]
        .as_str()
        .expect("path")
        .trim_start_matches("/invite/")
        .to_string();

    let agent = new_client();
    let (status, info) = post(&app, &agent, "/api/invites/show", &[("token", &token)]).await;
    assert_eq!(status, 200);
    assert_eq!(info["company_name"], "Padaria");
    assert_eq!(info["role"], "agent");
    let form = [
        ("token", token.as_str()),
        ("name", "Beto"),
        ("email", "beto@padaria.example"),
        ("password", PASSWORD),
    ];
    let (status, me) = post(&app, &agent, "/api/invites/accept", &form).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["role"], "agent");
    let (status, _) = post(&app, &agent, "/api/contacts/list", &[]).await;
    assert_eq!(status, 200, "agents work with contacts");
    for admin_only in [
        "/api/agents/list",
        "/api/agents/invite",
        "/api/directory/overview",
        "/api/directory/create",
    ] {
        let form = [("role", "agent"), ("kind", "group"), ("name", "Grupo")];
        let (status, body) = post(&app, &agent, admin_only, &form).await;
        assert_eq!(status, 403, "{admin_only}: {body}");
    }
    let (status, body) = post(&app, &new_client(), "/api/invites/accept", &form).await;
    assert_eq!(status, 422, "a link works once: {body}");
    assert_eq!(body["Validation"][0]["field"], "token");

    // Deactivation signs the agent out at once and blocks new logins.
    let members = post(&app, &app.client, "/api/agents/list", &[]).await.1;
    let beto = members
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["email"] == "beto@padaria.example")
        .expect("beto")["id"]
        .to_string();
    let (status, _) = post(
        &app,
        &app.client,
        "/api/agents/set_active",
        &[("user_id", &beto), ("active", "false")],
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(&app, &agent, "/api/contacts/list", &[]).await;
    assert_eq!(status, 401);
    let (status, body) = post(
        &app,
        &new_client(),
        "/api/auth/login",
        &[("email", "beto@padaria.example"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["Validation"][0]["message"]
        .as_str()
        .expect("message")
        .contains("desativada"));
}

/// Creates an invitation as `client` and returns its token.
async fn invite_token(app: &TestApp, client: &reqwest::Client, role: &str) -> String {
    let (status, invite) = post(app, client, "/api/agents/invite", &[("role", role)]).await;
    assert_eq!(status, 200, "{invite}");
    invite["path"]
        .as_str()
        .expect("path")
        .trim_start_matches("/invite/")
        .to_string()
}

async fn accept(app: &TestApp, token: &str, email: &str) -> (u16, Value) {
    let form = [
        ("token", token),
        ("name", "Convidada"),
        ("email", email),
        ("password", PASSWORD),
    ];
    post(app, &new_client(), "/api/invites/accept", &form).await
}

async fn member_id(app: &TestApp, client: &reqwest::Client, email: &str) -> String {
    let members = post(app, client, "/api/agents/list", &[]).await.1;
    members
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["email"] == email)
        .expect("member")["id"]
        .to_string()
}

async fn an_invitation_dies_with_its_inviters_rights(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    // A second admin, so that one can deactivate the other.
    let token = invite_token(&app, &app.client, "admin").await;
    let (status, body) = accept(&app, &token, "bia@padaria.example").await;
    assert_eq!(status, 200, "{body}");
    let bia = new_client();
    let (status, _) = post(
        &app,
        &bia,
        "/api/auth/login",
        &[("email", "bia@padaria.example"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200);

    // Ana (the first admin) invites an admin, and is deactivated before it
    // is accepted: the invitation is revoked, and stays so when she is back.
    let pending = invite_token(&app, &app.client, "admin").await;
    let ana = member_id(&app, &bia, &admin_email("Padaria")).await;
    let set_active = |active: &'static str| {
        let (app, bia, ana) = (&app, &bia, ana.clone());
        async move {
            post(
                app,
                bia,
                "/api/agents/set_active",
                &[("user_id", ana.as_str()), ("active", active)],
            )
            .await
            .0
        }
    };
    assert_eq!(set_active("false").await, 200);
    let (status, body) = post(
        &app,
        &new_client(),
        "/api/invites/show",
        &[("token", &pending)],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = accept(&app, &pending, "intrusa@padaria.example").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"][0]["field"], "token");
    assert_eq!(set_active("true").await, 200);
    let (status, body) = accept(&app, &pending, "intrusa@padaria.example").await;
    assert_eq!(status, 422, "revoked for good: {body}");

    // However the inviter stops qualifying, acceptance checks it: here the
    // account is switched off behind the API's back.
    let later = invite_token(&app, &bia, "agent").await;
    let bia_id: i64 = member_id(&app, &bia, "bia@padaria.example")
        .await
        .parse()
        .expect("id");
    app::with_db!(&app.db, pool => {
        sqlx::query("UPDATE users SET active = false WHERE id = $1")
            .bind(bia_id)
            .execute(pool)
            .await
            .expect("deactivate");
    });
    let (status, body) = accept(&app, &later, "outra@padaria.example").await;
    assert_eq!(status, 422, "{body}");
}

async fn an_admin_cannot_deactivate_themselves(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let (_, me) = post(&app, &app.client, "/api/auth/me", &[]).await;
    let id = me["user_id"].to_string();
    let (status, body) = post(
        &app,
        &app.client,
        "/api/agents/set_active",
        &[("user_id", &id), ("active", "false")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
}

async fn anonymous_visitors_of_pages_are_sent_to_login_and_back(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let response = no_redirects()
        .get(format!("{}/contacts?q=ana", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fcontacts%3Fq%3Dana"
    );
    let login = app
        .anonymous()
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    let html = login.text().await.expect("html");
    assert!(html.contains("Entrar na Agenda"), "{html}");
}

async fn a_cross_site_post_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let response = app
        .client
        .post(format!("{}/api/agents/invite", app.base))
        .header("origin", "https://evil.example")
        .form(&[("role", "admin")])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 403);
    let same_site = app
        .client
        .post(format!("{}/api/agents/invite", app.base))
        .header("origin", app.base.clone())
        .form(&[("role", "agent")])
        .send()
        .await
        .expect("request");
    assert_eq!(same_site.status(), 200);
}

async fn an_admin_lists_pending_invitations_and_revokes_one(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let accepted = invite_token(&app, &app.client, "agent").await;
    let pending = invite_token(&app, &app.client, "admin").await;
    let (status, _) = accept(&app, &accepted, "aceita@padaria.example").await;
    assert_eq!(status, 200);

    // Only the one nobody accepted is listed, by its digest, never its token.
    let (status, list) = post(&app, &app.client, "/api/agents/invites", &[]).await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().expect("invites").clone();
    assert_eq!(list.len(), 1, "{list:?}");
    let id = app::auth::secrets::token_digest(&pending);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["role"], "admin");
    assert_eq!(list[0]["invited_by"], "Admin");
    assert!(!serde_json::to_string(&list)
        .expect("json")
        .contains(&pending));
    let expires =
        chrono::DateTime::parse_from_rfc3339(list[0]["expires_at"].as_str().expect("expires_at"))
            .expect("RFC 3339");
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours() as f64 / 24.0;
    assert!((6.9..=7.0).contains(&days), "{days}");

    // Revoked: the link stops working at once, and is gone from the list.
    let (status, body) = post(
        &app,
        &app.client,
        "/api/agents/revoke_invite",
        &[("id", &id)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = post(
        &app,
        &new_client(),
        "/api/invites/show",
        &[("token", &pending)],
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = accept(&app, &pending, "tarde@padaria.example").await;
    assert_eq!(status, 422, "a revoked invitation cannot be accepted");
    let (_, list) = post(&app, &app.client, "/api/agents/invites", &[]).await;
    assert_eq!(list, serde_json::json!([]));

    // Nothing left to revoke: neither the same again nor an accepted one,
    // nor something that is no id at all (however long).
    let accepted_id = app::auth::secrets::token_digest(&accepted);
    let long = "f".repeat(100_000);
    for id in [
        id.as_str(),
        accepted_id.as_str(),
        "not-an-id",
        long.as_str(),
    ] {
        let (status, body) = post(
            &app,
            &app.client,
            "/api/agents/revoke_invite",
            &[("id", id)],
        )
        .await;
        assert_eq!((status, body), (404, Value::String("NotFound".into())));
    }
}

/// Sets a session's last use (by its token's digest, or every session).
async fn last_seen(app: &TestApp, digest: Option<&str>, at: DateTime<Utc>) {
    app::with_db!(&app.db, pool => {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE $2 IS NULL OR token_hash = $2")
            .bind(at)
            .bind(digest)
            .execute(pool)
            .await
            .expect("update");
    });
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app::with_db!(&app.db, pool => {
        sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(pool)
            .await
            .expect("count")
    })
}

async fn a_session_unused_past_the_idle_timeout_ends(backend: Backend) {
    let idle = std::time::Duration::from_secs(2 * 3600);
    let app = spawn_app_with_limits(
        backend,
        LimitSettings {
            session_idle: idle,
            ..LimitSettings::default()
        },
    )
    .await;
    app.company("Padaria").await;

    // Used an hour ago: still alive, and the use is recorded.
    last_seen(&app, None, Utc::now() - Duration::hours(1)).await;
    let (status, _) = post(&app, &app.client, "/api/contacts/list", &[]).await;
    assert_eq!(status, 200);
    // (Recorded in the background: the request does not wait for it.)
    let mut recorded = false;
    for _ in 0..50 {
        let seen: DateTime<Utc> = app::with_db!(&app.db, pool => {
            sqlx::query_scalar("SELECT last_seen_at FROM sessions").fetch_one(pool).await.expect("seen")
        });
        if Utc::now() - seen < Duration::minutes(1) {
            recorded = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(recorded, "the use was recorded");

    // Unused for three hours: ended, although its 30 days are not over.
    last_seen(&app, None, Utc::now() - Duration::hours(3)).await;
    let (status, body) = post(&app, &app.client, "/api/contacts/list", &[]).await;
    assert_eq!((status, body), (401, Value::String("Unauthorized".into())));
    let (_, me) = post(&app, &app.client, "/api/auth/me", &[]).await;
    assert_eq!(me, Value::Null);

    // Signing in again starts a new session.
    let (status, _) = post(
        &app,
        &app.client,
        "/api/auth/login",
        &[("email", &admin_email("Padaria")), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(&app, &app.client, "/api/contacts/list", &[]).await;
    assert_eq!(status, 200);
}

async fn the_purge_forgets_ended_sessions_invitations_and_old_counts(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let (_, me) = post(&app, &app.client, "/api/auth/me", &[]).await;
    let user = me["user_id"].as_i64().expect("user");
    let now = Utc::now();
    // Besides the live session: one past its 30 days, one idle for 13 hours.
    repo::create_session(&app.db, "expired", user, now - Duration::seconds(1))
        .await
        .expect("session");
    repo::create_session(&app.db, "idle", user, now + Duration::days(20))
        .await
        .expect("session");
    last_seen(&app, Some("idle"), now - Duration::hours(13)).await;
    // An invitation past its expiry, one still open.
    let company = app
        .company_id(me["company_id"].as_i64().expect("company"))
        .await;
    repo::create_invite(
        &app.db,
        company,
        user,
        app::auth::Role::Agent,
        "old",
        now - Duration::seconds(1),
    )
    .await
    .expect("invite");
    invite_token(&app, &app.client, "agent").await;
    // A failed login whose window is long over.
    let (status, _) = post(
        &app,
        &new_client(),
        "/api/auth/login",
        &[
            ("email", "ninguem@padaria.example"),
            ("password", "senha errada"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    app::with_db!(&app.db, pool => {
        sqlx::query("UPDATE attempt_counts SET window_start = 0").execute(pool).await.expect("age");
        sqlx::query("UPDATE login_pace SET window_start = 0").execute(pool).await.expect("age");
    });
    assert_eq!(count(&app, "sessions").await, 3);
    assert_eq!(count(&app, "invites").await, 2);

    let purged = app::housekeeping::purge(
        &app.db,
        Utc::now(),
        std::time::Duration::from_secs(12 * 3600),
    )
    .await
    .expect("purge");
    assert_eq!((purged.sessions, purged.invitations), (2, 1));
    assert_eq!(count(&app, "sessions").await, 1);
    assert_eq!(count(&app, "invites").await, 1);
    assert_eq!(count(&app, "attempt_counts").await, 0);
    assert_eq!(count(&app, "login_pace").await, 0);
    let (status, _) = post(&app, &app.client, "/api/contacts/list", &[]).await;
    assert_eq!(status, 200, "the live session is untouched");
}

crate::on_both_backends!(
    a_session_unused_past_the_idle_timeout_ends,
    the_purge_forgets_ended_sessions_invitations_and_old_counts,
    an_admin_lists_pending_invitations_and_revokes_one,
    sign_up_sets_a_safe_session_cookie_and_login_logout_work,
    sign_up_reports_every_bad_field,
    repeated_failed_logins_are_rate_limited_with_a_clear_message,
    an_invited_agent_joins_the_company_and_cannot_use_admin_functions,
    an_admin_cannot_deactivate_themselves,
    an_invitation_dies_with_its_inviters_rights,
    anonymous_visitors_of_pages_are_sent_to_login_and_back,
    a_cross_site_post_is_refused,
);
