//! Tenancy: every tenant-owned row has a `company_id`, and every repository
//! function takes the caller's [`CompanyId`], so a query without tenant scoping
//! does not type-check. A request's company is its session's
//! (`auth::session::require_user`), never client input.

/// The id of a company (a tenant). Only the server makes one: from the
/// request's session (`auth::session::require_user`) or from a row it read,
/// so client input can never name a company. Hence no public constructor
/// and no `Deserialize`: a server function whose arguments held a
/// `CompanyId` would not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct CompanyId(i64);

impl CompanyId {
    /// The company's number, for logs, rank arithmetic and messages.
    pub fn get(self) -> i64 {
        self.0
    }

    /// A company id read from a row the server trusts (a session, a job,
    /// a user). Crate-private: outside `app`, ids come from
    /// [`find_company`] or the session.
    #[cfg(feature = "ssr")]
    pub(crate) fn from_row(id: i64) -> Self {
        CompanyId(id)
    }
}

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

/// The company's time zone (server output with no viewer: CSV exports); the
/// default zone if the stored name is unknown to this zone database.
#[cfg(feature = "ssr")]
pub async fn time_zone(
    db: &crate::db::Db,
    company: CompanyId,
) -> Result<chrono_tz::Tz, sqlx::Error> {
    let name: Option<String> = crate::with_db!(db, pool => {
        sqlx::query_scalar("SELECT time_zone FROM companies WHERE id = $1")
            .bind(company)
            .fetch_optional(pool)
            .await?
    });
    Ok(crate::time_zone::zone_or_default(
        name.as_deref().unwrap_or(crate::time_zone::DEFAULT_ZONE),
    ))
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

/// The company with this number, if it exists: how the command line (an
/// operator's `--company N`) and tests get a [`CompanyId`].
#[cfg(feature = "ssr")]
pub async fn find_company(db: &crate::db::Db, id: i64) -> Result<Option<CompanyId>, sqlx::Error> {
    let id: Option<i64> = crate::with_db!(db, pool => {
        sqlx::query_scalar("SELECT id FROM companies WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    Ok(id.map(CompanyId))
}
