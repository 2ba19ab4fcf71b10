//! The role matrix over HTTP (docs/security.md, `app::auth::access`).
//!
//! Every registered server function and every plain route of the router is
//! called as an anonymous visitor, as an agent of company A, as A's admin
//! and as the admin of company B, each time with arguments that are valid
//! for A. What each may do is written here, apart from the matrix in the
//! code: an endpoint without a case here fails the test, and so does a rule
//! of the matrix that disagrees with this table. `tenancy.rs` checks in
//! depth that B never reads or changes A's data; here B's call must be
//! answered as missing (A's ids) or be served from B's own data (lists).

use std::sync::atomic::{AtomicUsize, Ordering};

use app::auth::access::{self, Access, Grant};
use serde_json::{json, Value};

use crate::helpers::{admin_email, contact, join_as_agent, spawn_app, Backend, TestApp, PASSWORD};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// An agent of company A (no grants).
    Agent,
    /// An admin of company A.
    Admin,
    /// The admin of company B, aiming at A's ids.
    OtherAdmin,
}

const EVERYONE: [Who; 4] = [Who::Anonymous, Who::Agent, Who::Admin, Who::OtherAdmin];

/// What the other company's admin gets from a call aimed at A's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Other {
    /// A's id answers as a missing one (404).
    Missing,
    /// The call works on B's own data (lists, creations): 2xx.
    Own,
}

/// The test's own copy of the matrix: who may call `method path`, and what
/// B's admin gets. `None`: no case (the test fails and says so).
fn expected(method: &str, path: &str) -> Option<(Access, Other)> {
    use Access::{Admin, ChannelToken, Granted, Member, Public};
    use Other::{Missing, Own};
    let rule = match (method, path) {
        (
            "POST",
            "/api/auth/sign_up" | "/api/auth/login" | "/api/auth/me" | "/api/auth/demo_login",
        ) => (Public, Own),
        ("POST", "/api/invites/show" | "/api/invites/accept") => (Public, Own),
        ("POST", "/api/auth/logout") => (Member, Own),
        (
            "POST",
            "/api/agents/list"
            | "/api/agents/invite"
            | "/api/agents/invites"
            | "/api/agents/grants"
            | "/api/company/time_zone",
        ) => (Admin, Own),
        ("POST", "/api/agents/set_active" | "/api/agents/revoke_invite") => (Admin, Missing),
        (
            "POST",
            "/api/contacts/list"
            | "/api/contacts/create"
            | "/api/contacts/duplicates"
            | "/api/contacts/directory",
        ) => (Member, Own),
        (
            "POST",
            "/api/contacts/get"
            | "/api/contacts/update"
            | "/api/contacts/delete"
            | "/api/contacts/photo"
            | "/api/contacts/remove_photo"
            | "/api/contacts/link"
            | "/api/contacts/unlink"
            | "/api/contacts/merge_plan"
            | "/api/contacts/merge",
        ) => (Member, Missing),
        ("GET", "/contacts/{id}/photo") => (Member, Missing),
        ("POST", "/api/directory/overview" | "/api/directory/create") => (Admin, Own),
        ("POST", "/api/directory/rename" | "/api/directory/delete") => (Admin, Missing),
        ("POST", "/api/custom_fields/list") => (Member, Own),
        ("POST", "/api/custom_fields/overview" | "/api/custom_fields/create") => (Admin, Own),
        (
            "POST",
            "/api/custom_fields/update"
            | "/api/custom_fields/move"
            | "/api/custom_fields/delete"
            | "/api/custom_fields/add_option"
            | "/api/custom_fields/rename_option"
            | "/api/custom_fields/retire_option",
        ) => (Admin, Missing),
        (
            "POST",
            "/api/timeline/list"
            | "/api/timeline/comment"
            | "/api/timeline/edit_comment"
            | "/api/timeline/delete_comment",
        ) => (Member, Missing),
        ("POST", "/api/conversations/list" | "/api/conversations/agents") => (Member, Own),
        (
            "POST",
            "/api/conversations/of_contact"
            | "/api/conversations/get"
            | "/api/conversations/updates"
            | "/api/conversations/start"
            | "/api/conversations/send"
            | "/api/conversations/close"
            | "/api/conversations/reopen",
        ) => (Member, Missing),
        ("POST", "/api/inbound/show" | "/api/inbound/rotate") => (Admin, Own),
        ("POST", "/api/inbound") => (ChannelToken, Own),
        ("GET", "/contacts/export.csv") => (Granted(Grant::Export), Own),
        ("POST", "/contacts/import" | "/api/import/jobs") => (Granted(Grant::Import), Own),
        (
            "POST",
            "/api/import/preview"
            | "/api/import/start"
            | "/api/import/status"
            | "/api/import/cancel",
        ) => (Granted(Grant::Import), Missing),
        ("GET", "/contacts/import/{id}/errors.csv") => (Granted(Grant::Import), Missing),
        ("GET", "/healthz") => (Public, Own),
        _ => return None,
    };
    Some(rule)
}

/// A's data the calls aim at, and a client per caller.
struct World {
    app: TestApp,
    a: app::tenant::CompanyId,
    admin: reqwest::Client,
    agent: reqwest::Client,
    other: reqwest::Client,
    agent_email: String,
    /// A contact of A with a phone, an e-mail and a photo.
    contact: i64,
    org: i64,
    plan_field: i64,
    plan_option: i64,
    text_field: i64,
    comment: i64,
    conversation: i64,
    /// A second agent of A, the target of `agents/set_active`.
    spare_agent: i64,
    /// An open invitation of A's.
    invite_token: String,
    /// Makes names unique across calls.
    serial: AtomicUsize,
}

async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

impl World {
    async fn build(backend: Backend) -> World {
        let app = spawn_app(backend).await;
        let (a, admin) = app.sign_up("Empresa A").await;
        let (_, other) = app.sign_up("Empresa B").await;
        let agent_email = "agente@empresaa.example".to_string();
        let agent = join_as_agent(&app, &admin, "Agente", &agent_email).await;
        let spare = join_as_agent(&app, &admin, "Reserva", "reserva@empresaa.example").await;
        drop(spare);
        let contact = app
            .add(
                a,
                &[contact(
                    "Ana da Empresa A",
                    Some("+5511987654321"),
                    Some("ana@a.example"),
                )],
            )
            .await[0];
        let (status, _) = crate::photos::upload(
            &app,
            &admin,
            &contact.to_string(),
            crate::photos::PNG.to_vec(),
            "p.png",
            "image/png",
        )
        .await;
        assert_eq!(status, 200);
        let post = |path: &'static str, form: Vec<(&'static str, String)>| {
            let app = &app;
            let admin = &admin;
            async move {
                let (status, body) = read(app.post_as(admin, path, &form_ref(&form)).await).await;
                assert_eq!(status, 200, "{path}: {body}");
                body
            }
        };
        let org = post(
            "/api/directory/create",
            vec![("kind", "organization".into()), ("name", "Org A".into())],
        )
        .await["id"]
            .as_i64()
            .expect("org");
        let plan = read(
            app.post_json(
                &admin,
                "/api/custom_fields/create",
                &json!({"draft": {"label": "Plano", "field_type": "single_select", "options": ["Ouro"]}}),
            )
            .await,
        )
        .await
        .1;
        let text = read(
            app.post_json(
                &admin,
                "/api/custom_fields/create",
                &json!({"draft": {"label": "Apelido", "field_type": "text"}}),
            )
            .await,
        )
        .await
        .1;
        let comment = post(
            "/api/timeline/comment",
            vec![("contact_id", contact.to_string()), ("text", "Nota".into())],
        )
        .await
        .as_i64()
        .expect("comment");
        let conversation = post(
            "/api/conversations/start",
            vec![
                ("contact_id", contact.to_string()),
                ("channel", "whatsapp".into()),
            ],
        )
        .await["id"]
            .as_i64()
            .expect("conversation");
        let members = post("/api/agents/list", vec![]).await;
        let spare_agent = members
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["email"] == "reserva@empresaa.example")
            .expect("spare agent")["id"]
            .as_i64()
            .expect("id");
        let invite_token = post("/api/agents/invite", vec![("role", "agent".into())]).await["path"]
            .as_str()
            .expect("path")
            .trim_start_matches("/invite/")
            .to_string();
        World {
            a,
            agent_email,
            contact,
            org,
            plan_field: plan["id"].as_i64().expect("plan"),
            plan_option: plan["options"][0]["id"].as_i64().expect("option"),
            text_field: text["id"].as_i64().expect("text field"),
            comment,
            conversation,
            spare_agent,
            invite_token,
            serial: AtomicUsize::new(0),
            app,
            admin,
            agent,
            other,
        }
    }

    fn client(&self, who: Who) -> reqwest::Client {
        match who {
            // Without following redirects: a download sends an anonymous
            // browser to the login page.
            Who::Anonymous => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            Who::Agent => self.agent.clone(),
            Who::Admin => self.admin.clone(),
            Who::OtherAdmin => self.other.clone(),
        }
    }

    fn unique(&self, prefix: &str) -> String {
        format!("{prefix} {}", self.serial.fetch_add(1, Ordering::Relaxed))
    }

    /// A new contact of A's with a phone (for calls that use one up).
    async fn fresh_contact(&self) -> i64 {
        let n = self.serial.fetch_add(1, Ordering::Relaxed);
        let phone = format!("+55119{:08}", 10_000_000 + n);
        self.app
            .add(self.a, &[contact(&format!("Novo {n}"), Some(&phone), None)])
            .await[0]
    }

    /// `POST path` with form fields, as A's admin; the JSON answer.
    async fn as_admin(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let (status, body) = read(self.app.post_as(&self.admin, path, form).await).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// A new conversation of A's, closed when `closed`.
    async fn fresh_conversation(&self, closed: bool) -> String {
        let contact = self.fresh_contact().await.to_string();
        let id = self
            .as_admin(
                "/api/conversations/start",
                &[("contact_id", &contact), ("channel", "whatsapp")],
            )
            .await["id"]
            .to_string();
        if closed {
            self.as_admin("/api/conversations/close", &[("id", &id)])
                .await;
        }
        id
    }

    /// An import of A's, uploaded and waiting for its mapping.
    async fn fresh_upload(&self) -> String {
        let (status, body) = read(
            self.app
                .upload(
                    &self.admin,
                    "a.csv",
                    b"Nome;Telefone\r\nAlice;11 98888-7777\r\n".to_vec(),
                )
                .await,
        )
        .await;
        assert_eq!(status, 201, "{body}");
        body["id"].to_string()
    }

    /// Calls `method path` as `who` with arguments valid for company A.
    /// `None` when the test has no call for it.
    async fn call(&self, method: &str, path: &str, who: Who) -> Option<(u16, Value)> {
        let client = self.client(who);
        let app = &self.app;
        let contact = self.contact.to_string();
        let conversation = self.conversation.to_string();
        let response = match (method, path) {
            ("POST", "/api/auth/sign_up") => {
                // An e-mail already used: refused for its data, whoever asks.
                app.post_as(&client, path, &[("company", "C"), ("name", "X"), ("email", &admin_email("Empresa A")), ("password", PASSWORD)]).await
            }
            ("POST", "/api/auth/login") => app.post_as(&client, path, &[("email", "ninguem@empresaa.example"), ("password", "senha errada")]).await,
            ("POST", "/api/auth/me" | "/api/auth/demo_login" | "/api/agents/list" | "/api/agents/invites" | "/api/contacts/directory"
                | "/api/directory/overview" | "/api/custom_fields/list" | "/api/custom_fields/overview"
                | "/api/conversations/agents" | "/api/inbound/show" | "/api/import/jobs") => app.post_as(&client, path, &[]).await,
            ("POST", "/api/auth/logout") => {
                let answer = read(app.post_as(&client, path, &[]).await).await;
                // Sign back in for the calls that follow.
                let email = match who {
                    Who::Agent => Some(self.agent_email.clone()),
                    Who::Admin => Some(admin_email("Empresa A")),
                    Who::OtherAdmin => Some(admin_email("Empresa B")),
                    Who::Anonymous => None,
                };
                if let Some(email) = email {
                    let (status, body) = read(
                        app.post_as(&client, "/api/auth/login", &[("email", &email), ("password", PASSWORD)]).await,
                    )
                    .await;
                    assert_eq!(status, 200, "{body}");
                }
                return Some(answer);
            }
            ("POST", "/api/invites/show") => app.post_as(&client, path, &[("token", &self.invite_token)]).await,
            ("POST", "/api/invites/accept") => {
                app.post_as(&client, path, &[("token", "not-a-token"), ("name", "X"), ("email", "x@x.example"), ("password", PASSWORD)]).await
            }
            ("POST", "/api/agents/invite") => app.post_as(&client, path, &[("role", "agent")]).await,
            ("POST", "/api/agents/set_active") => {
                app.post_as(&client, path, &[("user_id", &self.spare_agent.to_string()), ("active", "true")]).await
            }
            ("POST", "/api/agents/revoke_invite") => {
                let token = self.as_admin("/api/agents/invite", &[("role", "agent")]).await["path"]
                    .as_str()
                    .expect("path")
                    .trim_start_matches("/invite/")
                    .to_string();
                app.post_as(&client, path, &[("id", &app::auth::secrets::token_digest(&token))]).await
            }
            ("POST", "/api/agents/grants") => app.post_as(&client, path, &[("grant", "export"), ("allowed", "false")]).await,
            ("POST", "/api/company/time_zone") => app.post_as(&client, path, &[("time_zone", "America/Sao_Paulo")]).await,
            ("POST", "/api/contacts/list") => app.post_as(&client, path, &[("q", "Ana")]).await,
            ("POST", "/api/contacts/get" | "/api/contacts/remove_photo") => {
                // remove_photo on a contact of its own, so the photo route keeps one.
                let id = if path.ends_with("remove_photo") { self.fresh_contact().await.to_string() } else { contact };
                app.post_as(&client, path, &[("id", &id)]).await
            }
            ("POST", "/api/contacts/create") => app.post_json(&client, path, &json!({"form": {"name": self.unique("Criado")}})).await,
            ("POST", "/api/contacts/update") => {
                app.post_json(&client, path, &json!({"id": self.contact, "form": {"name": "Ana da Empresa A", "phones": ["(11) 98765-4321"], "emails": ["ana@a.example"]}})).await
            }
            ("POST", "/api/contacts/delete" | "/api/contacts/unlink") => {
                app.post_as(&client, path, &[("id", &self.fresh_contact().await.to_string())]).await
            }
            ("POST", "/api/contacts/duplicates") => {
                app.post_json(&client, path, &json!({"form": {"name": "X", "phones": ["(11) 98765-4321"]}, "except": null})).await
            }
            ("POST", "/api/contacts/photo") => {
                let id = self.fresh_contact().await.to_string();
                let (status, body) =
                    crate::photos::upload(app, &client, &id, crate::photos::PNG.to_vec(), "p.png", "image/png").await;
                return Some((status, body));
            }
            ("POST", "/api/contacts/link") => {
                app.post_as(&client, path, &[("id", &self.fresh_contact().await.to_string()), ("main_id", &contact)]).await
            }
            ("POST", "/api/contacts/merge_plan") => {
                app.post_as(&client, path, &[("survivor_id", &self.fresh_contact().await.to_string()), ("other_id", &self.fresh_contact().await.to_string())]).await
            }
            ("POST", "/api/contacts/merge") => {
                let body = json!({"survivor_id": self.fresh_contact().await, "other_id": self.fresh_contact().await, "take_other": []});
                app.post_json(&client, path, &body).await
            }
            ("GET", "/contacts/{id}/photo") => client.get(format!("{}/contacts/{contact}/photo", app.base)).send().await.expect("request"),
            ("POST", "/api/directory/create") => app.post_as(&client, path, &[("kind", "group"), ("name", &self.unique("Grupo"))]).await,
            ("POST", "/api/directory/rename") => {
                app.post_as(&client, path, &[("kind", "organization"), ("id", &self.org.to_string()), ("name", &self.unique("Org"))]).await
            }
            ("POST", "/api/directory/delete") => {
                let id = self.as_admin("/api/directory/create", &[("kind", "organization"), ("name", &self.unique("Apagar"))]).await["id"].to_string();
                app.post_as(&client, path, &[("kind", "organization"), ("id", &id)]).await
            }
            ("POST", "/api/custom_fields/create") => {
                app.post_json(&client, path, &json!({"draft": {"label": self.unique("Campo"), "field_type": "text"}})).await
            }
            ("POST", "/api/custom_fields/update") => {
                app.post_json(&client, path, &json!({"id": self.text_field, "draft": {"label": "Apelido", "field_type": "text"}})).await
            }
            ("POST", "/api/custom_fields/move") => app.post_as(&client, path, &[("id", &self.text_field.to_string()), ("up", "true")]).await,
            ("POST", "/api/custom_fields/delete") => {
                let created = read(
                    app.post_json(&self.admin, "/api/custom_fields/create", &json!({"draft": {"label": self.unique("Apagar"), "field_type": "text"}})).await,
                )
                .await
                .1;
                app.post_as(&client, path, &[("id", &created["id"].to_string())]).await
            }
            ("POST", "/api/custom_fields/add_option") => {
                app.post_as(&client, path, &[("field_id", &self.plan_field.to_string()), ("label", &self.unique("Opção"))]).await
            }
            ("POST", "/api/custom_fields/rename_option") => app.post_as(&client, path, &[
                ("field_id", &self.plan_field.to_string()),
                ("option_id", &self.plan_option.to_string()),
                ("label", &self.unique("Ouro")),
            ])
            .await,
            ("POST", "/api/custom_fields/retire_option") => app.post_as(&client, path, &[
                ("field_id", &self.plan_field.to_string()),
                ("option_id", &self.plan_option.to_string()),
                ("retired", "false"),
            ])
            .await,
            ("POST", "/api/timeline/list" | "/api/conversations/of_contact") => app.post_as(&client, path, &[("contact_id", &contact)]).await,
            ("POST", "/api/timeline/comment") => app.post_as(&client, path, &[("contact_id", &contact), ("text", "Nota")]).await,
            ("POST", "/api/timeline/edit_comment" | "/api/timeline/delete_comment") => {
                // Users change their own comments; B aims at A's admin's.
                let id = match who {
                    Who::Agent | Who::Admin => {
                        let (status, id) = read(
                            app.post_as(&client, "/api/timeline/comment", &[("contact_id", &contact), ("text", "Minha nota")]).await,
                        )
                        .await;
                        assert_eq!(status, 200, "{id}");
                        id.to_string()
                    }
                    Who::Anonymous | Who::OtherAdmin => self.comment.to_string(),
                };
                app.post_as(&client, path, &[("id", &id), ("text", "Nota editada")]).await
            }
            ("POST", "/api/conversations/list") => app.post_json(&client, path, &json!({"filter": {}, "after": null})).await,
            ("POST", "/api/conversations/get") => app.post_as(&client, path, &[("id", &conversation)]).await,
            ("POST", "/api/conversations/updates") => app.post_as(&client, path, &[("id", &conversation), ("after", "0")]).await,
            ("POST", "/api/conversations/start") => {
                app.post_as(&client, path, &[("contact_id", &self.fresh_contact().await.to_string()), ("channel", "whatsapp")]).await
            }
            ("POST", "/api/conversations/send") => app.post_as(&client, path, &[("id", &conversation), ("text", "Olá")]).await,
            ("POST", "/api/conversations/close") => app.post_as(&client, path, &[("id", &self.fresh_conversation(false).await)]).await,
            ("POST", "/api/conversations/reopen") => app.post_as(&client, path, &[("id", &self.fresh_conversation(true).await)]).await,
            ("POST", "/api/inbound/rotate") => {
                let answer = read(app.post_as(&client, path, &[]).await).await;
                return Some(answer);
            }
            ("POST", "/api/inbound") => {
                // The token is the credential, whoever holds it.
                let mut request = client
                    .post(format!("{}{path}", app.base))
                    .json(&json!({"channel": "sms", "from": "+5511955554444", "text": "Oi"}));
                let token = crate::conversations::inbound_token(app, &self.admin).await;
                request = request.bearer_auth(token);
                request.send().await.expect("request")
            }
            ("GET", "/contacts/export.csv") => client.get(format!("{}{path}", app.base)).send().await.expect("request"),
            ("POST", "/contacts/import") => app.upload(&client, "a.csv", b"Nome\r\nAlice\r\n".to_vec()).await,
            ("POST", "/api/import/preview" | "/api/import/status" | "/api/import/cancel") => {
                app.post_as(&client, path, &[("id", &self.fresh_upload().await)]).await
            }
            ("POST", "/api/import/start") => {
                let id: i64 = self.fresh_upload().await.parse().expect("id");
                let body = json!({"id": id, "targets": [{"target": "name"}, {"target": "phone"}], "policy": "create"});
                app.post_json(&client, path, &body).await
            }
            ("GET", "/contacts/import/{id}/errors.csv") => {
                let id = self.fresh_upload().await;
                client.get(format!("{}/contacts/import/{id}/errors.csv", app.base)).send().await.expect("request")
            }
            ("GET", "/healthz") => client.get(format!("{}{path}", app.base)).send().await.expect("request"),
            _ => return None,
        };
        Some(read(response).await)
    }
}

fn form_ref<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Whether `who` is let through by a rule (agents have no grants here).
fn admitted(access: Access, who: Who) -> bool {
    match (access, who) {
        (Access::Public | Access::ChannelToken, _) => true,
        (_, Who::Anonymous) => false,
        (Access::Member, _) => true,
        (Access::Admin | Access::Granted(_), Who::Agent) => false,
        (Access::Admin | Access::Granted(_), Who::Admin | Who::OtherAdmin) => true,
    }
}

async fn every_endpoint_answers_each_role_as_the_matrix_says(backend: Backend) {
    let world = World::build(backend).await;
    let mut endpoints: Vec<(String, String)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (method.to_string(), path.to_string()))
        .chain(
            server::plain_routes()
                .into_iter()
                .map(|route| (route.method.to_string(), route.path.to_string())),
        )
        .collect();
    endpoints.sort();
    assert!(endpoints.len() >= 60, "endpoints found: {endpoints:?}");

    for (method, path) in &endpoints {
        let (method, path) = (method.as_str(), path.as_str());
        let Some((access, other)) = expected(method, path) else {
            panic!("{method} {path} has no role case: add one to server/tests/api/roles.rs (and a rule to app::auth::access::ENDPOINTS)");
        };
        let rule = access::endpoint(method, path).unwrap_or_else(|| {
            panic!("{method} {path} has no rule in app::auth::access::ENDPOINTS")
        });
        assert_eq!(
            rule.access, access,
            "{method} {path}: the matrix and this test disagree"
        );

        for who in EVERYONE {
            let (status, body) = world
                .call(method, path, who)
                .await
                .unwrap_or_else(|| panic!("{method} {path} has no call in roles.rs"));
            let context = format!("{method} {path} as {who:?}: {status} {body}");
            if access == Access::Public {
                assert!(
                    ![401, 403, 404].contains(&status) && status < 500,
                    "{context}"
                );
            } else if who == Who::Anonymous && method == "GET" && !path.starts_with("/api/") {
                assert_eq!(status, 303, "{context}");
            } else if !admitted(access, who) {
                let refusal = if who == Who::Anonymous { 401 } else { 403 };
                assert_eq!(status, refusal, "{context}");
                let error = if who == Who::Anonymous {
                    "Unauthorized"
                } else {
                    "Forbidden"
                };
                assert_eq!(body, Value::String(error.into()), "{context}");
            } else if who == Who::OtherAdmin && other == Other::Missing {
                assert_eq!(status, 404, "{context}");
            } else {
                assert!((200..300).contains(&status), "{context}");
            }
        }
    }

    // A path under /api/ without a rule is answered as missing, even to an admin.
    let (status, body) = read(
        world
            .app
            .post_as(&world.admin, "/api/contacts/nothing_here", &[])
            .await,
    )
    .await;
    assert_eq!((status, body), (404, Value::String("NotFound".into())));
}

async fn an_admin_may_allow_agents_to_export_and_import(backend: Backend) {
    let world = World::build(backend).await;
    let (app, agent) = (&world.app, &world.agent);
    let export = || async {
        agent
            .get(format!("{}/contacts/export.csv", app.base))
            .send()
            .await
            .expect("export")
    };
    let upload = || async {
        app.upload(
            agent,
            "clientes.csv",
            b"Nome;Organizacao\r\nBeto;Org Nova\r\n".to_vec(),
        )
        .await
    };
    let admin = &world.admin;
    let grant = |grant: &'static str, allowed: &'static str| async move {
        read(
            app.post_as(
                admin,
                "/api/agents/grants",
                &[("grant", grant), ("allowed", allowed)],
            )
            .await,
        )
        .await
    };
    let me = || async { read(app.post_as(agent, "/api/auth/me", &[]).await).await.1 };

    // Off by default.
    assert_eq!(
        me().await["agent_grants"],
        json!({"export": false, "import": false})
    );
    assert_eq!(export().await.status(), 403);
    assert_eq!(upload().await.status(), 403);

    // Export only.
    assert_eq!(
        grant("export", "true").await,
        (200, json!({"export": true, "import": false}))
    );
    assert_eq!(
        me().await["agent_grants"],
        json!({"export": true, "import": false})
    );
    let response = export().await;
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .expect("csv")
        .contains("Ana da Empresa A"));
    assert_eq!(upload().await.status(), 403);

    // Import too: the agent's import runs and creates the organization it names.
    assert_eq!(
        grant("import", "true").await,
        (200, json!({"export": true, "import": true}))
    );
    let (status, uploaded) = read(upload().await).await;
    assert_eq!(status, 201, "{uploaded}");
    let body = json!({"id": uploaded["id"], "targets": [{"target": "name"}, {"target": "organization"}], "policy": "create"});
    let (status, job) = read(app.post_json(agent, "/api/import/start", &body).await).await;
    assert_eq!(status, 200, "{job}");
    let id = uploaded["id"].to_string();
    let mut done = false;
    for _ in 0..100 {
        let (status, job) = read(
            app.post_as(agent, "/api/import/status", &[("id", id.as_str())])
                .await,
        )
        .await;
        assert_eq!(status, 200, "{job}");
        if job["status"] == "done" {
            assert_eq!(job["created"], 1, "{job}");
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(done, "the agent's import finished");
    let (_, page) = read(
        app.post_as(agent, "/api/contacts/list", &[("q", "Beto")])
            .await,
    )
    .await;
    assert_eq!(page["contacts"][0]["name"], "Beto", "{page}");
    let (_, directory) = read(app.post_as(agent, "/api/contacts/directory", &[]).await).await;
    assert!(
        directory["organizations"].to_string().contains("Org Nova"),
        "{directory}"
    );

    // Taken back: refused again at once (the session reads the company's grants).
    assert_eq!(
        grant("export", "false").await,
        (200, json!({"export": false, "import": true}))
    );
    assert_eq!(
        grant("import", "false").await,
        (200, json!({"export": false, "import": false}))
    );
    assert_eq!(export().await.status(), 403);
    assert_eq!(upload().await.status(), 403);
    let (status, _) = read(app.post_as(agent, "/api/import/jobs", &[]).await).await;
    assert_eq!(status, 403);
    // And an agent cannot grant themselves.
    let (status, _) = read(
        app.post_as(
            agent,
            "/api/agents/grants",
            &[("grant", "export"), ("allowed", "true")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        me().await["agent_grants"],
        json!({"export": false, "import": false})
    );
}

crate::on_both_backends!(
    every_endpoint_answers_each_role_as_the_matrix_says,
    an_admin_may_allow_agents_to_export_and_import,
);
