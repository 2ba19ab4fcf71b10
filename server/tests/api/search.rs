//! The contact search's two plans (walking the name-ordered list, or sorting
//! the trigram index's candidates on SQLite) and the index following every
//! write.

use app::contacts::repo::{list_contacts_with, plan_search, ContactListRow, SearchPlan};
use app::contacts::search::{parse_search, Cursor, ListFilter};
use app::tenant::CompanyId;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Backend, TestApp};

/// Every page of a search under `plan`, as (id, name) pairs.
async fn every_page(
    app: &TestApp,
    company: CompanyId,
    query: &str,
    plan: &SearchPlan,
) -> Vec<(i64, String)> {
    let terms = parse_search(query);
    let mut seen = Vec::new();
    let mut after: Option<Cursor> = None;
    loop {
        let rows: Vec<ContactListRow> = list_contacts_with(
            &app.db,
            company,
            &terms,
            ListFilter::default(),
            after.as_ref(),
            7,
            plan,
        )
        .await
        .expect("list");
        let Some(last) = rows.last() else { break };
        after = Some(Cursor {
            sort_key: last.sort_key.clone(),
            id: last.id,
        });
        let full = rows.len() == 7;
        seen.extend(rows.into_iter().map(|r| (r.id, r.name)));
        if !full {
            break;
        }
    }
    seen
}

/// On a few hundred generated contacts, every kind of query gives the same
/// pages whichever plan answers it, and selective queries use the index.
async fn both_plans_return_the_same_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let contacts = server::seed::generate_contacts(400, 11);
    let ids = app.add(company, &contacts).await;
    crate::helpers::assert_search_columns_in_step(&app.db).await;

    let with_phone = contacts
        .iter()
        .position(|c| !c.phones.is_empty())
        .expect("a contact with a phone");
    let e164 = &contacts[with_phone].phones[0];
    let national = &e164[3..]; // "+55" off: DDD + number
    let with_email = contacts
        .iter()
        .position(|c| !c.emails.is_empty())
        .expect("a contact with an e-mail");
    let queries = [
        contacts[0].name.clone(),
        app::contacts::search::fold(&contacts[1].name),
        contacts[2]
            .name
            .split(' ')
            .next()
            .expect("first name")
            .into(),
        "silva".into(),
        "ilv".into(),
        "ma".into(),
        "x".into(),
        "".into(),
        e164.clone(),
        format!(
            "({}) {}-{}",
            &national[..2],
            &national[2..7],
            &national[7..]
        ),
        national[2..].to_string(),
        contacts[with_email].emails[0].clone(),
        contacts[with_email].emails[0][..6].to_string(),
        // An e-mail's start: its name prefix is the owner's name.
        contacts[with_email].emails[0][..8].to_string(),
        contacts[with_email].emails[0]
            .split('@')
            .next()
            .expect("local part")
            .to_string(),
        ids[5].to_string(),
        format!("#{}", ids[6]),
        "nobody at all".into(),
        "a\"b OR c".into(),
        // A long word and a short one: the index is asked for the whole text.
        format!(
            "{} {}",
            contacts[3].name.split(' ').next().expect("first name"),
            contacts[3]
                .name
                .split(' ')
                .nth(1)
                .expect("surname")
                .chars()
                .take(2)
                .collect::<String>()
        ),
    ];
    for query in &queries {
        let walked = every_page(&app, company, query, &SearchPlan::Walk).await;
        let plan = plan_search(&app.db, &parse_search(query))
            .await
            .expect("plan");
        let planned = every_page(&app, company, query, &plan).await;
        assert_eq!(planned, walked, "{query:?} under {plan:?}");
        // The name-prefix plan, which the planner takes only beyond 2,000
        // candidates (not reached here), must agree too.
        if let Some(prefix_plan) = prefix_plan(&app, query).await {
            let merged = every_page(&app, company, query, &prefix_plan).await;
            assert_eq!(merged, walked, "{query:?} under {prefix_plan:?}");
        }
    }

    // Selective queries are answered from the index on SQLite; PostgreSQL
    // always walks.
    for query in [&queries[0], &queries[8], &queries[9], &queries[11]] {
        let plan = plan_search(&app.db, &parse_search(query))
            .await
            .expect("plan");
        match backend {
            Backend::Sqlite => assert!(matches!(plan, SearchPlan::Index(_)), "{query}"),
            Backend::Postgres => assert_eq!(plan, SearchPlan::Walk, "{query}"),
        }
    }
    // Too short for trigrams: walked.
    let plan = plan_search(&app.db, &parse_search("ma"))
        .await
        .expect("plan");
    assert_eq!(plan, SearchPlan::Walk);
}

/// The [`SearchPlan::Prefix`] the planner would build for `query` on SQLite.
async fn prefix_plan(app: &TestApp, query: &str) -> Option<SearchPlan> {
    let app::db::Db::Sqlite(pool) = &app.db else {
        return None;
    };
    let terms = parse_search(query);
    let prefix = terms.name_prefix()?;
    let beyond = terms.index_query_beyond_prefix()?;
    let mut others: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM contact_search WHERE contact_search MATCH $1")
            .bind(&beyond)
            .fetch_all(pool)
            .await
            .expect("candidates");
    others.extend(terms.id);
    Some(SearchPlan::Prefix { prefix, others })
}

async fn search(app: &TestApp, query: &str) -> Vec<String> {
    let response = app.post_form("/api/contacts/list", &[("q", query)]).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.expect("json");
    page["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect()
}

async fn call(app: &TestApp, path: &str, body: Value) -> Value {
    let response = app.post_json(&app.client, path, &body).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("json")
}

/// Create, edit (name, phone, e-mail) and delete through the API: the search
/// finds exactly what the contact is now.
async fn the_search_follows_every_write(backend: Backend) {
    let app = spawn_app(backend).await;
    app.company("Padaria").await;
    let created = call(
        &app,
        "/api/contacts/create",
        json!({"form": {"name": "Xerxes Quintela", "phones": ["(11) 98765-4321"],
                        "emails": ["xerxes@quintela.com.br"]}}),
    )
    .await;
    let id = created["id"].as_i64().expect("id");
    assert_eq!(search(&app, "quintela").await, ["Xerxes Quintela"]);
    assert_eq!(search(&app, "98765-4321").await, ["Xerxes Quintela"]);
    assert_eq!(search(&app, "xerxes@quintela").await, ["Xerxes Quintela"]);

    call(
        &app,
        "/api/contacts/update",
        json!({"id": id, "form": {"name": "Yara Quintela", "phones": ["(21) 3456-7890"],
                                  "emails": ["yara@quintela.com.br"]}}),
    )
    .await;
    assert_eq!(search(&app, "yara quintela").await, ["Yara Quintela"]);
    assert!(search(&app, "xerxes").await.is_empty(), "old name");
    assert!(search(&app, "98765-4321").await.is_empty(), "old phone");
    assert!(
        search(&app, "xerxes@quintela").await.is_empty(),
        "old e-mail"
    );
    assert_eq!(search(&app, "3456-7890").await, ["Yara Quintela"]);
    assert_eq!(search(&app, "yara@quintela").await, ["Yara Quintela"]);
    crate::helpers::assert_search_columns_in_step(&app.db).await;

    let response = app
        .post_form("/api/contacts/delete", &[("id", &id.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    assert!(search(&app, "quintela").await.is_empty(), "deleted");
    assert!(search(&app, "3456-7890").await.is_empty(), "deleted");
}

crate::on_both_backends!(
    both_plans_return_the_same_pages,
    the_search_follows_every_write
);
