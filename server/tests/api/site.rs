use app::state::LimitSettings;

use crate::helpers::{contact, new_client, spawn_app, spawn_app_with_limits, Backend};

async fn the_contact_list_is_rendered_on_the_server_with_its_columns(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    app.add(
        company,
        &[contact("Conceição Araújo", Some("+5511987654321"), None)],
    )
    .await;
    let response = app.get("/contacts").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    for expected in [
        "Conceição Araújo",
        "(11) 98765-4321",
        "Iniciar conversa via",
        "ID do contato",
        "Buscar contato",
        "Atendimentos",
        "lang=\"pt-BR\"",
        "/pkg/agenda.js",
        "/pkg/agenda_bg.wasm",
        "/manifest.webmanifest",
    ] {
        assert!(html.contains(expected), "page lacks {expected:?}");
    }
}

async fn the_server_rendered_list_honours_the_search_in_the_url(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    app.add(
        company,
        &[
            contact("Ana Souza", None, None),
            contact("Bruno Lima", None, None),
        ],
    )
    .await;
    let html = app
        .get("/contacts?q=bruno")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("Bruno Lima"));
    assert!(!html.contains("Ana Souza"));
}

async fn the_language_cookie_switches_the_page_to_english(backend: Backend) {
    let app = spawn_app(backend).await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(
        "agenda_locale=en; Path=/",
        &app.base.parse().expect("base url"),
    );
    let client = reqwest::Client::builder()
        .cookie_provider(jar)
        .build()
        .expect("client");
    let response = app
        .post_as(
            &client,
            "/api/auth/sign_up",
            &[
                ("company", "Padaria"),
                ("name", "Ana"),
                ("email", "ana@padaria.example"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let me: serde_json::Value = response.json().await.expect("json");
    let company = app
        .company_id(me["company_id"].as_i64().expect("company"))
        .await;
    app.add(company, &[contact("Ana", None, None)]).await;
    let html = client
        .get(format!("{}/contacts", app.base))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert!(html.contains("lang=\"en\""));
    assert!(html.contains("Start conversation via"));
    assert!(!html.contains("Iniciar conversa via"));
}

/// Server-rendered times are in the zone the browser reported in the
/// `agenda_tz` cookie, else in the company's zone (Brasília by default):
/// never UTC.
async fn the_server_writes_times_in_the_viewers_zone(backend: Backend) {
    let app = spawn_app(backend).await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .build()
        .expect("client");
    crate::helpers::sign_up_with(&client, &app.base, "Relojoaria").await;
    let response = app
        .post_json(
            &client,
            "/api/contacts/create",
            &serde_json::json!({"form": {"name": "Ana Fuso"}}),
        )
        .await;
    let created: serde_json::Value = response.json().await.expect("json");
    let id = created["id"].as_i64().expect("id");
    let utc = created["created_at"].as_str().expect("created_at");
    let shown = |zone: &str| {
        let zone = app::time_zone::parse_zone(zone).expect("zone");
        let local = app::time_zone::in_zone_rfc3339(utc, zone);
        let local = chrono::DateTime::parse_from_rfc3339(&local).expect("time");
        format!(
            "datetime=\"{utc}\">{}</time>",
            local.format("%d/%m/%Y %H:%M")
        )
    };
    let page = |zone: Option<&str>| {
        if let Some(zone) = zone {
            let url = app.base.parse().expect("base url");
            jar.add_cookie_str(&format!("agenda_tz={zone}; Path=/"), &url);
        }
        let request = client.get(format!("{}/contacts/{id}", app.base));
        async move {
            request
                .send()
                .await
                .expect("request")
                .text()
                .await
                .expect("body")
        }
    };
    let html = page(None).await;
    assert!(html.contains(&shown("America/Sao_Paulo")), "{html}");
    let html = page(Some("America/Manaus")).await;
    assert!(html.contains(&shown("America/Manaus")), "{html}");
    // An unknown zone falls back to the company's (once it is Acre's).
    let response = app
        .post_as(
            &client,
            "/api/company/time_zone",
            &[("time_zone", "America/Rio_Branco")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let html = page(Some("Mars/Olympus")).await;
    assert!(html.contains(&shown("America/Rio_Branco")), "{html}");
}

async fn the_root_redirects_to_the_contact_list(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let html = app.get("/").await.text().await.expect("body");
    // Server-side <Redirect> answers with a redirect or renders the target.
    assert!(html.contains("Contatos"));
}

async fn an_unknown_page_answers_404(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("Página não encontrada"));
}

async fn the_pwa_manifest_and_icons_are_served(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get("/manifest.webmanifest").await;
    assert_eq!(response.status(), 200);
    let manifest: serde_json::Value = response.json().await.expect("json manifest");
    assert_eq!(manifest["start_url"], "/contacts");
    assert_eq!(manifest["display"], "standalone");
    for icon in manifest["icons"].as_array().expect("icons") {
        let src = icon["src"].as_str().expect("src");
        let response = app.get(src).await;
        assert_eq!(response.status(), 200, "{src}");
        let bytes = response.bytes().await.expect("bytes");
        if src.ends_with(".png") {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{src} is a PNG");
        }
    }
}

async fn the_health_check_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.get("/healthz").await.text().await.expect("body"), "ok");
}

/// The value of `name` in `html` after `from` (the text up to the next `"`).
fn attribute_after<'a>(html: &'a str, from: usize, name: &str) -> Option<&'a str> {
    let start = html[from..].find(&format!("{name}=\""))? + from + name.len() + 2;
    let end = html[start..].find('"')? + start;
    Some(&html[start..end])
}

async fn every_page_carries_the_security_headers_and_its_scripts_the_nonce(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    for path in ["/login", "/contacts", "/settings/agents", "/nao-existe"] {
        let client = if path == "/login" {
            new_client()
        } else {
            app.client.clone()
        };
        let response = client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("page");
        let headers = response.headers().clone();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{path} lacks {name}"))
                .to_string()
        };
        let policy = header("content-security-policy");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy}"))
            .to_string();
        assert!(nonce.len() >= 16, "{nonce}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "same-origin");
        assert_eq!(header("x-frame-options"), "DENY");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "no HSTS over http"
        );
        // Every inline script the page holds carries this response's nonce.
        let html = response.text().await.expect("html");
        let mut scripts = 0;
        let mut at = 0;
        while let Some(found) = html[at..].find("<script") {
            let tag = at + found;
            let close = html[tag..].find('>').expect("tag end") + tag;
            let attribute = attribute_after(&html[..close], tag, "nonce");
            assert_eq!(
                attribute,
                Some(nonce.as_str()),
                "{path}: {}",
                &html[tag..=close]
            );
            scripts += 1;
            at = close;
        }
        assert!(scripts >= 1, "{path}: the hydration script");
    }
    // A new nonce for each response.
    let policy = |response: reqwest::Response| {
        response.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .to_string()
    };
    assert_ne!(
        policy(app.get("/contacts").await),
        policy(app.get("/contacts").await)
    );

    // Over https (a proxy saying so), responses carry HSTS.
    let response = app
        .client
        .get(format!("{}/contacts", app.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("page");
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    // Not HTML: no page policy, the other headers still.
    let response = app.get("/healthz").await;
    assert!(response.headers().get("content-security-policy").is_none());
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
}

async fn behind_a_proxy_the_public_url_decides_what_is_cross_site(backend: Backend) {
    let app = spawn_app_with_limits(
        backend,
        LimitSettings {
            public_origin: Some("https://agenda.example".into()),
            ..LimitSettings::default()
        },
    )
    .await;
    let login = |origin: &'static str| {
        let app = &app;
        async move {
            new_client()
                .post(format!("{}/api/auth/login", app.base))
                .header("origin", origin)
                .form(&[
                    ("email", "ana@agenda.example"),
                    ("password", "senha-errada-123"),
                ])
                .send()
                .await
                .expect("login")
                .status()
                .as_u16()
        }
    };
    // The browser's Origin is the public one although Host is the upstream's.
    assert_eq!(
        login("https://agenda.example").await,
        422,
        "our own page: the login runs"
    );
    let own_host: &'static str = Box::leak(app.base.clone().into_boxed_str());
    assert_eq!(
        login(own_host).await,
        403,
        "the upstream address is not the site"
    );
    assert_eq!(login("https://evil.example").await, 403);
    // An https public URL: HSTS on every response.
    let response = app.get("/login").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

crate::on_both_backends!(
    the_server_writes_times_in_the_viewers_zone,
    every_page_carries_the_security_headers_and_its_scripts_the_nonce,
    behind_a_proxy_the_public_url_decides_what_is_cross_site,
    the_contact_list_is_rendered_on_the_server_with_its_columns,
    the_server_rendered_list_honours_the_search_in_the_url,
    the_language_cookie_switches_the_page_to_english,
    the_root_redirects_to_the_contact_list,
    an_unknown_page_answers_404,
    the_pwa_manifest_and_icons_are_served,
    the_health_check_answers,
);
