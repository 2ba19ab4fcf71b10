//! Main contact links and merges over HTTP.

use serde_json::{json, Value};

use crate::helpers::{call, contact, spawn_app, Backend, TestApp};

async fn get(app: &TestApp, id: i64) -> Value {
    let (status, body) = call(
        app,
        &app.client,
        "/api/contacts/get",
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn timeline_kinds(app: &TestApp, id: i64) -> Vec<String> {
    let (_, page) = call(
        app,
        &app.client,
        "/api/timeline/list",
        &[("contact_id", &id.to_string())],
    )
    .await;
    page["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn link(app: &TestApp, id: i64, main: i64) -> (u16, Value) {
    call(
        app,
        &app.client,
        "/api/contacts/link",
        &[("id", &id.to_string()), ("main_id", &main.to_string())],
    )
    .await
}

fn message(body: &Value) -> &str {
    body["Validation"][0]["message"].as_str().unwrap_or("")
}

async fn linking_follows_the_rules_and_shows_everywhere(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let ids = app
        .add(
            company,
            &[
                contact("Maria 1", Some("+5511911110001"), None),
                contact("Maria 2", Some("+5511922220002"), None),
                contact("Maria 3", Some("+5511933330003"), None),
                contact("Outra Pessoa", Some("+5511944440004"), None),
            ],
        )
        .await;
    let (m1, m2, m3, other) = (ids[0], ids[1], ids[2], ids[3]);

    let (status, linked) = link(&app, m2, m1).await;
    assert_eq!(status, 200, "{linked}");
    assert_eq!(linked["main_contact"], json!({"id": m1, "name": "Maria 1"}));
    assert_eq!(link(&app, m3, m1).await.0, 200);
    let main = get(&app, m1).await;
    assert_eq!(
        main["linked"],
        json!([{"id": m2, "name": "Maria 2"}, {"id": m3, "name": "Maria 3"}])
    );
    assert_eq!(timeline_kinds(&app, m1).await[..2], ["linked", "linked"]);
    assert_eq!(timeline_kinds(&app, m2).await[0], "linked");

    // Refusals, each with its reason; nothing changes.
    let (status, body) = link(&app, m1, m1).await;
    assert_eq!(
        (status, message(&body)),
        (
            422,
            "Um contato não pode ser o seu próprio contato principal."
        )
    );
    let (status, body) = link(&app, other, m2).await;
    assert_eq!(status, 422, "Maria 2 is linked: not a main");
    assert!(message(&body).contains("já está vinculado"), "{body}");
    let (status, body) = link(&app, m1, other).await;
    assert_eq!(status, 422, "Maria 1 is a main");
    assert!(message(&body).contains("principal de 2 contato"), "{body}");
    assert_eq!(link(&app, m2, 999_999).await.0, 404);
    assert_eq!(get(&app, m1).await["main_contact"], Value::Null);

    // The list shows who belongs to a main; a linked number finds the main.
    let (_, page) = call(
        &app,
        &app.client,
        "/api/contacts/list",
        &[("q", "(11) 92222-0002")],
    )
    .await;
    let names: Vec<&str> = page["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Maria 1", "Maria 2"], "{page}");
    let row = page["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .find(|c| c["name"] == "Maria 2")
        .expect("row")
        .clone();
    assert_eq!(row["main_contact"], json!({"id": m1, "name": "Maria 1"}));
    let (_, page) = call(&app, &app.client, "/api/contacts/list", &[("q", "Outra")]).await;
    assert_eq!(
        page["contacts"].as_array().map(Vec::len),
        Some(1),
        "no link, no main"
    );

    // Unlink, then relink elsewhere.
    let (status, unlinked) = call(
        &app,
        &app.client,
        "/api/contacts/unlink",
        &[("id", &m3.to_string())],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(unlinked["main_contact"], Value::Null);
    assert_eq!(timeline_kinds(&app, m3).await[0], "unlinked");
    assert_eq!(timeline_kinds(&app, m1).await[0], "unlinked");
    assert_eq!(link(&app, m3, other).await.0, 200);

    // Deleting a main unlinks its members, on their timelines.
    let (status, _) = call(
        &app,
        &app.client,
        "/api/contacts/delete",
        &[("id", &m1.to_string())],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(get(&app, m2).await["main_contact"], Value::Null);
    assert_eq!(timeline_kinds(&app, m2).await[0], "unlinked");

    // Links never cross companies.
    let (b, client_b) = app.sign_up("Empresa B").await;
    let b_id = app
        .add(b, &[contact("Maria B", Some("+5521955550005"), None)])
        .await[0];
    assert_eq!(link(&app, m2, b_id).await.0, 404);
    let (status, _) = call(
        &app,
        &client_b,
        "/api/contacts/link",
        &[("id", &b_id.to_string()), ("main_id", &other.to_string())],
    )
    .await;
    assert_eq!(status, 404);
}

async fn merging_moves_everything_in_one_go(backend: Backend) {
    let owned = spawn_app(backend).await;
    let app = &owned;
    let company = app.company("Clinica").await;
    let client = &app.client;
    let (_, plan_field) = {
        let response = app
            .post_json(
                client,
                "/api/custom_fields/create",
                &json!({"draft": {"label": "Plano", "field_type": "text"}}),
            )
            .await;
        (
            response.status(),
            response.json::<Value>().await.expect("json"),
        )
    };
    assert!(plan_field["id"].is_i64(), "{plan_field}");
    let ids = app
        .add(
            company,
            &[
                app::contacts::writer::NewContact {
                    groups: vec!["VIP".into()],
                    ..contact("Maria", Some("+5511911110001"), Some("maria@x.example"))
                },
                app::contacts::writer::NewContact {
                    groups: vec!["Atacado".into()],
                    address: Some("Rua B, 2".into()),
                    ..contact("Maria Souza", Some("+5511922220002"), Some("m2@x.example"))
                },
                contact("Linked to Maria Souza", Some("+5511933330003"), None),
            ],
        )
        .await;
    let (keep, gone, member) = (ids[0], ids[1], ids[2]);
    let update = |id: i64, form: Value| {
        let body = json!({"id": id, "form": form});
        async move { app.post_json(client, "/api/contacts/update", &body).await }
    };
    assert_eq!(update(keep, json!({"name": "Maria", "phones": ["11 91111-0001"], "emails": ["maria@x.example"], "address": "Rua A, 1", "group_ids": [], "custom": {"plano": "Ouro"}})).await.status(), 200);
    // (Maria Souza keeps her groups: update only the custom value through the form with her data.)
    let gone_details = get(app, gone).await;
    let gone_groups: Vec<i64> = gone_details["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["id"].as_i64())
        .collect();
    assert_eq!(update(gone, json!({"name": "Maria Souza", "phones": ["11 92222-0002"], "emails": ["m2@x.example"], "address": "Rua B, 2", "group_ids": gone_groups, "notes": "Prefere WhatsApp", "custom": {"plano": "Prata"}})).await.status(), 200);
    assert_eq!(link(app, member, gone).await.0, 200);
    let (_, chat) = call(
        app,
        client,
        "/api/conversations/start",
        &[("contact_id", &gone.to_string()), ("channel", "whatsapp")],
    )
    .await;
    call(
        app,
        client,
        "/api/conversations/send",
        &[("id", &chat["id"].to_string()), ("text", "Olá!")],
    )
    .await;
    let (_, comment) = call(
        app,
        client,
        "/api/timeline/comment",
        &[
            ("contact_id", &gone.to_string()),
            ("text", "Cliente desde 2020"),
        ],
    )
    .await;
    assert!(comment.is_i64());
    let events_before =
        timeline_kinds(app, gone).await.len() + timeline_kinds(app, keep).await.len();

    // The plan: conflicting fields only.
    let (status, plan) = call(
        app,
        client,
        "/api/contacts/merge_plan",
        &[
            ("survivor_id", &keep.to_string()),
            ("other_id", &gone.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{plan}");
    let fields: Vec<&str> = plan["conflicts"]
        .as_array()
        .expect("conflicts")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(fields, ["name", "address", "custom:plano"]);
    let (status, _) = call(
        app,
        client,
        "/api/contacts/merge_plan",
        &[
            ("survivor_id", &keep.to_string()),
            ("other_id", &keep.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 422);

    // A bad choice is refused and changes nothing.
    let merge = |take: Value| {
        let body = json!({"survivor_id": keep, "other_id": gone, "take_other": take});
        async move { app.post_json(client, "/api/contacts/merge", &body).await }
    };
    let response = merge(json!(["phones"])).await;
    assert_eq!(response.status(), 422);
    assert_eq!(get(app, gone).await["name"], "Maria Souza", "still there");

    let response = merge(json!(["address", "custom:plano"])).await;
    assert_eq!(response.status(), 200);
    let merged: Value = response.json().await.expect("json");
    assert_eq!(merged["name"], "Maria", "the survivor's by default");
    assert_eq!(merged["address"], "Rua B, 2", "chosen");
    assert_eq!(merged["custom"][0]["value"], "Prata", "chosen");
    assert_eq!(merged["notes"], "Prefere WhatsApp", "only the other had it");
    let phones: Vec<&str> = merged["phones"]
        .as_array()
        .expect("phones")
        .iter()
        .filter_map(|p| p["e164"].as_str())
        .collect();
    assert_eq!(phones, ["+5511911110001", "+5511922220002"]);
    assert_eq!(merged["emails"], json!(["maria@x.example", "m2@x.example"]));
    let groups: Vec<&str> = merged["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert_eq!(
        groups,
        ["Atacado"],
        "Maria had none after her edit; Maria Souza's stays"
    );
    assert_eq!(
        merged["linked"],
        json!([{"id": member, "name": "Linked to Maria Souza"}]),
        "members follow"
    );

    // The other is gone; its conversation, comment and timeline moved.
    let (status, _) = call(
        app,
        client,
        "/api/contacts/get",
        &[("id", &gone.to_string())],
    )
    .await;
    assert_eq!(status, 404);
    let (_, conversations) = call(
        app,
        client,
        "/api/conversations/of_contact",
        &[("contact_id", &keep.to_string())],
    )
    .await;
    assert_eq!(conversations["conversations"][0]["id"], chat["id"]);
    assert_eq!(conversations["conversations"][0]["contact_name"], "Maria");
    let (_, page) = call(
        app,
        client,
        "/api/timeline/list",
        &[("contact_id", &keep.to_string())],
    )
    .await;
    let events = page["events"].as_array().expect("events");
    assert_eq!(events[0]["kind"], "merged");
    assert_eq!(events[0]["detail"]["other_id"], gone);
    assert_eq!(events[0]["detail"]["other_name"], "Maria Souza");
    let recorded: Vec<&str> = events[0]["detail"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["value"].as_str())
        .collect();
    assert!(
        recorded.contains(&"(11) 92222-0002") && recorded.contains(&"Prata"),
        "{recorded:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| e["detail"]["text"] == "Cliente desde 2020"),
        "the comment moved"
    );
    // Every event of both, plus the merge; the other's "created" is not an event.
    assert_eq!(events.len(), events_before - 1 + 1, "{events:?}");

    // Another company cannot merge or plan with these contacts.
    let (_, client_b) = app.sign_up("Outra").await;
    let response = app
        .post_json(
            &client_b,
            "/api/contacts/merge",
            &json!({"survivor_id": keep, "other_id": member, "take_other": []}),
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(get(app, member).await["name"], "Linked to Maria Souza");
}

crate::on_both_backends!(
    linking_follows_the_rules_and_shows_everywhere,
    merging_moves_everything_in_one_go
);
