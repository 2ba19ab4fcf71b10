//! Contact search benchmark: server-side latency of the contact list's
//! search (`contacts/list`: parsing, planning, the page query) on a SQLite
//! database of 1,000,000 generated contacts, or on PostgreSQL with
//! `AGENDA_BENCH_PG_URL` (then also each query kind's `EXPLAIN ANALYZE`).
//!
//! ```sh
//! cargo bench -p server --bench search
//! AGENDA_BENCH_CONTACTS=100000 cargo bench -p server --bench search
//! AGENDA_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p server --bench search
//! ```
//!
//! The database is generated once (deterministically) into
//! `target/bench/search-<N>.db` and reused by later runs. Each query kind is
//! run for 60 different queries drawn from the data, twice each, after one
//! warm-up pass; the table printed at the end goes into BENCHMARKS.md.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use app::contacts::search::list_repo::{list_contacts, plan_search, SearchPlan};
use app::contacts::search::{fold, parse_search, Cursor, ListFilter, DEFAULT_PAGE_SIZE};
use app::db::Db;
use app::tenant::CompanyId;

mod common;

const QUERIES_PER_KIND: usize = 60;
const RUNS_PER_QUERY: usize = 2;

/// A contact drawn from the database to build queries from.
#[derive(sqlx::FromRow)]
struct Sample {
    id: i64,
    name: String,
    phone: Option<String>,
    email: Option<String>,
}

fn main() {
    common::block_on(run());
}

async fn run() {
    let contacts = common::contacts_wanted();
    let (db, company) = common::bench_database(contacts).await;

    let samples = samples(&db, company, contacts).await;
    let kinds = query_kinds(&samples);

    // Warm-up: one pass over every query (page cache, statement cache).
    for (_, queries) in &kinds {
        for query in queries {
            search(&db, company, query, None).await;
        }
    }

    println!(
        "\nContact search, {contacts} contacts, {}; server-side latency of one page (50 rows)",
        common::backend(&db)
    );
    println!("\n| query kind | example | plan | p50 | p95 | p99 | max |");
    println!("|---|---|---|---|---|---|---|");
    for (kind, queries) in &kinds {
        let mut times = Vec::with_capacity(queries.len() * RUNS_PER_QUERY);
        let mut plans = BTreeMap::new();
        for query in queries {
            *plans
                .entry(plan_name(&db, company, query).await)
                .or_insert(0) += 1;
            for _ in 0..RUNS_PER_QUERY {
                times.push(search(&db, company, query, None).await);
            }
        }
        report(kind, &queries[0], &plans, &mut times);
    }

    // Deep paging: page 2..=21 of a dense query, each from its cursor.
    let mut times = Vec::new();
    for query in ["silva", "maria"] {
        let terms = parse_search(query);
        let mut after: Option<Cursor> = None;
        for _ in 0..20 {
            let started = Instant::now();
            let rows = list_contacts(
                &db,
                company,
                &terms,
                ListFilter::default(),
                after.as_ref(),
                DEFAULT_PAGE_SIZE,
            )
            .await
            .expect("page");
            times.push(started.elapsed());
            let last = rows.last().expect("a full page");
            after = Some(Cursor {
                sort_key: last.sort_key.clone(),
                id: last.id.get(),
            });
        }
    }
    report(
        "next pages (keyset)",
        "silva, maria: pages 1-20",
        &BTreeMap::from([("planned per page:", 40)]),
        &mut times,
    );

    // PostgreSQL: how the first page of a few searches is planned and run.
    for (kind, queries) in &kinds {
        let query = &queries[0];
        let terms = parse_search(query);
        if let Some(plan) = app::contacts::search::list_repo::explain_search(
            &db,
            company,
            &terms,
            DEFAULT_PAGE_SIZE,
        )
        .await
        .expect("explain")
        {
            println!("\nEXPLAIN ANALYZE, {kind}: \"{query}\"\n```");
            for line in plan {
                println!("{line}");
            }
            println!("```");
        }
    }
}

/// `QUERIES_PER_KIND` contacts spread over the whole list, deterministically.
async fn samples(db: &Db, company: CompanyId, contacts: usize) -> Vec<Sample> {
    let mut rng = fastrand::Rng::with_seed(common::SEED);
    let mut out = Vec::new();
    while out.len() < QUERIES_PER_KIND * 2 {
        let offset = rng.i64(0..contacts as i64);
        let sql = "SELECT c.id, c.name,
                    (SELECT e164 FROM contact_phones p WHERE p.contact_id = c.id
                      ORDER BY position LIMIT 1) AS phone,
                    (SELECT email FROM contact_emails e WHERE e.contact_id = c.id
                      ORDER BY position LIMIT 1) AS email
               FROM contacts c WHERE c.company_id = $1 AND c.id >= $2
              ORDER BY c.id LIMIT 1";
        let sample: Sample = app::with_db!(db, pool => {
            sqlx::query_as(sql)
                .bind(company.get())
                .bind(offset)
                .fetch_one(pool)
                .await
                .expect("sample")
        });
        out.push(sample);
    }
    out
}

/// The benchmark's query kinds, each with `QUERIES_PER_KIND` queries.
fn query_kinds(samples: &[Sample]) -> Vec<(&'static str, Vec<String>)> {
    let take = |f: &dyn Fn(&Sample) -> Option<String>| -> Vec<String> {
        samples
            .iter()
            .filter_map(f)
            .take(QUERIES_PER_KIND)
            .collect()
    };
    let words = |s: &Sample| -> Vec<String> { s.name.split(' ').map(str::to_string).collect() };
    // "+5511987654321" -> ("11", "98765", "4321")
    let parts = |e164: &str| -> (String, String, String) {
        let national = &e164[3..];
        let (ddd, number) = national.split_at(2);
        let (a, b) = number.split_at(number.len() - 4);
        (ddd.to_string(), a.to_string(), b.to_string())
    };
    vec![
        (
            "name prefix (4 letters)",
            take(&|s| Some(words(s)[0].chars().take(4).collect())),
        ),
        (
            "name substring (mid-word)",
            take(&|s| {
                let last = words(s).pop()?;
                let chars: Vec<char> = last.chars().collect();
                (chars.len() >= 6).then(|| chars[1..5].iter().collect())
            }),
        ),
        ("full name, no accents", take(&|s| Some(fold(&s.name)))),
        (
            "first name, no accents",
            take(&|s| Some(fold(&words(s)[0]))),
        ),
        (
            "phone (11) 98765-4321",
            take(&|s| {
                let (ddd, a, b) = parts(s.phone.as_deref()?);
                Some(format!("({ddd}) {a}-{b}"))
            }),
        ),
        (
            "phone +55 11 98765-4321",
            take(&|s| {
                let (ddd, a, b) = parts(s.phone.as_deref()?);
                Some(format!("+55 {ddd} {a}-{b}"))
            }),
        ),
        (
            "phone 987654321 (no area code)",
            take(&|s| {
                let (_, a, b) = parts(s.phone.as_deref()?);
                Some(format!("{a}{b}"))
            }),
        ),
        ("e-mail", take(&|s| s.email.clone())),
        (
            "e-mail, first 8 characters",
            take(&|s| Some(s.email.as_ref()?.chars().take(8).collect())),
        ),
        ("contact ID", take(&|s| Some(s.id.to_string()))),
        (
            "low selectivity",
            ["Silva", "Maria", "Santos", "Ana", "Souza"]
                .iter()
                .cycle()
                .take(QUERIES_PER_KIND)
                .map(|q| q.to_string())
                .collect(),
        ),
        (
            "no match",
            take(&|s| Some(format!("{} zzq", fold(&words(s)[0])))),
        ),
    ]
}

async fn search(db: &Db, company: CompanyId, query: &str, after: Option<&Cursor>) -> Duration {
    let started = Instant::now();
    let terms = parse_search(query);
    let rows = list_contacts(
        db,
        company,
        &terms,
        ListFilter::default(),
        after,
        DEFAULT_PAGE_SIZE,
    )
    .await
    .expect("search");
    let elapsed = started.elapsed();
    std::hint::black_box(rows);
    elapsed
}

/// Which way `list_contacts` answers the first page of `query`.
async fn plan_name(db: &Db, company: CompanyId, query: &str) -> &'static str {
    match plan_search(db, company, &parse_search(query))
        .await
        .expect("plan")
    {
        SearchPlan::Walk => "walk",
        SearchPlan::Index(_) => "index",
        SearchPlan::Ranked { .. } => "ranked",
    }
}

fn report(kind: &str, example: &str, plans: &BTreeMap<&str, usize>, times: &mut [Duration]) {
    times.sort();
    let at = |p: f64| {
        let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
        ms(times[i])
    };
    let plan = plans
        .iter()
        .map(|(plan, n)| format!("{plan} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "| {kind} | `{example}` | {plan} | {} | {} | {} | {} |",
        at(0.50),
        at(0.95),
        at(0.99),
        ms(*times.last().expect("samples"))
    );
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
