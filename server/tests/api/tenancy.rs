//! Tenant isolation across the whole RPC API. The test enumerates every
//! registered server function: each must accept only POST, refuse anonymous
//! callers (unless it is one of the few public ones), and never let one
//! company read or change another's data. A server function without a case
//! here fails the test, so a new one cannot forget its checks unnoticed.

use app::auth::access::{self, Access};
use serde_json::Value;

use crate::helpers::{contact, spawn_app, Backend, TestApp, PASSWORD};

async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn every_server_function_checks_the_session_and_the_tenant(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, client_a) = app.sign_up("Empresa A").await;
    let (b, client_b) = app.sign_up("Empresa B").await;
    let a_ids = app
        .add(
            a,
            &[app::contacts::writer::NewContact {
                organization: Some("Org A".into()),
                groups: vec!["Grupo A".into()],
                ..contact(
                    "Ana da Empresa A",
                    Some("+5511987654321"),
                    Some("ana@a.example"),
                )
            }],
        )
        .await;
    app.add(
        b,
        &[contact("Bruno da Empresa B", Some("+5521987654321"), None)],
    )
    .await;
    let a_admin = members(&app, &client_a).await[0]["id"]
        .as_i64()
        .expect("id");

    let (_, a_directory) = json(app.post_as(&client_a, "/api/contacts/directory", &[]).await).await;
    let a_org = a_directory["organizations"][0]["id"].to_string();
    let a_group = a_directory["groups"][0]["id"].to_string();
    assert_ne!(a_org, "null", "{a_directory}");
    assert_ne!(a_group, "null", "{a_directory}");

    // A's custom fields: a CPF with a value on A's contact, a select field.
    let (status, a_cpf) = json(
        app.post_json(
            &client_a,
            "/api/custom_fields/create",
            &serde_json::json!({"draft": {"label": "CPF", "field_type": "cpf"}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{a_cpf}");
    let (_, a_plan) = json(
        app.post_json(
            &client_a,
            "/api/custom_fields/create",
            &serde_json::json!({"draft": {"label": "Plano", "field_type": "single_select", "options": ["Ouro"]}}),
        )
        .await,
    )
    .await;
    let a_cpf_id = a_cpf["id"].to_string();
    let a_plan_id = a_plan["id"].to_string();
    let a_option_id = a_plan["options"][0]["id"].to_string();
    let (status, body) = json(
        app.post_json(
            &client_a,
            "/api/contacts/update",
            &serde_json::json!({"id": a_ids[0], "form": {"name": "Ana da Empresa A", "phones": ["(11) 98765-4321"], "emails": ["ana@a.example"], "custom": {"cpf": "529.982.247-25"}}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let a_fields = |body: &Value| -> Vec<String> {
        body.as_array()
            .expect("fields")
            .iter()
            .map(|f| f["id"].to_string())
            .collect()
    };

    // An import of A's, waiting for its mapping.
    let (status, a_upload) = json(
        app.upload(
            &client_a,
            "a.csv",
            b"Nome;Telefone\r\nAlice;11 98888-7777\r\n".to_vec(),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{a_upload}");
    let a_job = a_upload["id"].to_string();
    let a_job_is_intact = || async {
        let (status, job) = json(
            app.post_as(&client_a, "/api/import/status", &[("id", a_job.as_str())])
                .await,
        )
        .await;
        assert_eq!(status, 200, "{job}");
        assert_eq!(job["status"], "uploaded", "{job}");
    };

    // A's conversation, comment and inbound token.
    let a_contact = a_ids[0].to_string();
    let (status, a_chat) = json(
        app.post_as(
            &client_a,
            "/api/conversations/start",
            &[("contact_id", a_contact.as_str()), ("channel", "whatsapp")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{a_chat}");
    let a_chat = a_chat["id"].to_string();
    let (status, a_comment) = json(
        app.post_as(
            &client_a,
            "/api/timeline/comment",
            &[("contact_id", a_contact.as_str()), ("text", "Nota de A")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{a_comment}");
    let a_comment = a_comment.to_string();
    let a_token = crate::conversations::inbound_token(&app, &client_a).await;
    let a_chat_is_intact = || async {
        let (status, chat) = json(
            app.post_as(
                &client_a,
                "/api/conversations/get",
                &[("id", a_chat.as_str())],
            )
            .await,
        )
        .await;
        assert_eq!(status, 200, "{chat}");
        assert_eq!(chat["summary"]["status"], "open", "{chat}");
        assert_eq!(chat["summary"]["message_count"], 0, "{chat}");
        let (_, timeline) = json(
            app.post_as(
                &client_a,
                "/api/timeline/list",
                &[("contact_id", a_contact.as_str())],
            )
            .await,
        )
        .await;
        assert_eq!(
            timeline["events"][0]["detail"]["text"], "Nota de A",
            "{timeline}"
        );
    };

    let mut paths: Vec<(&str, String)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path, method.to_string()))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "server functions found: {paths:?}");

    for (path, method) in paths {
        assert_eq!(method, "POST", "{path} must only accept POST");
        let public = access::endpoint("POST", path).map(|e| e.access) == Some(Access::Public);
        if !public {
            let (status, body) = json(app.post_as(&app.anonymous(), path, &[]).await).await;
            assert_eq!(status, 401, "{path} must refuse anonymous callers: {body}");
            assert_eq!(body, Value::String("Unauthorized".into()), "{path}");
        }
        // B acts, aiming at A's data; A's data must stay invisible and intact.
        match path {
            "/api/contacts/list" => {
                for filter in ["organization", "group"] {
                    let id = if filter == "group" { &a_group } else { &a_org };
                    let (status, page) = json(app.post_as(&client_b, path, &[(filter, id.as_str())]).await).await;
                    assert_eq!(status, 200, "{path} {filter}");
                    assert_eq!(page["contacts"], serde_json::json!([]), "{path} {filter}={id}");
                }
                let (status, body) = json(app.post_as(&client_b, path, &[("field", a_cpf_id.as_str()), ("value", "52998224725")]).await).await;
                assert_eq!(status, 422, "A's field is unknown to B: {body}");
                for q in ["Ana", &a_ids[0].to_string(), "ana@a.example", "98765-4321", "529.982.247-25"] {
                    let (status, page) = json(app.post_as(&client_b, path, &[("q", q)]).await).await;
                    assert_eq!(status, 200, "{path} q={q}");
                    let names: Vec<&str> = page["contacts"]
                        .as_array()
                        .expect("contacts")
                        .iter()
                        .filter_map(|c| c["name"].as_str())
                        .collect();
                    assert!(names.iter().all(|n| !n.contains("Empresa A")), "{path} q={q}: {names:?}");
                }
            }
            "/api/contacts/get" | "/api/contacts/delete" => {
                let id = a_ids[0].to_string();
                let (status, body) = json(app.post_as(&client_b, path, &[("id", id.as_str())]).await).await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
            }
            "/api/contacts/photo" => {
                let id = a_ids[0].to_string();
                let (status, body) = crate::photos::upload(&app, &client_b, &id, crate::photos::PNG.to_vec(), "p.png", "image/png").await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
            }
            "/api/contacts/remove_photo" => {
                let id = a_ids[0].to_string();
                crate::photos::upload(&app, &client_a, &id, crate::photos::PNG.to_vec(), "p.png", "image/png").await;
                let (status, body) = json(app.post_as(&client_b, path, &[("id", id.as_str())]).await).await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                let (_, details) = json(app.post_as(&client_a, "/api/contacts/get", &[("id", id.as_str())]).await).await;
                assert!(details["photo_url"].is_string(), "A's photo stays: {details}");
            }
            "/api/contacts/update" => {
                let body = serde_json::json!({"id": a_ids[0], "form": {"name": "Changed by B"}});
                let (status, _) = json(app.post_json(&client_b, path, &body).await).await;
                assert_eq!(status, 404, "{path}");
            }
            "/api/contacts/create" => {
                let body = serde_json::json!({"form": {"name": "Criado por B"}});
                let (status, created) = json(app.post_json(&client_b, path, &body).await).await;
                assert_eq!(status, 200, "{created}");
                let id = created["id"].to_string();
                let (status, _) = json(app.post_as(&client_a, "/api/contacts/get", &[("id", id.as_str())]).await).await;
                assert_eq!(status, 404, "B's new contact is not A's");
            }
            "/api/contacts/duplicates" => {
                let body = serde_json::json!({"form": {"name": "X", "phones": ["(11) 98765-4321"], "emails": ["ana@a.example"]}, "except": null});
                let (status, found) = json(app.post_json(&client_b, path, &body).await).await;
                assert_eq!(status, 200);
                assert_eq!(found, serde_json::json!([]), "A's contacts are never B's duplicates");
            }
            "/api/contacts/directory" => {
                let (status, directory) = json(app.post_as(&client_b, path, &[]).await).await;
                assert_eq!(status, 200);
                assert!(!directory.to_string().contains("Org A"), "{directory}");
                assert!(!directory.to_string().contains("Grupo A"), "{directory}");
            }
            "/api/directory/overview" => {
                let (status, overview) = json(app.post_as(&client_b, path, &[]).await).await;
                assert_eq!(status, 200);
                // (B may have made its own "Org A" in the create case: compare ids.)
                let ids = |list: &str| -> Vec<String> {
                    overview[list].as_array().expect("list").iter().map(|e| e["id"].to_string()).collect()
                };
                assert!(!ids("organizations").contains(&a_org), "{overview}");
                assert!(!ids("groups").contains(&a_group), "{overview}");
            }
            "/api/directory/create" => {
                // B may use the same name as A: names are per company.
                let (status, body) =
                    json(app.post_as(&client_b, path, &[("kind", "organization"), ("name", "Org A")]).await).await;
                assert_eq!(status, 200, "{body}");
                let (_, a_now) = json(app.post_as(&client_a, "/api/contacts/directory", &[]).await).await;
                assert_eq!(a_now["organizations"].as_array().map(Vec::len), Some(1), "{a_now}");
            }
            "/api/directory/rename" | "/api/directory/delete" => {
                for (kind, id) in [("organization", &a_org), ("group", &a_group)] {
                    let (status, body) = json(
                        app.post_as(&client_b, path, &[("kind", kind), ("id", id.as_str()), ("name", "Tomado por B")])
                            .await,
                    )
                    .await;
                    assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path} {kind}");
                }
                let (_, a_now) = json(app.post_as(&client_a, "/api/contacts/directory", &[]).await).await;
                assert!(a_now.to_string().contains("Org A") && a_now.to_string().contains("Grupo A"), "{a_now}");
            }
            "/api/custom_fields/list" | "/api/custom_fields/overview" => {
                let (status, body) = json(app.post_as(&client_b, path, &[]).await).await;
                assert_eq!(status, 200, "{path}: {body}");
                let ids = a_fields(&body);
                assert!(!ids.contains(&a_cpf_id) && !ids.contains(&a_plan_id), "{path}: {body}");
            }
            "/api/custom_fields/create" => {
                // Keys are per company: B may use A's.
                let (status, body) = json(
                    app.post_json(&client_b, path, &serde_json::json!({"draft": {"label": "CPF", "field_type": "text"}})).await,
                )
                .await;
                assert_eq!(status, 200, "{body}");
                let (_, a_now) = json(app.post_as(&client_a, "/api/custom_fields/list", &[]).await).await;
                assert_eq!(a_fields(&a_now), [a_cpf_id.clone(), a_plan_id.clone()], "{a_now}");
            }
            "/api/custom_fields/update" => {
                let body = serde_json::json!({"id": a_cpf["id"], "draft": {"label": "Tomado", "field_type": "text"}});
                let (status, body) = json(app.post_json(&client_b, path, &body).await).await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
            }
            "/api/custom_fields/move" | "/api/custom_fields/delete" => {
                let (status, body) = json(app.post_as(&client_b, path, &[("id", a_cpf_id.as_str()), ("up", "false")]).await).await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                let (_, a_now) = json(app.post_as(&client_a, "/api/custom_fields/list", &[]).await).await;
                assert_eq!(a_fields(&a_now), [a_cpf_id.clone(), a_plan_id.clone()], "{path}: {a_now}");
            }
            "/api/custom_fields/add_option" | "/api/custom_fields/rename_option" | "/api/custom_fields/retire_option" => {
                let form = [
                    ("field_id", a_plan_id.as_str()),
                    ("option_id", a_option_id.as_str()),
                    ("label", "Tomada"),
                    ("retired", "true"),
                ];
                let (status, body) = json(app.post_as(&client_b, path, &form).await).await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                let (_, a_now) = json(app.post_as(&client_a, "/api/custom_fields/list", &[]).await).await;
                assert_eq!(a_now[1]["options"], a_plan["options"], "{path}: A's options are intact");
            }
            "/api/import/jobs" => {
                let (status, body) = json(app.post_as(&client_b, path, &[]).await).await;
                assert_eq!(status, 200, "{path}: {body}");
                assert_eq!(body, serde_json::json!([]), "{path}");
            }
            "/api/import/preview" | "/api/import/status" | "/api/import/cancel" => {
                let (status, body) = json(app.post_as(&client_b, path, &[("id", a_job.as_str())]).await).await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                a_job_is_intact().await;
            }
            "/api/import/start" => {
                let body = serde_json::json!({"id": a_upload["id"], "targets": [{"target": "name"}, {"target": "phone"}], "policy": "create"});
                let (status, body) = json(app.post_json(&client_b, path, &body).await).await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                a_job_is_intact().await;
                // Nor can B read A's error report.
                let response = client_b
                    .get(format!("{}/contacts/import/{a_job}/errors.csv", app.base))
                    .send()
                    .await
                    .expect("request");
                assert_eq!(response.status(), 404);
            }
            "/api/conversations/start" => {
                let (status, body) = json(
                    app.post_as(&client_b, path, &[("contact_id", a_contact.as_str()), ("channel", "whatsapp")]).await,
                )
                .await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
            }
            "/api/conversations/updates" => {
                let (status, body) = json(
                    app.post_as(&client_b, path, &[("id", a_chat.as_str()), ("after", "0")]).await,
                )
                .await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
            }
            "/api/conversations/get" | "/api/conversations/send" | "/api/conversations/close"
            | "/api/conversations/reopen" => {
                let (status, body) = json(
                    app.post_as(&client_b, path, &[("id", a_chat.as_str()), ("text", "Mensagem de B")]).await,
                )
                .await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                a_chat_is_intact().await;
            }
            "/api/conversations/list" => {
                for filter in [serde_json::json!({}), serde_json::json!({"query": "Ana"})] {
                    let body = serde_json::json!({"filter": filter, "after": null});
                    let (status, page) = json(app.post_json(&client_b, path, &body).await).await;
                    assert_eq!(status, 200, "{page}");
                    assert!(!page.to_string().contains("Empresa A"), "{path}: {page}");
                }
            }
            "/api/conversations/of_contact" | "/api/timeline/list" => {
                let (status, body) = json(app.post_as(&client_b, path, &[("contact_id", a_contact.as_str())]).await).await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
            }
            "/api/conversations/agents" => {
                let (status, agents) = json(app.post_as(&client_b, path, &[]).await).await;
                assert_eq!(status, 200);
                let ids: Vec<i64> = agents.as_array().expect("agents").iter().filter_map(|a| a["id"].as_i64()).collect();
                assert!(!ids.contains(&a_admin), "{agents}");
            }
            "/api/inbound/show" | "/api/inbound/rotate" => {
                let (status, _) = json(app.post_as(&client_b, path, &[]).await).await;
                assert_eq!(status, 200, "{path}");
                // A's token still works, and still files into A.
                let (status, received) = crate::conversations::inbound(
                    &app,
                    Some(&a_token),
                    &serde_json::json!({"channel": "sms", "from": "+5511955554444", "text": "Oi"}),
                )
                .await;
                assert_eq!(status, 200, "{received}");
                let id = received["contact_id"].to_string();
                let (status, _) = json(app.post_as(&client_a, "/api/contacts/get", &[("id", id.as_str())]).await).await;
                assert_eq!(status, 200, "filed into A");
            }
            "/api/timeline/comment" => {
                let (status, body) = json(
                    app.post_as(&client_b, path, &[("contact_id", a_contact.as_str()), ("text", "Intruso")]).await,
                )
                .await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                a_chat_is_intact().await;
            }
            "/api/timeline/edit_comment" | "/api/timeline/delete_comment" => {
                let (status, body) = json(
                    app.post_as(&client_b, path, &[("id", a_comment.as_str()), ("text", "Mudado por B")]).await,
                )
                .await;
                assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                a_chat_is_intact().await;
            }
            "/api/contacts/link" | "/api/contacts/unlink" | "/api/contacts/merge_plan" => {
                let b_contact = app.add(b, &[contact("Outro de B", Some("+5521911112222"), None)]).await[0].to_string();
                for (mine, theirs) in [(a_contact.as_str(), b_contact.as_str()), (b_contact.as_str(), a_contact.as_str())] {
                    let (status, body) = json(
                        app.post_as(&client_b, path, &[("id", mine), ("main_id", theirs), ("survivor_id", mine), ("other_id", theirs)])
                            .await,
                    )
                    .await;
                    if path == "/api/contacts/unlink" && mine == b_contact {
                        assert_eq!(status, 200, "B unlinks its own (unlinked) contact: {body}");
                    } else {
                        assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                    }
                }
                let (_, details) = json(app.post_as(&client_a, "/api/contacts/get", &[("id", a_contact.as_str())]).await).await;
                assert_eq!(details["main_contact"], Value::Null, "{details}");
            }
            "/api/contacts/merge" => {
                let b_contact = app.add(b, &[contact("Mesclado por B", Some("+5521933334444"), None)]).await[0];
                for (survivor, other) in [(b_contact, a_ids[0]), (a_ids[0], b_contact)] {
                    let body = serde_json::json!({"survivor_id": survivor, "other_id": other, "take_other": []});
                    let (status, _) = json(app.post_json(&client_b, path, &body).await).await;
                    assert_eq!(status, 404, "{path}");
                }
                let (status, _) = json(app.post_as(&client_a, "/api/contacts/get", &[("id", a_contact.as_str())]).await).await;
                assert_eq!(status, 200, "A's contact is not merged away");
            }
            "/api/agents/list" => {
                let listed = members(&app, &client_b).await;
                assert!(listed.iter().all(|m| m["email"] != "admin@empresaa.example"), "{listed:?}");
            }
            "/api/agents/invite" => {
                let (status, invite) = json(app.post_as(&client_b, path, &[("role", "agent")]).await).await;
                assert_eq!(status, 200, "{invite}");
                let token = invite["path"].as_str().expect("path").trim_start_matches("/invite/");
                let (_, info) = json(app.post_as(&app.anonymous(), "/api/invites/show", &[("token", token)]).await).await;
                assert_eq!(info["company_name"], "Empresa B", "an invite joins the inviter's company");
            }
            "/api/agents/invites" | "/api/agents/revoke_invite" => {
                let (_, a_invite) = json(app.post_as(&client_a, "/api/agents/invite", &[("role", "admin")]).await).await;
                let token = a_invite["path"].as_str().expect("path").trim_start_matches("/invite/").to_string();
                let id = app::auth::secrets::token_digest(&token);
                let (status, body) = json(app.post_as(&client_b, path, &[("id", id.as_str())]).await).await;
                if path.ends_with("revoke_invite") {
                    assert_eq!((status, body), (404, Value::String("NotFound".into())), "{path}");
                } else {
                    assert_eq!(status, 200, "{body}");
                    assert!(!body.to_string().contains(&id), "{path}: {body}");
                }
                let (_, pending) = json(app.post_as(&client_a, "/api/agents/invites", &[]).await).await;
                assert!(pending.to_string().contains(&id), "A's invitation stays: {pending}");
                let (status, _) = json(app.post_as(&app.anonymous(), "/api/invites/show", &[("token", token.as_str())]).await).await;
                assert_eq!(status, 200, "A's link still works");
            }
            "/api/agents/grants" => {
                for grant in ["export", "import"] {
                    let (status, grants) =
                        json(app.post_as(&client_b, path, &[("grant", grant), ("allowed", "true")]).await).await;
                    assert_eq!(status, 200, "{grants}");
                }
                let (_, me) = json(app.post_as(&client_a, "/api/auth/me", &[]).await).await;
                assert_eq!(me["agent_grants"], serde_json::json!({"export": false, "import": false}), "{me}");
                let (_, me) = json(app.post_as(&client_b, "/api/auth/me", &[]).await).await;
                assert_eq!(me["agent_grants"], serde_json::json!({"export": true, "import": true}), "{me}");
            }
            "/api/company/time_zone" => {
                let (status, zone) =
                    json(app.post_as(&client_b, path, &[("time_zone", "America/Manaus")]).await).await;
                assert_eq!((status, zone), (200, serde_json::json!("America/Manaus")));
                let (_, me) = json(app.post_as(&client_a, "/api/auth/me", &[]).await).await;
                assert_eq!(me["time_zone"], "America/Sao_Paulo", "A's zone stays: {me}");
                let (_, me) = json(app.post_as(&client_b, "/api/auth/me", &[]).await).await;
                assert_eq!(me["time_zone"], "America/Manaus", "{me}");
            }
            "/api/agents/set_active" => {
                let id = a_admin.to_string();
                let (status, body) = json(
                    app.post_as(&client_b, path, &[("user_id", id.as_str()), ("active", "false")]).await,
                )
                .await;
                assert_eq!(status, 404, "another company's user is answered as missing: {body}");
                assert_eq!(members(&app, &client_a).await[0]["active"], true);
            }
            "/api/auth/logout" => {
                let (status, _) = json(app.post_as(&client_b, path, &[]).await).await;
                assert_eq!(status, 200);
                let (status, _) = json(app.post_as(&client_b, "/api/contacts/list", &[]).await).await;
                assert_eq!(status, 401, "logged out");
                let (status, _) = json(app.post_as(&client_a, "/api/contacts/list", &[]).await).await;
                assert_eq!(status, 200, "another session is untouched");
                // Sign B back in for the cases that follow.
                login(&app, &client_b, "admin@empresab.example").await;
            }
            "/api/auth/me" => {
                let (_, me) = json(app.post_as(&client_b, path, &[]).await).await;
                assert_eq!(me["company_id"], b.get());
                let (_, anonymous) = json(app.post_as(&app.anonymous(), path, &[]).await).await;
                assert_eq!(anonymous, Value::Null);
            }
            "/api/auth/login" => {
                let (status, body) = json(
                    app.post_as(&app.anonymous(), path, &[("email", "admin@empresaa.example"), ("password", "wrong password")])
                        .await,
                )
                .await;
                assert_eq!(status, 422, "{body}");
            }
            "/api/auth/sign_up" => {
                let (status, body) = json(
                    app.post_as(
                        &app.anonymous(),
                        path,
                        &[("company", "C"), ("name", "X"), ("email", "admin@empresaa.example"), ("password", PASSWORD)],
                    )
                    .await,
                )
                .await;
                assert_eq!(status, 422, "an e-mail is one account: {body}");
            }
            "/api/auth/demo_login" => {
                let (status, body) = json(app.post_as(&app.anonymous(), path, &[]).await).await;
                assert_eq!((status, body), (200, Value::Null), "no demo company here");
            }
            "/api/invites/show" | "/api/invites/accept" => {
                let (status, _) = json(
                    app.post_as(
                        &app.anonymous(),
                        path,
                        &[("token", "not-a-token"), ("name", "X"), ("email", "x@x.example"), ("password", PASSWORD)],
                    )
                    .await,
                )
                .await;
                assert_eq!(status, 422, "{path}: an unknown invitation is refused");
            }
            other => panic!(
                "{other} has no tenancy case: add one to server/tests/api/tenancy.rs (anonymous, cross-tenant)"
            ),
        }
    }
}

async fn members(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    let (status, body) = json(app.post_as(client, "/api/agents/list", &[]).await).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().expect("members").clone()
}

async fn login(app: &TestApp, client: &reqwest::Client, email: &str) {
    let (status, body) = json(
        app.post_as(
            client,
            "/api/auth/login",
            &[("email", email), ("password", PASSWORD)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

crate::on_both_backends!(every_server_function_checks_the_session_and_the_tenant);
