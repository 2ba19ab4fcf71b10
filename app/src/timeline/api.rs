//! The timeline RPC API: stable endpoints under `/api/timeline/` (see
//! `docs/api.md`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::ids::ContactId;
use crate::timeline::model::TimelinePage;

/// Events per timeline page.
pub const TIMELINE_PAGE: u32 = 50;

/// A contact's timeline, newest first, 50 events a page.
///
/// `POST /api/timeline/list` with `contact_id` and, for older pages,
/// `before` (the previous page's `next_before`).
#[server(prefix = "/api", endpoint = "timeline/list")]
pub async fn load_timeline(
    contact_id: ContactId,
    before: Option<i64>,
) -> Result<TimelinePage, AppError> {
    crate::error::respond(server::list(contact_id, before).await)
}

/// Adds a comment to a contact's timeline; returns the event's id.
///
/// `POST /api/timeline/comment` with `contact_id` and `text`.
#[server(prefix = "/api", endpoint = "timeline/comment")]
pub async fn add_comment(contact_id: ContactId, text: String) -> Result<i64, AppError> {
    crate::error::respond(server::add_comment(contact_id, text).await)
}

/// Replaces the text of one of the caller's comments (marked "editado").
///
/// `POST /api/timeline/edit_comment` with `id` and `text`.
#[server(prefix = "/api", endpoint = "timeline/edit_comment")]
pub async fn edit_comment(id: i64, text: String) -> Result<(), AppError> {
    crate::error::respond(server::change(id, Some(text)).await)
}

/// Deletes one of the caller's comments: its text goes, the timeline keeps
/// an entry saying it was deleted and when.
///
/// `POST /api/timeline/delete_comment` with `id`.
#[server(prefix = "/api", endpoint = "timeline/delete_comment")]
pub async fn delete_comment(id: i64) -> Result<(), AppError> {
    crate::error::respond(server::change(id, None).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::TIMELINE_PAGE;
    use crate::auth::session::require_user;
    use crate::error::AppError;
    use crate::ids::ContactId;
    use crate::state::app_state;
    use crate::timeline::model::{check_comment, TimelinePage};
    use crate::timeline::repo::{self, CommentChange};

    pub async fn list(contact: ContactId, before: Option<i64>) -> Result<TimelinePage, AppError> {
        let user = require_user()?;
        let db = app_state()?.db;
        repo::list_events(
            &db,
            user.company_id,
            contact,
            before,
            TIMELINE_PAGE,
            user.user_id,
        )
        .await?
        .ok_or(AppError::NotFound)
    }

    pub async fn add_comment(contact: ContactId, text: String) -> Result<i64, AppError> {
        let user = require_user()?;
        let text = check_comment(&text).map_err(|p| AppError::invalid("text", p))?;
        let db = app_state()?.db;
        repo::add_comment(&db, user.company_id, contact, user.user_id, &text)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn change(id: i64, text: Option<String>) -> Result<(), AppError> {
        let user = require_user()?;
        let text = text
            .map(|t| check_comment(&t).map_err(|p| AppError::invalid("text", p)))
            .transpose()?;
        let db = app_state()?.db;
        match repo::change_comment(&db, user.company_id, id, user.user_id, text.as_deref()).await? {
            CommentChange::Done => Ok(()),
            CommentChange::NotFound => Err(AppError::NotFound),
            CommentChange::NotYours => Err(AppError::Forbidden),
            CommentChange::Deleted => {
                Err(AppError::Conflict("Este comentário foi excluído.".into()))
            }
        }
    }
}
