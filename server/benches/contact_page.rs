//! What a contact page costs with 1,000 conversations and 10,000 timeline
//! events, and whether conversation volume slows the contact list, its
//! search or the conversations module.
//!
//! ```sh
//! cargo bench -p server --bench contact_page
//! AGENDA_BENCH_CONTACTS=1000000 cargo bench -p server --bench contact_page
//! ```
//!
//! Takes a copy (`VACUUM INTO`) of the benchmarks' database of generated
//! contacts (`AGENDA_BENCH_CONTACTS`, default 100,000 here), times the
//! contact list and its search, then adds the volume: one contact with
//! 1,000 conversations (10 messages each) and 10,000 timeline events, and
//! two conversations with 3 messages each for every other contact. It then
//! times the contact page's calls, a chat, the conversations list, and the
//! contact list and search again. Each figure is the median and p95 of 200
//! runs after 20 warm-up runs.

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use app::contacts::search::{parse_search, ListFilter};
use app::conversations::repo as conversations;
use app::db::Db;
use app::tenant::CompanyId;
use app::timeline::repo as timeline;

mod common;

const RUNS: usize = 200;
const WARM_UP: usize = 20;

fn main() {
    common::block_on(run());
}

/// Median and p95 of `RUNS` runs of `call`.
async fn time<F, Fut, T>(mut call: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    for _ in 0..WARM_UP {
        call().await;
    }
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        call().await;
        runs.push(started.elapsed());
    }
    runs.sort_unstable();
    (runs[RUNS / 2], runs[RUNS * 95 / 100])
}

fn row(what: &str, (median, p95): (Duration, Duration)) {
    println!(
        "| {what} | {:.2} ms | {:.2} ms |",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
}

async fn list_and_search(db: &Db, company: CompanyId, when: &str) {
    for (label, query) in [
        ("contact list, first page", ""),
        ("search \"ana\"", "ana"),
        ("search \"98765\"", "98765"),
    ] {
        let terms = parse_search(query);
        let timing = time(|| async {
            app::contacts::search::list_repo::list_contacts(
                db,
                company,
                &terms,
                ListFilter::default(),
                None,
                51,
            )
            .await
            .expect("list")
        })
        .await;
        row(&format!("{label} ({when})"), timing);
    }
}

async fn run() {
    let contacts = std::env::var("AGENDA_BENCH_CONTACTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let (source, _) = common::bench_database(contacts).await;
    let copy = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../target/bench/contact-page-{contacts}.db"));
    let _ = std::fs::remove_file(&copy);
    let Db::Sqlite(pool) = &source else {
        unreachable!("the bench database is SQLite")
    };
    sqlx::query(&format!("VACUUM INTO '{}'", copy.display()))
        .execute(pool)
        .await
        .expect("copy the bench database");
    let db = Db::open(&format!("sqlite:{}", copy.display()))
        .await
        .expect("open the copy");
    let company = app::tenant::demo_company(&db)
        .await
        .expect("query")
        .expect("company");

    println!("\nContact page and conversation volume, {contacts} contacts, SQLite (in process)\n");
    println!("| call | median | p95 |");
    println!("|---|---|---|");
    list_and_search(&db, company, "no conversations").await;

    let started = Instant::now();
    let contact = add_volume(&db, company).await;
    eprintln!("volume added in {:.0?}", started.elapsed());

    let page = time(|| async {
        let details = app::contacts::repo::get_contact(&db, company, contact)
            .await
            .expect("contact");
        let origin = app::import_export::repo::import_origin(&db, company, contact)
            .await
            .expect("origin");
        let list = conversations::of_contact(&db, company, contact, None, 51)
            .await
            .expect("conversations");
        let total = conversations::count_of_contact(&db, company, contact)
            .await
            .expect("count");
        let events = timeline::list_events(&db, company, contact, None, 50, 0)
            .await
            .expect("timeline");
        (details, origin, list, total, events)
    })
    .await;
    row(
        "contact page: details + first 50 conversations + first 50 timeline events",
        page,
    );
    row(
        "  details (contacts/get)",
        time(|| async {
            app::contacts::repo::get_contact(&db, company, contact)
                .await
                .expect("contact")
        })
        .await,
    );
    row(
        "  conversations tab (conversations/of_contact, 50 of 1,000, with the count)",
        time(|| async {
            let page = conversations::of_contact(&db, company, contact, None, 51)
                .await
                .expect("conversations");
            let total = conversations::count_of_contact(&db, company, contact)
                .await
                .expect("count");
            (page, total)
        })
        .await,
    );
    row(
        "  timeline (timeline/list, 50 of 10,000)",
        time(|| async {
            timeline::list_events(&db, company, contact, None, 50, 0)
                .await
                .expect("timeline")
        })
        .await,
    );
    let oldest: i64 = match &db {
        Db::Sqlite(pool) => sqlx::query_scalar(
            "SELECT MIN(id) + 60 FROM timeline_events WHERE company_id = ? AND contact_id = ?",
        )
        .bind(company.get())
        .bind(contact)
        .fetch_one(pool)
        .await
        .expect("oldest"),
        Db::Postgres(_) => unreachable!(),
    };
    row(
        "  timeline, last page (before the 60th event)",
        time(|| async {
            timeline::list_events(&db, company, contact, Some(oldest), 50, 0)
                .await
                .expect("timeline")
        })
        .await,
    );
    let chat = conversations::of_contact(&db, company, contact, None, 1)
        .await
        .expect("one")[0]
        .id;
    row(
        "chat: conversations/get (summary + messages)",
        time(|| async {
            let summary = conversations::get(&db, company, chat)
                .await
                .expect("summary");
            let messages = conversations::messages(&db, company, chat, 500)
                .await
                .expect("messages");
            (summary, messages)
        })
        .await,
    );
    let all = conversations::ListQuery::default();
    row(
        "conversations list, first page",
        time(|| async {
            conversations::list(&db, company, &all, None, 51)
                .await
                .expect("list")
        })
        .await,
    );
    let open_sms = conversations::ListQuery {
        channel: Some(app::conversations::Channel::Sms),
        status: Some(app::conversations::model::ConversationStatus::Open),
        ..Default::default()
    };
    row(
        "conversations list, SMS + open",
        time(|| async {
            conversations::list(&db, company, &open_sms, None, 51)
                .await
                .expect("list")
        })
        .await,
    );
    list_and_search(&db, company, "with conversations").await;
    drop(db);
    let _ = std::fs::remove_file(&copy);
}

/// Adds the conversation volume; returns the contact with 1,000
/// conversations and 10,000 timeline events.
async fn add_volume(db: &Db, company: CompanyId) -> app::ids::ContactId {
    let Db::Sqlite(pool) = db else { unreachable!() };
    let contact: app::ids::ContactId =
        sqlx::query_scalar("SELECT MIN(id) FROM contacts WHERE company_id = ?")
            .bind(company.get())
            .fetch_one(pool)
            .await
            .expect("a contact");
    let statements = [
        // Two conversations of every other contact, spread over a year.
        "INSERT INTO conversations (company_id, contact_id, channel, status, started_at, last_message_at, last_message, message_count)
         SELECT c.company_id, c.id,
                CASE (c.id + n.k) % 3 WHEN 0 THEN 'whatsapp' WHEN 1 THEN 'sms' ELSE 'email' END,
                CASE WHEN (c.id + n.k) % 4 = 0 THEN 'open' ELSE 'closed' END,
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ((c.id * 7 + n.k * 13) % 525600) || ' minutes'),
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ((c.id * 7 + n.k * 13) % 525600) || ' minutes'),
                'Obrigado pelo contato!', 3
           FROM contacts c, (SELECT 1 AS k UNION ALL SELECT 2) n
          WHERE c.company_id = ?1 AND c.id <> ?2",
        // The heavy contact's 1,000 conversations.
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 1000)
         INSERT INTO conversations (company_id, contact_id, channel, status, started_at, last_message_at, last_message, message_count)
         SELECT ?1, ?2, CASE k % 3 WHEN 0 THEN 'whatsapp' WHEN 1 THEN 'sms' ELSE 'email' END,
                CASE WHEN k = 1000 THEN 'open' ELSE 'closed' END,
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (1000 - k) || ' hours'),
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (1000 - k) || ' hours'),
                'Mensagem ' || k, 10
           FROM n",
        // Messages: 3 per conversation, 10 for the heavy contact's.
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 10)
         INSERT INTO messages (company_id, conversation_id, direction, body, sent_at, delivery)
         SELECT v.company_id, v.id, CASE k % 2 WHEN 0 THEN 'out' ELSE 'in' END,
                'Mensagem ' || k || ' da conversa ' || v.id, v.started_at,
                CASE k % 2 WHEN 0 THEN 'recorded' ELSE 'received' END
           FROM conversations v, n
          WHERE v.company_id = ?1 AND ?2 > 0 AND k <= v.message_count",
        // 10,000 timeline events: one start per conversation, comments for the rest.
        "INSERT INTO timeline_events (company_id, contact_id, kind, conversation_id, data, at)
         SELECT company_id, contact_id, 'conversation_started', id,
                '{\"channel\":\"' || channel || '\",\"by_customer\":false}', started_at
           FROM conversations WHERE company_id = ?1 AND contact_id = ?2",
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 9000)
         INSERT INTO timeline_events (company_id, contact_id, kind, body, at)
         SELECT ?1, ?2, 'comment', 'Comentário ' || k,
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (9000 - k) || ' minutes')
           FROM n",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(company.get())
            .bind(contact)
            .execute(pool)
            .await
            .expect("volume");
    }
    sqlx::query("PRAGMA optimize")
        .execute(pool)
        .await
        .expect("optimize");
    contact
}
