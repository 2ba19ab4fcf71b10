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
    assert_eq!(count, seed::FIRST_START_CONTACTS as i64);
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
        seed::FIRST_START_CONTACTS as i64
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
