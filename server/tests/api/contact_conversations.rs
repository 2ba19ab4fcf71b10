//! The contact page's "Conversas" tab over HTTP: every conversation, 50 a
//! page newest first, with the count; the paging edges (none, exactly 50,
//! 51) on both backends.

use app::conversations::model::ConversationStatus;
use app::conversations::repo;
use app::conversations::Channel;
use serde_json::Value;

use crate::helpers::{call, contact, spawn_app, Backend, TestApp};

/// Gives the contact `count` closed conversations (through the same
/// repository calls as "Iniciar conversa via" and "Encerrar").
async fn converse(app: &TestApp, company: app::tenant::CompanyId, contact: i64, count: usize) {
    let user: i64 = app::with_db!(&app.db, pool => {
        sqlx::query_scalar("SELECT id FROM users WHERE company_id = $1 LIMIT 1")
            .bind(company.get())
            .fetch_one(pool)
            .await
            .expect("user")
    });
    for _ in 0..count {
        let (id, _) = repo::start(
            &app.db,
            company,
            app::ids::ContactId::new(contact),
            Channel::WhatsApp,
            user,
        )
        .await
        .expect("start");
        repo::set_status(&app.db, company, id, ConversationStatus::Closed, user)
            .await
            .expect("close");
    }
}

async fn page(app: &TestApp, contact: i64, before: Option<i64>) -> Value {
    let contact = contact.to_string();
    let before = before.map(|b| b.to_string());
    let mut form = vec![("contact_id", contact.as_str())];
    if let Some(before) = &before {
        form.push(("before", before.as_str()));
    }
    let (status, page) = call(app, &app.client, "/api/conversations/of_contact", &form).await;
    assert_eq!(status, 200, "{page}");
    page
}

fn ids(page: &Value) -> Vec<i64> {
    page["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .collect()
}

async fn every_conversation_is_reached_50_at_a_time(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Padaria").await;
    let people = app
        .add(
            company,
            &[
                contact("Sem conversa", Some("+5511911110000"), None),
                contact("Cinquenta", Some("+5511922220000"), None),
                contact("Cinquenta e uma", Some("+5511933330000"), None),
            ],
        )
        .await;

    // None: an empty page, no next.
    let none = page(&app, people[0], None).await;
    assert_eq!(ids(&none), Vec::<i64>::new());
    assert_eq!(
        (none["total"].as_i64(), none["next_before"].clone()),
        (Some(0), Value::Null)
    );

    // Exactly 50: one page, no next.
    converse(&app, company, people[1], 50).await;
    let fifty = page(&app, people[1], None).await;
    assert_eq!(ids(&fifty).len(), 50);
    assert_eq!(
        (fifty["total"].as_i64(), fifty["next_before"].clone()),
        (Some(50), Value::Null)
    );

    // 51: 50 newest first, then the oldest one, then nothing.
    converse(&app, company, people[2], 51).await;
    let first = page(&app, people[2], None).await;
    let first_ids = ids(&first);
    assert_eq!(first_ids.len(), 50);
    assert!(
        first_ids.windows(2).all(|w| w[0] > w[1]),
        "newest first: {first_ids:?}"
    );
    assert_eq!(first["total"], 51);
    let next = first["next_before"].as_i64().expect("a next page");
    assert_eq!(next, *first_ids.last().expect("last"));
    let second = page(&app, people[2], Some(next)).await;
    let second_ids = ids(&second);
    assert_eq!(second_ids.len(), 1);
    assert!(second_ids[0] < next);
    assert_eq!(
        (second["total"].as_i64(), second["next_before"].clone()),
        (Some(51), Value::Null)
    );
    // Every one once.
    let mut all: Vec<i64> = first_ids.into_iter().chain(second_ids).collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 51);
    // Another contact's conversations never show.
    assert!(ids(&fifty).iter().all(|id| !all.contains(id)));
}

crate::on_both_backends!(every_conversation_is_reached_50_at_a_time);
