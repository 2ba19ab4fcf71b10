//! Main contact and merge RPC API: stable endpoints under `/api/contacts/`
//! (see `docs/api.md`).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::contacts::links::merge::Conflict;
use crate::contacts::model::ContactDetails;
use crate::error::AppError;
use crate::ids::ContactId;

/// Links contact `id` to the main contact `main_id` (replacing a previous
/// link); both timelines record it.
///
/// `POST /api/contacts/link` with `id` and `main_id`.
#[server(prefix = "/api", endpoint = "contacts/link")]
pub async fn link_contact(id: ContactId, main_id: ContactId) -> Result<ContactDetails, AppError> {
    crate::error::respond(server::link(id, main_id).await)
}

/// Unlinks contact `id` from its main contact; both timelines record it.
///
/// `POST /api/contacts/unlink` with `id`.
#[server(prefix = "/api", endpoint = "contacts/unlink")]
pub async fn unlink_contact(id: ContactId) -> Result<ContactDetails, AppError> {
    crate::error::respond(server::unlink(id).await)
}

/// What merging `other` into `survivor` involves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergePlan {
    pub survivor: ContactDetails,
    pub other: ContactDetails,
    /// The fields both fill differently: the agent chooses.
    pub conflicts: Vec<Conflict>,
}

/// The two contacts side by side and their conflicting fields.
///
/// `POST /api/contacts/merge_plan` with `survivor_id` and `other_id`.
#[server(prefix = "/api", endpoint = "contacts/merge_plan")]
pub async fn load_merge_plan(
    survivor_id: ContactId,
    other_id: ContactId,
) -> Result<MergePlan, AppError> {
    crate::error::respond(server::plan(survivor_id, other_id).await)
}

/// Merges contact `other_id` into `survivor_id` in one transaction: phones,
/// e-mails and groups combined, for each conflicting field the survivor's
/// value unless listed in `take_other`, then every conversation, comment,
/// timeline event and linked contact moved to the survivor, the merge
/// recorded on its timeline with the other's data, and the other deleted.
///
/// With `survivor_version` and `other_version` (the contacts' `version`s in
/// the plan the agent chose from), a contact changed since is refused with
/// 409 `Stale` and nothing is merged.
///
/// `POST /api/contacts/merge` with a JSON body
/// `{"survivor_id": 1, "other_id": 2, "take_other": ["name", "custom:plano"],
///   "survivor_version": 4, "other_version": 1}`.
#[server(prefix = "/api", endpoint = "contacts/merge", input = Json)]
pub async fn merge_contacts(
    survivor_id: ContactId,
    other_id: ContactId,
    take_other: Vec<String>,
    survivor_version: Option<i64>,
    other_version: Option<i64>,
) -> Result<ContactDetails, AppError> {
    crate::error::respond(
        server::merge(
            survivor_id,
            other_id,
            take_other,
            (survivor_version, other_version),
        )
        .await,
    )
}

#[cfg(feature = "ssr")]
mod server {
    use crate::ids::ContactId;
    use std::collections::BTreeSet;

    use super::MergePlan;
    use crate::auth::session::require_user;
    use crate::contacts::details_api::server::{load, save_error, stale, stored};
    use crate::contacts::links::merge::{conflicts, merged_form};
    use crate::contacts::links::repo::{self as links_repo, LinkOutcome};
    use crate::contacts::model::ContactDetails;
    use crate::contacts::writer::SaveError;
    use crate::error::AppError;
    use crate::state::app_state;
    use crate::timeline::changes::snapshot_of_details;
    use crate::timeline::model::{EventKind, ShownField};
    use crate::timeline::repo::{EventData, NewEvent};

    pub async fn link(id: ContactId, main: ContactId) -> Result<ContactDetails, AppError> {
        let user = require_user()?;
        let db = app_state()?.db;
        match links_repo::link(&db, user.company_id, id, main, user.user_id).await? {
            LinkOutcome::Linked => load(&db, user.company_id, id).await,
            LinkOutcome::NotFound => Err(AppError::NotFound),
            LinkOutcome::Refused(why) => Err(AppError::invalid("main_id", why.problem())),
        }
    }

    pub async fn unlink(id: ContactId) -> Result<ContactDetails, AppError> {
        let user = require_user()?;
        let db = app_state()?.db;
        links_repo::unlink(&db, user.company_id, id, user.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        load(&db, user.company_id, id).await
    }

    pub async fn plan(survivor: ContactId, other: ContactId) -> Result<MergePlan, AppError> {
        let company = require_user()?.company_id;
        if survivor == other {
            return Err(AppError::invalid(
                "other_id",
                crate::problem::Problem::MergeSameContact,
            ));
        }
        let db = app_state()?.db;
        let survivor = load(&db, company, survivor).await?;
        let other = load(&db, company, other).await?;
        let conflicts = conflicts(&survivor, &other);
        Ok(MergePlan {
            survivor,
            other,
            conflicts,
        })
    }

    pub async fn merge(
        survivor_id: ContactId,
        other_id: ContactId,
        take_other: Vec<String>,
        (survivor_version, other_version): (Option<i64>, Option<i64>),
    ) -> Result<ContactDetails, AppError> {
        let user = require_user()?;
        let company = user.company_id;
        let MergePlan {
            survivor,
            other,
            conflicts,
        } = plan(survivor_id, other_id).await?;
        for (contact, expected) in [(&survivor, survivor_version), (&other, other_version)] {
            if expected.is_some_and(|version| version != contact.version) {
                return Err(stale(contact));
            }
        }
        let take: BTreeSet<String> = take_other.into_iter().collect();
        if let Some(unknown) = take
            .iter()
            .find(|f| !conflicts.iter().any(|c| &c.field == *f))
        {
            return Err(AppError::invalid(
                "take_other",
                crate::problem::Problem::NotAConflict {
                    field: unknown.clone(),
                },
            ));
        }
        let form = merged_form(&survivor, &other, &take);
        let (contact, _) =
            stored(&app_state()?.db, company, &[survivor_id, other_id], &form).await?;
        let fields = snapshot_of_details(&other)
            .0
            .into_iter()
            .filter(|(_, _, value)| !value.is_empty())
            .map(|(field, label, value)| ShownField {
                field,
                label,
                value,
            })
            .collect();
        let event = NewEvent::new(survivor_id, EventKind::Merged, Some(user.user_id)).with_data(
            &EventData::Merged {
                other_id,
                other_name: other.name.clone(),
                fields,
            },
        );
        let db = app_state()?.db;
        // Merged as planned only if neither changed since the plan was read.
        let versions = (survivor.version, other.version);
        match links_repo::merge(
            &db,
            company,
            (survivor_id, other_id),
            versions,
            &contact,
            &event,
            user.user_id,
        )
        .await
        {
            Ok(()) => load(&db, company, survivor_id).await,
            Err(SaveError::Stale) => {
                let survivor_now = load(&db, company, survivor_id).await?;
                Err(if survivor_now.version != survivor.version {
                    stale(&survivor_now)
                } else {
                    stale(&load(&db, company, other_id).await?)
                })
            }
            Err(error) => Err(save_error(error)),
        }
    }
}
