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
    for format in ["excel", "rfc4180"] {
        let before = common::peak_rss_mib();
        let started = Instant::now();
        let params = ExportParams {
            format: Some(format.to_string()),
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
        assert_eq!(rows, contacts, "every contact exported");
        println!(
            "| {format} | {rows} | {:.1} MB | {seconds:.2} s | {:.0} | {before:.0} MiB | {:.0} MiB |",
            bytes as f64 / 1e6,
            rows as f64 / seconds,
            common::peak_rss_mib()
        );
    }
    where_the_time_goes(&db, company).await;
}

/// The export's steps timed apart over the whole list: the name-ordered
/// pages, the bulk reads, and turning records into CSV.
async fn where_the_time_goes(db: &app::db::Db, company: app::tenant::CompanyId) {
    use app::contacts::repo::{get_contacts, next_in_name_order};
    use app::contacts::search::Cursor;
    use app::import_export::csv_format::{row, CsvFlavor};
    use app::import_export::export::{export_contact, EXPORT_BATCH};
    use std::time::Duration;

    let definitions = app::custom_fields::repo::list_fields(db, company, false)
        .await
        .expect("fields");
    let (mut paging, mut reading, mut formatting) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut after: Option<Cursor> = None;
    loop {
        let started = Instant::now();
        let rows = next_in_name_order(db, company, after.as_ref(), EXPORT_BATCH)
            .await
            .expect("page");
        paging += started.elapsed();
        let Some((id, sort_key)) = rows.last() else {
            break;
        };
        after = Some(Cursor {
            sort_key: sort_key.clone(),
            id: *id,
        });
        let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
        let started = Instant::now();
        let records = get_contacts(db, company, &ids, &definitions)
            .await
            .expect("records");
        reading += started.elapsed();
        let started = Instant::now();
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(std::io::sink());
        for record in records {
            writer
                .write_record(row(&export_contact(record), &definitions, CsvFlavor::Excel))
                .expect("write");
        }
        formatting += started.elapsed();
        if rows.len() < EXPORT_BATCH as usize {
            break;
        }
    }
    println!(
        "\nWhere the time goes (excel): name-ordered pages {paging:.2?}, bulk reads {reading:.2?}, formatting and CSV {formatting:.2?}"
    );
}
