//! The inbound endpoint: a channel provider posts a customer's message.
//!
//! `POST /api/inbound` with `Authorization: Bearer <the company's token>`
//! and a JSON body `{"channel": "whatsapp", "from": "+55 11 98765-4321",
//! "name": "Maria", "text": "Oi"}`. The token says which company; `from`
//! is read as the channel's address (a phone in any format, an e-mail, a
//! handle; optional for the web widget, which may give a phone or an
//! e-mail). See `docs/api.md`.

use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::secrets::token_digest;
use crate::auth::validate::normalize_email;
use crate::contacts::phone::{format_phone, normalize_phone};
use crate::conversations::channel::AddressKind;
use crate::conversations::model::check_message;
use crate::conversations::repo;
use crate::conversations::Channel;
use crate::error::{AppError, FieldError};
use crate::state::AppState;

/// Who wrote, as the channel knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// E.164.
    Phone(String),
    /// Lower-case.
    Email(String),
    /// A Telegram, Instagram or Facebook handle, without '@'.
    Handle(Channel, String),
    /// A web widget visitor who left nothing.
    Anonymous,
}

impl Address {
    /// How the address is shown (the new contact's name when none is given).
    pub fn display(&self) -> Option<String> {
        match self {
            Address::Phone(e164) => Some(format_phone(e164)),
            Address::Email(email) => Some(email.clone()),
            Address::Handle(_, handle) => Some(format!("@{handle}")),
            Address::Anonymous => None,
        }
    }
}

/// The request body.
#[derive(Debug, Clone, Deserialize)]
pub struct InboundPayload {
    pub channel: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub text: String,
}

/// A checked inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMessage {
    pub channel: Channel,
    pub address: Address,
    /// The name a new contact gets.
    pub name: String,
    pub text: String,
}

fn error(field: &str, problem: Problem) -> FieldError {
    FieldError::new(field, problem)
}

/// Reads `from` as the channel's kind of address.
fn read_address(channel: Channel, from: Option<&str>) -> Result<Address, FieldError> {
    let from = from.map(str::trim).filter(|f| !f.is_empty());
    let phone = |text: &str| {
        normalize_phone(text).map(Address::Phone).map_err(|_| {
            error(
                "from",
                Problem::InvalidPhone {
                    text: text.to_string(),
                },
            )
        })
    };
    let email = |text: &str| {
        normalize_email(text).map(Address::Email).map_err(|_| {
            error(
                "from",
                Problem::InvalidEmail {
                    text: text.to_string(),
                },
            )
        })
    };
    let kind = channel.address_kind();
    let Some(from) = from else {
        return if kind == AddressKind::PhoneOrEmail {
            Ok(Address::Anonymous)
        } else {
            Err(error("from", Problem::SenderRequired))
        };
    };
    match kind {
        AddressKind::Phone => phone(from),
        AddressKind::Email => email(from),
        AddressKind::PhoneOrEmail if from.contains('@') => email(from),
        AddressKind::PhoneOrEmail => phone(from),
        AddressKind::Telegram | AddressKind::Instagram | AddressKind::Facebook => {
            let handle = from.trim_start_matches('@');
            if handle.is_empty()
                || handle.chars().any(char::is_whitespace)
                || handle.chars().count() > 100
            {
                Err(error(
                    "from",
                    Problem::InvalidHandle {
                        text: from.to_string(),
                    },
                ))
            } else {
                Ok(Address::Handle(channel, handle.to_string()))
            }
        }
    }
}

/// Checks a payload: every problem, by field.
pub fn read_message(payload: &InboundPayload) -> Result<InboundMessage, Vec<FieldError>> {
    let mut errors = Vec::new();
    let channel = Channel::parse(payload.channel.trim());
    if channel.is_none() {
        errors.push(error(
            "channel",
            Problem::UnknownChannel {
                text: payload.channel.clone(),
                known: Channel::ALL.map(Channel::slug).join(", "),
            },
        ));
    }
    let address = channel.map(|c| read_address(c, payload.from.as_deref()));
    let text = check_message(&payload.text).map_err(|p| error("text", p));
    let name = payload
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(200).collect::<String>());
    match (channel, address, text) {
        (Some(channel), Some(Ok(address)), Ok(text)) if errors.is_empty() => Ok(InboundMessage {
            channel,
            name: name
                .or_else(|| address.display())
                .unwrap_or_else(|| "Visitante do site".to_string()),
            address,
            text,
        }),
        (_, address, text) => {
            if let Some(Err(e)) = address {
                errors.push(e);
            }
            if let Err(e) = text {
                errors.push(e);
            }
            Err(errors)
        }
    }
}

/// The bearer token of a request.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<repo::Received, AppError> {
    let token = bearer(headers).ok_or(AppError::Unauthorized)?;
    let company = repo::company_by_token(&state.db, &token_digest(token))
        .await?
        .ok_or(AppError::Unauthorized)?;
    let payload: InboundPayload = serde_json::from_slice(body).map_err(|e| {
        AppError::invalid(
            "body",
            Problem::BadJson {
                detail: e.to_string(),
            },
        )
    })?;
    let message = read_message(&payload).map_err(AppError::Validation)?;
    Ok(repo::receive(
        &state.db,
        company,
        message.channel,
        &message.address,
        &message.name,
        &message.text,
    )
    .await?)
}

/// The axum handler of [`super::INBOUND_PATH`]: 200 with what it did
/// (`contact_id`, `conversation_id`, `message_id`, `new_contact`,
/// `new_conversation`), 401 for a missing or unknown token, 422 saying
/// which field is wrong.
pub async fn inbound_route(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match receive(&state, &headers, &body).await {
        Ok(received) => axum::Json(received).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Property tests: whatever a channel provider posts.
#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_body_is_read_or_refused_by_field(body in prop::collection::vec(any::<u8>(), 0..300)) {
            // Bytes that are not a payload are refused by the JSON reader
            // (the route answers 422 `body` with its message).
            if let Ok(payload) = serde_json::from_slice::<InboundPayload>(&body) {
                check(&payload)?;
            }
        }

        #[test]
        fn any_payload_is_read_or_refused_by_field(
            channel in prop_oneof![Just("whatsapp".to_string()), Just("email".to_string()),
                                   Just("widget".to_string()), Just("telegram".to_string()), ".{0,12}"],
            from in prop::option::of(".{0,40}"),
            name in prop::option::of(".{0,300}"),
            text in ".{0,50}",
        ) {
            check(&InboundPayload { channel, from, name, text })?;
        }
    }

    fn check(payload: &InboundPayload) -> Result<(), TestCaseError> {
        match read_message(payload) {
            Ok(message) => {
                prop_assert!(!message.text.trim().is_empty());
                prop_assert!(message.name.chars().count() <= 200);
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for error in errors {
                    prop_assert!(
                        ["channel", "from", "text"].contains(&error.field.as_str()),
                        "{}",
                        error.field
                    );
                    prop_assert!(!error.message.is_empty());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(channel: &str, from: Option<&str>, text: &str) -> InboundPayload {
        InboundPayload {
            channel: channel.into(),
            from: from.map(str::to_string),
            name: None,
            text: text.into(),
        }
    }

    #[test]
    fn phones_are_read_in_any_format() {
        let message =
            read_message(&payload("whatsapp", Some("(11) 98765-4321"), "Oi")).expect("valid");
        assert_eq!(message.address, Address::Phone("+5511987654321".into()));
        assert_eq!(
            message.name, "(11) 98765-4321",
            "a new contact is named by its number"
        );
    }

    #[test]
    fn handles_lose_their_at_and_emails_their_case() {
        let message = read_message(&payload("telegram", Some("@Maria_S"), "Oi")).expect("valid");
        assert_eq!(
            message.address,
            Address::Handle(Channel::Telegram, "Maria_S".into())
        );
        let message =
            read_message(&payload("email", Some("Maria@Example.COM"), "Oi")).expect("valid");
        assert_eq!(message.address, Address::Email("maria@example.com".into()));
    }

    #[test]
    fn a_widget_visitor_may_leave_nothing() {
        let message = read_message(&payload("widget", None, "Olá")).expect("valid");
        assert_eq!(message.address, Address::Anonymous);
        assert_eq!(message.name, "Visitante do site");
        let message =
            read_message(&payload("widget", Some("ana@x.example"), "Olá")).expect("valid");
        assert_eq!(message.address, Address::Email("ana@x.example".into()));
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = read_message(&payload("fax", None, " ")).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["channel", "text"]);
        let errors =
            read_message(&payload("sms", Some("não é número"), "Oi")).expect_err("invalid");
        assert_eq!(errors[0].field, "from");
        let errors = read_message(&payload("whatsapp", None, "Oi")).expect_err("invalid");
        assert_eq!(errors[0].field, "from");
    }

    #[test]
    fn the_token_comes_from_a_bearer_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            "Bearer abc123".parse().expect("header"),
        );
        assert_eq!(bearer(&headers), Some("abc123"));
        headers.insert(
            header::AUTHORIZATION,
            "Basic abc123".parse().expect("header"),
        );
        assert_eq!(bearer(&headers), None);
    }
}
