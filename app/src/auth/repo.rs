//! All SQL of accounts: companies with their first admin, users, sessions,
//! invitations and failed logins.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::FromRow;

use crate::auth::access::Grant;
use crate::auth::model::{AgentGrants, Member, PendingInvite, Profile, Role, SessionUser};
use crate::db::{BeginWrite, Db};
use crate::error::AppError;
use crate::tenant::CompanyId;
use crate::with_db;

/// A new account's checked data, with its password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
}

/// Whether a database error is the `users.email` uniqueness.
fn email_taken(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

fn map_user_insert(error: sqlx::Error) -> AppError {
    if email_taken(&error) {
        AppError::invalid("email", crate::problem::Problem::EmailTaken)
    } else {
        error.into()
    }
}

const INSERT_USER: &str =
    "INSERT INTO users (company_id, name, email, password_hash, role, active, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

/// Creates a company and its first admin in one transaction; returns both ids.
pub async fn create_company_with_admin(
    db: &Db,
    company_name: &str,
    is_demo: bool,
    admin: &NewUser,
) -> Result<(CompanyId, i64), AppError> {
    let now = Utc::now();
    let ids = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let company: i64 = sqlx::query_scalar(
            "INSERT INTO companies (name, is_demo, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(company_name)
        .bind(is_demo)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let user: i64 = sqlx::query_scalar(INSERT_USER)
            .bind(company)
            .bind(&admin.name)
            .bind(&admin.email)
            .bind(&admin.password_hash)
            .bind(admin.role.as_str())
            .bind(true)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_user_insert)?;
        tx.commit().await?;
        (company, user)
    });
    Ok((CompanyId::from_row(ids.0), ids.1))
}

/// What login needs to know about an account.
#[derive(Debug, Clone, FromRow)]
pub struct LoginRow {
    pub id: i64,
    pub password_hash: String,
    pub active: bool,
}

/// The account with this (normalized) e-mail, if any.
pub async fn find_login(db: &Db, email: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    let row = with_db!(db, pool => {
        sqlx::query_as::<_, LoginRow>("SELECT id, password_hash, active FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await?
    });
    Ok(row)
}

/// Counts one attempt under (`scope`, `key`) in its fixed window of
/// `window_ms`, starting a new window when the last one has ended; returns
/// the attempt's number in the window and the window's start (ms since the
/// epoch). One statement: concurrent attempts get distinct numbers.
pub async fn count_attempt(
    db: &Db,
    scope: &str,
    key: &str,
    now_ms: i64,
    window_ms: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let counted = with_db!(db, pool => {
        sqlx::query_as(
            "INSERT INTO attempt_counts (scope, key, window_start, attempts) VALUES ($1, $2, $3, 1)
             ON CONFLICT (scope, key) DO UPDATE SET
               attempts = CASE WHEN attempt_counts.window_start <= $4 THEN 1
                               ELSE attempt_counts.attempts + 1 END,
               window_start = CASE WHEN attempt_counts.window_start <= $4 THEN $3
                                   ELSE attempt_counts.window_start END
             RETURNING attempts, window_start",
        )
        .bind(scope)
        .bind(key)
        .bind(now_ms)
        .bind(now_ms - window_ms)
        .fetch_one(pool)
        .await?
    });
    Ok(counted)
}

/// Takes back an attempt counted in the window that started at
/// `window_start_ms` (it was refused before it was checked, so it does not
/// count against the caller). A count that falls to zero is removed.
pub async fn uncount_attempt(
    db: &Db,
    scope: &str,
    key: &str,
    window_start_ms: i64,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE attempt_counts SET attempts = attempts - 1
              WHERE scope = $1 AND key = $2 AND window_start = $3 AND attempts > 0",
        )
        .bind(scope)
        .bind(key)
        .bind(window_start_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM attempt_counts WHERE scope = $1 AND key = $2 AND attempts <= 0")
            .bind(scope)
            .bind(key)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Forgets a key's attempts (after a successful login).
pub async fn forget_attempts(db: &Db, scope: &str, key: &str) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query("DELETE FROM attempt_counts WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Forgets counts whose windows started before `attempts_before_ms`, paces
/// whose windows started before `pace_before_ms` and browsers last used
/// before `devices_before_ms`: the tables only hold what still counts.
pub async fn forget_old_attempts(
    db: &Db,
    attempts_before_ms: i64,
    pace_before_ms: i64,
    devices_before_ms: i64,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query("DELETE FROM attempt_counts WHERE window_start < $1")
            .bind(attempts_before_ms)
            .execute(pool)
            .await?;
        sqlx::query("DELETE FROM login_pace WHERE window_start < $1")
            .bind(pace_before_ms)
            .execute(pool)
            .await?;
        sqlx::query("DELETE FROM login_devices WHERE last_used < $1")
            .bind(devices_before_ms)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Whether the browser whose device cookie has this digest signed in to
/// `email`'s account since `since_ms`.
pub async fn device_knows(
    db: &Db,
    token_digest: &str,
    email: &str,
    since_ms: i64,
) -> Result<bool, sqlx::Error> {
    let known: Option<i64> = with_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT last_used FROM login_devices
              WHERE token_hash = $1 AND email = $2 AND last_used >= $3",
        )
        .bind(token_digest)
        .bind(email)
        .bind(since_ms)
        .fetch_optional(pool)
        .await?
    });
    Ok(known.is_some())
}

/// Remembers that the browser whose device cookie has this digest signed
/// in to `email`'s account now.
pub async fn remember_device(
    db: &Db,
    token_digest: &str,
    email: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query(
            "INSERT INTO login_devices (token_hash, email, last_used) VALUES ($1, $2, $3)
             ON CONFLICT (token_hash) DO UPDATE SET email = $2, last_used = $3",
        )
        .bind(token_digest)
        .bind(email)
        .bind(now_ms)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// When a check of an e-mail may run, given its pace ([`take_pace_turn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceTurn {
    /// At once: the e-mail is not paced.
    Now,
    /// At this time (ms since the epoch, at most the wait allowed from now).
    At(i64),
    /// No turn within the wait allowed: come back at this time.
    Later(i64),
}

/// Takes the next turn to check a password for `email` when its failures
/// are paced (`login_pace`): each turn moves the e-mail's next turn
/// `spacing_ms` further, in one statement, so concurrent logins get turns
/// one spacing apart. A turn more than `max_wait_ms` away is not taken.
/// Paces whose window started at or before `window_cutoff_ms` are over.
pub async fn take_pace_turn(
    db: &Db,
    email: &str,
    now_ms: i64,
    window_cutoff_ms: i64,
    max_wait_ms: i64,
) -> Result<PaceTurn, sqlx::Error> {
    let turn: Option<i64> = with_db!(db, pool => {
        sqlx::query_scalar(
            "UPDATE login_pace
                SET next_at = (CASE WHEN next_at > $2 THEN next_at ELSE $2 END) + spacing_ms
              WHERE email = $1 AND window_start > $3 AND spacing_ms > 0 AND next_at <= $2 + $4
             RETURNING next_at - spacing_ms",
        )
        .bind(email)
        .bind(now_ms)
        .bind(window_cutoff_ms)
        .bind(max_wait_ms)
        .fetch_optional(pool)
        .await?
    });
    if let Some(turn) = turn {
        return Ok(if turn > now_ms {
            PaceTurn::At(turn)
        } else {
            PaceTurn::Now
        });
    }
    let pace: Option<(i64, i64, i64)> = with_db!(db, pool => {
        sqlx::query_as("SELECT window_start, spacing_ms, next_at FROM login_pace WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await?
    });
    Ok(match pace {
        Some((start, spacing, next_at))
            if start > window_cutoff_ms && spacing > 0 && next_at > now_ms + max_wait_ms =>
        {
            PaceTurn::Later(next_at - max_wait_ms)
        }
        _ => PaceTurn::Now,
    })
}

/// Records a failed password check for `email` in its pace window (a new
/// window when the last one has ended) and sets the spacing of its next
/// checks from the failures so far; returns the failures in the window.
pub async fn record_pace_failure(
    db: &Db,
    email: &str,
    now_ms: i64,
    window_ms: i64,
    spacing_ms: fn(i64) -> i64,
) -> Result<i64, sqlx::Error> {
    let failures = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let failures: i64 = sqlx::query_scalar(
            "INSERT INTO login_pace (email, window_start, failures, spacing_ms, next_at)
             VALUES ($1, $2, 1, 0, $2)
             ON CONFLICT (email) DO UPDATE SET
               failures = CASE WHEN login_pace.window_start <= $3 THEN 1
                               ELSE login_pace.failures + 1 END,
               window_start = CASE WHEN login_pace.window_start <= $3 THEN $2
                                   ELSE login_pace.window_start END
             RETURNING failures",
        )
        .bind(email)
        .bind(now_ms)
        .bind(now_ms - window_ms)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE login_pace SET spacing_ms = $1 WHERE email = $2")
            .bind(spacing_ms(failures))
            .bind(email)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        failures
    });
    Ok(failures)
}

/// Stores a new session for a user (by the digest of its token).
pub async fn create_session(
    db: &Db,
    token_digest: &str,
    user_id: i64,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query(
            "INSERT INTO sessions (token_hash, company_id, user_id, created_at, expires_at, last_seen_at)
             SELECT $1, company_id, id, $2, $3, $2 FROM users WHERE id = $4",
        )
        .bind(token_digest)
        .bind(Utc::now())
        .bind(expires_at)
        .bind(user_id)
        .execute(pool)
        .await?;
    });
    Ok(())
}

#[derive(FromRow)]
struct SessionRow {
    user_id: i64,
    company_id: i64,
    company_name: String,
    name: String,
    email: String,
    role: String,
    agents_may_export: bool,
    agents_may_import: bool,
    time_zone: String,
}

impl SessionRow {
    /// The columns [`SessionRow`] reads, from `users u JOIN companies c`.
    const COLUMNS: &'static str =
        "u.id AS user_id, u.company_id, c.name AS company_name, u.name, u.email, u.role,
            c.agents_may_export, c.agents_may_import, c.time_zone";

    fn into_user(self) -> Option<SessionUser> {
        Some(SessionUser {
            company_id: CompanyId::from_row(self.company_id),
            profile: Profile {
                user_id: self.user_id,
                company_id: self.company_id,
                company_name: self.company_name,
                name: self.name,
                email: self.email,
                role: Role::parse(&self.role)?,
                agent_grants: AgentGrants {
                    export: self.agents_may_export,
                    import: self.agents_may_import,
                },
                time_zone: self.time_zone,
            },
        })
    }
}

#[derive(FromRow)]
struct LiveSessionRow {
    #[sqlx(flatten)]
    user: SessionRow,
    last_seen_at: DateTime<Utc>,
}

/// The user of a live session (not past its 30 days, used since
/// `idle_since`, and the user still active), with when it was last seen.
pub async fn session_user(
    db: &Db,
    token_digest: &str,
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> Result<Option<(SessionUser, DateTime<Utc>)>, sqlx::Error> {
    // Every request asks this: the text is built once.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {}, s.last_seen_at
              FROM sessions s
              JOIN users u ON u.company_id = s.company_id AND u.id = s.user_id
              JOIN companies c ON c.id = u.company_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active",
            SessionRow::COLUMNS
        )
    });
    let row = with_db!(db, pool => {
        sqlx::query_as::<_, LiveSessionRow>(SQL.as_str())
            .bind(token_digest)
            .bind(now)
            .bind(idle_since)
            .fetch_optional(pool)
            .await?
    });
    Ok(row.and_then(|row| Some((row.user.into_user()?, row.last_seen_at))))
}

/// Records that a session was used at `now`.
pub async fn touch_session(
    db: &Db,
    token_digest: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        // A write transaction: on SQLite a running import lets it in
        // between batches (`Db::yield_to_writers`).
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_digest)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Deletes sessions past their 30 days or unused since `idle_since`.
pub async fn purge_sessions(
    db: &Db,
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let deleted = with_db!(db, pool => {
        let expired = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected();
        let idle = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1")
            .bind(idle_since)
            .execute(pool)
            .await?
            .rows_affected();
        expired + idle
    });
    Ok(deleted)
}

/// Deletes invitations past their expiry (accepted or not: an accepted
/// one is spent, and the account it made keeps its own record).
pub async fn purge_invites(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let deleted = with_db!(db, pool => {
        sqlx::query("DELETE FROM invites WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(deleted)
}

/// Ends a session (logout).
pub async fn delete_session(db: &Db, token_digest: &str) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_digest)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Stores an invitation to the company.
pub async fn create_invite(
    db: &Db,
    company: CompanyId,
    created_by: i64,
    role: Role,
    token_digest: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query(
            "INSERT INTO invites (token_hash, company_id, role, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_digest)
        .bind(company)
        .bind(role.as_str())
        .bind(created_by)
        .bind(Utc::now())
        .bind(expires_at)
        .execute(pool)
        .await?;
    });
    Ok(())
}

#[derive(FromRow)]
struct InviteRow {
    company_id: i64,
    company_name: String,
    role: String,
}

/// What makes an invitation open, on `invites i`: not expired (`$2`), not
/// accepted, and its inviter still an active user of the company who may
/// grant its role (an admin invitation needs an admin). A deactivated
/// inviter's open invitations are also deleted ([`set_active`]); this
/// holds whatever way the inviter stopped qualifying.
const OPEN_INVITE: &str = "i.expires_at > $2 AND i.accepted_by IS NULL
      AND EXISTS (SELECT 1 FROM users u
                   WHERE u.company_id = i.company_id AND u.id = i.created_by AND u.active
                     AND (i.role = 'agent' OR u.role = 'admin'))";

#[derive(FromRow)]
struct PendingRow {
    token_hash: String,
    role: String,
    invited_by: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// The company's open invitations ([`OPEN_INVITE`]), newest first.
pub async fn pending_invites(
    db: &Db,
    company: CompanyId,
    now: DateTime<Utc>,
) -> Result<Vec<PendingInvite>, sqlx::Error> {
    let sql = format!(
        "SELECT i.token_hash, i.role, inviter.name AS invited_by, i.created_at, i.expires_at
           FROM invites i
           JOIN users inviter ON inviter.company_id = i.company_id AND inviter.id = i.created_by
          WHERE i.company_id = $1 AND {OPEN_INVITE}
          ORDER BY i.created_at DESC, i.token_hash"
    );
    let rows = with_db!(db, pool => {
        sqlx::query_as::<_, PendingRow>(&sql)
            .bind(company)
            .bind(now)
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(PendingInvite {
                id: row.token_hash,
                role: Role::parse(&row.role)?,
                invited_by: row.invited_by,
                created_at: row.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                expires_at: row.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            })
        })
        .collect())
}

/// Revokes an invitation of the company that nobody accepted and that has
/// not expired: its link stops working at once. False when there is no such
/// invitation.
pub async fn revoke_invite(
    db: &Db,
    company: CompanyId,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let deleted = with_db!(db, pool => {
        sqlx::query(
            "DELETE FROM invites
              WHERE company_id = $1 AND token_hash = $2 AND accepted_by IS NULL AND expires_at > $3",
        )
        .bind(company)
        .bind(id)
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(deleted > 0)
}

/// An open invitation ([`OPEN_INVITE`]). Returns its company, the
/// company's name and the role it grants.
pub async fn open_invite(
    db: &Db,
    token_digest: &str,
    now: DateTime<Utc>,
) -> Result<Option<(CompanyId, String, Role)>, sqlx::Error> {
    let row = with_db!(db, pool => {
        sqlx::query_as::<_, InviteRow>(&format!(
            "SELECT i.company_id, c.name AS company_name, i.role
               FROM invites i JOIN companies c ON c.id = i.company_id
              WHERE i.token_hash = $1 AND {OPEN_INVITE}"
        ))
        .bind(token_digest)
        .bind(now)
        .fetch_optional(pool)
        .await?
    });
    Ok(row.and_then(|row| {
        Some((
            CompanyId::from_row(row.company_id),
            row.company_name,
            Role::parse(&row.role)?,
        ))
    }))
}

/// Accepts an invitation: creates the user in the invitation's company and
/// closes the invitation, in one transaction (a link works once).
pub async fn accept_invite(
    db: &Db,
    token_digest: &str,
    user: &NewUser,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let user_id = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let invite: Option<(i64, String)> = sqlx::query_as(&format!(
            "SELECT i.company_id, i.role FROM invites i WHERE i.token_hash = $1 AND {OPEN_INVITE}"
        ))
        .bind(token_digest)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((company, role)) = invite else {
            return Err(AppError::NotFound);
        };
        let user_id: i64 = sqlx::query_scalar(INSERT_USER)
            .bind(company)
            .bind(&user.name)
            .bind(&user.email)
            .bind(&user.password_hash)
            .bind(role)
            .bind(true)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_user_insert)?;
        let closed = sqlx::query(
            "UPDATE invites SET accepted_by = $1 WHERE token_hash = $2 AND accepted_by IS NULL",
        )
        .bind(user_id)
        .bind(token_digest)
        .execute(&mut *tx)
        .await?;
        if closed.rows_affected() != 1 {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        user_id
    });
    Ok(user_id)
}

#[derive(FromRow)]
struct MemberRow {
    id: i64,
    name: String,
    email: String,
    role: String,
    active: bool,
}

/// The company's users, admins first, then by name.
pub async fn list_members(db: &Db, company: CompanyId) -> Result<Vec<Member>, sqlx::Error> {
    let rows = with_db!(db, pool => {
        sqlx::query_as::<_, MemberRow>(
            "SELECT id, name, email, role, active FROM users WHERE company_id = $1
              ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, name, id",
        )
        .bind(company)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Member {
                id: row.id,
                name: row.name,
                email: row.email,
                role: Role::parse(&row.role)?,
                active: row.active,
            })
        })
        .collect())
}

/// Activates or deactivates a user of the company; deactivation ends their
/// sessions at once. `NotFound` when the user is not in the company.
pub async fn set_active(
    db: &Db,
    company: CompanyId,
    user_id: i64,
    active: bool,
) -> Result<(), AppError> {
    with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query("UPDATE users SET active = $1 WHERE company_id = $2 AND id = $3")
            .bind(active)
            .bind(company)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if changed.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        if !active {
            sqlx::query("DELETE FROM sessions WHERE company_id = $1 AND user_id = $2")
                .bind(company)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            // The invitations they made and nobody accepted are revoked.
            sqlx::query(
                "DELETE FROM invites
                  WHERE company_id = $1 AND created_by = $2 AND accepted_by IS NULL",
            )
            .bind(company)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    });
    Ok(())
}

/// The session view of a user, by id (right after login or sign-up).
pub async fn find_session_user(db: &Db, user_id: i64) -> Result<Option<SessionUser>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM users u JOIN companies c ON c.id = u.company_id WHERE u.id = $1",
        SessionRow::COLUMNS
    );
    let row = with_db!(db, pool => {
        sqlx::query_as::<_, SessionRow>(&sql)
            .bind(user_id)
            .fetch_optional(pool)
            .await?
    });
    Ok(row.and_then(SessionRow::into_user))
}

/// Allows or forbids the company's agents one thing beyond their role;
/// answers what they may do now (one column changes, so two admins setting
/// different grants at once do not undo each other).
pub async fn set_agent_grant(
    db: &Db,
    company: CompanyId,
    grant: Grant,
    allowed: bool,
) -> Result<AgentGrants, sqlx::Error> {
    let sql = match grant {
        Grant::Export => "UPDATE companies SET agents_may_export = $1 WHERE id = $2",
        Grant::Import => "UPDATE companies SET agents_may_import = $1 WHERE id = $2",
    };
    let (export, import): (bool, bool) = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(sql).bind(allowed).bind(company).execute(&mut *tx).await?;
        let now = sqlx::query_as(
            "SELECT agents_may_export, agents_may_import FROM companies WHERE id = $1",
        )
        .bind(company)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        now
    });
    Ok(AgentGrants { export, import })
}

/// Sets the company's time zone (an IANA name the caller has checked).
pub async fn set_company_time_zone(
    db: &Db,
    company: CompanyId,
    time_zone: &str,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE companies SET time_zone = $1 WHERE id = $2")
            .bind(time_zone)
            .bind(company)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(())
}

/// The company's first active admin (who the command line imports as).
pub async fn first_admin(db: &Db, company: CompanyId) -> Result<Option<i64>, sqlx::Error> {
    let id = with_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT id FROM users WHERE company_id = $1 AND role = 'admin' AND active = TRUE ORDER BY id LIMIT 1",
        )
        .bind(company)
        .fetch_optional(pool)
        .await?
    });
    Ok(id)
}
