use crate::helpers::{contact, spawn_app, Backend};

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
    let company = app::tenant::CompanyId(me["company_id"].as_i64().expect("company"));
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

crate::on_both_backends!(
    the_contact_list_is_rendered_on_the_server_with_its_columns,
    the_server_rendered_list_honours_the_search_in_the_url,
    the_language_cookie_switches_the_page_to_english,
    the_root_redirects_to_the_contact_list,
    an_unknown_page_answers_404,
    the_pwa_manifest_and_icons_are_served,
    the_health_check_answers,
);
