//! The contact search's plans (walking the name-ordered list, or reading
//! SQLite's trigram index in rank order) and the index following every
//! write: ranks stay in name order through crowded inserts, renames and
//! deletes.

use app::contacts::search::list_repo::{
    list_contacts_with, plan_search, ContactListRow, SearchPlan,
};
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
            id: last.id.get(),
        });
        let full = rows.len() == 7;
        seen.extend(rows.into_iter().map(|r| (r.id.get(), r.name)));
        if !full {
            break;
        }
    }
    seen
}

/// On a few hundred generated contacts, every kind of query gives the same
/// pages whichever plan answers it, and queries the index can look up read
/// it in rank order. Another company with the same kind of names shares
/// the index: its entries are another range of ranks, never in the pages.
async fn both_plans_return_the_same_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let contacts = server::seed::generate_contacts(400, 11);
    let ids = app.add(company, &contacts).await;
    let other = app.company("Oficina").await;
    app.add(other, &server::seed::generate_contacts(150, 12))
        .await;
    crate::helpers::assert_database_sound(&app.db).await;

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
    let mut walked_pages = Vec::new();
    for query in &queries {
        let walked = every_page(&app, company, query, &SearchPlan::Walk).await;
        let plan = plan_search(&app.db, company, &parse_search(query))
            .await
            .expect("plan");
        let planned = every_page(&app, company, query, &plan).await;
        assert_eq!(planned, walked, "{query:?} under {plan:?}");
        walked_pages.push(walked);
    }
    assert!(
        walked_pages.iter().filter(|pages| pages.len() > 7).count() >= 3,
        "several queries page past the first page"
    );

    // Queries the index can look up read it in rank order on SQLite;
    // PostgreSQL always walks.
    for query in [
        &queries[0],
        &queries[3],
        &queries[8],
        &queries[9],
        &queries[11],
    ] {
        let plan = plan_search(&app.db, company, &parse_search(query))
            .await
            .expect("plan");
        match backend {
            Backend::Sqlite => assert!(matches!(plan, SearchPlan::Ranked { .. }), "{query}"),
            Backend::Postgres => assert_eq!(plan, SearchPlan::Walk, "{query}"),
        }
    }
    // The searched contact ID is tested beside the index's matches.
    if backend == Backend::Sqlite {
        let id = ids[150].to_string();
        let plan = plan_search(&app.db, company, &parse_search(&id))
            .await
            .expect("plan");
        let SearchPlan::Ranked { extra, .. } = &plan else {
            panic!("{plan:?}");
        };
        assert_eq!(extra, &[ids[150]]);
        let walked = every_page(&app, company, &id, &SearchPlan::Walk).await;
        assert!(walked.iter().any(|(found, _)| *found == ids[150]));
        assert_eq!(every_page(&app, company, &id, &plan).await, walked);
    }
    // Too short for trigrams: walked.
    let plan = plan_search(&app.db, company, &parse_search("ma"))
        .await
        .expect("plan");
    assert_eq!(plan, SearchPlan::Walk);
}

/// A contact without a rank (as if a write path forgot to settle ranks) is
/// not in the index, yet every search still finds it: the plan tests it
/// beside the index's matches.
async fn a_contact_without_a_rank_is_still_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let contacts = server::seed::generate_contacts(120, 5);
    let ids = app.add(company, &contacts).await;
    let app::db::Db::Sqlite(pool) = &app.db else {
        return;
    };
    sqlx::query("UPDATE contacts SET search_rank = NULL WHERE id = $1")
        .bind(ids[3])
        .execute(pool)
        .await
        .expect("take the rank");
    let first_name = contacts[3].name.split(' ').next().expect("first name");
    for query in [contacts[3].name.as_str(), first_name, "silva"] {
        let plan = plan_search(&app.db, company, &parse_search(query))
            .await
            .expect("plan");
        let SearchPlan::Ranked { extra, .. } = &plan else {
            panic!("{plan:?}");
        };
        assert_eq!(extra, &[ids[3]]);
        let walked = every_page(&app, company, query, &SearchPlan::Walk).await;
        assert_eq!(
            every_page(&app, company, query, &plan).await,
            walked,
            "{query}"
        );
    }
    assert!(search(&app, &contacts[3].name)
        .await
        .contains(&contacts[3].name));
    // The next write that settles ranks gives it one again.
    let mut conn = pool.acquire().await.expect("connection");
    app::contacts::search::rank_repo::settle_ranks(&mut app::db::AsConn::conn(&mut *conn), company)
        .await
        .expect("settle");
    crate::helpers::assert_database_sound(&app.db).await;
}

/// One settle where the first run's gap is too small: the window spread
/// again for it holds the next run's neighbours, whose ranks the settle
/// read before the spread. The next run must take the ranks around its
/// neighbours' new places: placed between their old ranks, it would land
/// before contacts that sort ahead of it.
async fn a_run_whose_neighbours_were_spread_again_takes_their_new_ranks(backend: Backend) {
    use app::contacts::writer::insert_contacts;
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let names = [
        "N02 Reis", "N03 Reis", "N04 Reis", "N05 Reis", "N06 Reis", "N08 Reis",
    ];
    let contacts: Vec<_> = names
        .iter()
        .map(|n| crate::helpers::contact(n, None, None))
        .collect();
    let ids = insert_contacts(&app.db, company, &contacts)
        .await
        .expect("insert");
    let app::db::Db::Sqlite(pool) = &app.db else {
        return;
    };
    // N03 and N05 wait for ranks; N02 and N04 sit on adjacent ranks (no
    // room for N03), N04 and N06 leave room for N05 at their old ranks.
    let start = company.get() * app::contacts::search::rank::POSITIONS;
    let by_hand: Vec<(i64, i64)> = [(0, 1_000), (2, 1_001), (4, 3_000), (5, 5_000)]
        .into_iter()
        .map(|(at, position)| (ids[at].get(), position))
        .collect();
    rank_by_hand(pool, company, &by_hand).await;
    settle_ranks(&app, pool, company).await;
    let ranks: Vec<i64> = sqlx::query_scalar(
        "SELECT search_rank FROM contacts WHERE company_id = $1 ORDER BY sort_key, id",
    )
    .bind(company.get())
    .fetch_all(pool)
    .await
    .expect("ranks");
    assert!(
        ranks[0] > start + 1_000,
        "N02's window was spread again: {ranks:?}"
    );
    for query in ["reis", "n05 reis"] {
        let walked = every_page(&app, company, query, &SearchPlan::Walk).await;
        let plan = plan_search(&app.db, company, &parse_search(query))
            .await
            .expect("plan");
        assert!(matches!(plan, SearchPlan::Ranked { .. }), "{query}");
        assert_eq!(
            every_page(&app, company, query, &plan).await,
            walked,
            "{query}"
        );
    }
    assert_eq!(
        every_page(&app, company, "reis", &SearchPlan::Walk)
            .await
            .len(),
        6
    );
}

/// Two spreads in one settle where the second window nests inside the
/// first (a run of more than 4,096 contacts placed right after a large
/// spread): a later run whose neighbour the first spread moved, above the
/// second window, still looks its neighbours up anew. Ranks only exist on
/// SQLite, so this test has no PostgreSQL twin.
///
/// Positions (ranks above the company's start), before the settle: P at
/// 2^27+1 and X at 2^27+3 leave no room for run A (16,385 contacts), whose
/// windows up to 2^27 ranks are over full: the first spread takes the
/// window of 2^28 ranks and leaves X just below 2^27, ~8,187 ranks below Y.
/// Run B (8,300) does not fit there: the second spread takes the lower half
/// only (2^27). Run C's neighbour Y was at 2^28 - 2^20, above the second
/// window and inside the first, so its old rank is stale.
#[tokio::test]
async fn a_window_spread_inside_an_earlier_one_does_not_hide_its_stale_ranks() {
    use app::contacts::writer::insert_contacts;
    let app = spawn_app(Backend::Sqlite).await;
    let company = app.company("Padaria").await;
    let app::db::Db::Sqlite(pool) = &app.db else {
        unreachable!("a SQLite app")
    };
    let block = |prefix: &str, count: usize| -> Vec<String> {
        (0..count).map(|i| format!("{prefix}{i:05}")).collect()
    };
    let mut names: Vec<String> = vec!["Aaa P".into()];
    names.extend(block("Ab A", 16_385));
    names.push("Ac X".into());
    names.extend(block("Ad B", 8_300));
    names.push("Ae Y".into());
    names.push("Af C".into());
    names.extend(block("Ag Z", 16_400));
    let contacts: Vec<_> = names
        .iter()
        .map(|n| crate::helpers::contact(n, None, None))
        .collect();
    let ids = insert_contacts(&app.db, company, &contacts)
        .await
        .expect("insert");
    let at = |name: &str| names.iter().position(|n| n == name).expect("a name");
    let y = (1 << 28) - (1 << 20);
    let mut by_hand: Vec<(i64, i64)> = vec![
        (ids[at("Aaa P")].get(), (1 << 27) + 1),
        (ids[at("Ac X")].get(), (1 << 27) + 3),
        (ids[at("Ae Y")].get(), y),
    ];
    let z = at("Ag Z00000");
    by_hand.extend((1..).zip(&ids[z..]).map(|(n, id)| (id.get(), y + 16 * n)));
    rank_by_hand(pool, company, &by_hand).await;
    settle_ranks(&app, pool, company).await;
    let start = company.get() * app::contacts::search::rank::POSITIONS;
    let rank_of = |name: &'static str| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT search_rank - $1 FROM contacts WHERE company_id = $2 AND name = $3",
        )
        .bind(start)
        .bind(company.get())
        .bind(name)
        .fetch_one(pool)
        .await
        .expect("rank")
    };
    // The scenario happened: Y moved from the upper half into the lower.
    assert!(rank_of("Ae Y").await < 1 << 27, "Y was spread twice");
    assert!(rank_of("Af C").await < 1 << 27, "C follows Y");
    let plan = plan_search(&app.db, company, &parse_search("z0000"))
        .await
        .expect("plan");
    assert!(matches!(plan, SearchPlan::Ranked { .. }));
    let walked = every_page(&app, company, "z0000", &SearchPlan::Walk).await;
    assert_eq!(walked.len(), 10);
    assert_eq!(every_page(&app, company, "z0000", &plan).await, walked);
}

/// Takes every rank of `company` and gives these contacts (id, position
/// above the company's start) their ranks and index entries, as if the
/// ranks had been settled so: the rest wait for the next settle.
async fn rank_by_hand(pool: &sqlx::SqlitePool, company: CompanyId, ranked: &[(i64, i64)]) {
    sqlx::query("UPDATE contacts SET search_rank = NULL WHERE company_id = $1")
        .bind(company.get())
        .execute(pool)
        .await
        .expect("take the ranks");
    let start = company.get() * app::contacts::search::rank::POSITIONS;
    let ranked: Vec<[i64; 2]> = ranked
        .iter()
        .map(|(id, position)| [*id, start + position])
        .collect();
    sqlx::query(
        "UPDATE contacts SET search_rank = j.value ->> 1
           FROM json_each($1) AS j WHERE contacts.id = j.value ->> 0",
    )
    .bind(json!(ranked).to_string())
    .execute(pool)
    .await
    .expect("ranks");
    sqlx::query(
        "INSERT INTO contact_search (rowid, text, phones)
         SELECT search_rank, search_text, search_phones FROM contacts
          WHERE company_id = $1 AND search_rank IS NOT NULL ORDER BY search_rank",
    )
    .bind(company.get())
    .execute(pool)
    .await
    .expect("index entries");
}

/// Settles the ranks of `company` (its contacts without one take theirs)
/// and checks the index is in step with them.
async fn settle_ranks(app: &TestApp, pool: &sqlx::SqlitePool, company: CompanyId) {
    let mut conn = pool.acquire().await.expect("connection");
    app::contacts::search::rank_repo::settle_ranks(&mut app::db::AsConn::conn(&mut *conn), company)
        .await
        .expect("settle");
    drop(conn);
    crate::helpers::assert_database_sound(&app.db).await;
}

/// (id, name) of every contact of `company` in list order.
async fn names_in_order(app: &TestApp, company: CompanyId) -> Vec<(i64, String)> {
    every_page(app, company, "", &SearchPlan::Walk).await
}

/// Names that arrive in order into one gap of the ranks (one at a time,
/// then a batch, both ways), renames across the list and deletes: ranks stay
/// strictly in name order, so a search read from the index in rank order
/// pages exactly like the walk.
async fn ranks_stay_in_name_order_when_names_crowd_one_place(backend: Backend) {
    use app::contacts::writer::insert_contacts;
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let add = |names: Vec<String>| {
        let contacts: Vec<_> = names
            .iter()
            .map(|n| crate::helpers::contact(n, None, None))
            .collect();
        let db = app.db.clone();
        async move {
            insert_contacts(&db, company, &contacts)
                .await
                .expect("insert")
        }
    };
    let first = add(vec!["Ana".into(), "Bruno".into()]).await;
    // One at a time, each just after the one before: every new gap is half
    // the last until the ranks around them are spread again.
    for i in 1..=45 {
        add(vec![format!("Ana {i:03}")]).await;
    }
    crate::helpers::assert_database_sound(&app.db).await;
    // ...and each just before the one before.
    for i in (1..=45).rev() {
        add(vec![format!("Ana {i:03} a")]).await;
    }
    crate::helpers::assert_database_sound(&app.db).await;
    // A batch larger than the gap it lands in.
    add((1..=400).map(|i| format!("Ana 044 b {i:04}")).collect()).await;
    crate::helpers::assert_database_sound(&app.db).await;
    // Renamed (to the front, into the crowd) and deleted.
    let bruno = first[1];
    let response = app
        .post_json(
            &app.client,
            "/api/contacts/update",
            &json!({"id": bruno, "form": {"name": "Ana 044 b 0100 x"}}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let listed = names_in_order(&app, company).await;
    let deleted: Vec<i64> = listed
        .iter()
        .step_by(9)
        .map(|(id, _)| *id)
        .filter(|id| *id != bruno.get())
        .collect();
    for id in &deleted {
        let response = app
            .post_form("/api/contacts/delete", &[("id", &id.to_string())])
            .await;
        assert_eq!(response.status(), 200);
    }
    add(vec![
        "Ana 044 b 0050 y".into(),
        "Aaron".into(),
        "Zoe".into(),
    ])
    .await;
    crate::helpers::assert_database_sound(&app.db).await;

    let listed = names_in_order(&app, company).await;
    assert_eq!(listed.len(), 2 + 45 + 45 + 400 - deleted.len() + 3);
    assert!(listed
        .iter()
        .any(|(id, name)| *id == bruno.get() && name == "Ana 044 b 0100 x"));
    for query in ["ana 044", "ana 044 b 01", "b 00", "ana", "0100 x", "zoe"] {
        let walked = every_page(&app, company, query, &SearchPlan::Walk).await;
        let plan = plan_search(&app.db, company, &parse_search(query))
            .await
            .expect("plan");
        assert_eq!(
            every_page(&app, company, query, &plan).await,
            walked,
            "{query}"
        );
        assert!(!walked.is_empty(), "{query}");
    }
}

async fn search(app: &TestApp, query: &str) -> Vec<String> {
    app.search_names(query).await
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
    crate::helpers::assert_database_sound(&app.db).await;

    let response = app
        .post_form("/api/contacts/delete", &[("id", &id.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    assert!(search(&app, "quintela").await.is_empty(), "deleted");
    assert!(search(&app, "3456-7890").await.is_empty(), "deleted");
}

/// Batches leave the index in several segments; compacting merges them
/// into one, step by step, and searches give the same pages after.
async fn compacting_the_index_merges_its_segments(backend: Backend) {
    use app::contacts::search::rank_repo::compact_index;
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let contacts = server::seed::generate_contacts(3_000, 21);
    for chunk in contacts.chunks(500) {
        app.add(company, chunk).await;
    }
    let segments = |db: app::db::Db| async move {
        let app::db::Db::Sqlite(pool) = &db else {
            return 0;
        };
        sqlx::query_scalar::<_, i64>("SELECT COUNT(DISTINCT segid) FROM contact_search_idx")
            .fetch_one(pool)
            .await
            .expect("segments")
    };
    let queries = ["silva", &contacts[7].name, &contacts[9].phones[0][3..]];
    let mut before = Vec::new();
    for query in queries {
        let plan = plan_search(&app.db, company, &parse_search(query))
            .await
            .expect("plan");
        before.push(every_page(&app, company, query, &plan).await);
    }
    let steps = compact_index(&app.db).await.expect("compact");
    match backend {
        Backend::Sqlite => {
            assert!(steps >= 1, "there was something to merge");
            assert_eq!(segments(app.db.clone()).await, 1);
        }
        Backend::Postgres => assert_eq!(steps, 0),
    }
    assert_eq!(
        compact_index(&app.db).await.expect("again"),
        0,
        "nothing left"
    );
    for (query, pages) in queries.iter().zip(before) {
        let plan = plan_search(&app.db, company, &parse_search(query))
            .await
            .expect("plan");
        assert_eq!(
            every_page(&app, company, query, &plan).await,
            pages,
            "{query}"
        );
    }
    crate::helpers::assert_database_sound(&app.db).await;
}

crate::on_both_backends!(
    compacting_the_index_merges_its_segments,
    both_plans_return_the_same_pages,
    a_contact_without_a_rank_is_still_found,
    ranks_stay_in_name_order_when_names_crowd_one_place,
    a_run_whose_neighbours_were_spread_again_takes_their_new_ranks,
    the_search_follows_every_write
);
