//! CSV export benchmark: contacts per second and peak memory of the
//! streamed export (`GET /contacts/export.csv`'s body, built in process and
//! written to a sink) over the benchmarks' database of generated contacts.
//!
//! ```sh
//! cargo bench -p server --bench export
//! AGENDA_BENCH_CONTACTS=100000 cargo bench -p server --bench export
//! ```
//!
//! Peak memory is the process's high-water resident set (`VmHWM`), read
//! before and after the export: flat memory means the export adds little
//! to what opening the database already took.

use std::time::Instant;

use app::import_export::export::{export_stream, ExportParams};
use futures_util::TryStreamExt;

mod common;

fn main() {
    common::block_on(run());
}

async fn run() {
    let contacts = common::contacts_wanted();
    let (db, company) = common::bench_database(contacts).await;
    println!("\nCSV export, {contacts} contacts, SQLite (in process, to a sink)\n");
    println!(
        "| flavor | contacts | bytes | time | contacts/s | peak RSS before | peak RSS after |"
    );
    println!("|---|---|---|---|---|---|---|");
    // The whole list in both flavors, then the largest group and a search
    // (the list's name order, its lists read by id).
    use app::contacts::directory::DirectoryKind;
    let groups = app::contacts::directory::repo::list(&db, company, DirectoryKind::Group)
        .await
        .expect("groups");
    let largest = groups.iter().max_by_key(|g| g.contacts).expect("a group");
    let runs = [
        ("excel", None, None, contacts),
        ("rfc4180", None, None, contacts),
        (
            "excel, group",
            Some(largest.id),
            None,
            largest.contacts as usize,
        ),
        ("excel, q=silva", None, Some("silva"), 0),
    ];
    for (label, group, q, expected) in runs {
        let format = label.split(',').next().unwrap_or(label);
        let before = common::peak_rss_mib();
        let started = Instant::now();
        let params = ExportParams {
            format: Some(format.to_string()),
            group,
            q: q.map(str::to_string),
            ..Default::default()
        };
        let stream = export_stream(db.clone(), company, params)
            .await
            .expect("export");
        futures_util::pin_mut!(stream);
        let (mut rows, mut bytes) = (0usize, 0usize);
        while let Some((chunk, n)) = stream.try_next().await.expect("chunk") {
            rows += n;
            bytes += chunk.len();
        }
        let seconds = started.elapsed().as_secs_f64();
        if expected > 0 {
            assert_eq!(rows, expected, "every contact exported");
        }
        println!(
            "| {label} | {rows} | {:.1} MB | {seconds:.2} s | {:.0} | {before:.0} MiB | {:.0} MiB |",
            bytes as f64 / 1e6,
            rows as f64 / seconds,
            common::peak_rss_mib()
        );
    }
    where_the_time_goes(&db, company).await;
}

/// The export's two sides timed apart over the whole list (in the stream
/// they overlap): the database's statement per batch, and parsing the
/// batch and writing it as CSV.
async fn where_the_time_goes(db: &app::db::Db, company: app::tenant::CompanyId) {
    use app::import_export::csv_format::CsvFlavor;
    use app::import_export::export::{format_batch, EXPORT_BATCH};
    use app::import_export::export_repo::{read_batch, BatchOf};
    use std::time::Duration;

    let definitions = app::custom_fields::repo::list_fields(db, company, false)
        .await
        .expect("fields");
    let (mut reading, mut formatting) = (Duration::ZERO, Duration::ZERO);
    let mut after = 0;
    loop {
        let started = Instant::now();
        let batch = read_batch(
            db,
            company,
            BatchOf::After {
                after,
                limit: EXPORT_BATCH,
            },
        )
        .await
        .expect("batch");
        reading += started.elapsed();
        let Some(last) = batch.last_id else {
            break;
        };
        after = last;
        let started = Instant::now();
        format_batch(
            (batch, None),
            &definitions,
            CsvFlavor::Excel,
            app::time_zone::zone_or_default(app::time_zone::DEFAULT_ZONE),
        )
        .expect("format");
        formatting += started.elapsed();
    }
    println!(
        "\nWhere the time goes (excel, one after the other): database {reading:.2?}, parsing and CSV {formatting:.2?}"
    );
}
