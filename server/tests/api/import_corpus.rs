//! A seed corpus of files shaped like real exports (`server/tests/corpus/`:
//! Excel in Windows-1252 and in UTF-8 with its mark, Excel's UTF-16 "Texto
//! Unicode", LibreOffice, Apple Numbers, Google Contacts, Outlook, a
//! classic Mac file with lone CR line ends) and a 12 MiB cell: each is
//! imported through the upload and the guessed mapping, with every valid
//! row created, every bad row failed with its line and reason, and the
//! database sound afterwards.

use serde_json::{json, Value};

use crate::helpers::{assert_database_sound, spawn_app, Backend, TestApp};
use crate::import::{call, finished, upload};

/// Uploads, confirms the guessed mapping ("skip"), waits for the end.
async fn import(app: &TestApp, name: &str, bytes: Vec<u8>) -> Value {
    let id = upload(app, name, bytes).await;
    let preview = call(app, "/api/import/preview", json!({"id": id})).await;
    call(
        app,
        "/api/import/start",
        json!({"id": id, "targets": preview["targets"], "policy": "skip"}),
    )
    .await;
    finished(app, id).await
}

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The error report's lines (after its header), as text.
async fn report(app: &TestApp, id: &Value) -> String {
    app.client
        .get(format!("{}/contacts/import/{id}/errors.csv", app.base))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body")
}

/// (file, rows, created, skipped, failed, a failed line, a name it holds)
type Expected = (
    &'static str,
    i64,
    i64,
    i64,
    i64,
    Option<&'static str>,
    &'static str,
);

async fn real_world_exports_are_imported(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let expected: [Expected; 8] = [
        (
            "excel-windows-1252.csv",
            5,
            3,
            1,
            1,
            Some("5;"),
            "João Conceição",
        ),
        (
            "excel-utf8-bom.csv",
            3,
            2,
            0,
            1,
            Some("5;"),
            "Carlos; o Grande",
        ),
        ("libreoffice.csv", 3, 2, 0, 1, Some("4;"), "Débora Lima"),
        ("numbers.csv", 2, 2, 0, 0, None, "Fábio Souza"),
        (
            "excel-unicode-text.txt",
            2,
            2,
            0,
            0,
            None,
            "Helena Çarvalho",
        ),
        ("mac-cr-only.csv", 3, 2, 0, 1, Some("3;"), "Kleber Lins"),
        ("google-contacts.csv", 2, 1, 0, 1, Some("3;"), "Lara Mendes"),
        ("outlook.csv", 2, 2, 0, 0, None, "Nina Rocha"),
    ];
    for (file, rows, created, skipped, failed, failed_line, name) in expected {
        let job = import(&app, file, corpus(file)).await;
        let counts = ["rows_done", "created", "skipped", "failed"].map(|k| job[k].as_i64());
        assert_eq!(
            counts,
            [Some(rows), Some(created), Some(skipped), Some(failed)],
            "{file}: {job}"
        );
        if let Some(line) = failed_line {
            let report = report(&app, &job["id"]).await;
            assert!(report.contains(&format!("\r\n{line}")), "{file}: {report}");
        }
        let names = app.search_names(name).await;
        assert!(names.contains(&name.to_string()), "{file}: {names:?}");
    }
    assert_database_sound(&app.db).await;
}

async fn a_12_mib_cell_fails_its_row_and_nothing_else(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Loja").await;
    let mut file = b"Nome;Observa\xc3\xa7\xc3\xb5es\r\nGrande;".to_vec();
    file.extend(std::iter::repeat_n(b'x', 12 * 1024 * 1024));
    file.extend_from_slice(b"\r\nPequeno;ok\r\n");
    let job = import(&app, "grande.csv", file).await;
    let counts = ["rows_done", "created", "failed"].map(|k| job[k].as_i64());
    assert_eq!(counts, [Some(2), Some(1), Some(1)], "{job}");
    let report = report(&app, &job["id"]).await;
    assert!(report.contains("\r\n2;"), "the row and why");
    assert!(report.contains("12288 KB; o máximo é 64 KB"), "says why");
    // The report keeps a readable part of the huge cell, not 12 MiB.
    assert!(report.len() < 64 * 1024, "{} bytes", report.len());
    assert_eq!(app.search_names("Pequeno").await, ["Pequeno"]);
    assert_database_sound(&app.db).await;
}

crate::on_both_backends!(
    real_world_exports_are_imported,
    a_12_mib_cell_fails_its_row_and_nothing_else,
);
