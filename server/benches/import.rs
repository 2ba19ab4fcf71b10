//! CSV import benchmark: rows per second end to end (upload checks, decode,
//! parse, map, validate, normalize phones, dedupe, insert, index) and peak
//! memory, for a generated Brazilian-Excel file (`;`, BOM, formatted
//! phones, e-mails, organization, groups, CPF, dd/mm/aaaa birth dates) into
//! a fresh SQLite database (or, with `AGENDA_BENCH_PG_URL`, a fresh
//! PostgreSQL database `agenda_bench_import` on that server).
//!
//! ```sh
//! cargo bench -p server --bench import
//! AGENDA_BENCH_ROWS=1000000 cargo bench -p server --bench import
//! AGENDA_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p server --bench import
//! ```
//!
//! Peak memory is the process's high-water resident set (`VmHWM`), read
//! after the file is generated and after the import.

use std::io::Write;
use std::time::Instant;

use app::contacts::phone::format_phone;
use app::db::Db;
use app::import_export::{import, job::DuplicatePolicy, repo};

mod common;

fn main() {
    common::block_on(run());
}

/// A valid CPF (check digits computed) from 9 random digits.
fn cpf(rng: &mut fastrand::Rng) -> String {
    let mut digits: Vec<u32> = (0..9).map(|_| rng.u32(0..10)).collect();
    for len in [9, 10] {
        let sum: u32 = digits
            .iter()
            .enumerate()
            .map(|(i, d)| d * (len as u32 + 1 - i as u32))
            .sum();
        let check = (sum * 10) % 11 % 10;
        digits.push(check);
    }
    let s: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
    format!("{}.{}.{}-{}", &s[0..3], &s[3..6], &s[6..9], &s[9..11])
}

/// Writes `rows` generated contacts as a Brazilian-Excel CSV file.
fn generate_file(path: &std::path::Path, rows: usize) -> u64 {
    let file = std::fs::File::create(path).expect("create file");
    let mut out = std::io::BufWriter::new(file);
    out.write_all("\u{feff}".as_bytes()).expect("bom");
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer
        .write_record([
            "Nome",
            "Celular",
            "E-mail",
            "Endereço",
            "Empresa",
            "Grupos",
            "CPF",
            "Data de Nascimento",
        ])
        .expect("header");
    let mut rng = fastrand::Rng::with_seed(20_261_125);
    const CHUNK: usize = 20_000;
    for start in (0..rows).step_by(CHUNK) {
        let n = CHUNK.min(rows - start);
        for contact in server::seed::generate_contacts(n, 4242 + start as u64) {
            let phones: Vec<String> = contact.phones.iter().map(|p| format_phone(p)).collect();
            let birth = format!(
                "{:02}/{:02}/{}",
                rng.u32(1..29),
                rng.u32(1..13),
                rng.u32(1950..2006)
            );
            writer
                .write_record([
                    contact.name.as_str(),
                    &phones.join(" ::: "),
                    &contact.emails.join(" ::: "),
                    contact.address.as_deref().unwrap_or_default(),
                    contact.organization.as_deref().unwrap_or_default(),
                    &contact.groups.join(" ::: "),
                    &cpf(&mut rng),
                    &birth,
                ])
                .expect("row");
        }
    }
    writer.flush().expect("flush");
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

async fn run() {
    let rows: usize = std::env::var("AGENDA_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("contatos.csv");
    let started = Instant::now();
    let size = generate_file(&path, rows);
    eprintln!(
        "generated {rows} rows ({:.1} MB) in {:.1?}",
        size as f64 / 1e6,
        started.elapsed()
    );
    let url = match common::pg_url() {
        Some(server) => common::pg_database(&server, "agenda_bench_import", true).await,
        None => format!("sqlite:{}", dir.path().join("import.db").display()),
    };
    let db = Db::open_with(&url, common::db_settings())
        .await
        .expect("database");
    let admin = app::auth::repo::NewUser {
        name: "Bench".to_string(),
        email: "bench@agenda.example".to_string(),
        password_hash: "not-a-login".to_string(),
        role: app::auth::model::Role::Admin,
    };
    let (company, user) = app::auth::repo::create_company_with_admin(&db, "Bench", false, &admin)
        .await
        .expect("company");
    let before = common::peak_rss_mib();

    // Another user saves a contact every 20 ms while the file is stored:
    // how long each save waits (the upload takes one transaction per 1 MiB
    // piece, so on SQLite a save waits for one piece at most).
    let uploading = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let saves = {
        let (db, uploading) = (db.clone(), uploading.clone());
        tokio::spawn(async move {
            let mut waits = Vec::new();
            while uploading.load(std::sync::atomic::Ordering::Relaxed) {
                let contact = app::contacts::writer::NewContact {
                    name: format!("Salvo durante o envio {}", waits.len()),
                    phones: Vec::new(),
                    emails: Vec::new(),
                    address: None,
                    organization: None,
                    groups: Vec::new(),
                };
                let asked = Instant::now();
                app::contacts::writer::insert_contacts(&db, company, &[contact])
                    .await
                    .expect("a save during the upload");
                waits.push(asked.elapsed());
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            waits
        })
    };
    let started = Instant::now();
    let pieces = import::file_pieces(tokio::fs::File::open(&path).await.expect("open"));
    let id = import::store_upload(&db, company, user, "contatos.csv", pieces, u64::MAX)
        .await
        .map_err(|e| app::error::AppError::from(e).to_string())
        .expect("upload");
    let uploaded = started.elapsed();
    uploading.store(false, std::sync::atomic::Ordering::Relaxed);
    let mut waits = saves.await.expect("saves");
    waits.sort();
    let at = |q: f64| {
        waits
            .get(((waits.len() as f64 * q) as usize).min(waits.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    let preview = import::preview(&db, company, id).await.expect("preview");
    let policy = std::env::var("AGENDA_BENCH_DUPLICATES")
        .ok()
        .and_then(|p| DuplicatePolicy::parse(&p))
        .unwrap_or(DuplicatePolicy::Skip);
    import::confirm(&db, company, id, preview.targets, policy)
        .await
        .expect("confirm");
    let running = Instant::now();
    import::run_job(db.clone(), company, id, Default::default())
        .await
        .expect("run");
    let ran = running.elapsed();
    let total = started.elapsed();
    let job = repo::get_job(&db, company, id)
        .await
        .expect("job")
        .expect("exists")
        .job;
    assert_eq!(job.rows_done as usize, rows, "{job:?}");
    println!(
        "\nCSV import, {rows} rows, {:.1} MB, {}, duplicates: {}\n",
        size as f64 / 1e6,
        common::backend(&db),
        policy.as_str()
    );
    println!("| step | time | rows/s |");
    println!("|---|---|---|");
    println!(
        "| upload (scan, sniff, store chunks) | {:.2} s | {:.0} |",
        uploaded.as_secs_f64(),
        rows as f64 / uploaded.as_secs_f64()
    );
    println!(
        "| run (parse, validate, dedupe, insert) | {:.2} s | {:.0} |",
        ran.as_secs_f64(),
        rows as f64 / ran.as_secs_f64()
    );
    println!(
        "| end to end | {:.2} s | {:.0} |",
        total.as_secs_f64(),
        rows as f64 / total.as_secs_f64()
    );
    println!(
        "\nsaves by another user during the upload: {} (p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms)",
        waits.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
    println!(
        "\ncreated {}, skipped {}, failed {}; peak RSS {before:.0} MiB before the import, {:.0} MiB after",
        job.created,
        job.skipped,
        job.failed,
        common::peak_rss_mib()
    );
}
