//! The contacts RPC API. Each server function has a stable endpoint under
//! `/api/` (documented in `docs/api.md`) and returns [`AppError`] on failure.

// `list_contacts` takes its optional form fields one by one (the stable
// form API); the client stub `#[server]` generates for it does not carry an
// item-level allow, hence this module-level one.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::contacts::model::ContactListPage;
use crate::contacts::urls::ListQuery;
use crate::error::AppError;
use crate::ids::FieldId;

/// Lists the caller's contacts in name order, filtered by a search query, one
/// page at a time.
///
/// `POST /api/contacts/list` with form fields `q` (search text: name, any
/// phone format, e-mail, contact ID, CPF/CNPJ), `after` (cursor from the
/// previous page's `next`), `limit` (1 to 200, default 50), and the filters
/// `organization` (an organization's id), `group` (a group's id) and a
/// custom field: `field` (its id) with `value` (equality; an option id for
/// select fields), `min`/`max` (ranges of numbers and dates) or `month`
/// (1 to 12, date fields: birthdays).
#[server(prefix = "/api", endpoint = "contacts/list")]
pub async fn list_contacts(
    q: Option<String>,
    after: Option<String>,
    limit: Option<u32>,
    organization: Option<i64>,
    group: Option<i64>,
    field: Option<FieldId>,
    value: Option<String>,
    min: Option<String>,
    max: Option<String>,
    month: Option<u32>,
) -> Result<ContactListPage, AppError> {
    let custom = crate::custom_fields::api::FieldQuery {
        field,
        value,
        min,
        max,
        month,
    };
    crate::error::respond(server::list_contacts(q, after, limit, organization, group, custom).await)
}

/// One page of the list a [`ListQuery`] describes (the URL's state).
pub async fn fetch_page(
    query: ListQuery,
    after: Option<String>,
) -> Result<ContactListPage, AppError> {
    let filled = |text: String| Some(text).filter(|t| !t.trim().is_empty());
    list_contacts(
        Some(query.q),
        after,
        None,
        query.organization,
        query.group,
        query.field,
        filled(query.value),
        filled(query.min),
        filled(query.max),
        query.month,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use crate::auth::session::require_user;
    use crate::contacts::model::{ContactListPage, ContactSummary};
    use crate::contacts::phone::format_phone;
    use crate::contacts::search::list_repo;
    use crate::contacts::search::{page_size, parse_requested_search, Cursor, ListFilter};
    use crate::conversations::{available_channels, ChannelFacts};
    use crate::custom_fields::api::{resolve_filter, FieldQuery};
    use crate::error::AppError;
    use crate::state::app_state;

    pub async fn list_contacts(
        q: Option<String>,
        after: Option<String>,
        limit: Option<u32>,
        organization: Option<i64>,
        group: Option<i64>,
        custom: FieldQuery,
    ) -> Result<ContactListPage, AppError> {
        let company = require_user()?.company_id;
        let state = app_state()?;
        let filter = ListFilter {
            organization,
            group,
            custom: resolve_filter(&state.db, company, custom).await?,
        };
        let terms = parse_requested_search("q", q.as_deref().unwrap_or_default())?;
        let after =
            match after.as_deref().filter(|a| !a.is_empty()) {
                Some(token) => Some(Cursor::decode(token).ok_or_else(|| {
                    AppError::invalid("after", crate::problem::Problem::BadCursor)
                })?),
                None => None,
            };
        let limit = page_size(limit);
        // One extra row tells whether there is a next page.
        let mut rows = list_repo::list_contacts(
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
                    id: row.id.get(),
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
                    has_telegram: row.telegram.is_some(),
                    has_instagram: row.instagram.is_some(),
                    wrote_on_facebook: row.facebook_opened,
                    wrote_on_widget: row.widget_opened,
                });
                ContactSummary {
                    id: row.id,
                    name: row.name,
                    phone: row.phone.as_deref().map(format_phone),
                    phone_e164: row.phone,
                    email: row.email,
                    channels,
                    main_contact: row
                        .main_contact_id
                        .zip(row.main_contact_name)
                        .map(|(id, name)| crate::contacts::model::NamedRef { id, name }),
                }
            })
            .collect();
        Ok(ContactListPage { contacts, next })
    }
}
