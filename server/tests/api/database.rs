//! The data layer as the server starts it: first start, several servers
//! starting at once, and both backends' schemas being the same.

use std::collections::BTreeMap;

use app::contacts::repo::count_contacts;
use app::db::{Db, DbSettings};
use app::tenant::demo_company;
use server::{open_database, seed};

use crate::helpers::{fresh_database, spawn_with, Backend};

async fn the_first_start_creates_the_demo_company_once(backend: Backend) {
    let database = fresh_database(backend).await;
    let db = open_database(&database.url, DbSettings::default())
        .await
        .expect("first start");
    let demo = demo_company(&db)
        .await
        .expect("query")
        .expect("demo company exists");
    let count = count_contacts(&db, demo).await.expect("count");
    assert_eq!(
        count,
        (seed::FIRST_START_CONTACTS + server::demo_life::EXTRA_CONTACTS) as i64
    );
    db.close().await;

    let db = open_database(&database.url, DbSettings::default())
        .await
        .expect("second start");
    assert_eq!(
        count_contacts(&db, demo).await.expect("count"),
        count,
        "no second seeding"
    );

    let app = spawn_with(db, database).await;
    let login = app
        .post_form(
            "/api/auth/login",
            &[
                ("email", app::auth::DEMO_EMAIL),
                ("password", app::auth::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(login.status(), 200, "the demo admin signs in");
    let page: serde_json::Value = app
        .post_form("/api/contacts/list", &[])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["contacts"].as_array().expect("array").len(), 50);
    assert!(page["next"].is_string());

    // The demo has life in every tab.
    let body = serde_json::json!({"filter": {}, "after": null});
    let list: serde_json::Value = app
        .post_json(&app.client, "/api/conversations/list", &body)
        .await
        .json()
        .await
        .expect("json");
    let channels: std::collections::BTreeSet<String> = list["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .filter_map(|c| c["channel"].as_str().map(str::to_string))
        .collect();
    assert!(
        channels.len() >= 3,
        "several channels on the first page: {channels:?}"
    );
    let statuses: std::collections::BTreeSet<String> = list["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .filter_map(|c| c["status"].as_str().map(str::to_string))
        .collect();
    assert_eq!(statuses.len(), 2, "open and closed: {statuses:?}");
    let find = |name: &'static str| {
        let app = &app;
        async move {
            let page: serde_json::Value = app
                .post_form("/api/contacts/list", &[("q", name)])
                .await
                .json()
                .await
                .expect("json");
            page["contacts"][0]["id"].as_i64().expect(name)
        }
    };
    let regular = find(server::demo_life::REGULAR).await.to_string();
    let (_, tab) = crate::helpers::call(
        &app,
        &app.client,
        "/api/conversations/of_contact",
        &[("contact_id", regular.as_str())],
    )
    .await;
    assert_eq!(
        tab["total"],
        server::demo_life::REGULAR_CONVERSATIONS as i64
    );
    assert!(tab["next_before"].is_i64(), "the tab pages: {tab}");
    let main = find(server::demo_life::LINKED_MAIN).await.to_string();
    let (_, details) = crate::helpers::call(
        &app,
        &app.client,
        "/api/contacts/get",
        &[("id", main.as_str())],
    )
    .await;
    assert_eq!(
        details["linked"].as_array().map(Vec::len),
        Some(2),
        "{details}"
    );
    let (_, events) = crate::helpers::call(
        &app,
        &app.client,
        "/api/timeline/list",
        &[("contact_id", regular.as_str())],
    )
    .await;
    assert!(
        events.to_string().contains("Cliente desde 2019"),
        "a comment"
    );
}

/// Several servers starting at once on one empty database: migrations are
/// applied once and exactly one of them creates the demo company.
async fn servers_starting_at_once_migrate_and_seed_exactly_once(backend: Backend) {
    let database = fresh_database(backend).await;
    let starts = (0..4).map(|_| {
        let url = database.url.clone();
        tokio::spawn(async move { open_database(&url, DbSettings::default()).await })
    });
    let mut dbs = Vec::new();
    for start in starts {
        dbs.push(start.await.expect("task").expect("start"));
    }
    let db = &dbs[0];
    let companies: i64 = app::with_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM companies").fetch_one(pool).await.expect("count")
    });
    assert_eq!(companies, 1, "one demo company");
    let demo = demo_company(db).await.expect("query").expect("demo");
    assert_eq!(
        count_contacts(db, demo).await.expect("count"),
        (seed::FIRST_START_CONTACTS + server::demo_life::EXTRA_CONTACTS) as i64
    );
    for db in dbs {
        db.close().await;
    }
}

crate::on_both_backends!(
    the_first_start_creates_the_demo_company_once,
    servers_starting_at_once_migrate_and_seed_exactly_once,
);

/// Table → sorted column names, as a backend's catalogue describes them.
type Schema = BTreeMap<String, Vec<String>>;

async fn schema(db: &Db) -> Schema {
    let rows: Vec<(String, String)> = match db {
        Db::Sqlite(pool) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
              WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'
                AND m.name NOT LIKE 'contact_search%'
                AND NOT (m.name = 'contacts' AND p.name = 'search_rank')",
        )
        .fetch_all(pool)
        .await
        .expect("sqlite schema"),
        Db::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx_%'",
        )
        .fetch_all(pool)
        .await
        .expect("postgres schema"),
    };
    let mut schema = Schema::new();
    for (table, column) in rows {
        schema.entry(table).or_default().push(column);
    }
    for columns in schema.values_mut() {
        columns.sort();
    }
    schema
}

/// The two migration folders must build the same tables with the same
/// columns (their types differ only in representation; see the PostgreSQL
/// migration's header). SQLite's search index (`contact_search` and its FTS5
/// shadow tables, and each contact's place in it, `contacts.search_rank`) is
/// its own: PostgreSQL answers the same searches without it.
#[tokio::test]
async fn both_backends_build_the_same_tables_and_columns() {
    if !crate::helpers::postgres_enabled().await {
        return;
    }
    let sqlite = fresh_database(Backend::Sqlite).await;
    let postgres = fresh_database(Backend::Postgres).await;
    let sqlite_db = Db::open(&sqlite.url).await.expect("sqlite");
    let postgres_db = Db::open(&postgres.url).await.expect("postgres");
    let sqlite_schema = schema(&sqlite_db).await;
    assert!(sqlite_schema.contains_key("contacts"), "{sqlite_schema:?}");
    assert_eq!(sqlite_schema, schema(&postgres_db).await);
    sqlite_db.close().await;
    postgres_db.close().await;
}

/// A database written before search ranks existed (migrations up to 0011)
/// is upgraded in place by migration 0012: every contact gets a rank in its
/// company's space, in name order, the index is rebuilt under the ranks, and
/// searches give what the walk gives; writes after it keep ranks in order.
#[tokio::test]
async fn migration_0012_ranks_the_contacts_that_exist() {
    use std::str::FromStr;

    use app::contacts::search::list_repo::{list_contacts_with, plan_search, SearchPlan};
    use app::contacts::search::{parse_search, ListFilter};
    use app::contacts::writer::insert_contacts;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

    let database = fresh_database(Backend::Sqlite).await;
    let options = SqliteConnectOptions::from_str(&database.url)
        .expect("url")
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("open");
    let before = app::db::SQLITE_MIGRATOR
        .iter()
        .filter(|m| m.version < 12)
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(before.len(), 11);
    sqlx::migrate::Migrator {
        migrations: before.into(),
        ..sqlx::migrate::Migrator::DEFAULT
    }
    .run(&pool)
    .await
    .expect("migrations 0001-0011");
    let now = "2026-01-01T00:00:00Z";
    for (company, name) in [(1, "Padaria"), (2, "Oficina")] {
        sqlx::query("INSERT INTO companies (id, name, is_demo, created_at) VALUES ($1, $2, 0, $3)")
            .bind(company)
            .bind(name)
            .bind(now)
            .execute(&pool)
            .await
            .expect("company");
    }
    let contacts = seed::generate_contacts(300, 3);
    for (i, contact) in contacts.iter().enumerate() {
        let company = 1 + (i % 3 == 0) as i64;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contacts (company_id, name, sort_key, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(company)
        .bind(&contact.name)
        .bind(app::contacts::search::fold(&contact.name))
        .bind(now)
        .fetch_one(&pool)
        .await
        .expect("contact");
        for (position, phone) in contact.phones.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contact_phones (company_id, contact_id, e164, position)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(company)
            .bind(id)
            .bind(phone)
            .bind(position as i64)
            .execute(&pool)
            .await
            .expect("phone");
        }
    }
    pool.close().await;

    let db = Db::open(&database.url).await.expect("migration 0012");
    crate::helpers::assert_database_sound(&db).await;
    let company = app::tenant::find_company(&db, 1)
        .await
        .expect("find")
        .expect("company 1");
    let phone = contacts[1].phones.first().expect("a phone")[5..].to_string();
    let first_name = contacts[4]
        .name
        .split(' ')
        .next()
        .expect("first name")
        .to_string();
    for query in [first_name.as_str(), "silva", phone.as_str()] {
        let terms = parse_search(query);
        let plan = plan_search(&db, company, &terms).await.expect("plan");
        assert!(matches!(plan, SearchPlan::Ranked { .. }), "{query}");
        let page = |plan: SearchPlan| {
            let (db, terms) = (db.clone(), terms.clone());
            async move {
                list_contacts_with(
                    &db,
                    company,
                    &terms,
                    ListFilter::default(),
                    None,
                    200,
                    &plan,
                )
                .await
                .expect("list")
                .into_iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
            }
        };
        let walked = page(SearchPlan::Walk).await;
        assert!(!walked.is_empty(), "{query}");
        assert_eq!(page(plan).await, walked, "{query}");
    }
    insert_contacts(&db, company, &seed::generate_contacts(50, 4))
        .await
        .expect("insert after");
    crate::helpers::assert_database_sound(&db).await;
    db.close().await;
}
