//! All SQL of the timeline. Events are appended inside the transaction of
//! the change they record ([`append`]); only comments are
//! ever changed afterwards (edited, or marked deleted with their text
//! removed).

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::FromRow;

use crate::conversations::Channel;
use crate::db::{with_conn, BeginWrite, Conn, Db};
use crate::ids::ContactId;
use crate::ids::ConversationId;
use crate::tenant::CompanyId;
use crate::timeline::model::{
    CreatedOrigin, EventDetail, EventKind, FieldChange, ShownField, TimelineEvent, TimelinePage,
};
use crate::with_db;

/// An event about to be appended.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub contact_id: ContactId,
    pub kind: EventKind,
    pub actor_id: Option<i64>,
    pub conversation_id: Option<ConversationId>,
    /// JSON, see [`EventData`].
    pub data: Option<String>,
    /// A comment's text.
    pub body: Option<String>,
    pub at: DateTime<Utc>,
}

/// The stored `data` of an event, by kind.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum EventData {
    Edited {
        changes: Vec<FieldChange>,
    },
    Conversation {
        channel: Channel,
        by_customer: bool,
    },
    /// Before `Contact`: its fields are a subset of these.
    Merged {
        other_id: ContactId,
        other_name: String,
        fields: Vec<ShownField>,
    },
    Contact {
        other_id: ContactId,
        other_name: String,
    },
}

impl NewEvent {
    /// An event of `kind` on `contact`, now.
    pub fn new(contact_id: ContactId, kind: EventKind, actor_id: Option<i64>) -> NewEvent {
        NewEvent {
            contact_id,
            kind,
            actor_id,
            conversation_id: None,
            data: None,
            body: None,
            at: Utc::now(),
        }
    }

    /// With its data.
    pub fn with_data(mut self, data: &EventData) -> NewEvent {
        self.data = serde_json::to_string(data).ok();
        self
    }

    /// About conversation `id`.
    pub fn about(mut self, conversation: ConversationId) -> NewEvent {
        self.conversation_id = Some(conversation);
        self
    }
}

/// Appends an event inside the caller's transaction, scoped by the company.
pub async fn append(
    conn: &mut Conn<'_>,
    company: CompanyId,
    event: &NewEvent,
) -> Result<(), sqlx::Error> {
    with_conn!(conn, c => {
        sqlx::query(
            "INSERT INTO timeline_events (company_id, contact_id, kind, actor_id, conversation_id, data, body, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(company)
        .bind(event.contact_id)
        .bind(event.kind.slug())
        .bind(event.actor_id)
        .bind(event.conversation_id)
        .bind(&event.data)
        .bind(&event.body)
        .bind(event.at)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

#[derive(Debug, FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    actor_id: Option<i64>,
    actor: Option<String>,
    conversation_id: Option<ConversationId>,
    data: Option<String>,
    body: Option<String>,
    at: DateTime<Utc>,
    edited_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl EventRow {
    fn into_event(self, viewer: i64) -> Option<TimelineEvent> {
        let kind = EventKind::parse(&self.kind)?;
        let data: Option<EventData> = self
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok());
        let detail = match (kind, data) {
            (EventKind::Comment, _) => EventDetail::Comment {
                text: self.body,
                edited_at: self.edited_at.map(rfc3339),
                deleted_at: self.deleted_at.map(rfc3339),
            },
            (_, Some(EventData::Edited { changes })) => EventDetail::Edited { changes },
            (
                _,
                Some(EventData::Merged {
                    other_id,
                    other_name,
                    fields,
                }),
            ) => EventDetail::Merged {
                other_id,
                other_name,
                fields,
            },
            (
                _,
                Some(EventData::Conversation {
                    channel,
                    by_customer,
                }),
            ) => EventDetail::Conversation {
                conversation_id: self.conversation_id.unwrap_or(ConversationId::new(0)),
                channel,
                by_customer,
            },
            (
                _,
                Some(EventData::Contact {
                    other_id,
                    other_name,
                }),
            ) => EventDetail::Contact {
                other_id,
                other_name,
            },
            (_, None) => return None,
        };
        Some(TimelineEvent {
            id: self.id,
            kind,
            at: rfc3339(self.at),
            actor: self.actor,
            mine: self.actor_id == Some(viewer),
            detail,
        })
    }
}

/// Newest events of a contact before event `before` (all when `None`),
/// `limit` at most; "created" closes the last page. `None` when the
/// contact does not exist in the company.
pub async fn list_events(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
    before: Option<i64>,
    limit: u32,
    viewer: i64,
) -> Result<Option<TimelinePage>, sqlx::Error> {
    let created: Option<(DateTime<Utc>, Option<String>, Option<String>)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT c.created_at, c.created_via, u.name
               FROM contacts c
               LEFT JOIN users u ON u.company_id = c.company_id AND u.id = c.created_by
              WHERE c.company_id = $1 AND c.id = $2",
        )
        .bind(company)
        .bind(contact)
        .fetch_optional(pool)
        .await?
    });
    let Some((created_at, created_via, created_by)) = created else {
        return Ok(None);
    };
    let rows: Vec<EventRow> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT e.id, e.kind, e.actor_id, u.name AS actor, e.conversation_id, e.data, e.body,
                    e.at, e.edited_at, e.deleted_at
               FROM timeline_events e
               LEFT JOIN users u ON u.company_id = e.company_id AND u.id = e.actor_id
              WHERE e.company_id = $1 AND e.contact_id = $2 AND e.id < $3
              ORDER BY e.id DESC
              LIMIT $4",
        )
        .bind(company)
        .bind(contact)
        .bind(before.unwrap_or(i64::MAX))
        .bind(i64::from(limit) + 1)
        .fetch_all(pool)
        .await?
    });
    let more = rows.len() > limit as usize;
    let mut events: Vec<TimelineEvent> = rows
        .into_iter()
        .take(limit as usize)
        .filter_map(|row| row.into_event(viewer))
        .collect();
    let next_before = if more {
        events.last().map(|e| e.id)
    } else {
        None
    };
    if !more {
        let origin = match created_via.as_deref().and_then(Channel::parse) {
            Some(channel) => CreatedOrigin::Inbound { channel },
            None => match crate::import_export::repo::import_origin(db, company, contact).await? {
                Some((file_name, by, _)) => CreatedOrigin::Import { file_name, by },
                None => CreatedOrigin::Form { by: created_by },
            },
        };
        events.push(TimelineEvent {
            id: 0,
            kind: EventKind::Created,
            at: rfc3339(created_at),
            actor: None,
            mine: false,
            detail: EventDetail::Created(origin),
        });
    }
    Ok(Some(TimelinePage {
        events,
        next_before,
    }))
}

/// Adds a comment by `actor` on a contact; its event id, or `None` when the
/// contact does not exist in the company.
pub async fn add_comment(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
    actor: i64,
    text: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let id = with_db!(db, pool => {
        sqlx::query_scalar(
            "INSERT INTO timeline_events (company_id, contact_id, kind, actor_id, body, at)
             SELECT company_id, id, 'comment', $3, $4, $5 FROM contacts WHERE company_id = $1 AND id = $2
             RETURNING id",
        )
        .bind(company)
        .bind(contact)
        .bind(actor)
        .bind(text)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await?
    });
    Ok(id)
}

/// What became of a change to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentChange {
    Done,
    /// No such comment in the company.
    NotFound,
    /// Someone else wrote it.
    NotYours,
    /// It was deleted.
    Deleted,
}

/// Replaces the text of `actor`'s comment (`Some(text)`) or deletes it
/// (`None`: the text goes, the entry stays saying it was deleted).
pub async fn change_comment(
    db: &Db,
    company: CompanyId,
    id: i64,
    actor: i64,
    text: Option<&str>,
) -> Result<CommentChange, sqlx::Error> {
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let found: Option<(Option<i64>, Option<DateTime<Utc>>)> = sqlx::query_as(
            "SELECT actor_id, deleted_at FROM timeline_events
              WHERE company_id = $1 AND id = $2 AND kind = 'comment'",
        )
        .bind(company)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        match found {
            None => CommentChange::NotFound,
            Some((_, Some(_))) => CommentChange::Deleted,
            Some((author, None)) if author != Some(actor) => CommentChange::NotYours,
            Some(_) => {
                let now = Utc::now();
                let sql = if text.is_some() {
                    "UPDATE timeline_events SET body = $1, edited_at = $2 WHERE company_id = $3 AND id = $4"
                } else {
                    "UPDATE timeline_events SET body = $1, deleted_at = $2 WHERE company_id = $3 AND id = $4"
                };
                sqlx::query(sql)
                    .bind(text)
                    .bind(now)
                    .bind(company)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                CommentChange::Done
            }
        }
    });
    Ok(outcome)
}
