//! Property: any set of contacts survives export → import into an empty
//! company unchanged, in both export flavors. Contacts are generated with
//! the awkward parts of real data (accents, quotes, delimiters, line breaks,
//! cells that look like formulas, several phones and e-mails, groups, an
//! organization, CPF, birth date, custom text and select values), created
//! through the API, exported, imported into a second company with "create",
//! and both companies' exports are compared row by row (IDs and creation
//! times aside).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};

use app::state::LimitSettings;

use crate::helpers::{postgres_enabled, spawn_app_with_limits, Backend, TestApp};

#[derive(Debug, Clone)]
struct Spec {
    name: String,
    phones: Vec<String>,
    emails: Vec<String>,
    address: String,
    notes: String,
    birth_date: String,
    document: String,
    organization: Option<String>,
    groups: Vec<String>,
    nickname: String,
    plan: Option<usize>,
}

/// Text that is hard for a CSV: accents, quotes, both delimiters, and a
/// formula-looking start.
fn awkward_word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-zÀ-ÿ]{1,10}",
        Just("O'Brien".to_string()),
        Just("\"Zé\"".to_string()),
        Just("a;b,c".to_string()),
        Just("=SOMA(A1)".to_string()),
        Just("-5".to_string()),
        Just("@menção".to_string()),
        Just("'=já".to_string()),
        Just("+ok".to_string()),
    ]
}

fn text(words: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(awkward_word(), words).prop_map(|w| w.join(" "))
}

fn spec() -> impl Strategy<Value = Spec> {
    let phones = proptest::collection::btree_set(
        (
            proptest::sample::select(vec![
                "11", "21", "31", "41", "51", "61", "71", "81", "85", "91",
            ]),
            10_000_000u32..99_999_999,
        )
            .prop_map(|(ddd, n)| format!("+55{ddd}9{n:08}")),
        0..3,
    );
    let emails = proptest::collection::btree_set(
        "[a-z]{1,8}(\\.[a-z]{1,4})?@[a-z]{2,8}\\.(com|com\\.br|org)",
        0..3,
    );
    let notes = prop_oneof![
        Just(String::new()),
        text(1..6),
        (text(1..3), text(1..3)).prop_map(|(a, b)| format!("{a}\n{b}")),
    ];
    let birth = prop_oneof![
        Just(String::new()),
        (1930i32..2005, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
    ];
    let document = prop_oneof![
        Just(String::new()),
        Just("529.982.247-25".to_string()),
        Just("11.222.333/0001-81".to_string()),
    ];
    let organization = proptest::option::of(proptest::sample::select(vec![
        "Padaria Pão Quente".to_string(),
        "Souza & Cia; Ltda".to_string(),
        "\"Aspas\" S.A.".to_string(),
    ]));
    let groups = proptest::collection::btree_set(
        proptest::sample::select(vec!["VIP", "Atacado, Varejo", "Clientes; 2026", "Ação"]),
        0..3,
    )
    .prop_map(|g| g.into_iter().map(str::to_string).collect::<Vec<_>>());
    (
        (text(1..4), phones, emails, text(0..3), notes),
        (
            birth,
            document,
            organization,
            groups,
            text(0..2),
            proptest::option::of(0usize..2),
        ),
    )
        .prop_map(
            |(
                (name, phones, emails, address, notes),
                (birth_date, document, organization, groups, nickname, plan),
            )| Spec {
                name,
                phones: phones.into_iter().collect(),
                emails: emails.into_iter().collect(),
                address,
                notes,
                birth_date,
                document,
                organization,
                groups,
                nickname,
                plan,
            },
        )
}

async fn call(app: &TestApp, client: &reqwest::Client, path: &str, body: Value) -> Value {
    let response = app.post_json(client, path, &body).await;
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> Value {
    let response = app.post_as(client, path, fields).await;
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The custom fields both companies define; returns the select's option ids.
async fn define_fields(app: &TestApp, client: &reqwest::Client) -> Vec<i64> {
    call(
        app,
        client,
        "/api/custom_fields/create",
        json!({"draft": {"label": "Apelido", "field_type": "text"}}),
    )
    .await;
    let plan = call(
        app,
        client,
        "/api/custom_fields/create",
        json!({"draft": {"label": "Plano", "field_type": "single_select", "options": ["Básico", "Ouro"]}}),
    )
    .await;
    plan["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["id"].as_i64())
        .collect()
}

async fn export(app: &TestApp, client: &reqwest::Client, format: &str) -> Vec<u8> {
    let response = client
        .get(format!("{}/contacts/export.csv?format={format}", app.base))
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), 200);
    response.bytes().await.expect("body").to_vec()
}

/// The export's rows without the ID and "Criado em" columns, sorted.
fn rows(body: &[u8]) -> Vec<Vec<String>> {
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body)
        .records()
        .map(|r| {
            let record = r.expect("record");
            record
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != 0 && *i != 15)
                .map(|(_, c)| c.to_string())
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

async fn round_trip(app: &TestApp, specs: &[Spec], flavor: &str) -> Result<(), TestCaseError> {
    static CASE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let case = CASE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let (_, source) = app.sign_up(&format!("Origem {case}")).await;
    let (_, target) = app.sign_up(&format!("Destino {case}")).await;
    let options = define_fields(app, &source).await;
    define_fields(app, &target).await;
    for spec in specs {
        let mut custom = serde_json::Map::new();
        if !spec.nickname.is_empty() {
            custom.insert("apelido".into(), json!(spec.nickname));
        }
        if let Some(plan) = spec.plan {
            custom.insert("plano".into(), json!(options[plan].to_string()));
        }
        let directory = form(app, &source, "/api/contacts/directory", &[]).await;
        let organization_id = match &spec.organization {
            Some(name) => Some(match find(&directory["organizations"], name) {
                Some(id) => id,
                None => form(
                    app,
                    &source,
                    "/api/directory/create",
                    &[("kind", "organization"), ("name", name)],
                )
                .await["id"]
                    .as_i64()
                    .expect("id"),
            }),
            None => None,
        };
        let mut group_ids = Vec::new();
        for group in &spec.groups {
            let directory = form(app, &source, "/api/contacts/directory", &[]).await;
            group_ids.push(match find(&directory["groups"], group) {
                Some(id) => id,
                None => form(
                    app,
                    &source,
                    "/api/directory/create",
                    &[("kind", "group"), ("name", group)],
                )
                .await["id"]
                    .as_i64()
                    .expect("id"),
            });
        }
        call(
            app,
            &source,
            "/api/contacts/create",
            json!({"form": {
                "name": spec.name, "phones": spec.phones, "emails": spec.emails,
                "address": spec.address, "notes": spec.notes, "birth_date": spec.birth_date,
                "document": spec.document, "organization_id": organization_id,
                "group_ids": group_ids, "custom": custom,
            }}),
        )
        .await;
    }
    let file = export(app, &source, flavor).await;
    let response = app.upload(&target, "export.csv", file).await;
    let uploaded: Value = response.json().await.expect("json");
    let id = uploaded["id"].as_i64().expect("id");
    let preview = form(
        app,
        &target,
        "/api/import/preview",
        &[("id", &id.to_string())],
    )
    .await;
    call(
        app,
        &target,
        "/api/import/start",
        json!({"id": id, "targets": preview["targets"], "policy": "create"}),
    )
    .await;
    let job = loop {
        let job = form(
            app,
            &target,
            "/api/import/status",
            &[("id", &id.to_string())],
        )
        .await;
        if job["status"] == "done" || job["status"] == "failed" {
            break job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    prop_assert_eq!(&job["status"], "done", "{}", job);
    prop_assert_eq!(job["created"].as_i64(), Some(specs.len() as i64), "{}", job);
    let before = rows(&export(app, &source, "rfc4180").await);
    let after = rows(&export(app, &target, "rfc4180").await);
    prop_assert_eq!(before, after);
    Ok(())
}

fn find(list: &Value, name: &str) -> Option<i64> {
    list.as_array()?
        .iter()
        .find(|item| item["name"] == name)
        .and_then(|item| item["id"].as_i64())
}

fn run(backend: Backend) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    if backend == Backend::Postgres && !runtime.block_on(postgres_enabled()) {
        return;
    }
    // Every case signs up two companies from this one address: the sign-up
    // limit per client address is not what this test is about.
    let limits = LimitSettings {
        sign_ups_per_hour: u32::MAX,
        ..LimitSettings::default()
    };
    let app = runtime.block_on(spawn_app_with_limits(backend, limits));
    let cases: u32 = std::env::var("AGENDA_ROUND_TRIP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        proptest::collection::vec(spec(), 1..6),
        proptest::sample::select(vec!["excel", "rfc4180"]),
    );
    let result = runner.run(&strategy, |(specs, flavor)| {
        runtime.block_on(round_trip(&app, &specs, flavor))
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

#[test]
fn sqlite_any_contact_set_survives_export_then_import() {
    run(Backend::Sqlite);
}

#[test]
fn postgres_any_contact_set_survives_export_then_import() {
    run(Backend::Postgres);
}
