//! Tenancy: every tenant-owned row has a `company_id`, and every repository
//! function takes the caller's [`CompanyId`], so a query without tenant scoping
//! does not type-check. A request's company is its session's
//! (`auth::session::require_user`), never client input.

use serde::{Deserialize, Serialize};

/// The id of a company (a tenant). Only the server creates these, from the
/// request's credentials; it is never taken from client input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompanyId(pub i64);

/// Creates a company (a new tenant).
#[cfg(feature = "ssr")]
pub async fn create_company(
    db: &crate::db::Db,
    name: &str,
    is_demo: bool,
) -> Result<CompanyId, sqlx::Error> {
    let id: i64 = crate::with_db!(db, pool => {
        sqlx::query_scalar("INSERT INTO companies (name, is_demo, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(name)
            .bind(is_demo)
            .bind(chrono::Utc::now())
            .fetch_one(pool)
            .await?
    });
    Ok(CompanyId(id))
}

/// True when the database holds no company yet (first start).
#[cfg(feature = "ssr")]
pub async fn has_no_company(db: &crate::db::Db) -> Result<bool, sqlx::Error> {
    let any: Option<i64> = crate::with_db!(db, pool => {
        sqlx::query_scalar("SELECT id FROM companies LIMIT 1").fetch_optional(pool).await?
    });
    Ok(any.is_none())
}

/// The demo company, if one exists.
#[cfg(feature = "ssr")]
pub async fn demo_company(db: &crate::db::Db) -> Result<Option<CompanyId>, sqlx::Error> {
    let id: Option<i64> = crate::with_db!(db, pool => {
        sqlx::query_scalar("SELECT id FROM companies WHERE is_demo ORDER BY id LIMIT 1")
            .fetch_optional(pool)
            .await?
    });
    Ok(id.map(CompanyId))
}

/// Whether a company with this id exists (the CLI checks before acting).
#[cfg(feature = "ssr")]
pub async fn company_exists(db: &crate::db::Db, company: CompanyId) -> Result<bool, sqlx::Error> {
    let id: Option<i64> = crate::with_db!(db, pool => {
        sqlx::query_scalar("SELECT id FROM companies WHERE id = $1")
            .bind(company.0)
            .fetch_optional(pool)
            .await?
    });
    Ok(id.is_some())
}
