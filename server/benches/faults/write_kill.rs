//! `write-kill`: 16 clients create and edit contacts through the API; the
//! server is killed with SIGKILL mid-stream. After the restart every write
//! the server acknowledged (2xx) is there, whole: each contact holds the
//! name and exactly the phones of its last acknowledged version (or of the
//! one in flight at the kill, which may have committed), never a mix; and
//! `agenda check` passes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::import_kill::Outcome;
use crate::server::{self, call_json, check, Server};

const CLIENTS: usize = 16;

/// A contact's name and phones (E.164), as one version wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    name: String,
    phones: Vec<String>,
}

/// What one client knows about its contacts.
#[derive(Debug, Default)]
struct Ledger {
    /// Last acknowledged version per contact id.
    acked: HashMap<i64, Version>,
    /// The version in flight when the server went away.
    pending: HashMap<i64, Version>,
    creates: u64,
    edits: u64,
    /// Creates sent but not answered (may or may not have committed).
    unanswered_creates: u64,
}

fn version(name: String, phones: &[String]) -> (Version, serde_json::Value) {
    let e164: Vec<String> = phones
        .iter()
        .map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect()
        })
        .collect();
    let form = json!({"name": name, "phones": phones});
    (Version { name, phones: e164 }, form)
}

async fn client_loop(
    c: usize,
    client: reqwest::Client,
    base: String,
    stop: Arc<AtomicBool>,
) -> Ledger {
    let mut ledger = Ledger::default();
    let mut ids: Vec<i64> = Vec::new();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        if n.is_multiple_of(3) && !ids.is_empty() {
            let id = ids[(n as usize * 7) % ids.len()];
            let phones: Vec<String> = (0..(n % 3 + 1))
                .map(|k| format!("+55 21 9{c:02}{:06}", (n * 3 + k) % 1_000_000))
                .collect();
            let (next, form) = version(format!("W{c}-{n} editado"), &phones);
            ledger.pending.insert(id, next.clone());
            let (status, _) = call_json(
                &client,
                &base,
                "/api/contacts/update",
                &json!({"id": id, "form": form}),
            )
            .await;
            match status {
                200 => {
                    ledger.pending.remove(&id);
                    ledger.acked.insert(id, next);
                    ledger.edits += 1;
                }
                0 => break,
                _ => {
                    ledger.pending.remove(&id);
                }
            }
        } else {
            let phones = [format!("+55 11 9{c:02}{:06}", n % 1_000_000)];
            let (next, form) = version(format!("W{c}-{n}"), &phones);
            let (status, body) = call_json(
                &client,
                &base,
                "/api/contacts/create",
                &json!({"form": form}),
            )
            .await;
            match (status, body["id"].as_i64()) {
                (200, Some(id)) => {
                    ids.push(id);
                    ledger.acked.insert(id, next);
                    ledger.creates += 1;
                }
                (0, _) => {
                    ledger.unanswered_creates += 1;
                    break;
                }
                _ => {}
            }
        }
    }
    ledger
}

pub async fn run(url: &str, backend: &str) -> Outcome {
    let seconds = server::env_number("AGENDA_BENCH_SECONDS", 8);
    let mut lines = vec![format!(
        "write-kill on {backend}, {CLIENTS} clients, killed after {seconds} s"
    )];
    let mut server = Server::start(url).await;
    // One session shared by the clients (clones share the cookie jar): 16
    // logins at once would be paced by the login limits.
    let session = server::client();
    server::sign_up(&session, &server.base, "Escritas").await;
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let client = session.clone();
            tokio::spawn(client_loop(c, client, server.base.clone(), stop.clone()))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    server.kill();
    stop.store(true, Ordering::Relaxed);
    let mut ledgers = Vec::new();
    for task in tasks {
        ledgers.push(task.await.expect("client"));
    }
    server.restart().await;

    let stored = stored_versions(url).await;
    let (mut whole, mut in_flight_committed, mut missing, mut wrong) = (0, 0, 0, 0);
    for ledger in &ledgers {
        for (id, acked) in &ledger.acked {
            match stored.get(id) {
                None => missing += 1,
                Some(now) if now == acked => whole += 1,
                Some(now) if ledger.pending.get(id) == Some(now) => in_flight_committed += 1,
                Some(now) => {
                    wrong += 1;
                    if wrong <= 5 {
                        lines.push(format!(
                            "  contact {id}: acknowledged {acked:?}, stored {now:?}"
                        ));
                    }
                }
            }
        }
    }
    let (creates, edits, unanswered): (u64, u64, u64) = ledgers.iter().fold((0, 0, 0), |t, l| {
        (t.0 + l.creates, t.1 + l.edits, t.2 + l.unanswered_creates)
    });
    let (check_ok, report) = check(url);
    let passed = missing == 0 && wrong == 0 && check_ok;
    lines.push(format!(
        "  acknowledged: {creates} creates, {edits} edits; in flight at the kill: {} edits, {unanswered} creates",
        ledgers.iter().map(|l| l.pending.len()).sum::<usize>()
    ));
    lines.push(format!(
        "  after restart: {whole} contacts exactly as acknowledged, {in_flight_committed} holding the edit in flight (committed before the kill), {missing} missing, {wrong} mixed or wrong; agenda check {}",
        if check_ok { "ok" } else { "FAILED" }
    ));
    if !check_ok {
        lines.push(report);
    }
    lines.push(format!("  {}", if passed { "PASSED" } else { "FAILED" }));
    Outcome { lines, passed }
}

/// Every contact's name and phones, read straight from the database.
async fn stored_versions(url: &str) -> HashMap<i64, Version> {
    let db = app::db::Db::open(url).await.expect("open");
    let rows: Vec<(i64, String, Option<String>)> = app::with_db!(&db, pool => {
        sqlx::query_as(
            "SELECT c.id, c.name, p.e164 FROM contacts c
               LEFT JOIN contact_phones p ON p.contact_id = c.id
              ORDER BY c.id, p.position",
        )
        .fetch_all(pool)
        .await
        .expect("contacts")
    });
    db.close().await;
    let mut stored: HashMap<i64, Version> = HashMap::new();
    for (id, name, phone) in rows {
        let entry = stored.entry(id).or_insert(Version {
            name,
            phones: Vec::new(),
        });
        entry.phones.extend(phone);
    }
    stored
}
