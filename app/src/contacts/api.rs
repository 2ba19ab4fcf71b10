//! The contacts RPC API. Each server function has a stable endpoint under
//! `/api/` (documented in `docs/api.md`) and returns [`AppError`] on failure.

use leptos::prelude::*;

use crate::contacts::model::ContactPage;
use crate::error::AppError;

/// Lists the caller's contacts in name order, filtered by a search query, one
/// page at a time.
///
/// `POST /api/contacts/list` with form fields `q` (search text: name, any
/// phone format, e-mail, contact ID), `after` (cursor from the previous page's
/// `next`), `limit` (1–200, default 50), and the filters `organization`
/// (an organization's id) and `group` (a group's id).
#[server(prefix = "/api", endpoint = "contacts/list")]
pub async fn list_contacts(
    q: Option<String>,
    after: Option<String>,
    limit: Option<u32>,
    organization: Option<i64>,
    group: Option<i64>,
) -> Result<ContactPage, AppError> {
    let filter = crate::contacts::search::ListFilter {
        organization,
        group,
    };
    crate::error::respond(server::list_contacts(q, after, limit, filter).await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::auth::session::require_user;
    use crate::contacts::model::{ContactPage, ContactSummary};
    use crate::contacts::phone::format_phone;
    use crate::contacts::repo;
    use crate::contacts::search::{page_size, parse_search, Cursor, ListFilter};
    use crate::conversations::{available_channels, ChannelFacts};
    use crate::error::AppError;
    use crate::state::app_state;

    /// Longest accepted search text, in characters.
    const MAX_QUERY_CHARS: usize = 200;

    pub async fn list_contacts(
        q: Option<String>,
        after: Option<String>,
        limit: Option<u32>,
        filter: ListFilter,
    ) -> Result<ContactPage, AppError> {
        let company = require_user()?.company_id;
        let state = app_state()?;
        let q = q.unwrap_or_default();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::field(
                "q",
                format!("A busca aceita no máximo {MAX_QUERY_CHARS} caracteres."),
            ));
        }
        let after = match after.as_deref().filter(|a| !a.is_empty()) {
            Some(token) => Some(
                Cursor::decode(token)
                    .ok_or_else(|| AppError::field("after", "Cursor de página inválido."))?,
            ),
            None => None,
        };
        let limit = page_size(limit);
        let terms = parse_search(&q);
        // One extra row tells whether there is a next page.
        let mut rows = repo::list_contacts(
            &state.db,
            company,
            &terms,
            filter,
            after.as_ref(),
            limit + 1,
        )
        .await?;
        let has_more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if has_more {
            rows.last().map(|row| {
                Cursor {
                    sort_key: row.sort_key.clone(),
                    id: row.id,
                }
                .encode()
            })
        } else {
            None
        };
        let contacts = rows
            .into_iter()
            .map(|row| {
                let channels = available_channels(ChannelFacts {
                    has_phone: row.phone.is_some(),
                    has_email: row.email.is_some(),
                });
                ContactSummary {
                    id: row.id,
                    name: row.name,
                    phone: row.phone.as_deref().map(format_phone),
                    phone_e164: row.phone,
                    email: row.email,
                    channels,
                }
            })
            .collect();
        Ok(ContactPage { contacts, next })
    }
}
