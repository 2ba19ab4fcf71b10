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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run());
}

/// The process's peak resident set so far, in MiB (Linux).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
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
        let before = peak_rss_mib();
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
            peak_rss_mib()
        );
    }
}
