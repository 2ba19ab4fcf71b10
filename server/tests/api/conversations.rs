//! Conversations, messages, the timeline and the inbound endpoint over HTTP.

use serde_json::{json, Value};

use crate::helpers::{call, contact, join_as_agent, new_client, spawn_app, Backend, TestApp};

/// `POST /api/inbound` with a bearer token.
pub async fn inbound(app: &TestApp, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = new_client()
        .post(format!("{}/api/inbound", app.base))
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Makes the company's inbound token (as its admin).
pub async fn inbound_token(app: &TestApp, admin: &reqwest::Client) -> String {
    let (status, token) = call(app, admin, "/api/inbound/rotate", &[]).await;
    assert_eq!(status, 200, "{token}");
    token.as_str().expect("token").to_string()
}

async fn timeline(app: &TestApp, client: &reqwest::Client, contact: i64) -> Vec<Value> {
    let id = contact.to_string();
    let (status, page) = call(
        app,
        client,
        "/api/timeline/list",
        &[("contact_id", id.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    page["events"].as_array().expect("events").clone()
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().filter_map(|e| e["kind"].as_str()).collect()
}

fn field_error(body: &Value) -> (&str, &str) {
    (
        body["Validation"][0]["field"].as_str().unwrap_or(""),
        body["Validation"][0]["message"].as_str().unwrap_or(""),
    )
}

async fn start_sends_closes_and_records_on_the_timeline(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Loja").await;
    let ids = app
        .add(
            company,
            &[
                contact("Maria", Some("+5511987654321"), Some("maria@x.example")),
                contact("Só e-mail", None, Some("so@x.example")),
            ],
        )
        .await;
    let (maria, only_email) = (ids[0].to_string(), ids[1].to_string());
    let client = &app.client;

    let (status, started) = call(
        &app,
        client,
        "/api/conversations/start",
        &[("contact_id", &maria), ("channel", "whatsapp")],
    )
    .await;
    assert_eq!(status, 200, "{started}");
    assert_eq!(started["status"], "open");
    assert_eq!(started["channel"], "whatsapp");
    assert_eq!(started["assigned_to"], "Admin");
    assert_eq!(started["started_by"], "Admin");
    assert_eq!(started["address"], "(11) 98765-4321");
    let id = started["id"].to_string();
    let (_, again) = call(
        &app,
        client,
        "/api/conversations/start",
        &[("contact_id", &maria), ("channel", "whatsapp")],
    )
    .await;
    assert_eq!(
        again["id"], started["id"],
        "the open WhatsApp conversation is continued"
    );

    // The rules refuse what the contact's data does not allow.
    for channel in ["facebook", "widget"] {
        let (status, body) = call(
            &app,
            client,
            "/api/conversations/start",
            &[("contact_id", &maria), ("channel", channel)],
        )
        .await;
        assert_eq!(status, 422, "{channel}: {body}");
        let (field, message) = field_error(&body);
        assert_eq!(field, "channel");
        assert!(
            message.contains("depois que o cliente escrever"),
            "{message}"
        );
    }
    let (status, body) = call(
        &app,
        client,
        "/api/conversations/start",
        &[("contact_id", &only_email), ("channel", "sms")],
    )
    .await;
    assert_eq!(
        (status, field_error(&body).1),
        (422, "Este contato não tem telefone.")
    );
    let (status, _) = call(
        &app,
        client,
        "/api/conversations/start",
        &[("contact_id", "999999"), ("channel", "sms")],
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &app,
        client,
        "/api/conversations/start",
        &[("contact_id", &maria), ("channel", "fax")],
    )
    .await;
    assert_eq!(status, 400, "an unknown channel is a bad argument");

    // Messages.
    let (status, sent) = call(
        &app,
        client,
        "/api/conversations/send",
        &[("id", &id), ("text", "  Olá, Maria!  ")],
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["body"], "Olá, Maria!");
    assert_eq!(sent["direction"], "out");
    assert_eq!(sent["author"], "Admin");
    assert_eq!(
        sent["delivery"], "recorded",
        "the built-in gateway records it"
    );
    let (status, body) = call(
        &app,
        client,
        "/api/conversations/send",
        &[("id", &id), ("text", " ")],
    )
    .await;
    assert_eq!((status, field_error(&body).0), (422, "text"));
    let (status, chat) = call(&app, client, "/api/conversations/get", &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert_eq!(chat["messages"].as_array().map(Vec::len), Some(1));
    assert_eq!(chat["summary"]["preview"], "Olá, Maria!");
    assert_eq!(chat["summary"]["message_count"], 1);

    // Close, refuse to send, close again (nothing new recorded), reopen.
    let (status, closed) = call(&app, client, "/api/conversations/close", &[("id", &id)]).await;
    assert_eq!((status, closed["status"].as_str()), (200, Some("closed")));
    assert!(closed["closed_at"].is_string());
    let (status, body) = call(
        &app,
        client,
        "/api/conversations/send",
        &[("id", &id), ("text", "Oi?")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(field_error(&body).1.contains("encerrada"), "{body}");
    call(&app, client, "/api/conversations/close", &[("id", &id)]).await;
    let (status, reopened) = call(&app, client, "/api/conversations/reopen", &[("id", &id)]).await;
    assert_eq!((status, reopened["status"].as_str()), (200, Some("open")));
    let (status, _) = call(
        &app,
        client,
        "/api/conversations/close",
        &[("id", "999999")],
    )
    .await;
    assert_eq!(status, 404);

    // The contact's conversations and timeline.
    let (status, list) = call(
        &app,
        client,
        "/api/conversations/of_contact",
        &[("contact_id", &maria)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        list["conversations"].as_array().map(Vec::len),
        Some(1),
        "{list}"
    );
    assert_eq!(
        (list["total"].as_i64(), list["next_before"].as_i64()),
        (Some(1), None),
        "{list}"
    );
    let events = timeline(&app, client, ids[0]).await;
    assert_eq!(
        kinds(&events),
        [
            "conversation_reopened",
            "conversation_closed",
            "conversation_started",
            "created"
        ]
    );
    assert_eq!(events[2]["detail"]["channel"], "whatsapp");
    assert_eq!(events[2]["detail"]["conversation_id"], started["id"]);
    assert_eq!(events[2]["actor"], "Admin");
    assert_eq!(
        events[3]["detail"],
        json!({"type": "created", "origin": "form", "by": null})
    );

    // An edit records which fields changed, old → new.
    let form = json!({"id": ids[0], "form": {"name": "Maria Souza", "phones": ["(11) 98765-4321", "21 99876-5432"], "emails": ["maria@x.example"]}});
    let response = app.post_json(client, "/api/contacts/update", &form).await;
    assert_eq!(response.status(), 200);
    let events = timeline(&app, client, ids[0]).await;
    assert_eq!(events[0]["kind"], "edited");
    let changes = events[0]["detail"]["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(
        changes[0],
        json!({"field": "name", "old": "Maria", "new": "Maria Souza"})
    );
    assert_eq!(changes[1]["field"], "phones");
    assert_eq!(changes[1]["new"], "(11) 98765-4321, (21) 99876-5432");
    // Saving without changes records nothing.
    app.post_json(client, "/api/contacts/update", &form).await;
    assert_eq!(timeline(&app, client, ids[0]).await.len(), events.len());
    // A contact made through the form says who made it.
    let response = app
        .post_json(
            client,
            "/api/contacts/create",
            &json!({"form": {"name": "Novo"}}),
        )
        .await;
    let created: Value = response.json().await.expect("json");
    let events = timeline(&app, client, created["id"].as_i64().expect("id")).await;
    assert_eq!(
        events[0]["detail"],
        json!({"type": "created", "origin": "form", "by": "Admin"})
    );
}

async fn comments_belong_to_their_author(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Oficina").await;
    let id = app
        .add(company, &[contact("Carlos", Some("+5511912345678"), None)])
        .await[0];
    let contact_id = id.to_string();
    let admin = &app.client;

    let (status, body) = call(
        &app,
        admin,
        "/api/timeline/comment",
        &[("contact_id", &contact_id), ("text", "   ")],
    )
    .await;
    assert_eq!((status, field_error(&body).0), (422, "text"));
    let (status, comment) = call(
        &app,
        admin,
        "/api/timeline/comment",
        &[
            ("contact_id", &contact_id),
            ("text", "Prefere ligação à tarde."),
        ],
    )
    .await;
    assert_eq!(status, 200, "{comment}");
    let comment = comment.to_string();
    let (status, _) = call(
        &app,
        admin,
        "/api/timeline/comment",
        &[("contact_id", "999999"), ("text", "x")],
    )
    .await;
    assert_eq!(status, 404);
    let events = timeline(&app, admin, id).await;
    assert_eq!(events[0]["kind"], "comment");
    assert_eq!(events[0]["mine"], true);
    assert_eq!(events[0]["detail"]["text"], "Prefere ligação à tarde.");

    // Another agent of the company sees it but cannot change it.
    let agent = join_as_agent(&app, admin, "Beto", "beto@oficina.example").await;
    let seen = timeline(&app, &agent, id).await;
    assert_eq!(seen[0]["mine"], false);
    let (status, _) = call(
        &app,
        &agent,
        "/api/timeline/edit_comment",
        &[("id", &comment), ("text", "Mudado")],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &app,
        &agent,
        "/api/timeline/delete_comment",
        &[("id", &comment)],
    )
    .await;
    assert_eq!(status, 403);

    // The author edits, then deletes: the entry stays, saying so.
    let (status, _) = call(
        &app,
        admin,
        "/api/timeline/edit_comment",
        &[("id", &comment), ("text", "Prefere ligação pela manhã.")],
    )
    .await;
    assert_eq!(status, 200);
    let events = timeline(&app, admin, id).await;
    assert_eq!(events[0]["detail"]["text"], "Prefere ligação pela manhã.");
    assert!(events[0]["detail"]["edited_at"].is_string());
    let (status, _) = call(
        &app,
        admin,
        "/api/timeline/delete_comment",
        &[("id", &comment)],
    )
    .await;
    assert_eq!(status, 200);
    let events = timeline(&app, admin, id).await;
    assert_eq!(events[0]["kind"], "comment");
    assert_eq!(events[0]["detail"]["text"], Value::Null, "the text is gone");
    assert!(events[0]["detail"]["deleted_at"].is_string());
    let (status, _) = call(
        &app,
        admin,
        "/api/timeline/edit_comment",
        &[("id", &comment), ("text", "De volta")],
    )
    .await;
    assert_eq!(status, 409, "a deleted comment stays deleted");

    // Paging: 50 a page, "created" closes the last one.
    for n in 0..60 {
        let text = format!("Comentário {n}");
        call(
            &app,
            admin,
            "/api/timeline/comment",
            &[("contact_id", &contact_id), ("text", &text)],
        )
        .await;
    }
    let (_, first) = call(
        &app,
        admin,
        "/api/timeline/list",
        &[("contact_id", &contact_id)],
    )
    .await;
    let events = first["events"].as_array().expect("events");
    assert_eq!(events.len(), 50);
    assert_eq!(events[0]["detail"]["text"], "Comentário 59");
    let before = first["next_before"].to_string();
    let (_, second) = call(
        &app,
        admin,
        "/api/timeline/list",
        &[("contact_id", &contact_id), ("before", &before)],
    )
    .await;
    let events = second["events"].as_array().expect("events");
    assert_eq!(events.len(), 12, "10 comments, the deleted one, created");
    assert_eq!(events[0]["detail"]["text"], "Comentário 9");
    assert_eq!(events[11]["kind"], "created");
    assert_eq!(second["next_before"], Value::Null);
}

async fn inbound_messages_find_or_create_their_contact(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, admin_a) = app.sign_up("Empresa A").await;
    let (_, admin_b) = app.sign_up("Empresa B").await;
    let maria = app
        .add(a, &[contact("Maria", Some("+5511987654321"), None)])
        .await[0];
    let message = |channel: &str, from: Option<&str>, text: &str| json!({"channel": channel, "from": from, "name": "Cliente Novo", "text": text});

    // Tokens: none, wrong, made by an admin only.
    let hello = message("whatsapp", Some("(11) 98765-4321"), "Oi!");
    assert_eq!(inbound(&app, None, &hello).await.0, 401);
    assert_eq!(inbound(&app, Some("not-a-token"), &hello).await.0, 401);
    let (status, shown) = call(&app, &admin_a, "/api/inbound/show", &[]).await;
    assert_eq!((status, shown), (200, Value::Null), "no token yet");
    let old_token = inbound_token(&app, &admin_a).await;
    let token = inbound_token(&app, &admin_a).await;
    assert_eq!(
        inbound(&app, Some(&old_token), &hello).await.0,
        401,
        "a new token replaces the old one"
    );
    let (_, shown) = call(&app, &admin_a, "/api/inbound/show", &[]).await;
    assert!(shown.is_string(), "{shown}");

    // A known number, in another format: Maria's conversation.
    let (status, first) = inbound(&app, Some(&token), &hello).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["contact_id"], maria);
    assert_eq!(
        (
            first["new_contact"].as_bool(),
            first["new_conversation"].as_bool()
        ),
        (Some(false), Some(true))
    );
    let (_, second) = inbound(
        &app,
        Some(&token),
        &message("whatsapp", Some("+55 11 98765-4321"), "Tem horário?"),
    )
    .await;
    assert_eq!(
        second["conversation_id"], first["conversation_id"],
        "the open conversation continues"
    );
    let conversation = first["conversation_id"].to_string();
    let (_, chat) = call(
        &app,
        &admin_a,
        "/api/conversations/get",
        &[("id", &conversation)],
    )
    .await;
    assert_eq!(chat["summary"]["message_count"], 2);
    assert_eq!(
        chat["summary"]["started_by"],
        Value::Null,
        "the customer started it"
    );
    assert_eq!(chat["messages"][0]["direction"], "in");
    assert_eq!(chat["messages"][0]["delivery"], "received");

    // An open chat asks what came after its last message: the customer's
    // next message and the agent's reply, in order, and nothing twice.
    let last_shown = chat["messages"][1]["id"].to_string();
    let updates = |after: String| {
        let app = &app;
        let admin_a = &admin_a;
        let conversation = conversation.clone();
        async move {
            let (status, body) = call(
                app,
                admin_a,
                "/api/conversations/updates",
                &[("id", &conversation), ("after", &after)],
            )
            .await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let nothing_new = updates(last_shown.clone()).await;
    assert_eq!(nothing_new["messages"], json!([]));
    assert_eq!(nothing_new["summary"]["message_count"], 2);
    let (status, again) = inbound(
        &app,
        Some(&token),
        &message("whatsapp", Some("11987654321"), "Ainda estão aí?"),
    )
    .await;
    assert_eq!(status, 200, "{again}");
    let (status, reply) = call(
        &app,
        &admin_a,
        "/api/conversations/send",
        &[("id", &conversation), ("text", "Sim! Temos às 15h.")],
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    let news = updates(last_shown).await;
    let bodies: Vec<(&str, &str)> = news["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| {
            (
                m["direction"].as_str().unwrap_or_default(),
                m["body"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        bodies,
        [("in", "Ainda estão aí?"), ("out", "Sim! Temos às 15h.")]
    );
    assert_eq!(news["messages"][1]["id"], reply["id"]);
    assert_eq!(news["summary"]["message_count"], 4);
    assert_eq!(news["summary"]["preview"], "Sim! Temos às 15h.");
    let after_reply = updates(reply["id"].to_string()).await;
    assert_eq!(after_reply["messages"], json!([]));
    let (status, _) = call(
        &app,
        &admin_a,
        "/api/conversations/updates",
        &[("id", &conversation), ("after", "x")],
    )
    .await;
    assert_eq!(status, 400, "`after` is a message id");
    let events = timeline(&app, &admin_a, maria).await;
    assert_eq!(events[0]["kind"], "conversation_started");
    assert_eq!(events[0]["detail"]["by_customer"], true);

    // An unknown number makes a contact, named as the provider says.
    let (_, fresh) = inbound(
        &app,
        Some(&token),
        &message("sms", Some("21 99876-5432"), "Quero um orçamento"),
    )
    .await;
    assert_eq!(fresh["new_contact"], true);
    let fresh_id = fresh["contact_id"].as_i64().expect("id");
    let (_, details) = call(
        &app,
        &admin_a,
        "/api/contacts/get",
        &[("id", &fresh_id.to_string())],
    )
    .await;
    assert_eq!(details["name"], "Cliente Novo");
    assert_eq!(details["phones"][0]["e164"], "+5521998765432");
    let events = timeline(&app, &admin_a, fresh_id).await;
    assert_eq!(
        events.last().expect("created")["detail"],
        json!({"type": "created", "origin": "inbound", "channel": "sms"})
    );

    // Facebook: the customer writes first, then agents may start there.
    let (_, facebook) = inbound(
        &app,
        Some(&token),
        &message("facebook", Some("maria.fb"), "Olá pelo Facebook"),
    )
    .await;
    assert_eq!(facebook["new_contact"], true);
    let fb_contact = facebook["contact_id"].to_string();
    let (_, details) = call(&app, &admin_a, "/api/contacts/get", &[("id", &fb_contact)]).await;
    assert_eq!(details["channels"], json!(["facebook"]), "{details}");
    assert_eq!(details["facebook"], "maria.fb");
    let (status, started) = call(
        &app,
        &admin_a,
        "/api/conversations/start",
        &[("contact_id", &fb_contact), ("channel", "facebook")],
    )
    .await;
    assert_eq!(status, 200, "{started}");
    assert_eq!(started["id"], facebook["conversation_id"]);
    let (_, again) = inbound(
        &app,
        Some(&token),
        &message("facebook", Some("@Maria.FB"), "De novo"),
    )
    .await;
    assert_eq!(
        again["contact_id"].to_string(),
        fb_contact,
        "handles match without '@' and case"
    );
    // A web widget visitor may leave nothing.
    let (status, visitor) = inbound(
        &app,
        Some(&token),
        &json!({"channel": "widget", "text": "Oi, site!"}),
    )
    .await;
    assert_eq!(status, 200, "{visitor}");
    let (_, details) = call(
        &app,
        &admin_a,
        "/api/contacts/get",
        &[("id", &visitor["contact_id"].to_string())],
    )
    .await;
    assert_eq!(details["name"], "Visitante do site");
    assert_eq!(details["channels"], json!(["widget"]));

    // Bad payloads say which field.
    let (status, body) = inbound(
        &app,
        Some(&token),
        &json!({"channel": "fax", "from": "x", "text": ""}),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["Validation"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["channel", "text"]);
    let (status, body) = inbound(
        &app,
        Some(&token),
        &json!({"channel": "sms", "from": "abc", "text": "x"}),
    )
    .await;
    assert_eq!((status, field_error(&body).0), (422, "from"));
    let response = new_client()
        .post(format!("{}/api/inbound", app.base))
        .bearer_auth(&token)
        .body("not json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 422);

    // Company B's token never reaches A's contacts.
    let b_token = inbound_token(&app, &admin_b).await;
    let (_, in_b) = inbound(
        &app,
        Some(&b_token),
        &message("whatsapp", Some("11 98765-4321"), "Oi, B"),
    )
    .await;
    assert_eq!(in_b["new_contact"], true, "{in_b}");
    assert_ne!(in_b["contact_id"], maria);
    let (_, chat) = call(
        &app,
        &admin_a,
        "/api/conversations/get",
        &[("id", &conversation)],
    )
    .await;
    assert_eq!(
        chat["summary"]["message_count"], 4,
        "A's conversation is untouched (its four messages above)"
    );
    let (status, _) = call(
        &app,
        &admin_b,
        "/api/conversations/get",
        &[("id", &conversation)],
    )
    .await;
    assert_eq!(status, 404);
}

async fn list_page(app: &TestApp, filter: Value, after: Value) -> (u16, Value) {
    let body = json!({"filter": filter, "after": after});
    let response = app
        .post_json(&app.client, "/api/conversations/list", &body)
        .await;
    let status = response.status().as_u16();
    (
        status,
        response.json::<Value>().await.unwrap_or(Value::Null),
    )
}

async fn the_list_filters_and_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Clinica").await;
    let ids = app
        .add(
            company,
            &[
                contact("Ana Lima", Some("+5511911112222"), Some("ana@x.example")),
                contact("Bruno", Some("+5511933334444"), None),
            ],
        )
        .await;
    let client = &app.client;
    let token = inbound_token(&app, client).await;
    let ana = ids[0].to_string();
    let (_, whatsapp) = call(
        &app,
        client,
        "/api/conversations/start",
        &[("contact_id", &ana), ("channel", "whatsapp")],
    )
    .await;
    let (_, email) = call(
        &app,
        client,
        "/api/conversations/start",
        &[("contact_id", &ana), ("channel", "email")],
    )
    .await;
    call(
        &app,
        client,
        "/api/conversations/close",
        &[("id", &email["id"].to_string())],
    )
    .await;
    // 55 customers write in: unassigned SMS conversations.
    for n in 0..55 {
        let from = format!("+55119{:08}", 70_000_000 + n);
        let (status, body) = inbound(
            &app,
            Some(&token),
            &json!({"channel": "sms", "from": from, "text": format!("Mensagem {n}")}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let list = |filter: Value, after: Value| list_page(&app, filter, after);
    let ids_of = |page: &Value| -> Vec<i64> {
        page["conversations"]
            .as_array()
            .expect("conversations")
            .iter()
            .filter_map(|c| c["id"].as_i64())
            .collect()
    };

    let (status, first) = list(json!({}), Value::Null).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(ids_of(&first).len(), 50);
    assert_eq!(
        first["conversations"][0]["preview"], "Mensagem 54",
        "most recent activity first"
    );
    let (_, second) = list(json!({}), first["next"].clone()).await;
    assert_eq!(ids_of(&second).len(), 7);
    assert_eq!(second["next"], Value::Null);
    let mut all = ids_of(&first);
    all.extend(ids_of(&second));
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 57, "every conversation once");

    let (_, page) = list(json!({"channel": "email"}), Value::Null).await;
    assert_eq!(ids_of(&page), [email["id"].as_i64().expect("id")]);
    let (_, page) = list(json!({"status": "closed"}), Value::Null).await;
    assert_eq!(ids_of(&page), [email["id"].as_i64().expect("id")]);
    let admin_id = {
        let (_, agents) = call(&app, client, "/api/conversations/agents", &[]).await;
        assert_eq!(agents[0]["name"], "Admin");
        agents[0]["id"].as_i64().expect("id")
    };
    let (_, page) = list(json!({"agent": admin_id}), Value::Null).await;
    assert_eq!(ids_of(&page).len(), 2, "the two the admin started");
    for query in ["ana", "Ana Lima", "(11) 91111-2222", "ana@x.example"] {
        let (_, page) = list(json!({"query": query}), Value::Null).await;
        let mut found = ids_of(&page);
        found.sort_unstable();
        let mut expected = vec![
            whatsapp["id"].as_i64().expect("id"),
            email["id"].as_i64().expect("id"),
        ];
        expected.sort_unstable();
        assert_eq!(found, expected, "query {query}");
    }
    // "#ID" is the contact ID alone (a bare "1" also matches names and numbers with a 1).
    let (_, page) = list(json!({"query": format!("#{ana}")}), Value::Null).await;
    assert_eq!(ids_of(&page).len(), 2, "by contact ID {ana}: {page}");
    let (_, page) = list(json!({"query": "Bruno"}), Value::Null).await;
    assert!(ids_of(&page).is_empty(), "Bruno has no conversation");
    let today = chrono::Utc::now().date_naive();
    let (_, page) = list(
        json!({"from": today.to_string(), "to": today.format("%d/%m/%Y").to_string()}),
        Value::Null,
    )
    .await;
    assert_eq!(ids_of(&page).len(), 50);
    let tomorrow = today.succ_opt().expect("tomorrow").to_string();
    let (_, page) = list(json!({"from": tomorrow}), Value::Null).await;
    assert!(ids_of(&page).is_empty());
    let (status, body) = list(
        json!({"from": tomorrow, "to": today.to_string()}),
        Value::Null,
    )
    .await;
    assert_eq!((status, field_error(&body).0), (422, "to"));
    let (status, body) = list(json!({"from": "31/02/2026"}), Value::Null).await;
    assert_eq!((status, field_error(&body).0), (422, "from"));
    let (status, _) = list(json!({}), json!("garbage")).await;
    assert_eq!(status, 422);
}

crate::on_both_backends!(
    start_sends_closes_and_records_on_the_timeline,
    comments_belong_to_their_author,
    inbound_messages_find_or_create_their_contact,
    the_list_filters_and_pages
);
