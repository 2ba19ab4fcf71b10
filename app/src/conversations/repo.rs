//! All SQL of conversations, messages and the inbound endpoint's tokens.
//! Every function takes the caller's [`CompanyId`] and scopes every
//! statement by it; every change a timeline records is written in the same
//! transaction as its event.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::FromRow;

use crate::contacts::phone::format_phone;
use crate::contacts::writer::{self, InboundContact};
use crate::conversations::inbound::Address;
use crate::conversations::model::{
    preview, ConversationStatus, ConversationSummary, Direction, Message,
};
use crate::conversations::{Channel, ChannelFacts};
use crate::db::{with_conn, AsConn, BeginWrite, Conn, Db};
use crate::ids::ContactId;
use crate::ids::ConversationId;
use crate::tenant::CompanyId;
use crate::timeline::model::EventKind;
use crate::timeline::repo::append as append_event;
use crate::timeline::repo::{EventData, NewEvent};
use crate::with_db;

/// The summary's columns: the conversation, its contact's name and
/// addresses, the agents' names.
const SUMMARY: &str = "
    SELECT v.id, v.contact_id, c.name AS contact_name, v.channel, v.status,
           a.name AS assigned_to, s.name AS started_by, v.started_at, v.closed_at,
           v.last_message_at, v.last_message, v.message_count,
           (SELECT p.e164 FROM contact_phones p
             WHERE p.contact_id = c.id ORDER BY p.position LIMIT 1) AS phone,
           (SELECT e.email FROM contact_emails e
             WHERE e.contact_id = c.id ORDER BY e.position LIMIT 1) AS email,
           c.telegram, c.instagram, c.facebook
      FROM conversations v
      JOIN contacts c ON c.company_id = v.company_id AND c.id = v.contact_id
      LEFT JOIN users a ON a.company_id = v.company_id AND a.id = v.assigned_to
      LEFT JOIN users s ON s.company_id = v.company_id AND s.id = v.started_by";

#[derive(Debug, FromRow)]
struct SummaryRow {
    id: ConversationId,
    contact_id: ContactId,
    contact_name: String,
    channel: String,
    status: String,
    assigned_to: Option<String>,
    started_by: Option<String>,
    started_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    last_message_at: DateTime<Utc>,
    last_message: Option<String>,
    message_count: i64,
    phone: Option<String>,
    email: Option<String>,
    telegram: Option<String>,
    instagram: Option<String>,
    facebook: Option<String>,
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl SummaryRow {
    fn into_summary(self) -> Option<(ConversationSummary, DateTime<Utc>)> {
        let channel = Channel::parse(&self.channel)?;
        let address = match channel {
            Channel::WhatsApp | Channel::Sms | Channel::Call => {
                self.phone.as_deref().map(format_phone)
            }
            Channel::Email => self.email,
            Channel::Telegram => self.telegram.map(|h| format!("@{h}")),
            Channel::Instagram => self.instagram.map(|h| format!("@{h}")),
            Channel::Facebook => self.facebook,
            Channel::Widget => None,
        };
        Some((
            ConversationSummary {
                id: self.id,
                contact_id: self.contact_id,
                contact_name: self.contact_name,
                channel,
                status: ConversationStatus::parse(&self.status)?,
                assigned_to: self.assigned_to,
                started_by: self.started_by,
                started_at: rfc3339(self.started_at),
                closed_at: self.closed_at.map(rfc3339),
                last_message_at: rfc3339(self.last_message_at),
                preview: self.last_message,
                message_count: self.message_count,
                address,
            },
            self.last_message_at,
        ))
    }
}

/// What a contact's data allows (see [`crate::conversations::available_channels`]);
/// `None` when the contact does not exist in the company.
pub async fn channel_facts(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
) -> Result<Option<ChannelFacts>, sqlx::Error> {
    let row: Option<(bool, bool, bool, bool, bool, bool)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM contact_phones p WHERE p.company_id = c.company_id AND p.contact_id = c.id),
                    EXISTS (SELECT 1 FROM contact_emails e WHERE e.company_id = c.company_id AND e.contact_id = c.id),
                    c.telegram IS NOT NULL, c.instagram IS NOT NULL,
                    c.facebook_opened_at IS NOT NULL, c.widget_opened_at IS NOT NULL
               FROM contacts c WHERE c.company_id = $1 AND c.id = $2",
        )
        .bind(company)
        .bind(contact)
        .fetch_optional(pool)
        .await?
    });
    Ok(row.map(
        |(
            has_phone,
            has_email,
            has_telegram,
            has_instagram,
            wrote_on_facebook,
            wrote_on_widget,
        )| {
            ChannelFacts {
                has_phone,
                has_email,
                has_telegram,
                has_instagram,
                wrote_on_facebook,
                wrote_on_widget,
            }
        },
    ))
}

/// The contact's open conversation on a channel (the newest, should there
/// be several). Fetched by equality and reduced here: an
/// `ORDER BY … LIMIT 1` may walk an index in id order instead.
async fn open_conversation(
    conn: &mut Conn<'_>,
    company: CompanyId,
    contact: ContactId,
    channel: Channel,
) -> Result<Option<ConversationId>, sqlx::Error> {
    let open: Vec<ConversationId> = with_conn!(conn, c => {
        sqlx::query_scalar(
            "SELECT id FROM conversations
              WHERE company_id = $1 AND contact_id = $2 AND channel = $3 AND status = 'open'",
        )
        .bind(company)
        .bind(contact)
        .bind(channel.slug())
        .fetch_all(&mut *c)
        .await?
    });
    Ok(open.into_iter().max())
}

/// Starts a conversation with a contact on a channel, assigned to the agent
/// who starts it, and records it on the contact's timeline. An open
/// conversation on that channel is continued instead. Returns its id and
/// whether it is new.
pub async fn start(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
    channel: Channel,
    agent: i64,
) -> Result<(ConversationId, bool), sqlx::Error> {
    let now = Utc::now();
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        if let Some(id) = open_conversation(&mut tx.conn(), company, contact, channel).await? {
            (id, false)
        } else {
            let id: ConversationId = sqlx::query_scalar(
                "INSERT INTO conversations (company_id, contact_id, channel, status, assigned_to,
                                            started_by, started_at, last_message_at)
                 VALUES ($1, $2, $3, 'open', $4, $4, $5, $5) RETURNING id",
            )
            .bind(company)
            .bind(contact)
            .bind(channel.slug())
            .bind(agent)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let event = NewEvent::new(contact, EventKind::ConversationStarted, Some(agent))
                .about(id)
                .with_data(&EventData::Conversation { channel, by_customer: false });
            append_event(&mut tx.conn(), company, &event).await?;
            tx.commit().await?;
            (id, true)
        }
    });
    Ok(outcome)
}

/// One conversation of the company.
pub async fn get(
    db: &Db,
    company: CompanyId,
    id: ConversationId,
) -> Result<Option<ConversationSummary>, sqlx::Error> {
    let sql = format!("{SUMMARY} WHERE v.company_id = $1 AND v.id = $2");
    let row: Option<SummaryRow> = with_db!(db, pool => {
        sqlx::query_as(&sql).bind(company).bind(id).fetch_optional(pool).await?
    });
    Ok(row.and_then(SummaryRow::into_summary).map(|(s, _)| s))
}

#[derive(Debug, FromRow)]
struct MessageRow {
    id: i64,
    direction: String,
    author: Option<String>,
    body: String,
    sent_at: DateTime<Utc>,
    delivery: String,
}

/// A conversation's messages with their authors (`$1` company, `$2`
/// conversation); callers add the window and the order.
const MESSAGES_OF: &str =
    "SELECT m.id, m.direction, u.name AS author, m.body, m.sent_at, m.delivery
                             FROM messages m
                             LEFT JOIN users u ON u.company_id = m.company_id AND u.id = m.author_id
                            WHERE m.company_id = $1 AND m.conversation_id = $2";

/// The last `limit` messages of a conversation, oldest first.
pub async fn messages(
    db: &Db,
    company: CompanyId,
    conversation: ConversationId,
    limit: u32,
) -> Result<Vec<Message>, sqlx::Error> {
    let sql = format!("{MESSAGES_OF} ORDER BY m.id DESC LIMIT $3");
    let rows: Vec<MessageRow> = with_db!(db, pool => {
        sqlx::query_as(&sql)
        .bind(company)
        .bind(conversation)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .rev()
        .map(MessageRow::into_message)
        .collect())
}

/// The first `limit` messages of a conversation after message `after`
/// (an id), oldest first: what a chat that shows up to `after` lacks.
pub async fn messages_after(
    db: &Db,
    company: CompanyId,
    conversation: ConversationId,
    after: i64,
    limit: u32,
) -> Result<Vec<Message>, sqlx::Error> {
    let sql = format!("{MESSAGES_OF} AND m.id > $3 ORDER BY m.id LIMIT $4");
    let rows: Vec<MessageRow> = with_db!(db, pool => {
        sqlx::query_as(&sql)
        .bind(company)
        .bind(conversation)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
    });
    Ok(rows.into_iter().map(MessageRow::into_message).collect())
}

impl MessageRow {
    fn into_message(self) -> Message {
        Message {
            id: self.id,
            direction: if self.direction == "in" {
                Direction::In
            } else {
                Direction::Out
            },
            author: self.author,
            body: self.body,
            sent_at: rfc3339(self.sent_at),
            delivery: self.delivery,
        }
    }
}

/// A message to store ([`append_message`]).
struct NewMessage<'a> {
    conversation: ConversationId,
    /// `in` or `out`.
    direction: &'static str,
    author: Option<i64>,
    body: &'a str,
    at: DateTime<Utc>,
    /// `pending`, `received`, …
    delivery: &'static str,
}

/// Inserts a message and moves the conversation's last activity, inside the
/// caller's transaction; the message's id.
async fn append_message(
    conn: &mut Conn<'_>,
    company: CompanyId,
    message: NewMessage<'_>,
) -> Result<i64, sqlx::Error> {
    let id = with_conn!(conn, c => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (company_id, conversation_id, direction, author_id, body, sent_at, delivery)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(company)
        .bind(message.conversation)
        .bind(message.direction)
        .bind(message.author)
        .bind(message.body)
        .bind(message.at)
        .bind(message.delivery)
        .fetch_one(&mut *c)
        .await?;
        sqlx::query(
            "UPDATE conversations SET last_message_at = $1, last_message = $2,
                    message_count = message_count + 1
              WHERE company_id = $3 AND id = $4",
        )
        .bind(message.at)
        .bind(preview(message.body))
        .bind(company)
        .bind(message.conversation)
        .execute(&mut *c)
        .await?;
        id
    });
    Ok(id)
}

/// Why an agent's message was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    NotFound,
    Closed,
}

/// Stores an agent's message (delivery `pending`) and updates the
/// conversation's last activity; the message's id.
pub async fn record_outbound(
    db: &Db,
    company: CompanyId,
    conversation: ConversationId,
    agent: i64,
    body: &str,
) -> Result<Result<i64, SendRefusal>, sqlx::Error> {
    let now = Utc::now();
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let status: Option<String> = sqlx::query_scalar(
            "SELECT status FROM conversations WHERE company_id = $1 AND id = $2",
        )
        .bind(company)
        .bind(conversation)
        .fetch_optional(&mut *tx)
        .await?;
        match status.as_deref() {
            None => Err(SendRefusal::NotFound),
            Some("closed") => Err(SendRefusal::Closed),
            Some(_) => {
                let message = NewMessage {
                    conversation,
                    direction: "out",
                    author: Some(agent),
                    body,
                    at: now,
                    delivery: "pending",
                };
                let id = append_message(&mut tx.conn(), company, message).await?;
                tx.commit().await?;
                Ok(id)
            }
        }
    });
    Ok(outcome)
}

/// Records what the gateway did with a message.
pub async fn set_delivery(
    db: &Db,
    company: CompanyId,
    message: i64,
    delivery: &str,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query("UPDATE messages SET delivery = $1 WHERE company_id = $2 AND id = $3")
            .bind(delivery)
            .bind(company)
            .bind(message)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Closes or reopens a conversation and records it on the contact's
/// timeline. `None` when it does not exist in the company; `Some(false)`
/// when it already had that status (nothing recorded).
pub async fn set_status(
    db: &Db,
    company: CompanyId,
    conversation: ConversationId,
    status: ConversationStatus,
    agent: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let now = Utc::now();
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let found: Option<(ContactId, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT contact_id, channel, status, started_by FROM conversations
              WHERE company_id = $1 AND id = $2",
        )
        .bind(company)
        .bind(conversation)
        .fetch_optional(&mut *tx)
        .await?;
        match found {
            None => None,
            Some((_, _, current, _)) if current == status.slug() => Some(false),
            Some((contact, channel, _, _)) => {
                sqlx::query(
                    "UPDATE conversations SET status = $1, closed_at = $2,
                            assigned_to = COALESCE(assigned_to, $3)
                      WHERE company_id = $4 AND id = $5",
                )
                .bind(status.slug())
                .bind((status == ConversationStatus::Closed).then_some(now))
                .bind(agent)
                .bind(company)
                .bind(conversation)
                .execute(&mut *tx)
                .await?;
                let kind = match status {
                    ConversationStatus::Closed => EventKind::ConversationClosed,
                    ConversationStatus::Open => EventKind::ConversationReopened,
                };
                let channel = Channel::parse(&channel).unwrap_or(Channel::WhatsApp);
                let event = NewEvent::new(contact, kind, Some(agent))
                    .about(conversation)
                    .with_data(&EventData::Conversation { channel, by_customer: false });
                append_event(&mut tx.conn(), company, &event).await?;
                tx.commit().await?;
                Some(true)
            }
        }
    });
    Ok(outcome)
}

/// A contact's conversations, newest first, before conversation `before`.
pub async fn of_contact(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
    before: Option<ConversationId>,
    limit: u32,
) -> Result<Vec<ConversationSummary>, sqlx::Error> {
    let sql = format!(
        "{SUMMARY} WHERE v.company_id = $1 AND v.contact_id = $2 AND v.id < $3
          ORDER BY v.id DESC LIMIT $4"
    );
    let rows: Vec<SummaryRow> = with_db!(db, pool => {
        sqlx::query_as(&sql)
            .bind(company)
            .bind(contact)
            .bind(before.map_or(i64::MAX, ConversationId::get))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(SummaryRow::into_summary)
        .map(|(s, _)| s)
        .collect())
}

/// How many conversations a contact has.
pub async fn count_of_contact(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
) -> Result<i64, sqlx::Error> {
    let count = with_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM conversations WHERE company_id = $1 AND contact_id = $2")
            .bind(company)
            .bind(contact)
            .fetch_one(pool)
            .await?
    });
    Ok(count)
}

/// The list's filter as the query binds it.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub channel: Option<Channel>,
    pub status: Option<ConversationStatus>,
    pub agent: Option<i64>,
    pub started_from: Option<DateTime<Utc>>,
    pub started_before: Option<DateTime<Utc>>,
    /// Only these contacts' conversations (the search's matches).
    pub contacts: Option<Vec<i64>>,
}

/// The conversations module's list: most recent activity first, keyset
/// paged on (last activity, id). Returns each row's keyset position.
pub async fn list(
    db: &Db,
    company: CompanyId,
    query: &ListQuery,
    after: Option<(DateTime<Utc>, ConversationId)>,
    limit: u32,
) -> Result<Vec<(ConversationSummary, (DateTime<Utc>, ConversationId))>, sqlx::Error> {
    let contacts = match db {
        Db::Sqlite(_) => "SELECT value FROM json_each($7)",
        Db::Postgres(_) => "SELECT jsonb_array_elements_text(CAST($7 AS jsonb))::bigint",
    };
    let sql = format!(
        "{SUMMARY}
          WHERE v.company_id = $1
            AND ($2 IS NULL OR v.channel = $2)
            AND ($3 IS NULL OR v.status = $3)
            AND ($4 IS NULL OR v.assigned_to = $4)
            AND ($5 IS NULL OR v.started_at >= $5)
            AND ($6 IS NULL OR v.started_at < $6)
            AND ($7 IS NULL OR v.contact_id IN ({contacts}))
            AND ($8 IS NULL OR (v.last_message_at, v.id) < ($8, $9))
          ORDER BY v.last_message_at DESC, v.id DESC
          LIMIT $10"
    );
    let (after_at, after_id) = (after.map(|a| a.0), after.map_or(0, |a| a.1.get()));
    let contacts = query.contacts.as_deref().map(crate::db::json_ids);
    let rows: Vec<SummaryRow> = with_db!(db, pool => {
        sqlx::query_as(&sql)
            .bind(company)
            .bind(query.channel.map(Channel::slug))
            .bind(query.status.map(ConversationStatus::slug))
            .bind(query.agent)
            .bind(query.started_from)
            .bind(query.started_before)
            .bind(contacts)
            .bind(after_at)
            .bind(after_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(SummaryRow::into_summary)
        .map(|(s, at)| {
            let id = s.id;
            (s, (at, id))
        })
        .collect())
}

/// What an inbound message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Received {
    pub contact_id: ContactId,
    pub conversation_id: ConversationId,
    pub message_id: i64,
    pub new_contact: bool,
    pub new_conversation: bool,
}

/// The contact an address belongs to (the lowest id when several share it).
async fn find_by_address(
    conn: &mut Conn<'_>,
    company: CompanyId,
    address: &Address,
) -> Result<Option<ContactId>, sqlx::Error> {
    let (sql, key) = match address {
        Address::Phone(e164) => (
            "SELECT contact_id FROM contact_phones WHERE company_id = $1 AND e164 = $2",
            e164.clone(),
        ),
        Address::Email(email) => (
            "SELECT contact_id FROM contact_emails WHERE company_id = $1 AND email = $2",
            email.clone(),
        ),
        Address::Handle(Channel::Telegram, handle) => (
            "SELECT id FROM contacts
              WHERE company_id = $1 AND telegram IS NOT NULL AND lower(telegram) = $2",
            handle.to_lowercase(),
        ),
        Address::Handle(Channel::Instagram, handle) => (
            "SELECT id FROM contacts
              WHERE company_id = $1 AND instagram IS NOT NULL AND lower(instagram) = $2",
            handle.to_lowercase(),
        ),
        Address::Handle(_, handle) => (
            "SELECT id FROM contacts
              WHERE company_id = $1 AND facebook IS NOT NULL AND lower(facebook) = $2",
            handle.to_lowercase(),
        ),
        Address::Anonymous => return Ok(None),
    };
    let found: Vec<ContactId> = with_conn!(conn, c => {
        sqlx::query_scalar(sql)
            .bind(company)
            .bind(&key)
            .fetch_all(&mut *c)
            .await?
    });
    Ok(found.into_iter().min())
}

/// Files a customer's message: finds the contact by its address (or creates
/// one), continues its open conversation on the channel (or starts one,
/// on its timeline), stores the message, and notes that the customer wrote
/// through Facebook or the widget. One transaction.
pub async fn receive(
    db: &Db,
    company: CompanyId,
    channel: Channel,
    address: &Address,
    name: &str,
    body: &str,
) -> Result<Received, sqlx::Error> {
    let now = Utc::now();
    let mut tx = writer::begin(db).await?;
    let conn = &mut tx.conn();
    let (contact_id, new_contact) = match find_by_address(conn, company, address).await? {
        Some(id) => (id, false),
        None => {
            let (phone, email, handle) = match address {
                Address::Phone(e164) => (Some(e164.as_str()), None, None),
                Address::Email(email) => (None, Some(email.as_str()), None),
                Address::Handle(on, handle) => (None, None, Some((*on, handle.as_str()))),
                Address::Anonymous => (None, None, None),
            };
            let contact = InboundContact {
                name,
                via: channel,
                phone,
                email,
                handle,
            };
            (
                writer::create_inbound(conn, company, contact, now).await?,
                true,
            )
        }
    };
    writer::note_customer_wrote(conn, company, contact_id, channel, now).await?;
    let (conversation_id, new_conversation) = match open_conversation(
        conn, company, contact_id, channel,
    )
    .await?
    {
        Some(id) => (id, false),
        None => {
            let id: ConversationId = with_conn!(conn, c => {
                sqlx::query_scalar(
                    "INSERT INTO conversations (company_id, contact_id, channel, status, started_at, last_message_at)
                     VALUES ($1, $2, $3, 'open', $4, $4) RETURNING id",
                )
                .bind(company)
                .bind(contact_id)
                .bind(channel.slug())
                .bind(now)
                .fetch_one(&mut *c)
                .await?
            });
            let event = NewEvent::new(contact_id, EventKind::ConversationStarted, None)
                .about(id)
                .with_data(&EventData::Conversation {
                    channel,
                    by_customer: true,
                });
            append_event(conn, company, &event).await?;
            (id, true)
        }
    };
    let message = NewMessage {
        conversation: conversation_id,
        direction: "in",
        author: None,
        body,
        at: now,
        delivery: "received",
    };
    let message_id = append_message(conn, company, message).await?;
    writer::commit(tx, company).await?;
    Ok(Received {
        contact_id,
        conversation_id,
        message_id,
        new_contact,
        new_conversation,
    })
}

/// Replaces the company's inbound token (its SHA-256 digest).
pub async fn set_inbound_token(
    db: &Db,
    company: CompanyId,
    digest: &str,
    by: i64,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query(
            "INSERT INTO inbound_tokens (company_id, token_hash, created_at, created_by)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (company_id) DO UPDATE
                SET token_hash = excluded.token_hash, created_at = excluded.created_at,
                    created_by = excluded.created_by",
        )
        .bind(company)
        .bind(digest)
        .bind(Utc::now())
        .bind(by)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// When the company's inbound token was made, if it has one.
pub async fn inbound_token_created(
    db: &Db,
    company: CompanyId,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let at = with_db!(db, pool => {
        sqlx::query_scalar("SELECT created_at FROM inbound_tokens WHERE company_id = $1")
            .bind(company)
            .fetch_optional(pool)
            .await?
    });
    Ok(at)
}

/// The company whose inbound token has this digest.
pub async fn company_by_token(db: &Db, digest: &str) -> Result<Option<CompanyId>, sqlx::Error> {
    let id: Option<i64> = with_db!(db, pool => {
        sqlx::query_scalar("SELECT company_id FROM inbound_tokens WHERE token_hash = $1")
            .bind(digest)
            .fetch_optional(pool)
            .await?
    });
    Ok(id.map(CompanyId::from_row))
}

/// The company's active users (the list's agent filter).
pub async fn agents(db: &Db, company: CompanyId) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = with_db!(db, pool => {
        sqlx::query_as("SELECT id, name FROM users WHERE company_id = $1 AND active = TRUE ORDER BY name")
            .bind(company)
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}
