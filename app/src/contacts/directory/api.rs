//! The RPC API for managing organizations and groups (admins). The pickers
//! read them through `contacts/directory`. Stable endpoints under
//! `/api/directory/` (see `docs/api.md`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::contacts::directory::DirectoryKind;
use crate::error::AppError;

/// An organization or group and how many contacts it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub id: i64,
    pub name: String,
    pub contacts: i64,
}

/// Every organization and group of the company, sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryOverview {
    pub organizations: Vec<DirectoryEntry>,
    pub groups: Vec<DirectoryEntry>,
}

/// Organizations and groups with their contact counts. Admins only.
///
/// `POST /api/directory/overview`.
#[server(prefix = "/api", endpoint = "directory/overview")]
pub async fn load_directory_overview() -> Result<DirectoryOverview, AppError> {
    crate::error::respond(server::overview().await)
}

/// Creates an organization or a group. Admins only.
///
/// `POST /api/directory/create` with `kind` (`organization` | `group`) and `name`.
#[server(prefix = "/api", endpoint = "directory/create")]
pub async fn create_directory_entry(
    kind: DirectoryKind,
    name: String,
) -> Result<DirectoryEntry, AppError> {
    crate::error::respond(server::create(kind, name).await)
}

/// Renames an organization or a group; its contacts keep it. Admins only.
///
/// `POST /api/directory/rename` with `kind`, `id` and `name`.
#[server(prefix = "/api", endpoint = "directory/rename")]
pub async fn rename_directory_entry(
    kind: DirectoryKind,
    id: i64,
    name: String,
) -> Result<DirectoryEntry, AppError> {
    crate::error::respond(server::rename(kind, id, name).await)
}

/// Deletes an organization or a group. The contacts stay: they lose the
/// organization, or leave the group. Admins only.
///
/// `POST /api/directory/delete` with `kind` and `id`.
#[server(prefix = "/api", endpoint = "directory/delete")]
pub async fn delete_directory_entry(kind: DirectoryKind, id: i64) -> Result<(), AppError> {
    crate::error::respond(server::delete(kind, id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::{DirectoryEntry, DirectoryOverview};
    use crate::auth::session::require_admin;
    use crate::contacts::directory::repo::{self as repo, ChangeError, EntryRow};
    use crate::contacts::directory::{sort_by_name, DirectoryKind};
    use crate::error::AppError;
    use crate::state::app_state;

    fn refused(error: ChangeError, kind: DirectoryKind) -> AppError {
        match error {
            ChangeError::NotFound => AppError::NotFound,
            ChangeError::Name(name) => AppError::invalid("name", name.problem(kind)),
            ChangeError::Db(error) => error.into(),
        }
    }

    fn entries(rows: Vec<EntryRow>) -> Vec<DirectoryEntry> {
        let mut list: Vec<DirectoryEntry> = rows
            .into_iter()
            .map(|row| DirectoryEntry {
                id: row.id,
                name: row.name,
                contacts: row.contacts,
            })
            .collect();
        sort_by_name(&mut list, |entry| &entry.name);
        list
    }

    pub async fn overview() -> Result<DirectoryOverview, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        Ok(DirectoryOverview {
            organizations: entries(repo::list(&db, company, DirectoryKind::Organization).await?),
            groups: entries(repo::list(&db, company, DirectoryKind::Group).await?),
        })
    }

    async fn entry(kind: DirectoryKind, id: i64) -> Result<DirectoryEntry, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        entries(repo::list(&db, company, kind).await?)
            .into_iter()
            .find(|entry| entry.id == id)
            .ok_or(AppError::NotFound)
    }

    pub async fn create(kind: DirectoryKind, name: String) -> Result<DirectoryEntry, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        let (id, name) = repo::create(&db, company, kind, &name)
            .await
            .map_err(|e| refused(e, kind))?;
        Ok(DirectoryEntry {
            id,
            name,
            contacts: 0,
        })
    }

    pub async fn rename(
        kind: DirectoryKind,
        id: i64,
        name: String,
    ) -> Result<DirectoryEntry, AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        repo::rename(&db, company, kind, id, &name)
            .await
            .map_err(|e| refused(e, kind))?;
        entry(kind, id).await
    }

    pub async fn delete(kind: DirectoryKind, id: i64) -> Result<(), AppError> {
        let company = require_admin()?.company_id;
        let db = app_state()?.db;
        repo::delete(&db, company, kind, id)
            .await
            .map_err(|e| refused(e, kind))?;
        Ok(())
    }
}
