use serde_json::Value;

use crate::helpers::{contact, spawn_app, Backend, TestApp};

async fn list(app: &TestApp, form: &[(&str, &str)]) -> Value {
    let response = app.post_form("/api/contacts/list", form).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    response.json().await.expect("json")
}

fn names(page: &Value) -> Vec<String> {
    page["contacts"]
        .as_array()
        .expect("contacts array")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect()
}

async fn the_list_is_in_accent_insensitive_name_order_with_channels_and_formatted_phones(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    app.add(
        company,
        &[
            contact("Zélia Duarte", None, Some("zelia@example.com")),
            contact("Álvaro Souza", Some("+5511987654321"), None),
            contact(
                "Bruno Lima",
                Some("+552134567890"),
                Some("bruno@example.com"),
            ),
        ],
    )
    .await;

    let page = list(&app, &[]).await;
    assert_eq!(names(&page), ["Álvaro Souza", "Bruno Lima", "Zélia Duarte"]);
    let alvaro = &page["contacts"][0];
    assert_eq!(alvaro["phone"], "(11) 98765-4321");
    assert_eq!(alvaro["phone_e164"], "+5511987654321");
    assert_eq!(
        alvaro["channels"],
        serde_json::json!(["whatsapp", "sms", "call"])
    );
    assert_eq!(
        page["contacts"][1]["channels"],
        serde_json::json!(["whatsapp", "sms", "call", "email"])
    );
    assert_eq!(
        page["contacts"][2]["channels"],
        serde_json::json!(["email"])
    );
    assert!(page["next"].is_null());
}

async fn search_finds_names_without_accents_or_case(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    app.add(
        company,
        &[
            contact("João Conceição", None, None),
            contact("Maria Silva", None, None),
        ],
    )
    .await;
    for query in ["joao", "JOÃO", "conceicao", "  João   Conceição "] {
        assert_eq!(
            names(&list(&app, &[("q", query)]).await),
            ["João Conceição"],
            "{query}"
        );
    }
}

async fn search_finds_a_phone_typed_in_any_format(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    app.add(
        company,
        &[
            contact("Ana", Some("+5511987654321"), None),
            contact("Beto", Some("+5521912345678"), None),
        ],
    )
    .await;
    for query in [
        "(11) 98765-4321",
        "+55 11 98765-4321",
        "11987654321",
        "987654321",
    ] {
        assert_eq!(
            names(&list(&app, &[("q", query)]).await),
            ["Ana"],
            "{query}"
        );
    }
}

async fn search_finds_an_email_or_a_contact_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let ids = app
        .add(
            company,
            &[
                contact("Ana", None, Some("ana.souza@empresa.com.br")),
                contact("Beto", None, None),
            ],
        )
        .await;
    assert_eq!(names(&list(&app, &[("q", "ana.souza@")]).await), ["Ana"]);
    let beto = ids[1].to_string();
    assert_eq!(names(&list(&app, &[("q", &beto)]).await), ["Beto"]);
}

async fn like_wildcards_in_a_search_are_taken_literally(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    app.add(
        company,
        &[contact("Ana", None, None), contact("100% Beto", None, None)],
    )
    .await;
    assert_eq!(names(&list(&app, &[("q", "%")]).await), ["100% Beto"]);
    assert!(names(&list(&app, &[("q", "_")]).await).is_empty());
}

async fn keyset_pages_cover_every_contact_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    // Equal names make the id the tie-breaker of the cursor.
    let contacts: Vec<_> = (0..25)
        .map(|i| contact(if i % 3 == 0 { "Mesmo Nome" } else { "Outro" }, None, None))
        .chain((0..5).map(|i| contact(&format!("Pessoa {i:02}"), None, None)))
        .collect();
    let ids = app.add(company, &contacts).await;

    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page = list(&app, &[("limit", "7"), ("after", &after)]).await;
        let batch = page["contacts"].as_array().expect("array");
        assert!(batch.len() <= 7);
        seen.extend(batch.iter().map(|c| c["id"].as_i64().expect("id")));
        match page["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    let mut expected = ids.clone();
    expected.sort();
    let mut got = seen.clone();
    got.sort();
    assert_eq!(got, expected, "every contact exactly once");
}

async fn a_malformed_cursor_is_refused_with_a_field_error(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let response = app
        .post_form("/api/contacts/list", &[("after", "not-a-cursor")])
        .await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.expect("json");
    assert_eq!(error["Validation"][0]["field"], "after");
}

async fn an_overlong_search_is_refused_with_a_field_error(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let long = "a".repeat(201);
    let response = app.post_form("/api/contacts/list", &[("q", &long)]).await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.expect("json");
    assert_eq!(error["Validation"][0]["field"], "q");
}

async fn a_malformed_argument_is_a_bad_request(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let response = app
        .post_form("/api/contacts/list", &[("limit", "many")])
        .await;
    assert_eq!(response.status(), 400);
}

async fn the_list_endpoint_only_accepts_post(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let response = app.get("/api/contacts/list").await;
    assert_eq!(response.status(), 405);
}

async fn another_companys_contacts_never_appear(backend: Backend) {
    let app = spawn_app(backend).await;
    let mine = app.company("Minha Empresa").await;
    let theirs = app.company("Outra Empresa").await;
    app.add(mine, &[contact("Ana Minha", Some("+5511987654321"), None)])
        .await;
    let their_ids = app
        .add(
            theirs,
            &[contact(
                "Ana Deles",
                Some("+5511987654321"),
                Some("ana@deles.com"),
            )],
        )
        .await;
    assert_eq!(names(&list(&app, &[]).await), ["Ana Minha"]);
    assert_eq!(names(&list(&app, &[("q", "ana")]).await), ["Ana Minha"]);
    assert!(names(&list(&app, &[("q", "ana@deles")]).await).is_empty());
    assert!(names(&list(&app, &[("q", &their_ids[0].to_string())]).await).is_empty());
}

async fn an_anonymous_caller_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let response = app
        .post_as(&app.anonymous(), "/api/contacts/list", &[])
        .await;
    assert_eq!(response.status(), 401);
    let error: Value = response.json().await.expect("json");
    assert_eq!(error, serde_json::json!("Unauthorized"));
}

crate::on_both_backends!(
    the_list_is_in_accent_insensitive_name_order_with_channels_and_formatted_phones,
    search_finds_names_without_accents_or_case,
    search_finds_a_phone_typed_in_any_format,
    search_finds_an_email_or_a_contact_id,
    like_wildcards_in_a_search_are_taken_literally,
    keyset_pages_cover_every_contact_once,
    a_malformed_cursor_is_refused_with_a_field_error,
    an_overlong_search_is_refused_with_a_field_error,
    a_malformed_argument_is_a_bad_request,
    the_list_endpoint_only_accepts_post,
    another_companys_contacts_never_appear,
    an_anonymous_caller_is_refused,
);
