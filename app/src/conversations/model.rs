//! Conversations and messages as the API returns them, and the list's
//! filter.

use crate::error::FieldError;
use crate::problem::Problem;
use serde::{Deserialize, Serialize};

use crate::conversations::Channel;
use crate::ids::ContactId;
use crate::ids::ConversationId;

/// Whether agents are still talking with the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    Open,
    Closed,
}

impl ConversationStatus {
    /// The stored name.
    pub fn slug(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Closed => "closed",
        }
    }

    /// The status stored as `slug`.
    pub fn parse(slug: &str) -> Option<ConversationStatus> {
        match slug {
            "open" => Some(ConversationStatus::Open),
            "closed" => Some(ConversationStatus::Closed),
            _ => None,
        }
    }
}

/// A page of one contact's conversations, newest first (the contact page's
/// "Conversas" tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactConversationPage {
    pub conversations: Vec<ConversationSummary>,
    /// How many conversations the contact has in all.
    pub total: i64,
    /// Pass as `before` for the next (older) page; `None` on the last one.
    pub next_before: Option<ConversationId>,
}

/// A conversation as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub contact_id: ContactId,
    pub contact_name: String,
    pub channel: Channel,
    pub status: ConversationStatus,
    /// The agent in charge.
    pub assigned_to: Option<String>,
    /// Who started it (`None`: the customer wrote first).
    pub started_by: Option<String>,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub closed_at: Option<String>,
    pub last_message_at: String,
    /// The last message's first characters.
    pub preview: Option<String>,
    pub message_count: i64,
    /// Where the channel reaches the customer (phone, e-mail, handle).
    pub address: Option<String>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The customer.
    In,
    /// An agent.
    Out,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub direction: Direction,
    /// The agent who wrote an outbound message.
    pub author: Option<String>,
    pub body: String,
    /// RFC 3339, UTC.
    pub sent_at: String,
    /// `received` (inbound), or what the channel gateway answered:
    /// `recorded`, `sent`, `failed`.
    pub delivery: String,
}

/// A conversation with its messages (the chat view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub summary: ConversationSummary,
    /// Oldest first; the last [`MESSAGES_SHOWN`] at most.
    pub messages: Vec<Message>,
    /// Older messages left out.
    pub earlier: i64,
}

/// What changed in a conversation since the chat last looked
/// (`conversations/updates`): its summary now and the messages after the
/// last one the chat has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationUpdates {
    pub summary: ConversationSummary,
    /// Oldest first; at most [`MESSAGES_SHOWN`] (the next poll gets the rest).
    pub messages: Vec<Message>,
}

/// Adds `incoming` to a chat's `messages` (oldest first) without showing a
/// message twice: the agent's own message comes back both from sending it
/// and from the next poll, in either order. Messages stay in id order; a
/// message already shown takes the incoming copy, unless that copy is an
/// older state of it (still `pending` at the gateway while the chat already
/// has the gateway's answer).
pub fn merge_messages(messages: &mut Vec<Message>, incoming: Vec<Message>) {
    for message in incoming {
        match messages.binary_search_by_key(&message.id, |m| m.id) {
            Ok(at) => {
                if message.delivery != "pending" {
                    messages[at] = message;
                }
            }
            Err(at) => messages.insert(at, message),
        }
    }
}

/// Most messages the chat view loads.
pub const MESSAGES_SHOWN: u32 = 500;

/// How often an open chat asks for what changed (`conversations/updates`).
pub const CHAT_POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(3);

/// How often the conversations list fetches its first page again.
pub const CONVERSATIONS_POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4_096;

/// Characters of the last message kept as the lists' preview.
pub const PREVIEW_CHARS: usize = 140;

/// The conversations module's filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationFilter {
    /// The contact's name, phone (any format), e-mail or ID.
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub status: Option<ConversationStatus>,
    /// The agent in charge (user id).
    #[serde(default)]
    pub agent: Option<i64>,
    /// Started on or after this day (`AAAA-MM-DD`).
    #[serde(default)]
    pub from: Option<String>,
    /// Started on or before this day (`AAAA-MM-DD`).
    #[serde(default)]
    pub to: Option<String>,
}

/// The filter's period as UTC instants: [start of `from`, end of `to`).
pub fn period(
    filter: &ConversationFilter,
) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), FieldError> {
    let day =
        |field: &str, value: &Option<String>| -> Result<Option<chrono::NaiveDate>, FieldError> {
            match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(text) => crate::custom_fields::values::parse_date(text)
                    .map(Some)
                    .map_err(|problem| FieldError::new(field, problem)),
            }
        };
    let from = day("from", &filter.from)?;
    let to = day("to", &filter.to)?;
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            return Err(FieldError::new("to", Problem::PeriodEndsBeforeStart));
        }
    }
    Ok((from, to))
}

/// A page of the conversations list, most recent activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationPage {
    pub conversations: Vec<ConversationSummary>,
    /// Pass as `after` for the next page; `None` on the last one.
    pub next: Option<String>,
}

/// Trims a message and checks it is neither empty nor too long.
pub fn check_message(text: &str) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::MessageRequired);
    }
    let chars = text.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(Problem::MessageTooLong {
            chars,
            max: MAX_MESSAGE_CHARS,
        });
    }
    Ok(text.to_string())
}

/// The lists' preview of a message: its first characters on one line.
pub fn preview(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = line.chars();
    let short: String = chars.by_ref().take(PREVIEW_CHARS).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_one_short_line() {
        assert_eq!(preview("Oi,\n\ntudo bem?"), "Oi, tudo bem?");
        let long = "á".repeat(PREVIEW_CHARS + 10);
        let shown = preview(&long);
        assert_eq!(shown.chars().count(), PREVIEW_CHARS + 1);
        assert!(shown.ends_with('…'));
    }

    fn message(id: i64, delivery: &str) -> Message {
        Message {
            id,
            direction: Direction::Out,
            author: Some("Ana".into()),
            body: format!("m{id}"),
            sent_at: "2026-12-02T21:00:00Z".into(),
            delivery: delivery.into(),
        }
    }

    fn shown(messages: &[Message]) -> Vec<(i64, &str)> {
        messages
            .iter()
            .map(|m| (m.id, m.delivery.as_str()))
            .collect()
    }

    #[test]
    fn merged_messages_appear_once_in_id_order() {
        let mut chat = vec![message(1, "received"), message(2, "recorded")];
        // A poll brings the customer's reply; the agent's message sent
        // meanwhile comes back from `send` after it.
        merge_messages(&mut chat, vec![message(4, "received")]);
        merge_messages(&mut chat, vec![message(3, "recorded")]);
        assert_eq!(
            shown(&chat),
            [
                (1, "received"),
                (2, "recorded"),
                (3, "recorded"),
                (4, "received")
            ]
        );
        // The next poll returns the agent's message again: not twice.
        merge_messages(
            &mut chat,
            vec![message(3, "recorded"), message(4, "received")],
        );
        assert_eq!(chat.len(), 4);
    }

    #[test]
    fn a_pending_copy_never_hides_the_gateways_answer() {
        let mut chat = vec![message(1, "failed")];
        merge_messages(&mut chat, vec![message(1, "pending")]);
        assert_eq!(shown(&chat), [(1, "failed")]);
        let mut chat = vec![message(1, "pending")];
        merge_messages(&mut chat, vec![message(1, "sent")]);
        assert_eq!(shown(&chat), [(1, "sent")]);
    }

    #[test]
    fn messages_are_trimmed_and_bounded() {
        assert_eq!(check_message("  Olá ").as_deref(), Ok("Olá"));
        assert!(check_message("\n").is_err());
        assert!(check_message(&"x".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
    }

    #[test]
    fn the_period_accepts_brazilian_and_iso_days_in_order() {
        let filter = ConversationFilter {
            from: Some("01/12/2026".into()),
            to: Some("2026-12-31".into()),
            ..Default::default()
        };
        let (from, to) = period(&filter).expect("valid");
        assert_eq!(from.map(|d| d.to_string()).as_deref(), Some("2026-12-01"));
        assert_eq!(to.map(|d| d.to_string()).as_deref(), Some("2026-12-31"));
        let backwards = ConversationFilter {
            from: Some("2026-12-31".into()),
            to: Some("2026-12-01".into()),
            ..Default::default()
        };
        assert_eq!(period(&backwards).expect_err("backwards").field, "to");
        let bad = ConversationFilter {
            from: Some("31/02/2026".into()),
            ..Default::default()
        };
        assert_eq!(period(&bad).expect_err("no such day").field, "from");
    }

    #[test]
    fn statuses_parse_back() {
        for status in [ConversationStatus::Open, ConversationStatus::Closed] {
            assert_eq!(ConversationStatus::parse(status.slug()), Some(status));
        }
    }
}
