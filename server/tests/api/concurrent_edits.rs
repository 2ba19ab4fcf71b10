//! Optimistic concurrency on contacts: two users save from the same
//! snapshot, a merge planned before a change, and the timeline's "old"
//! values always those of the version replaced.

use serde_json::{json, Value};

use crate::helpers::{contact, join_as_agent, spawn_app, Backend, TestApp};

async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(app: &TestApp, id: i64) -> Value {
    let id = id.to_string();
    let (status, body) = read(
        app.post_as(&app.client, "/api/contacts/get", &[("id", id.as_str())])
            .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    name: &str,
    version: Option<i64>,
) -> (u16, Value) {
    let body = json!({"id": id, "form": {"name": name, "phones": ["(11) 98765-4321"]}, "version": version});
    read(app.post_json(client, "/api/contacts/update", &body).await).await
}

/// The contact's "edited" events, newest first, as (old name, new name).
async fn name_edits(app: &TestApp, id: i64) -> Vec<(String, String)> {
    let id = id.to_string();
    let (_, page) = read(
        app.post_as(
            &app.client,
            "/api/timeline/list",
            &[("contact_id", id.as_str())],
        )
        .await,
    )
    .await;
    page["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "edited")
        .filter_map(|e| {
            let change = e["detail"]["changes"]
                .as_array()?
                .iter()
                .find(|c| c["field"] == "name")?
                .clone();
            Some((
                change["old"].as_str()?.to_string(),
                change["new"].as_str()?.to_string(),
            ))
        })
        .collect()
}

async fn a_save_from_a_stale_form_is_refused_and_says_who_changed_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let bia = join_as_agent(&app, &app.client, "Bia Souza", "bia@padaria.example").await;
    let id = app
        .add(company, &[contact("Maria", Some("+5511987654321"), None)])
        .await[0];
    let read_at = get(&app, id).await["version"].as_i64().expect("version");

    // Bia and the admin opened the same form; Bia saves first.
    let (status, saved) = save(&app, &bia, id, "Maria Bia", Some(read_at)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["version"], read_at + 1);
    assert_eq!(saved["updated_by"], "Bia Souza");

    // The admin's save from the old snapshot is refused; Bia's stays.
    let (status, body) = save(&app, &app.client, id, "Maria Admin", Some(read_at)).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["Stale"]["by"], "Bia Souza", "{body}");
    assert_eq!(body["Stale"]["at"], saved["updated_at"], "{body}");
    let now = get(&app, id).await;
    assert_eq!(now["name"], "Maria Bia");
    assert_eq!(
        name_edits(&app, id).await,
        [("Maria".to_string(), "Maria Bia".to_string())]
    );

    // Reloaded, the admin's save goes through and its "old" is Bia's value.
    let (status, body) = save(
        &app,
        &app.client,
        id,
        "Maria Admin",
        now["version"].as_i64(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["updated_by"], "Admin");
    // Without a version (an API client that does not send one) the save
    // replaces whatever is there, and its diff is still of the version replaced.
    let (status, _) = save(&app, &bia, id, "Maria Final", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        name_edits(&app, id).await,
        [
            ("Maria Admin".to_string(), "Maria Final".to_string()),
            ("Maria Bia".to_string(), "Maria Admin".to_string()),
            ("Maria".to_string(), "Maria Bia".to_string()),
        ]
    );
    // Another company's version numbers change nothing here: a missing contact.
    let (status, _) = save(&app, &bia, id + 1_000, "X", Some(1)).await;
    assert_eq!(status, 404);
}

async fn the_write_happens_only_at_the_version_its_change_was_worked_out_from(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let id = app
        .add(company, &[contact("Maria", Some("+5511987654321"), None)])
        .await[0];
    let version = get(&app, id).await["version"].as_i64().expect("version");
    let form = app::contacts::form::ContactForm {
        name: "Maria Nova".into(),
        ..Default::default()
    };
    let stored = app::contacts::store::prepare_contact(
        &form,
        &[],
        &|_| Vec::new(),
        chrono::Utc::now().date_naive(),
        app::contacts::store::Strictness::Form,
    )
    .expect("valid");
    let event = app::timeline::repo::NewEvent::new(
        app::ids::ContactId::new(id),
        app::timeline::model::EventKind::Edited,
        None,
    );
    // Another write landed since the change was worked out: nothing written.
    let outcome = app::contacts::repo::update_contact(
        &app.db,
        company,
        app::ids::ContactId::new(id),
        &stored,
        Some(&event),
        version - 1,
        1,
    )
    .await;
    assert!(
        matches!(outcome, Err(app::contacts::writer::SaveError::Stale)),
        "{outcome:?}"
    );
    let now = get(&app, id).await;
    assert_eq!(
        (now["name"].as_str(), now["version"].as_i64()),
        (Some("Maria"), Some(version))
    );
    assert!(
        name_edits(&app, id).await.is_empty(),
        "no timeline event either"
    );
    // At its version it is written, once.
    app::contacts::repo::update_contact(
        &app.db,
        company,
        app::ids::ContactId::new(id),
        &stored,
        None,
        version,
        1,
    )
    .await
    .expect("update");
    assert_eq!(get(&app, id).await["version"], version + 1);
    let missing = app::contacts::repo::update_contact(
        &app.db,
        company,
        app::ids::ContactId::new(id + 1_000),
        &stored,
        None,
        1,
        1,
    )
    .await;
    assert!(matches!(
        missing,
        Err(app::contacts::writer::SaveError::NotFound)
    ));
}

async fn a_merge_planned_before_a_change_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let ids = app
        .add(
            company,
            &[
                contact("Maria", Some("+5511987654321"), None),
                contact("Maria S.", Some("+5511912345678"), None),
            ],
        )
        .await;
    // The versions of the plan the agent chooses from.
    let planned = || async {
        let (survivor, other) = (ids[0].to_string(), ids[1].to_string());
        let form = [
            ("survivor_id", survivor.as_str()),
            ("other_id", other.as_str()),
        ];
        let (status, plan) = read(
            app.post_as(&app.client, "/api/contacts/merge_plan", &form)
                .await,
        )
        .await;
        assert_eq!(status, 200, "{plan}");
        (
            plan["survivor"]["version"].clone(),
            plan["other"]["version"].clone(),
        )
    };
    let versions = planned().await;

    // Someone edits the contact that would be deleted after the plan was read.
    let bia = join_as_agent(&app, &app.client, "Bia Souza", "bia@padaria.example").await;
    let (status, _) = save(&app, &bia, ids[1], "Maria Silva", versions.1.as_i64()).await;
    assert_eq!(status, 200);
    let (first, second) = (ids[0], ids[1]);
    let merge = |versions: (Value, Value)| {
        let app = &app;
        async move {
            let body = json!({"survivor_id": first, "other_id": second, "take_other": ["name"],
                              "survivor_version": versions.0, "other_version": versions.1});
            read(
                app.post_json(&app.client, "/api/contacts/merge", &body)
                    .await,
            )
            .await
        }
    };
    let (status, body) = merge(versions.clone()).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["Stale"]["by"], "Bia Souza", "{body}");
    assert_eq!(
        get(&app, ids[1]).await["name"],
        "Maria Silva",
        "nothing merged"
    );
    assert_eq!(get(&app, ids[0]).await["name"], "Maria");

    // From the plan as it is now, the merge goes through.
    let (status, merged) = merge(planned().await).await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(
        merged["name"], "Maria Silva",
        "the agent took the other's name"
    );
}

async fn an_admins_directory_or_field_change_makes_an_open_form_stale(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let id = app
        .add(
            company,
            &[app::contacts::writer::NewContact {
                groups: vec!["Clientes VIP".into()],
                ..contact("Maria", Some("+5511987654321"), None)
            }],
        )
        .await[0];

    // The group the form shows is deleted: the form is stale.
    let opened = get(&app, id).await;
    let group = opened["groups"][0]["id"].to_string();
    let (status, body) = read(
        app.post_as(
            &app.client,
            "/api/directory/delete",
            &[("kind", "group"), ("id", group.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = save(&app, &app.client, id, "Maria", opened["version"].as_i64()).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["Stale"]["by"],
        Value::Null,
        "an admin's directory change, not a save"
    );

    // The custom field it holds is deleted: stale again.
    let (status, field) = read(
        app.post_json(
            &app.client,
            "/api/custom_fields/create",
            &json!({"draft": {"label": "Apelido", "field_type": "text"}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{field}");
    let version = get(&app, id).await["version"].clone();
    let body = json!({"id": id, "version": version,
                      "form": {"name": "Maria", "phones": ["(11) 98765-4321"], "custom": {"apelido": "Mari"}}});
    let (status, saved) = read(
        app.post_json(&app.client, "/api/contacts/update", &body)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let field_id = field["id"].to_string();
    let (status, _) = read(
        app.post_as(
            &app.client,
            "/api/custom_fields/delete",
            &[("id", field_id.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = save(&app, &app.client, id, "Maria", saved["version"].as_i64()).await;
    assert_eq!(status, 409, "{body}");
    let opened = get(&app, id).await;
    let (status, _) = save(&app, &app.client, id, "Maria", opened["version"].as_i64()).await;
    assert_eq!(status, 200, "reloaded, the save goes through");
}

crate::on_both_backends!(
    an_admins_directory_or_field_change_makes_an_open_form_stale,
    a_save_from_a_stale_form_is_refused_and_says_who_changed_it,
    the_write_happens_only_at_the_version_its_change_was_worked_out_from,
    a_merge_planned_before_a_change_is_refused,
);
