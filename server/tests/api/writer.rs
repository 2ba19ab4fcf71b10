//! Repository tests of the contact writer (`app::contacts::writer`), run on
//! both backends without going through HTTP: creating and updating a
//! contact with its lists, refused references and stale versions writing
//! nothing, an imported row merged into a stored contact, an import batch,
//! a merge, and search ranks settled on every commit.

use app::contacts::repo::get_contact;
use app::contacts::writer::imported::{merge_row, ImportedRow, MergeRefusal};
use app::contacts::writer::{self, Names, SaveError, StoredContact};
use app::db::{AsConn, Db};
use app::import_export::batch_repo::{
    self, BatchCounts, BatchOutcome, PreparedContact, PreparedRow,
};
use app::import_export::job::{DuplicatePolicy, RowFailure};
use app::tenant::CompanyId;
use app::timeline::model::EventKind;
use app::timeline::repo::NewEvent;
use chrono::Utc;

use crate::helpers::{assert_database_sound, spawn_app, Backend};
use crate::import::upload;

fn stored(name: &str, phones: &[&str], emails: &[&str]) -> StoredContact {
    StoredContact {
        name: name.to_string(),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        emails: emails.iter().map(|e| e.to_string()).collect(),
        ..StoredContact::default()
    }
}

async fn create(
    db: &Db,
    company: CompanyId,
    contact: &StoredContact,
) -> Result<app::ids::ContactId, SaveError> {
    let mut tx = writer::begin(db).await?;
    let id = writer::create(&mut tx.conn(), company, contact, None, Utc::now()).await?;
    writer::commit(tx, company).await?;
    Ok(id)
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    app::with_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.expect("scalar")
    })
}

async fn admin_of(db: &Db, company: CompanyId) -> i64 {
    app::auth::repo::first_admin(db, company)
        .await
        .expect("read")
        .expect("an admin")
}

async fn a_created_contact_has_its_lists_and_is_found_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let mut tx = writer::begin(&app.db).await.expect("begin");
    let conn = &mut tx.conn();
    let now = Utc::now();
    let mut names = Names::default();
    let organization = names
        .organization(conn, company, "Padaria Estrela", now)
        .await
        .expect("organization");
    let groups = names
        .groups(
            conn,
            company,
            &["VIP".to_string(), "Atacado".to_string()],
            now,
        )
        .await
        .expect("groups");
    // Found again by name: the same organization.
    assert_eq!(
        names
            .organization(conn, company, "Padaria Estrela", now)
            .await
            .expect("again"),
        organization
    );
    let contact = StoredContact {
        organization_id: Some(organization),
        group_ids: groups.clone(),
        address: Some("Rua das Flores, 10".into()),
        ..stored(
            "Úrsula Mendonça",
            &["+5511987650001", "+5511987650002"],
            &["ursula@example.com"],
        )
    };
    let id = writer::create(conn, company, &contact, None, now)
        .await
        .expect("create");
    writer::commit(tx, company).await.expect("commit");

    let record = get_contact(&app.db, company, id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(record.row.name, "Úrsula Mendonça");
    assert_eq!(record.row.organization_id, Some(organization));
    assert_eq!(record.phones, ["+5511987650001", "+5511987650002"]);
    assert_eq!(record.emails, ["ursula@example.com"]);
    let mut group_ids: Vec<i64> = record.groups.iter().map(|(id, _)| *id).collect();
    group_ids.sort_unstable();
    let mut expected = groups;
    expected.sort_unstable();
    assert_eq!(group_ids, expected);
    assert_eq!(record.row.version, 1);
    // Committed through the writer: ranked and searchable by name, phone
    // and e-mail.
    assert_database_sound(&app.db).await;
    for q in ["ursula", "0002", "ursula@exa"] {
        assert_eq!(app.search_names(q).await, ["Úrsula Mendonça"], "{q}");
    }
}

async fn a_refused_reference_or_a_stale_version_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let other = app.company("Outra").await;
    // Another company's group is not this company's.
    let mut tx = writer::begin(&app.db).await.expect("begin");
    let foreign = Names::default()
        .group(&mut tx.conn(), other, "Deles", Utc::now())
        .await
        .expect("group");
    tx.commit().await.expect("commit");
    let refused = StoredContact {
        group_ids: vec![foreign],
        ..stored("Recusado", &["+5511987650003"], &[])
    };
    let error = create(&app.db, company, &refused)
        .await
        .expect_err("refused");
    assert!(
        matches!(error, SaveError::UnknownGroup(id) if id == foreign),
        "{error:?}"
    );
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM contacts").await, 0);
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM contact_phones").await,
        0
    );

    let id = create(&app.db, company, &stored("Ana", &["+5511987650004"], &[]))
        .await
        .expect("create");
    let admin = admin_of(&app.db, company).await;
    let update = |version: i64, contact: StoredContact| {
        let db = app.db.clone();
        async move {
            let mut tx = writer::begin(&db).await?;
            writer::update(
                &mut tx.conn(),
                company,
                id,
                &contact,
                version,
                admin,
                Utc::now(),
            )
            .await?;
            writer::commit(tx, company).await?;
            Ok::<(), SaveError>(())
        }
    };
    update(
        1,
        stored("Ana Paula", &["+5511987650005"], &["ana@example.com"]),
    )
    .await
    .expect("update at version 1");
    // Version 1 is gone: a second writer that read it is refused whole.
    let stale = update(1, stored("Ana Beatriz", &[], &[]))
        .await
        .expect_err("stale");
    assert!(matches!(stale, SaveError::Stale), "{stale:?}");
    // So is another company's contact id.
    let mut tx = writer::begin(&app.db).await.expect("begin");
    let missing = writer::update(
        &mut tx.conn(),
        other,
        id,
        &stored("X", &[], &[]),
        2,
        admin,
        Utc::now(),
    )
    .await
    .expect_err("not found");
    assert!(matches!(missing, SaveError::NotFound), "{missing:?}");
    drop(tx);
    let record = get_contact(&app.db, company, id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        (record.row.name.as_str(), record.row.version),
        ("Ana Paula", 2)
    );
    assert_eq!(record.phones, ["+5511987650005"]);
    assert_eq!(record.emails, ["ana@example.com"]);
    assert_database_sound(&app.db).await;
    assert_eq!(app.search_names("0005").await, ["Ana Paula"]);
    assert!(app.search_names("0004").await.is_empty());
}

async fn an_imported_row_adds_to_the_lists_and_replaces_only_what_it_has(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let id = create(
        &app.db,
        company,
        &StoredContact {
            address: Some("Rua A, 1".into()),
            notes: Some("cliente antigo".into()),
            ..stored("Bruno Lima", &["+5511987650010"], &["bruno@example.com"])
        },
    )
    .await
    .expect("create");
    let row = StoredContact {
        address: Some("Rua B, 2".into()),
        ..stored("Ignorado", &["+5511987650010", "+5511987650011"], &[])
    };
    let groups = ["Importados".to_string()];
    let mut tx = writer::begin(&app.db).await.expect("begin");
    let merged = merge_row(
        &mut tx.conn(),
        company,
        id,
        ImportedRow {
            contact: &row,
            name_given: false,
            organization: Some("Nova Org"),
            groups: &groups,
        },
        &mut Names::default(),
        Utc::now(),
    )
    .await
    .expect("merge");
    assert_eq!(merged, Ok(()));
    writer::commit(tx, company).await.expect("commit");
    let record = get_contact(&app.db, company, id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        record.row.name, "Bruno Lima",
        "no name cell: the name stays"
    );
    assert_eq!(record.row.address.as_deref(), Some("Rua B, 2"));
    assert_eq!(
        record.row.notes.as_deref(),
        Some("cliente antigo"),
        "empty cells erase nothing"
    );
    assert_eq!(record.row.organization_name.as_deref(), Some("Nova Org"));
    assert_eq!(record.phones, ["+5511987650010", "+5511987650011"]);
    assert_eq!(record.emails, ["bruno@example.com"]);
    assert_eq!(
        record
            .groups
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>(),
        ["Importados"]
    );
    assert_eq!(record.row.version, 2);

    // A row that would take the contact over the limit is refused whole.
    let many: Vec<String> = (0..app::contacts::form::MAX_ENTRIES)
        .map(|n| format!("+55119876511{n:02}"))
        .collect();
    let row = StoredContact {
        phones: many,
        ..stored("Ignorado", &[], &[])
    };
    let mut tx = writer::begin(&app.db).await.expect("begin");
    let refused = merge_row(
        &mut tx.conn(),
        company,
        id,
        ImportedRow {
            contact: &row,
            name_given: false,
            organization: None,
            groups: &[],
        },
        &mut Names::default(),
        Utc::now(),
    )
    .await
    .expect("merge");
    assert_eq!(refused, Err(MergeRefusal::TooManyEntries));
    drop(tx);
    let record = get_contact(&app.db, company, id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(record.phones.len(), 2);
}

fn prepared(line: i64, contact: StoredContact) -> PreparedRow {
    PreparedRow::Contact(Box::new(PreparedContact {
        line,
        cells: vec![contact.name.clone()],
        name_given: true,
        contact,
        contact_id: None,
        organization: None,
        groups: vec![],
        missing_required: vec![],
    }))
}

async fn an_import_batch_creates_updates_skips_and_records_failures(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let stored_id = create(&app.db, company, &stored("Carla", &["+5511987650020"], &[]))
        .await
        .expect("create");
    let job = upload(&app, "lote.csv", b"Nome\r\nx\r\n".to_vec()).await;
    app::with_db!(&app.db, pool => {
        sqlx::query("UPDATE import_jobs SET status = 'running', attempt = 1 WHERE id = $1")
            .bind(job)
            .execute(pool)
            .await
            .expect("running");
    });
    let rows = vec![
        // Matches the stored contact by phone: merged.
        prepared(
            2,
            stored("Carla Souza", &["+5511987650020"], &["carla@example.com"]),
        ),
        PreparedRow::Blank,
        PreparedRow::Failed(RowFailure {
            line: 4,
            cells: vec!["?".into()],
            reason: "Telefone: inválido.".into(),
        }),
        prepared(5, stored("Diego", &["+5511987650021"], &[])),
        // Matches the batch's own earlier row: merged into it, not created twice.
        prepared(
            6,
            stored("Diego Alves", &["+5511987650021"], &["diego@example.com"]),
        ),
    ];
    let outcome = batch_repo::write_batch(
        &app.db,
        company,
        app::import_export::repo::JobRun {
            id: app::ids::JobId::new(job),
            attempt: 1,
        },
        DuplicatePolicy::Update,
        &rows,
    )
    .await
    .expect("batch");
    let BatchOutcome::Written(counts) = outcome else {
        panic!("written: {outcome:?}")
    };
    assert_eq!(
        counts,
        BatchCounts {
            created: 1,
            updated: 2,
            skipped: 1,
            failed: 1
        }
    );
    let carla = get_contact(&app.db, company, stored_id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(carla.row.name, "Carla Souza");
    assert_eq!(carla.emails, ["carla@example.com"]);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM contacts").await, 2);
    assert_eq!(app.search_names("diego@").await, ["Diego Alves"]);
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM import_errors").await,
        1
    );
    assert_eq!(
        scalar(&app.db, "SELECT rows_done FROM import_jobs").await,
        rows.len() as i64
    );
    assert_database_sound(&app.db).await;
}

async fn a_merge_keeps_one_contact_with_both_histories(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let admin = admin_of(&app.db, company).await;
    let survivor = create(&app.db, company, &stored("Eva", &["+5511987650030"], &[]))
        .await
        .expect("survivor");
    let merged = create(
        &app.db,
        company,
        &stored("Eva M.", &[], &["eva@example.com"]),
    )
    .await
    .expect("merged");
    let combined = stored("Eva Martins", &["+5511987650030"], &["eva@example.com"]);
    let event = NewEvent::new(survivor, EventKind::Merged, Some(admin));
    // Planned from an older version of the other contact: refused.
    let stale = app::contacts::links::repo::merge(
        &app.db,
        company,
        (survivor, merged),
        (1, 7),
        &combined,
        &event,
        admin,
    )
    .await
    .expect_err("stale");
    assert!(matches!(stale, SaveError::Stale), "{stale:?}");
    app::contacts::links::repo::merge(
        &app.db,
        company,
        (survivor, merged),
        (1, 1),
        &combined,
        &event,
        admin,
    )
    .await
    .expect("merge");
    assert!(get_contact(&app.db, company, merged)
        .await
        .expect("read")
        .is_none());
    let record = get_contact(&app.db, company, survivor)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(record.row.name, "Eva Martins");
    assert_eq!(record.emails, ["eva@example.com"]);
    assert_eq!(app.search_names("eva@").await, ["Eva Martins"]);
    assert_database_sound(&app.db).await;
}

crate::on_both_backends!(
    a_created_contact_has_its_lists_and_is_found_at_once,
    a_refused_reference_or_a_stale_version_writes_nothing,
    an_imported_row_adds_to_the_lists_and_replaces_only_what_it_has,
    an_import_batch_creates_updates_skips_and_records_failures,
    a_merge_keeps_one_contact_with_both_histories,
);
