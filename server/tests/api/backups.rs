//! Backups: `agenda backup` copies a live SQLite database while the server
//! keeps writing, the copy passes `agenda check`, and `agenda restore` puts
//! it back (keeping the database it replaces); a PostgreSQL dump
//! (`pg_dump`/`pg_restore`, docs/operations.md) restores into a working
//! Agenda.

use std::process::{Command, Output};

use crate::helpers::{
    assert_database_sound, contact, fresh_database, postgres_enabled, spawn_app, spawn_with,
    Backend,
};

fn agenda(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agenda"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run agenda")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn contacts_in(url: &str) -> i64 {
    let db = app::db::Db::open(url).await.expect("open");
    let count = app::with_db!(&db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM contacts").fetch_one(pool).await.expect("count")
    });
    db.close().await;
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_live_database_is_backed_up_and_restored() {
    let app = spawn_app(Backend::Sqlite).await;
    let company = app.company("Loja").await;
    let first: Vec<_> = (0..300)
        .map(|n| {
            contact(
                &format!("Pessoa {n}"),
                Some(&format!("+55119{:08}", n)),
                None,
            )
        })
        .collect();
    app.add(company, &first).await;
    let dir = tempfile::tempdir().expect("dir");
    let database_url = app.database_url().to_string();

    // Writes keep going while the backup runs.
    let writing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (db, writing) = (app.db.clone(), writing.clone());
        tokio::spawn(async move {
            let mut written = 0;
            while writing.load(std::sync::atomic::Ordering::Relaxed) {
                let more = [contact(&format!("Durante {written}"), None, None)];
                app::contacts::writer::insert_contacts(&db, company, &more)
                    .await
                    .expect("write during the backup");
                written += 1;
            }
            written
        })
    };
    let backup = dir.path().join("copia.db");
    let backup_arg = backup.to_str().expect("path").to_string();
    let output = tokio::task::spawn_blocking({
        let (url, arg) = (database_url.clone(), backup_arg.clone());
        move || agenda(&url, &["backup", "--to", &arg])
    })
    .await
    .expect("backup");
    writing.store(false, std::sync::atomic::Ordering::Relaxed);
    let written = writer.await.expect("writer");
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("integrity ok"), "{}", text(&output));
    assert!(written > 0, "the server kept writing during the backup");
    assert!(!dir.path().join("copia.db.partial").exists());

    // The copy is a consistent database: between the contacts before and
    // after, and sound.
    let backup_url = format!("sqlite:{backup_arg}");
    let in_backup = contacts_in(&backup_url).await;
    assert!((300..=300 + written).contains(&in_backup), "{in_backup}");
    let output = agenda(&backup_url, &["check"]);
    assert!(output.status.success(), "{}", text(&output));

    // Never over an existing file.
    let output = agenda(&database_url, &["backup", "--to", &backup_arg]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("already exists"),
        "{}",
        text(&output)
    );

    // Restore into a stopped database: it refuses while the database
    // looks in use, then keeps the one it replaces.
    let target = dir.path().join("restaurada.db");
    let target_url = format!("sqlite:{}", target.display());
    let output = agenda(&target_url, &["seed", "--contacts", "3"]);
    assert!(output.status.success(), "{}", text(&output));
    std::fs::write(dir.path().join("restaurada.db-wal"), b"").expect("wal");
    let output = agenda(&target_url, &["restore", "--from", &backup_arg]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("stop the server first"),
        "{}",
        text(&output)
    );
    std::fs::remove_file(dir.path().join("restaurada.db-wal")).expect("rm");
    let output = agenda(&target_url, &["restore", "--from", &backup_arg]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("is kept at"), "{}", text(&output));
    assert_eq!(contacts_in(&target_url).await, in_backup);
    let db = app::db::Db::open(&target_url).await.expect("open");
    assert_database_sound(&db).await;
    db.close().await;

    // Something that is not a backup is refused whole.
    let junk = dir.path().join("lixo.db");
    std::fs::write(&junk, b"not a database").expect("junk");
    let output = agenda(
        &target_url,
        &["restore", "--from", junk.to_str().expect("path")],
    );
    assert!(!output.status.success());
    assert!(
        text(&output).contains("not a usable Agenda backup"),
        "{}",
        text(&output)
    );
    assert_eq!(contacts_in(&target_url).await, in_backup, "left as it was");

    // PostgreSQL backups are pg_dump's.
    if postgres_enabled().await {
        let pg = fresh_database(Backend::Postgres).await;
        let output = agenda(&pg.url, &["backup", "--to", "/tmp/never.db"]);
        assert!(text(&output).contains("pg_dump"), "{}", text(&output));
    }
}

#[tokio::test]
async fn postgres_a_dump_restores_into_a_working_agenda() {
    if !postgres_enabled().await {
        return;
    }
    if Command::new("pg_dump").arg("--version").output().is_err() {
        assert!(
            std::env::var("AGENDA_TEST_PG_REQUIRED").is_err(),
            "pg_dump is needed for the PostgreSQL backup test"
        );
        eprintln!("SKIPPED: pg_dump is not installed");
        return;
    }
    let app = spawn_app(Backend::Postgres).await;
    let company = app.company("Loja").await;
    let people: Vec<_> = (0..200)
        .map(|n| {
            contact(
                &format!("Pessoa {n}"),
                Some(&format!("+55119{:08}", n)),
                None,
            )
        })
        .collect();
    app.add(company, &people).await;
    let source = app.database_url().to_string();
    let dir = tempfile::tempdir().expect("dir");
    let dump = dir.path().join("agenda.dump");
    let output = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(&source)
        .output()
        .expect("pg_dump");
    assert!(output.status.success(), "{}", text(&output));

    let restored = fresh_database(Backend::Postgres).await;
    let output = Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname", &restored.url])
        .arg(&dump)
        .output()
        .expect("pg_restore");
    assert!(output.status.success(), "{}", text(&output));

    let output = agenda(&restored.url, &["check"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains(": 200 contacts, 200 phones"),
        "{}",
        text(&output)
    );
    // The restored database serves: the same admin signs in and searches.
    let db = app::db::Db::open(&restored.url).await.expect("open");
    let restored_app = spawn_with(db, restored).await;
    let client = crate::helpers::new_client();
    let response = client
        .post(format!("{}/api/auth/login", restored_app.base))
        .form(&[
            ("email", crate::helpers::admin_email("Loja").as_str()),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), 200);
    let response = client
        .post(format!("{}/api/contacts/list", restored_app.base))
        .form(&[("q", "Pessoa 17")])
        .send()
        .await
        .expect("search");
    let page: serde_json::Value = response.json().await.expect("json");
    let names = crate::helpers::contact_names(&page);
    assert!(names.contains(&"Pessoa 17".to_string()), "{names:?}");
}
