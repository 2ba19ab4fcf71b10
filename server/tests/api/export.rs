//! `GET /contacts/export.csv` over HTTP: both flavors, the list's filters,
//! custom field columns, formula neutralisation, batches, tenancy.

use serde_json::{json, Value};

use crate::helpers::{contact, spawn_app, Backend, TestApp};

async fn download(app: &TestApp, client: &reqwest::Client, query: &str) -> (u16, String, Vec<u8>) {
    let response = client
        .get(format!("{}/contacts/export.csv{query}", app.base))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (
        status,
        content_type,
        response.bytes().await.expect("body").to_vec(),
    )
}

/// The records of a CSV body (after the BOM, if any).
fn records(body: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

async fn call(app: &TestApp, path: &str, body: Value) -> Value {
    let response = app.post_json(&app.client, path, &body).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("json")
}

async fn the_export_is_the_list_in_a_spreadsheet(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    call(
        &app,
        "/api/custom_fields/create",
        json!({"draft": {"label": "Limite", "field_type": "currency"}}),
    )
    .await;
    call(
        &app,
        "/api/custom_fields/create",
        json!({"draft": {"label": "Cliente desde", "key": "desde", "field_type": "date"}}),
    )
    .await;
    let created = call(
        &app,
        "/api/contacts/create",
        json!({"form": {
            "name": "=HYPERLINK(\"http://mal.example\")",
            "phones": ["(11) 98765-4321", "+1 202 555 0143"],
            "emails": ["ana@example.com"],
            "birth_date": "31/12/1990",
            "document": "529.982.247-25",
            "notes": "Linha 1\nLinha 2; com ponto e vírgula",
            "custom": {"limite": "1.234,5", "desde": "01/02/2020"},
        }}),
    )
    .await;
    let id = created["id"].as_i64().expect("id");
    app.add(
        company,
        &[contact("Bruno Silva", Some("+5521987654321"), None)],
    )
    .await;

    // Brazilian Excel: BOM, `;`, dd/mm/aaaa, decimal comma, neutralised formula.
    let (status, content_type, body) = download(&app, &app.client, "").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    assert!(body.starts_with("\u{feff}".as_bytes()), "BOM");
    let rows = records(&body, b';');
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0][..4], ["ID", "Nome", "Telefones", "E-mails"]);
    assert_eq!(rows[0][16..], ["Limite", "Cliente desde"]);
    let ana = rows.iter().find(|r| r[0] == id.to_string()).expect("ana");
    assert_eq!(ana[1], "'=HYPERLINK(\"http://mal.example\")");
    assert_eq!(ana[2], "(11) 98765-4321 ::: +1 202-555-0143");
    assert_eq!(ana[5], "31/12/1990");
    assert_eq!(ana[6], "529.982.247-25");
    assert_eq!(
        ana[14], "Linha 1\nLinha 2; com ponto e vírgula",
        "quoted, not split"
    );
    assert_eq!(ana[16..], ["1234,50", "01/02/2020"]);

    // RFC 4180: `,`, no BOM, ISO dates, decimal points.
    let (status, _, body) = download(&app, &app.client, "?format=rfc4180").await;
    assert_eq!(status, 200);
    assert!(!body.starts_with("\u{feff}".as_bytes()));
    let rows = records(&body, b',');
    let ana = rows.iter().find(|r| r[0] == id.to_string()).expect("ana");
    assert_eq!(ana[5], "1990-12-31");
    assert_eq!(ana[16..], ["1234.50", "2020-02-01"]);

    // Exactly the current search or filter.
    let (_, _, body) = download(&app, &app.client, "?q=silva").await;
    let rows = records(&body, b';');
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][1], "Bruno Silva");
    let (status, _, body) = download(&app, &app.client, "?format=xlsx").await;
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("format"));
}

/// The whole list comes in contact ID order; a search in the list's name
/// order; both across batches, each contact once.
async fn large_exports_come_in_batches(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Atacado").await;
    let total = app::import_export::export::EXPORT_BATCH as usize * 2 + 37;
    // Created in reverse name order, so the two orders differ.
    let mut contacts: Vec<_> = (0..total)
        .map(|i| contact(&format!("Contato {:05}", total - i), None, None))
        .collect();
    contacts.push(contact("Fornecedor", Some("+5511987654321"), None));
    app.add(company, &contacts).await;

    let (status, _, body) = download(&app, &app.client, "?format=rfc4180").await;
    assert_eq!(status, 200);
    let rows = records(&body, b',');
    assert_eq!(rows.len(), total + 2, "header and every contact");
    let ids: Vec<i64> = rows[1..]
        .iter()
        .map(|r| r[0].parse().expect("id"))
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "ID order across batches, no contact twice"
    );
    assert_eq!(rows[1][1], format!("Contato {total:05}"), "first created");
    assert_eq!(rows[total + 1][1], "Fornecedor");
    assert_eq!(rows[total + 1][2], "(11) 98765-4321");

    let (status, _, body) = download(&app, &app.client, "?format=rfc4180&q=contato").await;
    assert_eq!(status, 200);
    let rows = records(&body, b',');
    assert_eq!(rows.len(), total + 1, "the search's contacts only");
    let names: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted, "name order across batches, no contact twice");
}

/// A browser asks for gzip: the compressed download ends cleanly (the
/// compression layer polls the body once more after its end).
async fn a_compressed_export_ends_cleanly(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Atacado").await;
    let total = app::import_export::export::EXPORT_BATCH as usize + 5;
    let contacts: Vec<_> = (0..total)
        .map(|i| contact(&format!("Contato {i:05}"), None, None))
        .collect();
    app.add(company, &contacts).await;
    for query in ["", "?q=contato"] {
        let response = app
            .client
            .get(format!("{}/contacts/export.csv{query}", app.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200);
        assert_eq!(
            response
                .headers()
                .get("content-encoding")
                .and_then(|v| v.to_str().ok()),
            Some("gzip")
        );
        let body = response.bytes().await.expect("the whole body");
        assert!(body.starts_with(&[0x1f, 0x8b]), "gzip data");
    }
}

/// Two companies whose contacts were created alternately, so their ids
/// interleave and each batch's id range spans the other's rows too: every
/// row of each export holds only its own company's phones, e-mails, groups
/// and custom values.
async fn interleaved_companies_export_only_their_own_lists(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut companies = Vec::new();
    for name in ["A", "B"] {
        let (_, client) = app.sign_up(&format!("Empresa {name}")).await;
        let group = app
            .post_as(
                &client,
                "/api/directory/create",
                &[("kind", "group"), ("name", &format!("Grupo {name}"))],
            )
            .await;
        assert_eq!(group.status(), 200);
        let group: Value = group.json().await.expect("json");
        let response = app
            .post_json(
                &client,
                "/api/custom_fields/create",
                &json!({"draft": {"label": "Código", "key": "codigo", "field_type": "text"}}),
            )
            .await;
        assert_eq!(response.status(), 200);
        companies.push((name, client, group["id"].as_i64().expect("group id")));
    }
    for i in 0..12 {
        for (name, client, group) in &companies {
            let response = app
                .post_json(
                    client,
                    "/api/contacts/create",
                    &json!({"form": {
                        "name": format!("Contato {name}{i:02}"),
                        "phones": [format!("(11) 9{}{:03}-{i:04}", if *name == "A" { 1 } else { 2 }, i)],
                        "emails": [format!("{}{i}@empresa-{}.com", name.to_lowercase(), name.to_lowercase())],
                        "group_ids": [group],
                        "custom": {"codigo": format!("COD-{name}{i}")},
                    }}),
                )
                .await;
            assert_eq!(
                response.status(),
                200,
                "{}",
                response.text().await.unwrap_or_default()
            );
        }
    }
    for (name, client, _) in &companies {
        let other = if *name == "A" { "B" } else { "A" };
        let (status, _, body) = download(&app, client, "?format=rfc4180").await;
        assert_eq!(status, 200);
        let rows = records(&body, b',');
        assert_eq!(rows.len(), 13, "header and 12 contacts of {name}");
        for (i, row) in rows[1..].iter().enumerate() {
            assert_eq!(row[1], format!("Contato {name}{i:02}"), "ID order");
            let prefix = if *name == "A" { "91" } else { "92" };
            assert!(
                row[2].starts_with(&format!("(11) {prefix}")) && !row[2].contains(":::"),
                "{row:?}"
            );
            assert_eq!(
                row[3],
                format!(
                    "{}{i}@empresa-{}.com",
                    name.to_lowercase(),
                    name.to_lowercase()
                )
            );
            assert_eq!(row[9], format!("Grupo {name}"));
            assert_eq!(row[16], format!("COD-{name}{i}"));
            assert!(
                !row.join(" ").contains(&format!("{other}{i:02}")),
                "{row:?}"
            );
        }
    }
}

async fn an_export_holds_only_the_callers_company(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, client_a) = app.sign_up("Empresa A").await;
    let (b, client_b) = app.sign_up("Empresa B").await;
    app.add(
        a,
        &[contact("Ana da Empresa A", Some("+5511987654321"), None)],
    )
    .await;
    app.add(b, &[contact("Bruno da Empresa B", None, None)])
        .await;
    let (_, _, body) = download(&app, &client_b, "?q=Ana").await;
    assert_eq!(records(&body, b';').len(), 1, "just the header");
    let (_, _, body) = download(&app, &client_b, "").await;
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains("Bruno") && !text.contains("Empresa A"),
        "{text}"
    );
    let (_, _, body) = download(&app, &client_a, "").await;
    assert!(String::from_utf8_lossy(&body).contains("Ana da Empresa A"));
    // Anonymous: sent to the login page, nothing exported.
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let (status, _, _) = download(&app, &anonymous, "").await;
    assert_eq!(status, 303);
}

/// "Criado em" is in the company's zone (Brasília unless an admin changed
/// it), and the header names the zone: the file says when, not just a UTC
/// clock. Admins alone change the zone; an unknown zone is refused by name.
async fn an_export_writes_times_in_the_company_zone(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Relojoaria").await;
    let created = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Ana Fuso"}}),
    )
    .await;
    let utc = created["created_at"]
        .as_str()
        .expect("created_at")
        .to_string();
    let local = |zone: &str| {
        let zone = app::time_zone::parse_zone(zone).expect("zone");
        app::time_zone::in_zone_rfc3339(&utc, zone)
    };
    let excel_time = |rfc3339: &str| {
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .expect("time")
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };

    for zone in ["America/Sao_Paulo", "America/Manaus"] {
        if zone != "America/Sao_Paulo" {
            let response = app
                .post_as(
                    &app.client,
                    "/api/company/time_zone",
                    &[("time_zone", zone)],
                )
                .await;
            assert_eq!(response.status(), 200);
        }
        let (_, _, body) = download(&app, &app.client, "").await;
        let rows = records(&body, b';');
        assert_eq!(rows[0][15], format!("Criado em ({zone})"));
        assert_eq!(rows[1][15], excel_time(&local(zone)), "{zone}");
        let (_, _, body) = download(&app, &app.client, "?format=rfc4180").await;
        let rows = records(&body, b',');
        assert_eq!(rows[0][15], format!("Criado em ({zone})"));
        assert_eq!(rows[1][15], local(zone));
        let offset = if zone == "America/Manaus" {
            "-04:00"
        } else {
            "-03:00"
        };
        assert!(rows[1][15].ends_with(offset), "{}", rows[1][15]);
    }

    // An unknown zone: refused with the field named, the zone unchanged.
    let response = app
        .post_as(
            &app.client,
            "/api/company/time_zone",
            &[("time_zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.expect("body");
    assert!(body.contains("time_zone"), "{body}");
    // A name past any zone's length is refused without a lookup.
    let long = "America/".repeat(2_000);
    let response = app
        .post_as(
            &app.client,
            "/api/company/time_zone",
            &[("time_zone", long.as_str())],
        )
        .await;
    assert_eq!(response.status(), 422);
    let me: Value = app
        .post_as(&app.client, "/api/auth/me", &[])
        .await
        .json()
        .await
        .expect("me");
    assert_eq!(me["time_zone"], "America/Manaus");
    // Agents see the company's zone but cannot change it.
    let agent = crate::helpers::join_as_agent(&app, &app.client, "Beto", "beto@fuso.example").await;
    let response = app
        .post_as(&agent, "/api/company/time_zone", &[("time_zone", "UTC")])
        .await;
    assert_eq!(response.status(), 403);
}

crate::on_both_backends!(
    an_export_writes_times_in_the_company_zone,
    the_export_is_the_list_in_a_spreadsheet,
    large_exports_come_in_batches,
    a_compressed_export_ends_cleanly,
    interleaved_companies_export_only_their_own_lists,
    an_export_holds_only_the_callers_company
);
