//! One contact over HTTP: create, read, update, delete, the duplicate
//! warning, the organizations/groups pickers, and their errors.

use app::contacts::writer::NewContact;
use serde_json::{json, Value};

use crate::helpers::{sign_up_with, spawn_app, Backend, TestApp};

async fn call(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let response = app.post_json(&app.client, path, &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn form_call(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = app.post_form(path, form).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A company with an organization "Padaria Central" and groups "VIP" and
/// "Atacado"; returns their ids as the directory lists them.
async fn company_with_directory(app: &TestApp) -> (i64, Vec<i64>) {
    let company = app.company("Padaria").await;
    app.add(
        company,
        &[NewContact {
            name: "Semente".into(),
            organization: Some("Padaria Central".into()),
            groups: vec!["VIP".into(), "Atacado".into()],
            ..Default::default()
        }],
    )
    .await;
    let (status, directory) = form_call(app, "/api/contacts/directory", &[]).await;
    assert_eq!(status, 200);
    let org = directory["organizations"][0]["id"].as_i64().expect("org");
    let groups = directory["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["id"].as_i64().expect("id"))
        .collect();
    (org, groups)
}

async fn a_contact_is_created_read_updated_and_deleted(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, groups) = company_with_directory(&app).await;
    let (status, created) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {
            "name": " João  Conceição ",
            "phones": ["11 98765-4321", "", "+55 (21) 3456-7890"],
            "emails": ["Joao@Example.com"],
            "address": "Rua das Flores, 10",
            "birth_date": "15/03/1985",
            "document": "529.982.247-25",
            "gender": "male",
            "organization_id": org,
            "group_ids": groups,
            "instagram": "@joao.pao",
            "website": "joao.com.br",
            "notes": "Prefere WhatsApp."
        }}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["name"], "João Conceição");
    assert_eq!(created["phones"][0]["e164"], "+5511987654321");
    assert_eq!(created["phones"][0]["display"], "(11) 98765-4321");
    assert_eq!(created["phones"][1]["e164"], "+552134567890");
    assert_eq!(created["emails"], json!(["joao@example.com"]));
    assert_eq!(created["birth_date"], "1985-03-15");
    assert_eq!(created["document"], "529.982.247-25");
    assert_eq!(created["organization"]["name"], "Padaria Central");
    assert_eq!(created["groups"].as_array().expect("groups").len(), 2);
    assert_eq!(created["instagram"], "joao.pao");
    assert_eq!(created["website"], "https://joao.com.br");
    assert_eq!(
        created["channels"],
        json!(["whatsapp", "sms", "call", "email", "instagram"])
    );
    let id = created["id"].as_i64().expect("id");

    let (status, read) = form_call(&app, "/api/contacts/get", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200);
    assert_eq!(read, created);

    let (status, updated) = call(
        &app,
        "/api/contacts/update",
        json!({"id": id, "form": {"name": "João C.", "emails": ["joao@example.com"]}}),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "João C.");
    assert_eq!(updated["phones"], json!([]));
    assert_eq!(updated["organization"], Value::Null);
    assert_eq!(updated["groups"], json!([]));
    assert_eq!(updated["channels"], json!(["email"]));

    let (status, _) = form_call(&app, "/api/contacts/delete", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200);
    let (status, body) = form_call(&app, "/api/contacts/get", &[("id", &id.to_string())]).await;
    assert_eq!((status, body), (404, json!("NotFound")));
    let (status, _) = form_call(&app, "/api/contacts/delete", &[("id", &id.to_string())]).await;
    assert_eq!(status, 404, "deleting twice");
}

async fn bad_input_gets_one_exact_message_per_field(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let (status, body) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {
            "name": "",
            "phones": ["(11) 98765-4321", "(11) 9876-543"],
            "document": "529.982.247-24",
            "birth_date": "31/02/1990"
        }}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"Validation": [
            {"field": "name", "code": "contact_name_required",
             "message": "Informe o nome do contato."},
            {"field": "phones.1", "code": "implausible_phone", "params": {"text": "(11) 9876-543"},
             "message": "\"(11) 9876-543\" não parece um telefone: use DDD + número, ex.: (11) 98765-4321."},
            {"field": "birth_date", "code": "not_a_date", "params": {"text": "31/02/1990"},
             "message": "\"31/02/1990\" não é uma data (use DD/MM/AAAA)."},
            {"field": "document", "code": "cpf_check_digits",
             "message": "CPF inválido: os dígitos verificadores não conferem."}
        ]})
    );
    // Shape passes in the shared rules; the server's phone metadata refuses it.
    let (status, body) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Ana", "phones": ["", "(11) 1234-5678"]}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"][0]["field"], "phones.1");
    assert_eq!(body["Validation"][0]["code"], "invalid_phone");
    assert_eq!(
        body["Validation"][0]["message"],
        "\"(11) 1234-5678\" não é um telefone válido."
    );
}

/// The same refusal in the request's language: the `agenda_locale` cookie
/// (the UI's language switch) first, else `Accept-Language`; the code and
/// its parameters stay the same.
async fn errors_are_worded_in_the_requests_language(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let bad_phone = json!({"form": {"name": "Ana", "phones": ["(11) 1234-5678"]}});
    let send = |client: reqwest::Client, language: Option<&'static str>| {
        let mut request = client
            .post(format!("{}/api/contacts/create", app.base))
            .json(&bad_phone);
        if let Some(language) = language {
            request = request.header("Accept-Language", language);
        }
        async move {
            let response = request.send().await.expect("request");
            assert_eq!(response.status(), 422);
            let body: Value = response.json().await.expect("json");
            let error = &body["Validation"][0];
            assert_eq!(error["code"], "invalid_phone", "{body}");
            assert_eq!(error["params"], json!({"text": "(11) 1234-5678"}), "{body}");
            error["message"].as_str().expect("message").to_string()
        }
    };
    // A browser whose user chose a language in the UI (the cookie the
    // language switch sets).
    let ui_in = |locale: &'static str| {
        let base = app.base.clone();
        async move {
            let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
            let client = reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .build()
                .expect("client");
            sign_up_with(&client, &base, &format!("Loja {locale}")).await;
            let url: reqwest::Url = base.parse().expect("url");
            jar.add_cookie_str(&format!("agenda_locale={locale}; Path=/"), &url);
            client
        }
    };
    let english = "\"(11) 1234-5678\" is not a valid phone number.";
    let portuguese = "\"(11) 1234-5678\" não é um telefone válido.";
    let api = app.client.clone();
    assert_eq!(send(api.clone(), Some("en")).await, english);
    assert_eq!(
        send(api.clone(), Some("en-US,en;q=0.9,pt-BR;q=0.8")).await,
        english
    );
    assert_eq!(
        send(api.clone(), Some("pt-BR,pt;q=0.9,en;q=0.8")).await,
        portuguese
    );
    assert_eq!(
        send(api.clone(), Some("fr-FR, de;q=0.5")).await,
        portuguese,
        "unsupported: the default"
    );
    assert_eq!(
        send(api.clone(), Some("pt;q=0.5, en;q=0.8")).await,
        english,
        "by quality"
    );
    assert_eq!(send(api, None).await, portuguese);
    // The UI's choice wins over the browser's.
    assert_eq!(send(ui_in("en").await, Some("pt-BR")).await, english);
    assert_eq!(send(ui_in("pt-BR").await, Some("en")).await, portuguese);
}

async fn a_shared_phone_or_email_is_reported_as_a_possible_duplicate(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let (_, maria) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Maria", "phones": ["(11) 98765-4321"], "emails": ["maria@example.com"]}}),
    )
    .await;
    let maria_id = maria["id"].as_i64().expect("id");
    let (status, found) = call(
        &app,
        "/api/contacts/duplicates",
        json!({"form": {"name": "Maria 2", "phones": ["+55 11 98765 4321"], "emails": ["MARIA@example.com"]}, "except": null}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        found,
        json!([
            {"id": maria_id, "name": "Maria", "matched": "(11) 98765-4321"},
            {"id": maria_id, "name": "Maria", "matched": "maria@example.com"}
        ])
    );
    let (_, none) = call(
        &app,
        "/api/contacts/duplicates",
        json!({"form": {"name": "Maria", "phones": ["(11) 98765-4321"]}, "except": maria_id}),
    )
    .await;
    assert_eq!(none, json!([]), "a contact is not its own duplicate");
    // Saving is still allowed.
    let (status, _) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Maria 2", "phones": ["(11) 98765-4321"]}}),
    )
    .await;
    assert_eq!(status, 200);
}

async fn another_companys_contact_organization_and_groups_are_out_of_reach(backend: Backend) {
    let app = spawn_app(backend).await;
    let (org, groups) = company_with_directory(&app).await;
    let (_, created) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Ana"}}),
    )
    .await;
    let id = created["id"].as_i64().expect("id");

    let (_, other) = app.sign_up("Outra").await;
    let post = |path: &'static str, body: Value| {
        let other = other.clone();
        let app = &app;
        async move {
            let response = app.post_json(&other, path, &body).await;
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, _) = post(
        "/api/contacts/update",
        json!({"id": id, "form": {"name": "Hack"}}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = post(
        "/api/contacts/create",
        json!({"form": {"name": "X", "organization_id": org}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"][0]["field"], "organization_id");
    let (status, body) = post(
        "/api/contacts/create",
        json!({"form": {"name": "X", "group_ids": [groups[0]]}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"][0]["field"], "group_ids");
    let (_, read) = form_call(&app, "/api/contacts/get", &[("id", &id.to_string())]).await;
    assert_eq!(read["name"], "Ana", "untouched");
}

/// With `AGENDA_SERVER_TIMING` (on in the test servers), a save tells
/// where its time went: waiting to begin its write transaction, the
/// transaction itself, the whole handler.
async fn a_save_reports_its_database_time_in_server_timing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Cronometrada").await;
    let response = app
        .post_json(
            &app.client,
            "/api/contacts/create",
            &json!({"form": {"name": "Ana Souza", "phones": ["11 98765-4321"]}}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let header = response
        .headers()
        .get("server-timing")
        .expect("a Server-Timing header")
        .to_str()
        .expect("text")
        .to_string();
    assert!(header.contains("desc=\"1 transactions\""), "{header}");
    let metrics: std::collections::HashMap<_, _> =
        server::timing::parse(&header).into_iter().collect();
    assert!(metrics["db-write"] > 0.0, "{header}");
    assert!(
        metrics["total"] >= metrics["db-write"] + metrics["db-begin"],
        "{header}"
    );
    // A page that writes nothing: no transaction.
    let health = app.get("/healthz").await;
    let header = health.headers()["server-timing"].to_str().expect("text");
    assert!(
        header.contains("db-write;dur=0.0;desc=\"0 transactions\""),
        "{header}"
    );
}

crate::on_both_backends!(
    a_save_reports_its_database_time_in_server_timing,
    a_contact_is_created_read_updated_and_deleted,
    bad_input_gets_one_exact_message_per_field,
    errors_are_worded_in_the_requests_language,
    a_shared_phone_or_email_is_reported_as_a_possible_duplicate,
    another_companys_contact_organization_and_groups_are_out_of_reach,
);
