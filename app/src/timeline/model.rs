//! Timeline events as the API returns them.

use serde::{Deserialize, Serialize};

use crate::conversations::Channel;
use crate::ids::ContactId;
use crate::ids::ConversationId;

/// What kind of thing happened (the stored `kind` column, except
/// `Created`, which is read from the contact row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Edited,
    ConversationStarted,
    ConversationClosed,
    ConversationReopened,
    Comment,
    Linked,
    Unlinked,
    Merged,
}

impl EventKind {
    /// The stored name.
    pub fn slug(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Edited => "edited",
            EventKind::ConversationStarted => "conversation_started",
            EventKind::ConversationClosed => "conversation_closed",
            EventKind::ConversationReopened => "conversation_reopened",
            EventKind::Comment => "comment",
            EventKind::Linked => "linked",
            EventKind::Unlinked => "unlinked",
            EventKind::Merged => "merged",
        }
    }

    /// The kind stored as `slug`.
    pub fn parse(slug: &str) -> Option<EventKind> {
        [
            EventKind::Created,
            EventKind::Edited,
            EventKind::ConversationStarted,
            EventKind::ConversationClosed,
            EventKind::ConversationReopened,
            EventKind::Comment,
            EventKind::Linked,
            EventKind::Unlinked,
            EventKind::Merged,
        ]
        .into_iter()
        .find(|k| k.slug() == slug)
    }
}

/// One changed field of an "edited" event, as shown then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// `name`, `phones`, … or `custom:<key>` for a custom field.
    pub field: String,
    /// The custom field's label at the time (standard fields are labelled
    /// by the UI in its language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Empty when the field had no value.
    pub old: String,
    /// Empty when the value was removed.
    pub new: String,
}

/// A field of a contact as it was shown (the merged contact's data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownField {
    /// `name`, `phones`, … or `custom:<key>`.
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub value: String,
}

/// How a contact came to exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "origin", rename_all = "snake_case")]
pub enum CreatedOrigin {
    /// Added through the form (`by`: the agent; `None` for demo data).
    Form { by: Option<String> },
    /// Created by a CSV import.
    Import { file_name: String, by: String },
    /// Created by the customer's first message.
    Inbound { channel: Channel },
}

/// What an event says beyond its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventDetail {
    Created(CreatedOrigin),
    Edited {
        changes: Vec<FieldChange>,
    },
    /// Started, closed or reopened.
    Conversation {
        conversation_id: ConversationId,
        channel: Channel,
        /// Started by the customer's message rather than an agent.
        by_customer: bool,
    },
    Comment {
        /// `None` once deleted.
        text: Option<String>,
        edited_at: Option<String>,
        deleted_at: Option<String>,
    },
    /// Linked to / unlinked from a main contact.
    Contact {
        other_id: ContactId,
        other_name: String,
    },
    /// Another contact was merged into this one: its data as it was.
    Merged {
        other_id: ContactId,
        other_name: String,
        fields: Vec<ShownField>,
    },
}

/// One entry of a contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// The stored event's id (0 for "created", which is not stored).
    pub id: i64,
    pub kind: EventKind,
    /// RFC 3339, UTC.
    pub at: String,
    /// The agent who did it (`None`: the customer or the system).
    pub actor: Option<String>,
    /// Whether the caller did it (own comments can be edited and deleted).
    pub mine: bool,
    pub detail: EventDetail,
}

/// A page of a timeline, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePage {
    pub events: Vec<TimelineEvent>,
    /// Pass as `before` for the next (older) page; `None` on the last one.
    pub next_before: Option<i64>,
}

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 5_000;

/// Trims a comment and checks it is neither empty nor too long.
pub fn check_comment(text: &str) -> Result<String, crate::problem::Problem> {
    use crate::problem::Problem;
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::CommentRequired);
    }
    let chars = text.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(Problem::CommentTooLong {
            chars,
            max: MAX_COMMENT_CHARS,
        });
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_back_from_their_slug() {
        for kind in [EventKind::Edited, EventKind::Comment, EventKind::Merged] {
            assert_eq!(EventKind::parse(kind.slug()), Some(kind));
        }
        assert_eq!(EventKind::parse("exploded"), None);
    }

    #[test]
    fn comments_are_trimmed_and_bounded() {
        assert_eq!(
            check_comment("  Ligou de novo.\n").as_deref(),
            Ok("Ligou de novo.")
        );
        assert!(check_comment("   ").is_err());
        let long = "a".repeat(MAX_COMMENT_CHARS + 1);
        let error = check_comment(&long)
            .expect_err("too long")
            .text(crate::i18n::Locale::PtBr);
        assert!(error.contains("5001"), "{error}");
        assert!(check_comment(&"é".repeat(MAX_COMMENT_CHARS)).is_ok());
    }

    #[test]
    fn details_round_trip_through_json() {
        let detail = EventDetail::Edited {
            changes: vec![FieldChange {
                field: "name".into(),
                label: None,
                old: "Maria".into(),
                new: "Maria Silva".into(),
            }],
        };
        let json = serde_json::to_string(&detail).expect("serializes");
        assert_eq!(
            serde_json::from_str::<EventDetail>(&json).expect("parses"),
            detail
        );
    }
}
