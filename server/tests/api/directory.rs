//! Organizations and groups over HTTP: the admin's management functions
//! (create, rename, delete) and the contact list's filters by them.

use app::contacts::writer::NewContact;
use serde_json::Value;

use crate::helpers::{contact_names, spawn_app, Backend, TestApp};

async fn call(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = app.post_form(path, form).await;
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn names(list: &Value) -> Vec<(String, i64)> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().expect("name").to_string(),
                e["contacts"].as_i64().expect("count"),
            )
        })
        .collect()
}

async fn organizations_and_groups_are_created_renamed_and_deleted(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Mercearia").await;
    app.add(
        company,
        &[
            NewContact {
                name: "Ana".into(),
                organization: Some("Óptica Visão".into()),
                groups: vec!["VIP".into()],
                ..Default::default()
            },
            NewContact {
                name: "Bruno".into(),
                organization: Some("Óptica Visão".into()),
                ..Default::default()
            },
        ],
    )
    .await;

    let (status, created) = call(
        &app,
        "/api/directory/create",
        &[("kind", "organization"), ("name", "  Açougue   Bom Corte ")],
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["name"], "Açougue Bom Corte");
    assert_eq!(created["contacts"], 0);
    let (status, group) = call(
        &app,
        "/api/directory/create",
        &[("kind", "group"), ("name", "Atacado")],
    )
    .await;
    assert_eq!(status, 200, "{group}");

    let (status, overview) = call(&app, "/api/directory/overview", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        names(&overview["organizations"]),
        [
            ("Açougue Bom Corte".to_string(), 0),
            ("Óptica Visão".to_string(), 2)
        ],
        "sorted ignoring accents, with counts"
    );
    assert_eq!(
        names(&overview["groups"]),
        [("Atacado".to_string(), 0), ("VIP".to_string(), 1)]
    );

    // Bad names get one exact message on the `name` field.
    for (kind, name, message) in [
        ("organization", "   ", "Informe o nome."),
        (
            "organization",
            "OPTICA VISAO",
            "Já existe uma organização com este nome.",
        ),
        ("group", "vip", "Já existe um grupo com este nome."),
    ] {
        let (status, body) = call(
            &app,
            "/api/directory/create",
            &[("kind", kind), ("name", name)],
        )
        .await;
        assert_eq!(status, 422, "{name}: {body}");
        assert_eq!(body["Validation"][0]["field"], "name");
        assert_eq!(body["Validation"][0]["message"], message);
    }
    let long = "x".repeat(101);
    let (status, _) = call(
        &app,
        "/api/directory/create",
        &[("kind", "group"), ("name", &long)],
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = call(
        &app,
        "/api/directory/create",
        &[("kind", "planet"), ("name", "Terra")],
    )
    .await;
    assert_eq!(status, 400, "an unknown kind is refused");

    // Renaming keeps the contacts; renaming to its own name in another case is fine.
    let optica = overview["organizations"][1]["id"]
        .as_i64()
        .expect("id")
        .to_string();
    let (status, renamed) = call(
        &app,
        "/api/directory/rename",
        &[
            ("kind", "organization"),
            ("id", &optica),
            ("name", "Ótica Visão"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["name"], "Ótica Visão");
    assert_eq!(renamed["contacts"], 2);
    let (status, _) = call(
        &app,
        "/api/directory/rename",
        &[
            ("kind", "organization"),
            ("id", &optica),
            ("name", "ÓTICA VISÃO"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = call(
        &app,
        "/api/directory/rename",
        &[
            ("kind", "organization"),
            ("id", &optica),
            ("name", "açougue bom corte"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["Validation"][0]["field"].clone()),
        (422, Value::from("name"))
    );
    let (status, _) = call(
        &app,
        "/api/directory/rename",
        &[("kind", "group"), ("id", "987654"), ("name", "Ótica")],
    )
    .await;
    assert_eq!(status, 404, "no such group");

    // Deleting an organization keeps its contacts, without organization.
    let (status, _) = call(
        &app,
        "/api/directory/delete",
        &[("kind", "organization"), ("id", &optica)],
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = call(&app, "/api/contacts/list", &[("q", "Bruno")]).await;
    let bruno = page["contacts"][0]["id"].to_string();
    let (status, bruno) = call(&app, "/api/contacts/get", &[("id", &bruno)]).await;
    assert_eq!(status, 200);
    assert_eq!(bruno["organization"], Value::Null);
    let (status, _) = call(
        &app,
        "/api/directory/delete",
        &[("kind", "organization"), ("id", &optica)],
    )
    .await;
    assert_eq!(status, 404, "already gone");

    // Deleting a group keeps its members.
    let vip = overview["groups"][1]["id"]
        .as_i64()
        .expect("id")
        .to_string();
    let (status, _) = call(
        &app,
        "/api/directory/delete",
        &[("kind", "group"), ("id", &vip)],
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = call(&app, "/api/contacts/list", &[("q", "Ana")]).await;
    assert_eq!(contact_names(&page), ["Ana"]);
    let (_, overview) = call(&app, "/api/directory/overview", &[]).await;
    assert_eq!(names(&overview["groups"]), [("Atacado".to_string(), 0)]);
}

async fn the_list_filters_by_organization_and_group(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let person = |name: &str, org: Option<&str>, groups: &[&str]| NewContact {
        name: name.into(),
        organization: org.map(Into::into),
        groups: groups.iter().map(|g| g.to_string()).collect(),
        ..Default::default()
    };
    app.add(
        company,
        &[
            person("Ana Silva", Some("Acme"), &["VIP"]),
            person("Bruno Silva", Some("Acme"), &[]),
            person("Carla Souza", Some("Beta"), &["VIP"]),
            person("Diego Silva", None, &["VIP", "Atacado"]),
        ],
    )
    .await;
    let (_, directory) = call(&app, "/api/contacts/directory", &[]).await;
    let id = |list: &str, name: &str| {
        directory[list]
            .as_array()
            .expect("list")
            .iter()
            .find(|e| e["name"] == name)
            .expect("entry")["id"]
            .to_string()
    };
    let acme = id("organizations", "Acme");
    let vip = id("groups", "VIP");

    let (_, page) = call(&app, "/api/contacts/list", &[("organization", &acme)]).await;
    assert_eq!(contact_names(&page), ["Ana Silva", "Bruno Silva"]);
    let (_, page) = call(&app, "/api/contacts/list", &[("group", &vip)]).await;
    assert_eq!(
        contact_names(&page),
        ["Ana Silva", "Carla Souza", "Diego Silva"]
    );
    let (_, page) = call(
        &app,
        "/api/contacts/list",
        &[("group", &vip), ("organization", &acme)],
    )
    .await;
    assert_eq!(contact_names(&page), ["Ana Silva"]);
    let (_, page) = call(
        &app,
        "/api/contacts/list",
        &[("group", &vip), ("q", "silva")],
    )
    .await;
    assert_eq!(contact_names(&page), ["Ana Silva", "Diego Silva"]);

    // Paging keeps the filter.
    let (_, first) = call(
        &app,
        "/api/contacts/list",
        &[("group", &vip), ("limit", "2")],
    )
    .await;
    assert_eq!(contact_names(&first), ["Ana Silva", "Carla Souza"]);
    let next = first["next"].as_str().expect("next");
    let (_, second) = call(
        &app,
        "/api/contacts/list",
        &[("group", &vip), ("limit", "2"), ("after", next)],
    )
    .await;
    assert_eq!(contact_names(&second), ["Diego Silva"]);
    assert_eq!(second["next"], Value::Null);

    let (status, body) = call(&app, "/api/contacts/list", &[("group", "abc")]).await;
    assert_eq!(status, 400, "{body}");
}

crate::on_both_backends!(
    organizations_and_groups_are_created_renamed_and_deleted,
    the_list_filters_by_organization_and_group,
);
