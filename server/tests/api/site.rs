use app::contacts::repo::count_contacts;
use app::tenant::demo_company;
use server::{open_database, seed};

use crate::helpers::{contact, spawn_app, spawn_with};

#[tokio::test]
async fn the_contact_list_is_rendered_on_the_server_with_its_columns() {
    let app = spawn_app().await;
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

#[tokio::test]
async fn the_server_rendered_list_honours_the_search_in_the_url() {
    let app = spawn_app().await;
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

#[tokio::test]
async fn the_language_cookie_switches_the_page_to_english() {
    let app = spawn_app().await;
    let company = app.company("Padaria").await;
    app.add(company, &[contact("Ana", None, None)]).await;
    let html = app
        .client
        .get(format!("{}/contacts", app.base))
        .header("cookie", "agenda_locale=en")
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

#[tokio::test]
async fn the_root_redirects_to_the_contact_list() {
    let app = spawn_app().await;
    app.company("Padaria").await;
    let html = app.get("/").await.text().await.expect("body");
    // Server-side <Redirect> answers with a redirect or renders the target.
    assert!(html.contains("Contatos"));
}

#[tokio::test]
async fn an_unknown_page_answers_404() {
    let app = spawn_app().await;
    app.company("Padaria").await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("Página não encontrada"));
}

#[tokio::test]
async fn the_pwa_manifest_and_icons_are_served() {
    let app = spawn_app().await;
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

#[tokio::test]
async fn the_health_check_answers() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.text().await.expect("body"), "ok");
}

#[tokio::test]
async fn the_first_start_creates_the_demo_company_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("fresh.db").display());
    let db = open_database(&url).await.expect("first start");
    let demo = demo_company(&db)
        .await
        .expect("query")
        .expect("demo company exists");
    let count = count_contacts(&db, demo).await.expect("count");
    assert_eq!(count, seed::FIRST_START_CONTACTS as i64);
    db.close().await;

    let db = open_database(&url).await.expect("second start");
    assert_eq!(
        count_contacts(&db, demo).await.expect("count"),
        count,
        "no second seeding"
    );

    let app = spawn_with(db, dir).await;
    let page: serde_json::Value = app
        .post_form("/api/contacts/list", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["contacts"].as_array().expect("array").len(), 50);
    assert!(page["next"].is_string());
}
