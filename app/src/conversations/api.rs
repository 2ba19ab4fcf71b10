//! The conversations RPC API: stable endpoints under `/api/conversations/`
//! and `/api/inbound/` (see `docs/api.md`).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::contacts::model::NamedRef;
use crate::conversations::model::{
    ContactConversationPage, Conversation, ConversationFilter, ConversationPage,
    ConversationSummary, ConversationUpdates, Message,
};
use crate::conversations::Channel;
use crate::error::AppError;
use crate::ids::ContactId;
use crate::ids::ConversationId;

/// Conversations per page of a list.
pub const CONVERSATION_PAGE: u32 = 50;

/// Starts a conversation with a contact on a channel its data allows
/// (refused with a `channel` field error otherwise) and assigns it to the
/// caller; an open conversation on that channel is returned instead of a
/// second one.
///
/// `POST /api/conversations/start` with `contact_id` and `channel`.
#[server(prefix = "/api", endpoint = "conversations/start")]
pub async fn start_conversation(
    contact_id: ContactId,
    channel: Channel,
) -> Result<ConversationSummary, AppError> {
    crate::error::respond(server::start(contact_id, channel).await)
}

/// A conversation with its last 500 messages.
///
/// `POST /api/conversations/get` with `id`.
#[server(prefix = "/api", endpoint = "conversations/get")]
pub async fn get_conversation(id: ConversationId) -> Result<Conversation, AppError> {
    crate::error::respond(server::get(id).await)
}

/// What changed in a conversation since the chat last looked: its summary
/// (status, last activity) and the messages after `after` (the id of the
/// last message the chat shows; 0 for all), oldest first, at most 500. The
/// chat asks every few seconds, so a customer's reply shows without a
/// reload.
///
/// `POST /api/conversations/updates` with `id` and `after`.
#[server(prefix = "/api", endpoint = "conversations/updates")]
pub async fn poll_conversation(
    id: ConversationId,
    after: i64,
) -> Result<ConversationUpdates, AppError> {
    crate::error::respond(server::updates(id, after).await)
}

/// Sends an agent's message through the channel gateway; the message is
/// stored first and keeps the gateway's answer (`delivery`).
///
/// `POST /api/conversations/send` with `id` and `text`.
#[server(prefix = "/api", endpoint = "conversations/send")]
pub async fn send_message(id: ConversationId, text: String) -> Result<Message, AppError> {
    crate::error::respond(server::send(id, text).await)
}

/// Closes a conversation (recorded on the contact's timeline).
///
/// `POST /api/conversations/close` with `id`.
#[server(prefix = "/api", endpoint = "conversations/close")]
pub async fn close_conversation(id: ConversationId) -> Result<ConversationSummary, AppError> {
    crate::error::respond(server::set_status(id, false).await)
}

/// Reopens a closed conversation (recorded on the contact's timeline).
///
/// `POST /api/conversations/reopen` with `id`.
#[server(prefix = "/api", endpoint = "conversations/reopen")]
pub async fn reopen_conversation(id: ConversationId) -> Result<ConversationSummary, AppError> {
    crate::error::respond(server::set_status(id, true).await)
}

/// The conversations module's list, most recent activity first, 50 a page.
///
/// `POST /api/conversations/list` with a JSON body
/// `{"filter": ConversationFilter, "after": null}`.
#[server(prefix = "/api", endpoint = "conversations/list", input = Json)]
pub async fn list_conversations(
    filter: ConversationFilter,
    after: Option<String>,
) -> Result<ConversationPage, AppError> {
    crate::error::respond(server::list(filter, after).await)
}

/// A contact's conversations, newest first, 50 a page, with how many it
/// has in all.
///
/// `POST /api/conversations/of_contact` with `contact_id` and, for older
/// ones, `before` (the page's `next_before`).
#[server(prefix = "/api", endpoint = "conversations/of_contact")]
pub async fn contact_conversations(
    contact_id: ContactId,
    before: Option<ConversationId>,
) -> Result<ContactConversationPage, AppError> {
    crate::error::respond(server::of_contact(contact_id, before).await)
}

/// The company's active agents (the list's agent filter).
///
/// `POST /api/conversations/agents`.
#[server(prefix = "/api", endpoint = "conversations/agents")]
pub async fn list_agents() -> Result<Vec<NamedRef>, AppError> {
    crate::error::respond(server::agents().await)
}

/// Whether the company has an inbound token, and since when (admins).
///
/// `POST /api/inbound/show`.
#[server(prefix = "/api", endpoint = "inbound/show")]
pub async fn show_inbound() -> Result<Option<String>, AppError> {
    crate::error::respond(server::show_inbound().await)
}

/// Makes a new inbound token for the company, replacing the old one, and
/// returns it: it is shown this once (admins).
///
/// `POST /api/inbound/rotate`.
#[server(prefix = "/api", endpoint = "inbound/rotate")]
pub async fn rotate_inbound() -> Result<String, AppError> {
    crate::error::respond(server::rotate_inbound().await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::ids::{ContactId, ConversationId};
    use crate::problem::Problem;
    use chrono::{DateTime, SecondsFormat, Utc};

    use super::CONVERSATION_PAGE;
    use crate::auth::secrets::{new_token, token_digest};
    use crate::auth::session::{require_admin, require_user};
    use crate::contacts::model::NamedRef;
    use crate::contacts::search::{parse_requested_search, ListFilter};
    use crate::conversations::gateway::Outbound;
    use crate::conversations::model::{
        check_message, period, ContactConversationPage, Conversation, ConversationFilter,
        ConversationPage, ConversationStatus, ConversationSummary, ConversationUpdates, Message,
        MESSAGES_SHOWN,
    };
    use crate::conversations::repo::{self, ListQuery, SendRefusal};
    use crate::conversations::{channel::refusal, Channel};
    use crate::db::Db;
    use crate::error::AppError;
    use crate::state::app_state;
    use crate::tenant::CompanyId;

    /// Most contacts a search of the conversations list matches.
    const SEARCH_CONTACTS: u32 = 500;

    async fn summary(
        db: &Db,
        company: CompanyId,
        id: ConversationId,
    ) -> Result<ConversationSummary, AppError> {
        repo::get(db, company, id).await?.ok_or(AppError::NotFound)
    }

    pub async fn start(
        contact: ContactId,
        channel: Channel,
    ) -> Result<ConversationSummary, AppError> {
        let user = require_user()?;
        let db = app_state()?.db;
        let facts = repo::channel_facts(&db, user.company_id, contact)
            .await?
            .ok_or(AppError::NotFound)?;
        if let Some(why) = refusal(channel, facts) {
            return Err(AppError::invalid("channel", why.problem(channel)));
        }
        let (id, _) = repo::start(&db, user.company_id, contact, channel, user.user_id).await?;
        summary(&db, user.company_id, id).await
    }

    pub async fn get(id: ConversationId) -> Result<Conversation, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        let summary = summary(&db, company, id).await?;
        let messages = repo::messages(&db, company, id, MESSAGES_SHOWN).await?;
        let earlier = (summary.message_count - messages.len() as i64).max(0);
        Ok(Conversation {
            summary,
            messages,
            earlier,
        })
    }

    pub async fn updates(id: ConversationId, after: i64) -> Result<ConversationUpdates, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        let summary = summary(&db, company, id).await?;
        let messages = repo::messages_after(&db, company, id, after, MESSAGES_SHOWN).await?;
        Ok(ConversationUpdates { summary, messages })
    }

    pub async fn send(id: ConversationId, text: String) -> Result<Message, AppError> {
        let user = require_user()?;
        let text = check_message(&text).map_err(|p| AppError::invalid("text", p))?;
        let state = app_state()?;
        let company = user.company_id;
        let message =
            match repo::record_outbound(&state.db, company, id, user.user_id, &text).await? {
                Ok(message) => message,
                Err(SendRefusal::NotFound) => return Err(AppError::NotFound),
                Err(SendRefusal::Closed) => {
                    return Err(AppError::invalid("text", Problem::ConversationClosed))
                }
            };
        let conversation = summary(&state.db, company, id).await?;
        let delivery = state
            .gateway
            .deliver(&Outbound {
                company,
                conversation_id: id,
                channel: conversation.channel,
                to: conversation.address.clone(),
                body: text,
            })
            .await;
        if let crate::conversations::gateway::Delivery::Failed(why) = &delivery {
            tracing::warn!(conversation = %id, error = %why, "the channel gateway refused a message");
        }
        repo::set_delivery(&state.db, company, message, delivery.slug()).await?;
        repo::messages(&state.db, company, id, 50)
            .await?
            .into_iter()
            .find(|m| m.id == message)
            .ok_or(AppError::NotFound)
    }

    pub async fn set_status(
        id: ConversationId,
        open: bool,
    ) -> Result<ConversationSummary, AppError> {
        let user = require_user()?;
        let db = app_state()?.db;
        let status = if open {
            ConversationStatus::Open
        } else {
            ConversationStatus::Closed
        };
        repo::set_status(&db, user.company_id, id, status, user.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        summary(&db, user.company_id, id).await
    }

    fn encode(at: DateTime<Utc>, id: ConversationId) -> String {
        format!("{}_{id}", at.timestamp_nanos_opt().unwrap_or_default())
    }

    fn decode(token: &str) -> Option<(DateTime<Utc>, ConversationId)> {
        let (nanos, id) = token.split_once('_')?;
        Some((
            DateTime::from_timestamp_nanos(nanos.parse().ok()?),
            id.parse().ok()?,
        ))
    }

    pub async fn list(
        filter: ConversationFilter,
        after: Option<String>,
    ) -> Result<ConversationPage, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        let (from, to) = period(&filter).map_err(|error| AppError::Validation(vec![error]))?;
        let after = match after.as_deref().filter(|a| !a.is_empty()) {
            Some(token) => {
                Some(decode(token).ok_or_else(|| AppError::invalid("after", Problem::BadCursor))?)
            }
            None => None,
        };
        let query = filter.query.trim();
        let terms = parse_requested_search("query", query)?;
        let contacts = if query.is_empty() {
            None
        } else {
            let rows = crate::contacts::search::list_repo::list_contacts(
                &db,
                company,
                &terms,
                ListFilter::default(),
                None,
                SEARCH_CONTACTS,
            )
            .await?;
            Some(rows.into_iter().map(|r| r.id.get()).collect())
        };
        let midnight = |day: chrono::NaiveDate| day.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        let list_query = ListQuery {
            channel: filter.channel,
            status: filter.status,
            agent: filter.agent,
            started_from: from.and_then(midnight),
            started_before: to.and_then(|d| d.succ_opt()).and_then(midnight),
            contacts,
        };
        let mut rows = repo::list(&db, company, &list_query, after, CONVERSATION_PAGE + 1).await?;
        let more = rows.len() > CONVERSATION_PAGE as usize;
        rows.truncate(CONVERSATION_PAGE as usize);
        let next = if more {
            rows.last().map(|(_, (at, id))| encode(*at, *id))
        } else {
            None
        };
        Ok(ConversationPage {
            conversations: rows.into_iter().map(|(s, _)| s).collect(),
            next,
        })
    }

    pub async fn of_contact(
        contact: ContactId,
        before: Option<ConversationId>,
    ) -> Result<ContactConversationPage, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        // A missing contact is told apart from one without conversations.
        repo::channel_facts(&db, company, contact)
            .await?
            .ok_or(AppError::NotFound)?;
        // One more than a page says whether another follows.
        let mut conversations =
            repo::of_contact(&db, company, contact, before, CONVERSATION_PAGE + 1).await?;
        let next_before = (conversations.len() > CONVERSATION_PAGE as usize).then(|| {
            conversations.truncate(CONVERSATION_PAGE as usize);
            conversations.last().map(|c| c.id)
        });
        let total = repo::count_of_contact(&db, company, contact).await?;
        Ok(ContactConversationPage {
            conversations,
            total,
            next_before: next_before.flatten(),
        })
    }

    pub async fn agents() -> Result<Vec<NamedRef>, AppError> {
        let company = require_user()?.company_id;
        let db = app_state()?.db;
        Ok(repo::agents(&db, company)
            .await?
            .into_iter()
            .map(|(id, name)| NamedRef { id, name })
            .collect())
    }

    pub async fn show_inbound() -> Result<Option<String>, AppError> {
        let admin = require_admin()?;
        let db = app_state()?.db;
        Ok(repo::inbound_token_created(&db, admin.company_id)
            .await?
            .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true)))
    }

    pub async fn rotate_inbound() -> Result<String, AppError> {
        let admin = require_admin()?;
        let db = app_state()?.db;
        let token = new_token();
        repo::set_inbound_token(&db, admin.company_id, &token_digest(&token), admin.user_id)
            .await?;
        Ok(token)
    }
}
