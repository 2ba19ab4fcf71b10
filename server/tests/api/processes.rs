//! Two real `agenda serve` processes on one database: a session made on one
//! works on the other, an import started on one shows its progress on the
//! other, and when the process running it is killed (SIGKILL, mid-import)
//! the other takes the job over and finishes it from the last committed
//! batch: every row imported exactly once, never half a contact. The
//! command line imports a file, and resumes an interrupted import.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{fresh_database, new_client, Backend, PASSWORD};

struct Server {
    base: String,
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start(database_url: &str) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_agenda"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("AGENDA_ADDR", format!("127.0.0.1:{port}"))
        .env(
            "AGENDA_SITE_ROOT",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../public"),
        )
        .env("AGENDA_IMPORT_STALE_SECONDS", "3")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn agenda");
    // Owned by a Server at once: dropping it kills and reaps the process.
    let server = Server {
        base: format!("http://127.0.0.1:{port}"),
        child,
    };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(response) = client.get(format!("{}/healthz", server.base)).send().await {
            if response.status() == 200 {
                return server;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("agenda did not start on {}", server.base);
}

async fn form(client: &reqwest::Client, url: String, fields: &[(&str, &str)]) -> Value {
    let response = client
        .post(&url)
        .form(fields)
        .send()
        .await
        .expect("request");
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, 200, "{url}: {body}");
    body
}

async fn an_import_outlives_the_process_that_ran_it(backend: Backend) {
    let database = fresh_database(backend).await;
    let mut a = start(&database.url).await;
    let b = start(&database.url).await;
    let client = new_client();

    // Signed up on A, the session works on B.
    form(
        &client,
        format!("{}/api/auth/sign_up", a.base),
        &[
            ("company", "Duas Lojas"),
            ("name", "Admin"),
            ("email", "admin@duas.example"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let me = form(&client, format!("{}/api/auth/me", b.base), &[]).await;
    assert_eq!(me["email"], "admin@duas.example", "{me}");

    let rows = 40_000;
    let mut file = String::from("Nome;Telefone\r\n");
    for i in 0..rows {
        file.push_str(&format!("Pessoa {i};11 9{:08}\r\n", 30_000_000 + i));
    }
    let response = client
        .post(format!("{}/contacts/import?name=grande.csv", a.base))
        .body(file)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.expect("json")["id"].to_string();
    let started = client
        .post(format!("{}/api/import/start", a.base))
        .json(&json!({"id": id.parse::<i64>().expect("id"), "targets": [{"target": "name"}, {"target": "phone"}], "policy": "create"}))
        .send()
        .await
        .expect("start");
    assert_eq!(started.status(), 200);

    // B sees A's progress.
    let mut seen = 0;
    for _ in 0..600 {
        let job = form(
            &client,
            format!("{}/api/import/status", b.base),
            &[("id", &id)],
        )
        .await;
        seen = job["rows_done"].as_i64().unwrap_or(0);
        if seen > 0 {
            assert_eq!(job["status"], "running", "{job}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(seen > 0, "B never saw progress");

    // kill -9 A mid-import.
    a.child.kill().expect("kill");
    a.child.wait().expect("wait");

    // B takes it over once A's heartbeat is stale (3 s here) and finishes
    // it (its "interrupted" state in between is tested in import.rs).
    let job = loop {
        let job = form(
            &client,
            format!("{}/api/import/status", b.base),
            &[("id", &id)],
        )
        .await;
        if job["status"] != "running" && job["status"] != "queued" {
            break job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(job["status"], "done", "{job}");
    // Under "create" a row written twice would be a second contact.
    assert_eq!(
        (job["created"].as_i64(), job["rows_done"].as_i64()),
        (Some(rows), Some(rows)),
        "{job}"
    );

    // What is stored is exactly the file, each contact whole.
    let db = app::db::Db::open(&database.url).await.expect("db");
    let (contacts, phones, attempt): (i64, i64, i64) = app::with_db!(&db, pool => {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM contacts WHERE import_job_id = $1),
                    (SELECT COUNT(DISTINCT p.e164) FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
                      WHERE c.import_job_id = $1),
                    (SELECT attempt FROM import_jobs WHERE id = $1)",
        )
        .bind(id.parse::<i64>().expect("id"))
        .fetch_one(pool)
        .await
        .expect("count")
    });
    assert_eq!((contacts, phones, attempt), (rows, rows, 2));
    crate::helpers::assert_database_sound(&db).await;
    db.close().await;
    drop(b);
}

/// `agenda import FILE --company ID`: the same path from the command line,
/// with its summary and error report.
async fn the_command_line_imports_a_file(backend: Backend) {
    let database = fresh_database(backend).await;
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_agenda"))
            .args(args)
            .env("DATABASE_URL", &database.url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run agenda")
    };
    let seeded = run(&["seed", "--contacts", "0"]);
    assert!(seeded.status.success(), "{seeded:?}");
    let db = app::db::Db::open(&database.url).await.expect("db");
    let company = app::tenant::demo_company(&db)
        .await
        .expect("query")
        .expect("demo company");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("clientes.csv");
    std::fs::write(
        &file,
        "Nome,Celular,E-mail\nAna Linha,11 98765-1111,ana@linha.com\nSem Telefone,12,\nBia Linha,11 98765-2222,\n",
    )
    .expect("write");
    let report = dir.path().join("erros.csv");
    let company_arg = company.get().to_string();
    let output = run(&[
        "import",
        file.to_str().expect("path"),
        "--company",
        &company_arg,
        "--error-report",
        report.to_str().expect("path"),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("done: 2 created, 0 updated, 0 skipped, 1 failed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Celular") && stderr.contains("-> phone"),
        "the mapping is printed: {stderr}"
    );
    let report = std::fs::read_to_string(&report).expect("report");
    assert!(
        report.starts_with("\u{feff}Linha;Motivo;Nome;Celular;E-mail\r\n3;"),
        "{report}"
    );
    let jobs = app::import_export::repo::list_jobs(&db, company, 5)
        .await
        .expect("jobs");
    assert_eq!((jobs.len(), jobs[0].created), (1, 2), "{jobs:?}");
    assert!(!jobs[0].created_by.is_empty());
    let done = jobs[0].id.to_string();

    // An import whose process died: `--resume` finishes it.
    let resumed = "Nome\r\nCarla Linha\r\n";
    let pieces =
        futures_util::stream::iter([Ok::<_, std::io::Error>(axum::body::Bytes::from(resumed))]);
    let user = app::auth::repo::first_admin(&db, company)
        .await
        .expect("admin")
        .expect("one");
    let id = app::import_export::import::store_upload(&db, company, user, "r.csv", pieces, 1 << 20)
        .await
        .expect("upload");
    let preview = app::import_export::import::preview(&db, company, id)
        .await
        .expect("preview");
    app::import_export::import::confirm(&db, company, id, preview.targets, Default::default())
        .await
        .expect("confirm");
    let claimed = app::import_export::repo::claim_job(&db, company, id)
        .await
        .expect("claim")
        .expect("claimed");
    let id_arg = id.to_string();
    // Its process is still alive (fresh heartbeat): refused, saying why.
    let output = run(&["import", "--resume", &id_arg, "--company", &company_arg]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("being run by another process"), "{stderr}");
    app::with_db!(&db, pool => {
        sqlx::query("UPDATE import_jobs SET heartbeat_at = $1 WHERE id = $2")
            .bind(chrono::Utc::now() - chrono::Duration::minutes(5))
            .bind(id)
            .execute(pool)
            .await
            .expect("age");
    });
    let output = run(&["import", "--resume", &id_arg, "--company", &company_arg]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("resuming import"), "{stderr}");
    assert!(stderr.contains("done: 1 created"), "{stderr}");
    let job = app::import_export::repo::get_job(&db, company, id)
        .await
        .expect("job")
        .expect("exists");
    assert_eq!(job.attempt, claimed.attempt + 1);
    // An ended import is not resumed.
    let output = run(&["import", "--resume", &done, "--company", &company_arg]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("has already ended: done"), "{stderr}");

    // `agenda check` passes and counts the company's contacts.
    let output = run(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("ok      search columns in step"),
        "{stdout}"
    );
    assert!(stdout.contains(": 3 contacts, 2 phones"), "{stdout}");
    db.close().await;
}

crate::on_both_backends!(
    an_import_outlives_the_process_that_ran_it,
    the_command_line_imports_a_file,
);
