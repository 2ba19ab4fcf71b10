//! Contact photos over HTTP: upload (multipart server function), the image
//! route, replacement, removal, refusals, and tenancy of all three.

use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::helpers::{contact, spawn_app, Backend, TestApp};

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x60, 0x60, 0xF8,
    0x0F, 0x00, 0x01, 0x04, 0x01, 0x00, 0x5F, 0xE5, 0xC3, 0x4B, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

pub async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    bytes: Vec<u8>,
    file_name: &str,
    declared: &str,
) -> (u16, Value) {
    let part = Part::bytes(bytes)
        .file_name(file_name.to_string())
        .mime_str(declared)
        .expect("mime");
    let form = Form::new().text("id", id.to_string()).part("photo", part);
    let response = client
        .post(format!("{}/api/contacts/photo", app.base))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, Option<String>, Vec<u8>) {
    let response = client.get(url).send().await.expect("get");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_string());
    (
        status,
        content_type,
        response.bytes().await.expect("bytes").to_vec(),
    )
}

async fn a_photo_is_uploaded_served_replaced_and_removed(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Estúdio").await;
    let id = app
        .add(company, &[contact("Clara Nunes", None, None)])
        .await[0]
        .to_string();

    // Named .jpg and declared as JPEG, but the bytes are PNG: the bytes decide.
    let (status, url) = upload(
        &app,
        &app.client,
        &id,
        PNG.to_vec(),
        "clara.jpg",
        "image/jpeg",
    )
    .await;
    assert_eq!(status, 200, "{url}");
    let url = url.as_str().expect("url").to_string();
    assert!(
        url.starts_with(&format!("/contacts/{id}/photo?v=")),
        "{url}"
    );
    let (status, content_type, bytes) = get(&app.client, &format!("{}{url}", app.base)).await;
    assert_eq!(status, 200);
    assert_eq!(content_type.as_deref(), Some("image/png"));
    assert_eq!(bytes, PNG);

    let (_, details) = app
        .post_form("/api/contacts/get", &[("id", &id)])
        .await
        .json::<Value>()
        .await
        .map(|v| ((), v))
        .expect("json");
    assert_eq!(details["photo_url"], url.as_str());

    // A new upload gets a new URL (the old one may stay cached).
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend_from_slice(&[0u8; 64]);
    let (status, second) =
        upload(&app, &app.client, &id, jpeg.clone(), "b.jpg", "image/jpeg").await;
    assert_eq!(status, 200);
    assert_ne!(second.as_str(), Some(url.as_str()));
    let (_, content_type, bytes) =
        get(&app.client, &format!("{}/contacts/{id}/photo", app.base)).await;
    assert_eq!((content_type.as_deref(), bytes), (Some("image/jpeg"), jpeg));

    // Removal: initials again, the image is gone.
    let response = app
        .post_form("/api/contacts/remove_photo", &[("id", &id)])
        .await;
    assert_eq!(response.status(), 200);
    let (status, _, _) = get(&app.client, &format!("{}/contacts/{id}/photo", app.base)).await;
    assert_eq!(status, 404);
    let details: Value = app
        .post_form("/api/contacts/get", &[("id", &id)])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(details["photo_url"], Value::Null);

    // Deleting the contact deletes its photo with it.
    upload(&app, &app.client, &id, PNG.to_vec(), "c.png", "image/png").await;
    app.post_form("/api/contacts/delete", &[("id", &id)]).await;
    let (status, _, _) = get(&app.client, &format!("{}/contacts/{id}/photo", app.base)).await;
    assert_eq!(status, 404);
}

async fn bad_photos_are_refused_with_a_clear_message(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = app.company("Estúdio").await;
    let id = app
        .add(company, &[contact("Clara Nunes", None, None)])
        .await[0]
        .to_string();
    let cases: Vec<(Vec<u8>, &str, &str, &str)> = vec![
        (
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            "a.png",
            "image/png",
            "A foto deve ser uma imagem JPEG, PNG ou WebP.",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            "a.svg",
            "image/svg+xml",
            "A foto deve ser uma imagem JPEG, PNG ou WebP.",
        ),
        (Vec::new(), "empty.png", "image/png", "Escolha uma imagem."),
        (
            {
                let mut big = vec![0u8; 2 * 1024 * 1024 + 1];
                big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
                big
            },
            "big.jpg",
            "image/jpeg",
            "A foto deve ter no máximo 2 MB.",
        ),
    ];
    for (bytes, name, declared, message) in cases {
        let (status, body) = upload(&app, &app.client, &id, bytes, name, declared).await;
        assert_eq!(status, 422, "{name}: {body}");
        assert_eq!(body["Validation"][0]["field"], "photo", "{name}");
        assert_eq!(body["Validation"][0]["message"], message, "{name}");
    }
    let (status, body) = upload(
        &app,
        &app.client,
        "987654",
        PNG.to_vec(),
        "a.png",
        "image/png",
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let details: Value = app
        .post_form("/api/contacts/get", &[("id", &id)])
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(details["photo_url"], Value::Null, "nothing stored");
}

async fn photos_never_cross_companies(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, client_a) = app.sign_up("Empresa A").await;
    let (_, client_b) = app.sign_up("Empresa B").await;
    let id = app.add(a, &[contact("Ana", None, None)]).await[0].to_string();
    let (status, url) = upload(&app, &client_a, &id, PNG.to_vec(), "a.png", "image/png").await;
    assert_eq!(status, 200);
    let url = format!("{}{}", app.base, url.as_str().expect("url"));

    let (status, _, _) = get(&client_b, &url).await;
    assert_eq!(
        status, 404,
        "another company's photo is answered as missing"
    );
    let anonymous = app.anonymous();
    let (_, content_type, _) = get(&anonymous, &url).await;
    assert!(
        !content_type.unwrap_or_default().starts_with("image/"),
        "anonymous visitors are sent to the login page, not given the photo"
    );
    let (status, _) = upload(&app, &client_b, &id, PNG.to_vec(), "b.png", "image/png").await;
    assert_eq!(status, 404, "B cannot replace A's photo");
    let (status, _) = upload(&app, &anonymous, &id, PNG.to_vec(), "b.png", "image/png").await;
    assert_eq!(status, 401);
    let (_, _, bytes) = get(&client_a, &url).await;
    assert_eq!(bytes, PNG, "A's photo untouched");
}

crate::on_both_backends!(
    a_photo_is_uploaded_served_replaced_and_removed,
    bad_photos_are_refused_with_a_clear_message,
    photos_never_cross_companies,
);
