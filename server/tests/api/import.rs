//! CSV import over HTTP: upload, preview, mapping, background run, progress,
//! duplicate policies, the error report, refused files, cancel, and an
//! import whose server process died, resumed. Files are shaped like real exports: Brazilian Excel
//! (`;`, Windows-1252, dd/mm/aaaa, CPF), Google Contacts and Outlook.

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{contact, spawn_app, Backend, TestApp};

/// Calls an endpoint: JSON-bodied ones with JSON, the others with the
/// object's fields as a form.
pub async fn call(app: &TestApp, path: &str, body: Value) -> Value {
    let json_input = ["/api/import/start", "/api/custom_fields/create"].contains(&path);
    let response = if json_input {
        app.post_json(&app.client, path, &body).await
    } else {
        let fields: Vec<(String, String)> = body
            .as_object()
            .expect("object")
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect();
        let form: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        app.post_as(&app.client, path, &form).await
    };
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// Uploads a file; returns the job id.
pub async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> i64 {
    let response = app.upload(&app.client, name, bytes).await;
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, 201, "upload {name}: {body}");
    body["id"].as_i64().expect("id")
}

/// Uploads a file that must be refused; returns the status and message.
async fn refused(app: &TestApp, name: &str, bytes: Vec<u8>) -> (u16, String) {
    let response = app.upload(&app.client, name, bytes).await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("json");
    (
        status,
        body["Validation"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

/// Waits until the job has ended; returns it.
pub async fn finished(app: &TestApp, id: i64) -> Value {
    for _ in 0..600 {
        let job = call(app, "/api/import/status", json!({"id": id})).await;
        if ["done", "failed", "cancelled"].contains(&job["status"].as_str().unwrap_or_default()) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("import {id} did not finish");
}

/// Uploads, confirms the guessed mapping with `policy`, waits for the end.
async fn import(app: &TestApp, name: &str, bytes: Vec<u8>, policy: &str) -> Value {
    let id = upload(app, name, bytes).await;
    let preview = call(app, "/api/import/preview", json!({"id": id})).await;
    call(
        app,
        "/api/import/start",
        json!({"id": id, "targets": preview["targets"], "policy": policy}),
    )
    .await;
    finished(app, id).await
}

/// All contacts of the caller's company (list endpoint), by name.
async fn list(app: &TestApp, q: &str) -> Vec<Value> {
    let response = app
        .post_as(&app.client, "/api/contacts/list", &[("q", q)])
        .await;
    let page: Value = response.json().await.expect("json");
    page["contacts"].as_array().expect("contacts").clone()
}

async fn details(app: &TestApp, id: &Value) -> Value {
    call(app, "/api/contacts/get", json!({"id": id})).await
}

fn counts(job: &Value) -> [i64; 5] {
    ["rows_done", "created", "updated", "skipped", "failed"].map(|k| job[k].as_i64().unwrap_or(-1))
}

/// Encodes text as Windows-1252 (what old Excel writes on Portuguese Windows).
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
        .collect()
}

async fn a_brazilian_excel_file_is_imported(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    call(
        &app,
        "/api/custom_fields/create",
        json!({"draft": {"label": "Plano", "field_type": "single_select", "options": ["Básico", "Ouro"]}}),
    )
    .await;
    let file = windows_1252(
        "Nome;Celular;E-mail;Endereço;Data de Nascimento;CPF;Empresa;Plano\r\n\
         João Araújo;(11) 98765-4321;joao@exemplo.com.br;Rua São Bento, 10;17/05/1990;529.982.247-25;Padaria Pão Quente;Ouro\r\n\
         Márcia Conceição;21 99876-5432;;Av. Atlântica;01/02/1985;;;básico\r\n",
    );
    let id = upload(&app, "clientes.csv", file).await;
    let preview = call(&app, "/api/import/preview", json!({"id": id})).await;
    assert_eq!(preview["job"]["encoding"], "Windows-1252", "{preview}");
    assert_eq!(preview["job"]["delimiter"], ";");
    assert_eq!(preview["job"]["total_rows"], 2);
    assert_eq!(preview["job"]["status"], "uploaded");
    assert_eq!(preview["headers"][3], "Endereço");
    assert_eq!(preview["rows"][1][0], "Márcia Conceição");
    assert_eq!(
        preview["targets"],
        json!([
            {"target": "name"}, {"target": "phone"}, {"target": "email"}, {"target": "address"},
            {"target": "birth_date"}, {"target": "document"}, {"target": "organization"},
            {"target": "custom", "key": "plano"}
        ])
    );
    let started = call(
        &app,
        "/api/import/start",
        json!({"id": id, "targets": preview["targets"], "policy": "skip"}),
    )
    .await;
    assert!(["queued", "running", "done"].contains(&started["status"].as_str().unwrap_or_default()));
    let job = finished(&app, id).await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(counts(&job), [2, 2, 0, 0, 0], "{job}");
    assert_eq!(job["created_by"], "Admin");

    let joao = &list(&app, "joão").await[0];
    let joao = details(&app, &joao["id"]).await;
    assert_eq!(joao["name"], "João Araújo");
    assert_eq!(joao["phones"][0]["e164"], "+5511987654321", "{joao}");
    assert_eq!(joao["birth_date"], "1990-05-17");
    assert_eq!(joao["document"], "529.982.247-25");
    assert_eq!(joao["organization"]["name"], "Padaria Pão Quente");
    assert_eq!(joao["custom"][0]["options"][0]["label"], "Ouro", "{joao}");
    assert_eq!(joao["imported_from"]["file_name"], "clientes.csv", "{joao}");
    assert_eq!(joao["imported_from"]["by"], "Admin");
    let marcia = &list(&app, "21 99876-5432").await[0];
    let marcia = details(&app, &marcia["id"]).await;
    assert_eq!(
        marcia["custom"][0]["options"][0]["label"], "Básico",
        "{marcia}"
    );

    // The document is searchable like a phone; every search column is in
    // step with the rows the batch wrote.
    assert_eq!(list(&app, "52998224725").await[0]["name"], "João Araújo");
    crate::helpers::assert_database_sound(&app.db).await;

    // The job is listed; the same file again with "skip" creates nothing.
    let jobs = call(&app, "/api/import/jobs", json!({})).await;
    assert_eq!(jobs[0]["id"], id);
    let again = import(
        &app,
        "clientes.csv",
        windows_1252("Nome;Celular\r\nJoão Araújo;11987654321\r\n"),
        "skip",
    )
    .await;
    assert_eq!(counts(&again), [1, 0, 0, 1, 0], "{again}");
}

async fn google_and_outlook_exports_are_imported(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let google = "\u{feff}First Name,Middle Name,Last Name,Phonetic First Name,Nickname,Birthday,Notes,Labels,\
E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Organization Name\r\n\
Ana,Maria,Souza,,Aninha,1992-03-04,\"Cliente desde 2019,\nprefere WhatsApp\",* myContacts ::: VIP,\
* Work,ana@souza.com,Mobile,+55 11 98888-7777 ::: +55 11 3333-4444,Work,+55 11 98888-7777,Souza & Cia\r\n\
Bruno,,Lima,,,,,* myContacts,,,Mobile,(21) 97777-6666,,,\r\n";
    let job = import(&app, "contacts.csv", google.as_bytes().to_vec(), "skip").await;
    assert_eq!(counts(&job), [2, 2, 0, 0, 0], "{job}");
    let ana = &list(&app, "ana maria souza").await[0];
    let ana = details(&app, &ana["id"]).await;
    let phones: Vec<&str> = ana["phones"]
        .as_array()
        .expect("phones")
        .iter()
        .filter_map(|p| p["e164"].as_str())
        .collect();
    assert_eq!(phones, ["+5511988887777", "+551133334444"], "{ana}");
    assert_eq!(ana["emails"], json!(["ana@souza.com"]));
    assert_eq!(
        ana["groups"][0]["name"], "VIP",
        "system groups are left out: {ana}"
    );
    assert_eq!(ana["groups"].as_array().map(Vec::len), Some(1));
    assert_eq!(ana["organization"]["name"], "Souza & Cia");
    assert_eq!(ana["birth_date"], "1992-03-04");
    assert_eq!(ana["notes"], "Cliente desde 2019,\nprefere WhatsApp");

    let outlook = "First Name,Last Name,Company,E-mail Address,E-mail 2 Address,Mobile Phone,Business Phone,Home Street,Web Page,Categories\r\n\
Carla,Dias,Dias Ltda,carla@dias.com,CARLA@trabalho.com,+55 31 98765-1111,+55 31 3222-1111,Rua A 1,dias.com.br,Fornecedores;VIP\r\n";
    let job = import(&app, "outlook.csv", outlook.as_bytes().to_vec(), "skip").await;
    assert_eq!(counts(&job), [1, 1, 0, 0, 0], "{job}");
    let carla = &list(&app, "carla").await[0];
    let carla = details(&app, &carla["id"]).await;
    assert_eq!(carla["name"], "Carla Dias");
    assert_eq!(
        carla["emails"],
        json!(["carla@dias.com", "carla@trabalho.com"]),
        "{carla}"
    );
    assert_eq!(carla["phones"].as_array().map(Vec::len), Some(2));
    assert_eq!(carla["website"], "https://dias.com.br");
    assert_eq!(carla["organization"]["name"], "Dias Ltda");
    let groups: Vec<&str> = carla["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert_eq!(
        groups,
        ["Fornecedores", "VIP"],
        "Outlook's categories split on ';'"
    );
}

async fn excel_unicode_text_and_old_mac_files_are_imported(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    // Excel's "Texto Unicode": UTF-16LE after its byte order mark, tabs.
    let text = "Nome\tCelular\tE-mail\r\nJoão Gonçalves\t(11) 98765-0001\tjoao@x.com\r\n\
Érica Ávila\t11 98765-0002\t\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let job = import(&app, "unicode.txt", utf16, "skip").await;
    assert_eq!(counts(&job), [2, 2, 0, 0, 0], "{job}");
    assert_eq!(job["delimiter"], "tab", "{job}");
    let joao = &list(&app, "gonçalves").await[0];
    assert_eq!(joao["name"], "João Gonçalves", "{joao}");

    // An old Mac file: every line ends in a lone CR. Each bad row is
    // reported under its own line number.
    let mac =
        "Nome;E-mail\rCarla;carla@x.com\rErrada;sem-arroba\rDiego;diego@x.com\rErrada 2;nada\r";
    let job = import(&app, "mac.csv", mac.as_bytes().to_vec(), "skip").await;
    assert_eq!(counts(&job), [4, 2, 0, 0, 2], "{job}");
    let report = app
        .client
        .get(format!(
            "{}/contacts/import/{}/errors.csv",
            app.base, job["id"]
        ))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert!(
        report.contains("\r\n3;") && report.contains("\r\n5;"),
        "{report}"
    );
    crate::helpers::assert_database_sound(&app.db).await;
}

async fn duplicates_follow_the_chosen_policy(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let existing = app
        .add(
            company,
            &[contact(
                "Ana Antiga",
                Some("+5511988887777"),
                Some("ana@x.com"),
            )],
        )
        .await[0];
    let file =
        |rows: &str| format!("ID;Nome;Telefone;E-mail;Grupos;Observações\r\n{rows}").into_bytes();

    // Skip: matched by phone in another format, by e-mail, and by ID.
    let job = import(
        &app,
        "a.csv",
        file(&format!(
            ";Ana Nova;(11) 98888-7777;;;\r\n;Outra Ana;;ANA@x.com;;\r\n{existing};Pelo ID;;;;\r\n;Bia;11 97777-6666;;;\r\n"
        )),
        "skip",
    )
    .await;
    assert_eq!(counts(&job), [4, 1, 0, 3, 0], "{job}");
    assert_eq!(details(&app, &json!(existing)).await["name"], "Ana Antiga");

    // Update: non-empty cells replace, lists grow, empty cells erase nothing.
    let job = import(
        &app,
        "b.csv",
        file(";Ana Atualizada;+55 11 98888-7777;ana@novo.com;VIP;Prefere e-mail\r\n"),
        "update",
    )
    .await;
    assert_eq!(counts(&job), [1, 0, 1, 0, 0], "{job}");
    let ana = details(&app, &json!(existing)).await;
    assert_eq!(ana["name"], "Ana Atualizada");
    assert_eq!(ana["emails"], json!(["ana@x.com", "ana@novo.com"]), "{ana}");
    assert_eq!(ana["phones"].as_array().map(Vec::len), Some(1));
    assert_eq!(ana["groups"][0]["name"], "VIP");
    assert_eq!(ana["notes"], "Prefere e-mail");
    let job = import(&app, "c.csv", file(";;11988887777;;;\r\n"), "update").await;
    assert_eq!(counts(&job), [1, 0, 1, 0, 0], "{job}");
    let ana = details(&app, &json!(existing)).await;
    assert_eq!(
        ana["name"], "Ana Atualizada",
        "a row without a name keeps it"
    );
    assert_eq!(ana["notes"], "Prefere e-mail");

    // Create anyway.
    let job = import(
        &app,
        "d.csv",
        file(";Ana Dupla;11988887777;;;\r\n"),
        "create",
    )
    .await;
    assert_eq!(counts(&job), [1, 1, 0, 0, 0], "{job}");
    assert_eq!(list(&app, "98888-7777").await.len(), 2);

    // Two rows of one file with the same phone: the second is a duplicate
    // of the first.
    let job = import(
        &app,
        "e.csv",
        file(";Caio;11 96666-5555;;;\r\n;Caio de novo;(11) 96666-5555;;;\r\n"),
        "skip",
    )
    .await;
    assert_eq!(counts(&job), [2, 1, 0, 1, 0], "{job}");

    // Under "update", the second row is about the contact the first row of
    // the same batch created: it is written first, then updated (the search
    // finds the e-mail the second row added).
    let job = import(
        &app,
        "f.csv",
        file(";Duda;11 95555-4444;;;\r\n;;(11) 95555-4444;duda@novo.com;;\r\n;Edu;11 94444-3333;edu@x.com;;\r\n"),
        "update",
    )
    .await;
    assert_eq!(counts(&job), [3, 2, 1, 0, 0], "{job}");
    let found = list(&app, "duda@novo").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["name"], "Duda");
    assert_eq!(list(&app, "94444").await[0]["name"], "Edu");
    crate::helpers::assert_database_sound(&app.db).await;
}

/// CPF and CNPJ custom values are searched like phones; an imported row
/// holds them in its search columns exactly as the triggers would.
async fn imported_document_fields_are_searchable(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    for (label, field_type) in [("CNPJ da empresa", "cnpj"), ("CPF do titular", "cpf")] {
        call(
            &app,
            "/api/custom_fields/create",
            json!({"draft": {"label": label, "field_type": field_type}}),
        )
        .await;
    }
    let job = import(
        &app,
        "docs.csv",
        "Nome;CPF do titular;CNPJ da empresa;Celular\r\nGil Sá;529.982.247-25;11.222.333/0001-81;11 93333-2222\r\n"
            .as_bytes()
            .to_vec(),
        "skip",
    )
    .await;
    assert_eq!(counts(&job), [1, 1, 0, 0, 0], "{job}");
    for query in ["52998224725", "11222333000181", "93333-2222"] {
        let found = list(&app, query).await;
        assert_eq!(found.len(), 1, "{query}: {found:?}");
        assert_eq!(found[0]["name"], "Gil Sá");
    }
    crate::helpers::assert_database_sound(&app.db).await;
}

async fn bad_rows_are_reported_and_good_rows_are_imported(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let huge = "x".repeat(10 * 1024 * 1024);
    let file = format!(
        "Nome;Telefone;E-mail;Nascimento\r\n\
         Boa 1;11 98765-0001;boa1@x.com;01/01/1990\r\n\
         Telefone ruim;123;;\r\n\
         E-mail ruim;;nao-e-email;\r\n\
         Data ruim;;;31/02/1990\r\n\
         Coluna a mais;11 98765-0002;a@x.com;;extra\r\n\
         ;;;\r\n\
         \"{huge}\";;;\r\n\
         \"Boa 2\nsegunda linha\";11 98765-0003;;\r\n\
         =HYPERLINK(\"x\");;;\r\n"
    );
    let job = import(&app, "misto.csv", file.into_bytes(), "skip").await;
    assert_eq!(job["status"], "done", "{job}");
    // 9 rows: 3 created (Boa 1, Boa 2, the formula-looking name), 1 blank
    // skipped, 5 failed.
    assert_eq!(counts(&job), [9, 3, 0, 1, 5], "{job}");
    assert_eq!(list(&app, "boa").await.len(), 2);

    let id = job["id"].as_i64().expect("id");
    let response = app
        .client
        .get(format!("{}/contacts/import/{id}/errors.csv", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.expect("body");
    let body = body.strip_prefix("\u{feff}".as_bytes()).expect("BOM");
    let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(body)
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        records[0],
        [
            "Linha",
            "Motivo",
            "Nome",
            "Telefone",
            "E-mail",
            "Nascimento"
        ]
    );
    // Cells cut short for the messages (one of them is 10 MB).
    let short: Vec<Vec<String>> = records
        .iter()
        .map(|r| r.iter().map(|c| c.chars().take(60).collect()).collect())
        .collect();
    let lines: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(lines, ["3", "4", "5", "6", "8"], "{short:?}");
    assert!(
        records[1][1].starts_with("Telefone: \"123\""),
        "{:?}",
        short[1]
    );
    assert_eq!(records[1][2..], ["Telefone ruim", "123", "", ""]);
    assert!(records[2][1].starts_with("E-mail:"), "{:?}", short[2]);
    assert!(records[3][1].starts_with("Nascimento:"), "{:?}", short[3]);
    assert!(
        records[4][1].contains("5 colunas e o cabeçalho tem 4"),
        "{:?}",
        short[4]
    );
    assert!(
        records[5][1].starts_with("Nome: a célula tem 10240 KB"),
        "{:?}",
        short[5]
    );
}

async fn broken_files_are_refused_whole(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("vazio.csv", Vec::new(), "O arquivo está vazio."),
        (
            "cabecalho.csv",
            b"Nome;Telefone\r\n".to_vec(),
            "só tem o cabeçalho",
        ),
        (
            "planilha.xlsx",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec(),
            "não parece um CSV",
        ),
        (
            "aspas.csv",
            b"Nome;Obs\r\nAna;ok\r\nBia;\"sem fim\r\nCarla;x\r\n".to_vec(),
            "aspa aberta na linha 3",
        ),
        ("brancos.csv", b"\r\n\r\n".to_vec(), "O arquivo está vazio."),
    ];
    for (name, bytes, wanted) in cases {
        let (status, message) = refused(&app, name, bytes).await;
        assert_eq!(status, 422, "{name}: {message}");
        assert!(message.contains(wanted), "{name}: {message}");
    }
    // Nothing was stored.
    assert_eq!(call(&app, "/api/import/jobs", json!({})).await, json!([]));
    assert!(list(&app, "").await.is_empty());

    // Above the limit (a small one here), the upload stops with its own error.
    let pieces = futures_util::stream::iter(
        (0..5).map(|_| Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'a'; 400]))),
    );
    let error =
        app::import_export::import::store_upload(&app.db, company, 1, "grande.csv", pieces, 1_000)
            .await
            .expect_err("too large");
    let message = app::error::AppError::from(error).to_string();
    assert!(message.contains("mais de 0 MB"), "{message}");

    // A mapping that imports nothing that names a contact is refused.
    let id = upload(&app, "x.csv", b"Nome;Cidade\r\nAna;SP\r\n".to_vec()).await;
    let response = app
        .post_json(
            &app.client,
            "/api/import/start",
            &json!({"id": id, "targets": [{"target": "ignore"}, {"target": "address"}], "policy": "skip"}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .post_json(
            &app.client,
            "/api/import/start",
            &json!({"id": id, "targets": [{"target": "name"}], "policy": "skip"}),
        )
        .await;
    assert_eq!(response.status(), 422, "one target per column");
}

async fn a_cancelled_import_keeps_exactly_what_was_committed(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let mut file = String::from("Nome;Telefone\r\n");
    for i in 0..20_000 {
        file.push_str(&format!("Pessoa {i};11 9{:08}\r\n", 10_000_000 + i));
    }
    // Cancelled before it starts: nothing at all.
    let id = upload(&app, "grande.csv", file.clone().into_bytes()).await;
    let job = call(&app, "/api/import/cancel", json!({"id": id})).await;
    assert_eq!(job["status"], "cancelled");
    assert_eq!(counts(&job), [0, 0, 0, 0, 0]);
    let response = app
        .post_json(
            &app.client,
            "/api/import/start",
            &json!({"id": id, "targets": [{"target": "name"}, {"target": "phone"}], "policy": "skip"}),
        )
        .await;
    assert_eq!(response.status(), 409, "a cancelled import cannot start");

    // Cancelled while running: whole batches only, counters = what is stored.
    let id = upload(&app, "grande.csv", file.into_bytes()).await;
    call(
        &app,
        "/api/import/start",
        json!({"id": id, "targets": [{"target": "name"}, {"target": "phone"}], "policy": "skip"}),
    )
    .await;
    call(&app, "/api/import/cancel", json!({"id": id})).await;
    let job = finished(&app, id).await;
    let created = job["created"].as_i64().expect("created");
    let stored = app::contacts::repo::count_contacts(&app.db, company)
        .await
        .expect("count");
    assert_eq!(stored, created, "{job}");
    match job["status"].as_str() {
        Some("cancelled") => assert_eq!(
            created % app::import_export::import::IMPORT_BATCH as i64,
            0,
            "whole batches: {job}"
        ),
        Some("done") => assert_eq!(created, 20_000, "{job}"),
        other => panic!("unexpected end {other:?}: {job}"),
    }
}

/// The HTML of a page, as the signed-in admin gets it.
async fn html(app: &TestApp, path: &str) -> String {
    app.get(path).await.text().await.expect("html")
}

async fn a_job_whose_server_died_is_shown_interrupted_then_resumed(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let id = upload(&app, "x.csv", b"Nome\r\nAna\r\n".to_vec()).await;
    let preview = call(&app, "/api/import/preview", json!({"id": id})).await;
    let mapping =
        json!({"headers": preview["headers"], "targets": preview["targets"], "header_index": 0});
    // As if a server had claimed it and died two minutes ago.
    let old = chrono::Utc::now() - chrono::Duration::minutes(2);
    let sql = "UPDATE import_jobs SET status = 'running', policy = 'create', mapping = $1,
                      started_at = $2, heartbeat_at = $2, attempt = 1 WHERE id = $3";
    app::with_db!(&app.db, pool => {
        sqlx::query(sql)
            .bind(mapping.to_string())
            .bind(old)
            .bind(id)
            .execute(pool)
            .await
            .expect("update");
    });
    let job = call(&app, "/api/import/status", json!({"id": id})).await;
    assert_eq!(
        (job["status"].as_str(), job["interrupted"].as_bool()),
        (Some("running"), Some(true)),
        "{job}"
    );
    // The job's page says so, in words.
    let page = html(&app, &format!("/contacts/import/{id}")).await;
    assert!(
        page.contains("Interrompida (o servidor reiniciou)"),
        "{page}"
    );
    // So does the list of recent imports (not "Importando").
    let history = html(&app, "/contacts/import").await;
    assert!(
        history.contains("Interrompida, continua em instantes"),
        "{history}"
    );

    // The next sweep of a server takes it over and finishes it.
    let taken = app
        .imports
        .resume_interrupted(&app.db)
        .await
        .expect("sweep");
    assert_eq!(taken, [app::ids::JobId::new(id)]);
    let job = finished(&app, id).await;
    assert_eq!(
        (
            job["status"].as_str(),
            job["created"].as_i64(),
            job["interrupted"].as_bool()
        ),
        (Some("done"), Some(1), Some(false)),
        "{job}"
    );
    // A job that is not interrupted is left alone.
    assert!(app
        .imports
        .resume_interrupted(&app.db)
        .await
        .expect("sweep")
        .is_empty());
}

crate::on_both_backends!(
    a_brazilian_excel_file_is_imported,
    imported_document_fields_are_searchable,
    google_and_outlook_exports_are_imported,
    excel_unicode_text_and_old_mac_files_are_imported,
    duplicates_follow_the_chosen_policy,
    bad_rows_are_reported_and_good_rows_are_imported,
    broken_files_are_refused_whole,
    a_cancelled_import_keeps_exactly_what_was_committed,
    a_job_whose_server_died_is_shown_interrupted_then_resumed,
);
