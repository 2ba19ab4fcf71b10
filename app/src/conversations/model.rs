//! Conversations and messages as the API returns them, and the list's
//! filter.

use serde::{Deserialize, Serialize};

use crate::conversations::Channel;

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

/// A conversation as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: i64,
    pub contact_id: i64,
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

/// Most messages the chat view loads.
pub const MESSAGES_SHOWN: u32 = 500;

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
) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), (String, String)> {
    let day = |field: &str,
               value: &Option<String>|
     -> Result<Option<chrono::NaiveDate>, (String, String)> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(text) => crate::custom_fields::values::parse_date(text)
                .map(Some)
                .map_err(|message| (field.to_string(), message)),
        }
    };
    let from = day("from", &filter.from)?;
    let to = day("to", &filter.to)?;
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            return Err(("to".into(), "O fim do período é anterior ao início.".into()));
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
pub fn check_message(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Escreva a mensagem.".into());
    }
    let chars = text.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(format!(
            "A mensagem tem {chars} caracteres; o máximo é {MAX_MESSAGE_CHARS}."
        ));
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
        assert_eq!(period(&backwards).expect_err("backwards").0, "to");
        let bad = ConversationFilter {
            from: Some("31/02/2026".into()),
            ..Default::default()
        };
        assert_eq!(period(&bad).expect_err("no such day").0, "from");
    }

    #[test]
    fn statuses_parse_back() {
        for status in [ConversationStatus::Open, ConversationStatus::Closed] {
            assert_eq!(ConversationStatus::parse(status.slug()), Some(status));
        }
    }
}
