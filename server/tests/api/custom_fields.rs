//! Custom fields over HTTP: definitions (create, change, reorder, delete),
//! options (add, rename, retire), values through the contact form, type
//! changes refused or converted, list filters and the search by CPF.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Backend, TestApp};

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

/// Creates a field; returns it as the API answers.
async fn create_field(app: &TestApp, draft: Value) -> Value {
    let (status, field) = call(app, "/api/custom_fields/create", json!({ "draft": draft })).await;
    assert_eq!(status, 200, "{field}");
    field
}

/// The field messages of a validation error.
fn errors(body: &Value) -> Vec<(String, String)> {
    body["Validation"]
        .as_array()
        .unwrap_or_else(|| panic!("not a validation error: {body}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn names(page: &Value) -> Vec<String> {
    page["contacts"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn fields_are_defined_ordered_changed_and_deleted(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let cpf = create_field(
        &app,
        json!({"label": "CPF do titular", "field_type": "cpf", "required": true}),
    )
    .await;
    assert_eq!(cpf["key"], "cpf_do_titular");
    assert_eq!(cpf["used_by"], 0);
    let plan = create_field(
        &app,
        json!({"label": "Plano", "key": "plano", "field_type": "single_select", "options": ["Ouro", "Prata", ""]}),
    )
    .await;
    let labels: Vec<&str> = plan["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["label"].as_str())
        .collect();
    assert_eq!(labels, ["Ouro", "Prata"]);

    // Bad drafts: each problem names its field.
    let (status, body) = call(
        &app,
        "/api/custom_fields/create",
        json!({"draft": {"label": "cpf do TITULAR", "key": "Bad Key", "field_type": "robot"}}),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<String> = errors(&body).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["label", "key", "field_type"]);
    let (status, body) = call(
        &app,
        "/api/custom_fields/create",
        json!({"draft": {"label": "Outro", "key": "plano", "field_type": "text"}}),
    )
    .await;
    assert_eq!((status, errors(&body)[0].0.as_str()), (422, "key"));

    // Order: created last goes last; arrows swap.
    let (_, list) = form_call(&app, "/api/custom_fields/list", &[]).await;
    let keys = |list: &Value| -> Vec<String> {
        list.as_array()
            .expect("list")
            .iter()
            .map(|f| f["key"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(keys(&list), ["cpf_do_titular", "plano"]);
    assert_eq!(
        list[0]["used_by"],
        Value::Null,
        "the public list does not count"
    );
    let plan_id = plan["id"].to_string();
    let (status, _) = form_call(
        &app,
        "/api/custom_fields/move",
        &[("id", &plan_id), ("up", "true")],
    )
    .await;
    assert_eq!(status, 200);
    let (_, list) = form_call(&app, "/api/custom_fields/list", &[]).await;
    assert_eq!(keys(&list), ["plano", "cpf_do_titular"]);

    // Rename keeps the key; options are added, renamed, retired.
    let (status, changed) = call(
        &app,
        "/api/custom_fields/update",
        json!({"id": plan["id"], "draft": {"label": "Plano contratado", "field_type": "single_select", "help": "Do contrato"}}),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (changed["label"].as_str(), changed["key"].as_str()),
        (Some("Plano contratado"), Some("plano"))
    );
    let (status, with_bronze) = form_call(
        &app,
        "/api/custom_fields/add_option",
        &[("field_id", &plan_id), ("label", "Bronze")],
    )
    .await;
    assert_eq!(status, 200, "{with_bronze}");
    let (status, body) = form_call(
        &app,
        "/api/custom_fields/add_option",
        &[("field_id", &plan_id), ("label", "OURO")],
    )
    .await;
    assert_eq!(
        (status, errors(&body)[0].1.as_str()),
        (422, "Esta opção já existe.")
    );
    let ouro = with_bronze["options"][0]["id"].to_string();
    let (status, renamed) = form_call(
        &app,
        "/api/custom_fields/rename_option",
        &[
            ("field_id", &plan_id),
            ("option_id", &ouro),
            ("label", "Ouro Plus"),
        ],
    )
    .await;
    assert_eq!(
        (status, renamed["options"][0]["label"].as_str()),
        (200, Some("Ouro Plus"))
    );
    let (status, retired) = form_call(
        &app,
        "/api/custom_fields/retire_option",
        &[
            ("field_id", &plan_id),
            ("option_id", &ouro),
            ("retired", "true"),
        ],
    )
    .await;
    assert_eq!(
        (status, retired["options"][0]["retired"].as_bool()),
        (200, Some(true))
    );

    // Delete removes the field and its values.
    let cpf_id = cpf["id"].to_string();
    let (status, _) = form_call(&app, "/api/custom_fields/delete", &[("id", &cpf_id)]).await;
    assert_eq!(status, 200);
    let (_, list) = form_call(&app, "/api/custom_fields/list", &[]).await;
    assert_eq!(keys(&list), ["plano"]);
    let (status, _) = form_call(&app, "/api/custom_fields/delete", &[("id", &cpf_id)]).await;
    assert_eq!(status, 404);
}

async fn contacts_hold_typed_values_checked_like_the_browser_does(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let cpf = create_field(
        &app,
        json!({"label": "CPF", "key": "cpf_cliente", "field_type": "cpf", "required": true}),
    )
    .await;
    create_field(&app, json!({"label": "Limite", "field_type": "currency"})).await;
    create_field(
        &app,
        json!({"label": "Adesão", "key": "adesao", "field_type": "date"}),
    )
    .await;
    create_field(
        &app,
        json!({"label": "WhatsApp comercial", "key": "whats", "field_type": "phone"}),
    )
    .await;
    let tags = create_field(&app, json!({"label": "Interesses", "field_type": "multi_select", "options": ["Pães", "Bolos", "Doces"]})).await;
    let option = |i: usize| tags["options"][i]["id"].as_i64().expect("option");

    // Invalid CPF, missing required, bad date: one message per field.
    let (status, body) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Ana", "custom": {"cpf_cliente": "529.982.247-24", "adesao": "31/02/2024", "cor": "azul"}}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        errors(&body),
        [
            (
                "custom.cor".to_string(),
                "O campo \"cor\" não existe.".to_string()
            ),
            (
                "custom.cpf_cliente".to_string(),
                "CPF inválido: os dígitos verificadores não conferem.".to_string()
            ),
            (
                "custom.adesao".to_string(),
                "\"31/02/2024\" não é uma data válida (use DD/MM/AAAA).".to_string()
            ),
        ]
    );
    let (status, body) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Ana"}}),
    )
    .await;
    assert_eq!(
        (status, errors(&body)[0].0.as_str()),
        (422, "custom.cpf_cliente")
    );
    assert!(errors(&body)[0].1.contains("obrigatório"), "{body}");

    let (status, created) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Ana", "custom": {
            "cpf_cliente": "52998224725",
            "limite": "R$ 1.234,5",
            "adesao": "15/03/2024",
            "whats": "(11) 3456-7890",
            "interesses": format!("{},{}", option(2), option(0)),
        }}}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let by_key = |details: &Value, key: &str| -> Value {
        details["custom"]
            .as_array()
            .expect("custom")
            .iter()
            .find(|v| v["key"] == key)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(by_key(&created, "cpf_cliente")["value"], "52998224725");
    assert_eq!(by_key(&created, "limite")["value"], "1234.50");
    assert_eq!(by_key(&created, "adesao")["value"], "2024-03-15");
    assert_eq!(by_key(&created, "whats")["value"], "(11) 3456-7890");
    let interests = by_key(&created, "interesses");
    let chosen: Vec<&str> = interests["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["label"].as_str())
        .collect();
    assert_eq!(chosen, ["Pães", "Doces"], "in option order");

    // A retired option stays on the contact that has it, and cannot be added to another.
    let field_id = tags["id"].to_string();
    let doces = option(2).to_string();
    form_call(
        &app,
        "/api/custom_fields/retire_option",
        &[
            ("field_id", &field_id),
            ("option_id", &doces),
            ("retired", "true"),
        ],
    )
    .await;
    let id = created["id"].as_i64().expect("id");
    let keep = json!({"id": id, "form": {"name": "Ana Maria", "custom": {"cpf_cliente": "529.982.247-25", "interesses": doces}}});
    let (status, updated) = call(&app, "/api/contacts/update", keep).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        by_key(&updated, "limite"),
        Value::Null,
        "an emptied value is removed"
    );
    let (status, body) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Bia", "custom": {"cpf_cliente": "111.444.777-35", "interesses": doces}}}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(errors(&body)[0].1.contains("desativada"), "{body}");

    // The CPF is found by the search box in any format; the overview counts values.
    for q in ["529.982.247-25", "52998224725", "982.247"] {
        let (status, page) = form_call(&app, "/api/contacts/list", &[("q", q)]).await;
        assert_eq!(
            (status, names(&page)),
            (200, vec!["Ana Maria".to_string()]),
            "q={q}"
        );
    }
    let (_, overview) = form_call(&app, "/api/custom_fields/overview", &[]).await;
    let cpf_row = overview
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["id"] == cpf["id"])
        .cloned()
        .expect("cpf");
    assert_eq!(cpf_row["used_by"], 1);

    // Deleting the field drops its digits from the search.
    let cpf_id = cpf["id"].to_string();
    form_call(&app, "/api/custom_fields/delete", &[("id", &cpf_id)]).await;
    let (_, page) = form_call(&app, "/api/contacts/list", &[("q", "52998224725")]).await;
    assert_eq!(names(&page), Vec::<String>::new());
    let (_, details) = form_call(&app, "/api/contacts/get", &[("id", &id.to_string())]).await;
    assert_eq!(by_key(&details, "cpf_cliente"), Value::Null);
}

async fn a_type_change_converts_every_value_or_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let code = create_field(
        &app,
        json!({"label": "Código", "key": "codigo", "field_type": "text"}),
    )
    .await;
    for (name, value) in [("Ana", "42"), ("Bia", "1.500")] {
        let (status, body) = call(
            &app,
            "/api/contacts/create",
            json!({"form": {"name": name, "custom": {"codigo": value}}}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, converted) = call(
        &app,
        "/api/custom_fields/update",
        json!({"id": code["id"], "draft": {"label": "Código", "field_type": "integer"}}),
    )
    .await;
    assert_eq!(status, 200, "{converted}");
    assert_eq!(converted["field_type"], "integer");
    let field = code["id"].to_string();
    let (_, page) = form_call(
        &app,
        "/api/contacts/list",
        &[("field", &field), ("min", "100")],
    )
    .await;
    assert_eq!(names(&page), ["Bia"], "\"1.500\" became 1500");

    call(
        &app,
        "/api/custom_fields/update",
        json!({"id": code["id"], "draft": {"label": "Código", "field_type": "text"}}),
    )
    .await;
    let (status, body) = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Caio", "custom": {"codigo": "A-7"}}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        &app,
        "/api/custom_fields/update",
        json!({"id": code["id"], "draft": {"label": "Código", "field_type": "integer"}}),
    )
    .await;
    assert_eq!(status, 422);
    let (field_name, message) = errors(&body).remove(0);
    assert_eq!(field_name, "field_type");
    assert!(
        message
            .starts_with("1 contato(s) têm valores que não servem para o novo tipo (ex.: \"A-7\")"),
        "{message}"
    );
    let (_, list) = form_call(&app, "/api/custom_fields/list", &[]).await;
    assert_eq!(list[0]["field_type"], "text", "nothing changed");

    let (status, body) = call(
        &app,
        "/api/custom_fields/update",
        json!({"id": code["id"], "draft": {"label": "Código", "field_type": "single_select"}}),
    )
    .await;
    assert_eq!((status, errors(&body)[0].0.as_str()), (422, "field_type"));

    // Multi to single: refused while a contact has two options.
    let tags = create_field(
        &app,
        json!({"label": "Tags", "field_type": "multi_select", "options": ["A", "B"]}),
    )
    .await;
    let both = format!("{},{}", tags["options"][0]["id"], tags["options"][1]["id"]);
    call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Duda", "custom": {"tags": both}}}),
    )
    .await;
    let (status, body) = call(
        &app,
        "/api/custom_fields/update",
        json!({"id": tags["id"], "draft": {"label": "Tags", "field_type": "single_select"}}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(errors(&body)[0].1.contains("mais de uma opção"), "{body}");
}

async fn the_list_filters_by_custom_values(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let birthday = create_field(
        &app,
        json!({"label": "Aniversário", "key": "aniversario", "field_type": "date"}),
    )
    .await;
    let vip = create_field(
        &app,
        json!({"label": "VIP", "key": "vip", "field_type": "yes_no"}),
    )
    .await;
    let plan = create_field(
        &app,
        json!({"label": "Plano", "field_type": "single_select", "options": ["Ouro", "Prata"]}),
    )
    .await;
    let score = create_field(&app, json!({"label": "Pontos", "field_type": "decimal"})).await;
    let city = create_field(&app, json!({"label": "Cidade", "field_type": "text"})).await;
    let ouro = plan["options"][0]["id"].to_string();
    for (name, date, is_vip, option, points, town) in [
        ("Ana", "10/11/1990", "sim", &ouro, "10,5", "São Paulo"),
        ("Bia", "02/03/1985", "não", &ouro, "99", "Campinas"),
        (
            "Caio",
            "25/11/2001",
            "sim",
            &String::new(),
            "1.000",
            "SAO PAULO",
        ),
    ] {
        let (status, body) = call(
            &app,
            "/api/contacts/create",
            json!({"form": {"name": name, "custom": {"aniversario": date, "vip": is_vip, "plano": option, "pontos": points, "cidade": town}}}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let list = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, page) = form_call(app, "/api/contacts/list", &form).await;
            assert_eq!(status, 200, "{form:?}: {page}");
            names(&page)
        }
    };
    let id = |field: &Value| field["id"].to_string();
    assert_eq!(
        list(vec![("field", id(&birthday)), ("month", "11".into())]).await,
        ["Ana", "Caio"]
    );
    assert_eq!(
        list(vec![
            ("field", id(&birthday)),
            ("min", "1985-01-01".into()),
            ("max", "10/11/1990".into())
        ])
        .await,
        ["Ana", "Bia"]
    );
    assert_eq!(
        list(vec![("field", id(&vip)), ("value", "true".into())]).await,
        ["Ana", "Caio"]
    );
    assert_eq!(
        list(vec![("field", id(&plan)), ("value", ouro.clone())]).await,
        ["Ana", "Bia"]
    );
    assert_eq!(
        list(vec![("field", id(&score)), ("min", "50".into())]).await,
        ["Bia", "Caio"]
    );
    assert_eq!(
        list(vec![
            ("field", id(&score)),
            ("max", "99,0".into()),
            ("min", "10,5".into())
        ])
        .await,
        ["Ana", "Bia"]
    );
    assert_eq!(
        list(vec![("field", id(&city)), ("value", "são paulo".into())]).await,
        ["Ana", "Caio"],
        "text equality ignores case and accents"
    );
    assert_eq!(
        list(vec![
            ("field", id(&city)),
            ("value", "sao paulo".into()),
            ("q", "cai".into())
        ])
        .await,
        ["Caio"],
        "with a search"
    );

    // Bad filters say which input is wrong.
    let (status, body) = form_call(
        &app,
        "/api/contacts/list",
        &[("field", &id(&score)), ("min", "muito")],
    )
    .await;
    assert_eq!((status, errors(&body)[0].0.as_str()), (422, "min"));
    let (status, body) = form_call(
        &app,
        "/api/contacts/list",
        &[("field", &id(&vip)), ("month", "3")],
    )
    .await;
    assert_eq!((status, errors(&body)[0].0.as_str()), (422, "month"));
    let (status, body) = form_call(&app, "/api/contacts/list", &[("field", "999999")]).await;
    assert_eq!((status, errors(&body)[0].0.as_str()), (422, "field"));
}

/// Every validator answers with a code: custom fields (a definition, a
/// value, a filter), comments, conversations and the directory, each worded
/// in English for an English request and in Portuguese by default.
async fn refusals_everywhere_have_codes_and_both_languages(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    create_field(&app, json!({"label": "CPF", "field_type": "cpf"})).await;
    let contact = app
        .post_json(
            &app.client,
            "/api/contacts/create",
            &json!({"form": {"name": "Ana"}}),
        )
        .await;
    assert_eq!(contact.status(), 200);
    let contact: Value = contact.json().await.expect("json");
    let id = contact["id"].to_string();
    // (path, JSON body or form, expected field, code, English words)
    type Case<'a> = (
        &'a str,
        Result<Value, Vec<(&'a str, String)>>,
        &'a str,
        &'a str,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "/api/custom_fields/create",
            Ok(json!({"draft": {"label": " ", "field_type": "text"}})),
            "label",
            "name_required",
            "Enter the name.",
        ),
        (
            "/api/contacts/create",
            Ok(json!({"form": {"name": "Bia", "custom": {"cpf": "1234"}}})),
            "custom.cpf",
            "cpf_length",
            "Enter a CPF with 11 digits.",
        ),
        (
            "/api/timeline/comment",
            Err(vec![("contact_id", id.clone()), ("text", "   ".into())]),
            "text",
            "comment_required",
            "Write the comment.",
        ),
        (
            "/api/directory/create",
            Err(vec![("kind", "organization".into()), ("name", " ".into())]),
            "name",
            "name_required",
            "Enter the name.",
        ),
    ];
    for (path, body, field, code, english) in cases {
        for language in ["en", "pt-BR"] {
            let request = app
                .client
                .post(format!("{}{path}", app.base))
                .header("Accept-Language", language);
            let request = match &body {
                Ok(json) => request.json(json),
                Err(form) => request.form(form),
            };
            let response = request.send().await.expect("request");
            assert_eq!(response.status(), 422, "{path}");
            let body: Value = response.json().await.expect("json");
            let error = &body["Validation"][0];
            assert_eq!(error["field"], field, "{path}: {body}");
            assert_eq!(error["code"], code, "{path}: {body}");
            let message = error["message"].as_str().expect("message");
            if language == "en" {
                assert_eq!(message, english, "{path}");
            } else {
                assert_ne!(message, english, "{path}: Portuguese by default");
            }
        }
    }
}

crate::on_both_backends!(
    fields_are_defined_ordered_changed_and_deleted,
    contacts_hold_typed_values_checked_like_the_browser_does,
    a_type_change_converts_every_value_or_is_refused,
    the_list_filters_by_custom_values,
    refusals_everywhere_have_codes_and_both_languages
);
