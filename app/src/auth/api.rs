//! The accounts RPC API: sign-up, login, logout, the current user, agents
//! and invitations. Stable endpoints under `/api/` (see `docs/api.md`).

use leptos::prelude::*;

use crate::auth::access::Grant;
use crate::auth::model::{
    AgentGrants, DemoCredentials, InviteInfo, InviteLink, Member, PendingInvite, Profile, Role,
};
use crate::error::AppError;

/// Creates a company and its first admin, and signs them in.
///
/// `POST /api/auth/sign_up` with `company`, `name`, `email`, `password`.
#[server(prefix = "/api", endpoint = "auth/sign_up")]
pub async fn sign_up(
    company: String,
    name: String,
    email: String,
    password: String,
) -> Result<Profile, AppError> {
    crate::error::respond(server::sign_up(company, name, email, password).await)
}

/// Signs in with e-mail and password. Five attempts for one address from one
/// client address within 15 minutes, then 429 until the window ends; past
/// ten failures from all clients together, the address's checks are spaced
/// out (429 `login_pace` when its next turn is over 5 s away). 503 with
/// `Retry-After` when the password checks are at their bound
/// (`docs/security.md`).
///
/// `POST /api/auth/login` with `email`, `password`.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<Profile, AppError> {
    crate::error::respond(server::login(email, password).await)
}

/// Ends the current session.
///
/// `POST /api/auth/logout`.
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::error::respond(server::logout().await)
}

/// The signed-in user, or `null` when nobody is (public).
///
/// `POST /api/auth/me`.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn me() -> Result<Option<Profile>, AppError> {
    Ok(server::me())
}

/// The demo company's admin login while the demo company exists (public).
///
/// `POST /api/auth/demo_login`.
#[server(prefix = "/api", endpoint = "auth/demo_login")]
pub async fn demo_login() -> Result<Option<DemoCredentials>, AppError> {
    crate::error::respond(server::demo_login().await)
}

/// The company's users (admins only).
///
/// `POST /api/agents/list`.
#[server(prefix = "/api", endpoint = "agents/list")]
pub async fn list_members() -> Result<Vec<Member>, AppError> {
    crate::error::respond(server::list_members().await)
}

/// Creates an invitation link for a new user with `role` (admins only).
///
/// `POST /api/agents/invite` with `role` (`agent` or `admin`).
#[server(prefix = "/api", endpoint = "agents/invite")]
pub async fn invite(role: Role) -> Result<InviteLink, AppError> {
    crate::error::respond(server::invite(role).await)
}

/// Deactivates (signing them out everywhere) or reactivates a user of the
/// company (admins only; not oneself).
///
/// `POST /api/agents/set_active` with `user_id`, `active`.
#[server(prefix = "/api", endpoint = "agents/set_active")]
pub async fn set_member_active(user_id: i64, active: bool) -> Result<(), AppError> {
    crate::error::respond(server::set_member_active(user_id, active).await)
}

/// The company's invitations that nobody accepted and that still work,
/// newest first (admins only).
///
/// `POST /api/agents/invites`.
#[server(prefix = "/api", endpoint = "agents/invites")]
pub async fn pending_invites() -> Result<Vec<PendingInvite>, AppError> {
    crate::error::respond(server::pending_invites().await)
}

/// Revokes an invitation nobody accepted: its link stops working at once
/// (admins only).
///
/// `POST /api/agents/revoke_invite` with `id` (from `agents/invites`).
#[server(prefix = "/api", endpoint = "agents/revoke_invite")]
pub async fn revoke_invite(id: String) -> Result<(), AppError> {
    crate::error::respond(server::revoke_invite(id).await)
}

/// Allows or forbids the company's agents one thing beyond their role:
/// `export` the client base, `import` contacts (admins only; both off for a
/// new company). Answers what agents may do now.
///
/// `POST /api/agents/grants` with `grant` (`export` or `import`) and
/// `allowed` (`true`/`false`).
#[server(prefix = "/api", endpoint = "agents/grants")]
pub async fn set_agent_grant(grant: Grant, allowed: bool) -> Result<AgentGrants, AppError> {
    crate::error::respond(server::set_agent_grant(grant, allowed).await)
}

/// Sets the company's time zone, in which CSV exports (and pages rendered
/// before a browser reports its own zone) write times (admins only).
/// Answers the zone as stored.
///
/// `POST /api/company/time_zone` with `time_zone` (an IANA name, such as
/// `America/Manaus`).
#[server(prefix = "/api", endpoint = "company/time_zone")]
pub async fn set_company_time_zone(time_zone: String) -> Result<String, AppError> {
    crate::error::respond(server::set_company_time_zone(time_zone).await)
}

/// What an invitation link offers (public: the link is the credential).
///
/// `POST /api/invites/show` with `token`.
#[server(prefix = "/api", endpoint = "invites/show")]
pub async fn show_invite(token: String) -> Result<InviteInfo, AppError> {
    crate::error::respond(server::show_invite(token).await)
}

/// Accepts an invitation: creates the account and signs it in (public: the
/// link is the credential; it works once).
///
/// `POST /api/invites/accept` with `token`, `name`, `email`, `password`.
#[server(prefix = "/api", endpoint = "invites/accept")]
pub async fn accept_invite(
    token: String,
    name: String,
    email: String,
    password: String,
) -> Result<Profile, AppError> {
    crate::error::respond(server::accept_invite(token, name, email, password).await)
}

#[cfg(feature = "ssr")]
mod server {
    use chrono::{Duration, SecondsFormat, Utc};

    use crate::auth::access::Grant;
    use crate::auth::model::{
        AgentGrants, DemoCredentials, InviteInfo, InviteLink, Member, PendingInvite, Profile, Role,
        SessionUser,
    };
    use crate::auth::password_checks::Admission;
    use crate::auth::repo::{self, NewUser, PaceTurn};
    use crate::auth::session::{
        append_response_header, clear_cookie, device_cookie, request_device, request_session,
        require_admin, require_user, start_session, DEVICE_MS,
    };
    use crate::auth::throttle;
    use crate::auth::validate::{normalize_email, validate_account, AccountForm, ValidAccount};
    use crate::auth::{secrets, DEMO_EMAIL, DEMO_PASSWORD};
    use crate::db::Db;
    use crate::error::{AppError, Limit};
    use crate::problem::Problem;
    use crate::state::{app_state, AppState};

    /// How long an invitation link works.
    const INVITE_DAYS: i64 = 7;

    /// Scope of [`repo::count_attempt`] for logins (key: e-mail and client).
    const LOGIN_SCOPE: &str = "login";
    /// Scope of [`repo::count_attempt`] for sign-ups (key: client).
    const SIGN_UP_SCOPE: &str = "sign_up";

    fn now_ms() -> i64 {
        Utc::now().timestamp_millis()
    }

    /// Hashes a new password on the bounded password-check threads.
    async fn hash(admission: &Admission, password: String) -> Result<String, AppError> {
        admission
            .run(move |hasher| hasher.hash(&password))
            .await?
            .map_err(|_| AppError::Internal)
    }

    async fn new_user(
        admission: &Admission,
        valid: ValidAccount,
        role: Role,
    ) -> Result<NewUser, AppError> {
        Ok(NewUser {
            name: valid.name,
            email: valid.email,
            password_hash: hash(admission, valid.password).await?,
            role,
        })
    }

    fn signed_in(user: Option<SessionUser>) -> Result<Profile, AppError> {
        user.map(|user| user.profile).ok_or(AppError::Internal)
    }

    /// Counts an attempt under (`scope`, `key`) in `window`: its window's
    /// start, or 429 `limit` with the wait when it is past the limit.
    async fn count_or_refuse(
        db: &Db,
        scope: &str,
        key: &str,
        window: throttle::Window,
        limit: Limit,
    ) -> Result<i64, AppError> {
        let now = now_ms();
        let (attempt, window_start) =
            repo::count_attempt(db, scope, key, now, window.length_ms).await?;
        match throttle::over_limit(attempt, window_start, now, window) {
            Some(retry_after_secs) => Err(AppError::TooManyRequests {
                limit,
                retry_after_secs,
            }),
            None => Ok(window_start),
        }
    }

    /// Takes back an attempt refused before its check; a failure to do so
    /// only leaves the attempt counted.
    async fn uncount(db: &Db, scope: &str, key: &str, window_start: i64) {
        if let Err(error) = repo::uncount_attempt(db, scope, key, window_start).await {
            tracing::warn!(%error, scope, "could not take back an unchecked attempt");
        }
    }

    pub async fn sign_up(
        company: String,
        name: String,
        email: String,
        password: String,
    ) -> Result<Profile, AppError> {
        let state = app_state()?;
        let db = state.db.clone();
        let valid = validate_account(AccountForm {
            company: Some(company),
            name,
            email,
            password,
        })
        .map_err(AppError::Validation)?;
        let client = throttle::client_key(request_session().client);
        let admission = state.limits.password_checks.admit(&client)?;
        let window = throttle::sign_up_window(state.limits.sign_ups_per_hour);
        let window_start =
            count_or_refuse(&db, SIGN_UP_SCOPE, &client, window, Limit::SignUp).await?;
        let company_name = valid.company.clone().unwrap_or_default();
        let admin = match new_user(&admission, valid, Role::Admin).await {
            Ok(admin) => admin,
            Err(error) => {
                uncount(&db, SIGN_UP_SCOPE, &client, window_start).await;
                return Err(error);
            }
        };
        drop(admission);
        let (_, user_id) =
            repo::create_company_with_admin(&db, &company_name, false, &admin).await?;
        start_session(&db, user_id).await?;
        signed_in(repo::find_session_user(&db, user_id).await?)
    }

    /// Waits for the e-mail's turn when its failures are paced (giving its
    /// admission back meanwhile; a browser that signed in to the account
    /// before is not paced), then checks the password on the bounded
    /// threads: the account (if any) and whether the password matched.
    async fn paced_check(
        state: &AppState,
        mut admission: Admission,
        client: &str,
        email: &str,
        password: String,
        known_device: bool,
    ) -> Result<(Option<repo::LoginRow>, bool), AppError> {
        let now = now_ms();
        let turn = if known_device {
            PaceTurn::Now
        } else {
            repo::take_pace_turn(
                &state.db,
                email,
                now,
                now - throttle::PACE_WINDOW_MS,
                throttle::PACE_MAX_WAIT_MS,
            )
            .await?
        };
        match turn {
            PaceTurn::Now => {}
            PaceTurn::At(at) => {
                drop(admission);
                let wait = u64::try_from(at - now).unwrap_or_default();
                tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
                admission = state.limits.password_checks.admit(client)?;
            }
            PaceTurn::Later(at) => {
                return Err(AppError::TooManyRequests {
                    limit: Limit::LoginPace,
                    retry_after_secs: throttle::seconds_until(at, now),
                })
            }
        }
        let account = repo::find_login(&state.db, email).await?;
        let stored = account.as_ref().map(|a| a.password_hash.clone());
        let matches = admission
            .run(move |hasher| {
                // An unknown e-mail costs a check too: no timing oracle for
                // which addresses exist.
                let stored = stored.unwrap_or_else(|| secrets::dummy_hash(hasher));
                hasher.verify(&password, &stored)
            })
            .await?;
        Ok((account, matches))
    }

    /// Logs a failed clean-up: the login's answer does not depend on it.
    fn logged(result: Result<(), sqlx::Error>, what: &str) {
        if let Err(error) = result {
            tracing::warn!(%error, what, "login bookkeeping failed");
        }
    }

    /// The digest of this request's device cookie when the browser signed
    /// in to `email`'s account within [`DEVICE_MS`] (a lookup that fails
    /// only means "not known").
    async fn known_device(db: &Db, email: &str) -> Option<String> {
        let digest = request_device()?;
        match repo::device_knows(db, &digest, email, now_ms() - DEVICE_MS).await {
            Ok(true) => Some(digest),
            Ok(false) => None,
            Err(error) => {
                tracing::warn!(%error, "device lookup failed");
                None
            }
        }
    }

    /// Remembers this browser as one that signed in to `email`'s account:
    /// refreshes its known cookie's row, or gives it a new cookie.
    async fn remember_browser(db: &Db, email: &str, known: Option<String>) {
        let (digest, new_token) = match known {
            Some(digest) => (digest, None),
            None => {
                let token = secrets::new_token();
                (secrets::token_digest(&token), Some(token))
            }
        };
        logged(
            repo::remember_device(db, &digest, email, now_ms()).await,
            "device",
        );
        if let Some(token) = new_token {
            append_response_header(device_cookie(&token, request_session().secure));
        }
    }

    pub async fn login(email: String, password: String) -> Result<Profile, AppError> {
        let state = app_state()?;
        let db = state.db.clone();
        let email = normalize_email(&email).map_err(|p| AppError::invalid("email", p))?;
        // Admitted before any database work: a flood is refused in memory.
        let client = throttle::client_key(request_session().client);
        let admission = state.limits.password_checks.admit(&client)?;
        let key = throttle::login_key(&email, &client);
        let window = throttle::LOGIN;
        let window_start = count_or_refuse(&db, LOGIN_SCOPE, &key, window, Limit::Login).await?;
        let known = known_device(&db, &email).await;
        let checked = paced_check(
            &state,
            admission,
            &client,
            &email,
            password,
            known.is_some(),
        )
        .await;
        let (account, matches) = match checked {
            Ok(checked) => checked,
            // Told to come back later: that counts as an attempt, so
            // polling for a turn uses up the client's five.
            Err(error @ AppError::TooManyRequests { .. }) => return Err(error),
            Err(error) => {
                uncount(&db, LOGIN_SCOPE, &key, window_start).await;
                return Err(error);
            }
        };
        match account {
            Some(account) if matches && account.active => {
                logged(
                    repo::forget_attempts(&db, LOGIN_SCOPE, &key).await,
                    "attempts",
                );
                // The session's cookie first: clients that read only the
                // first Set-Cookie still get it.
                start_session(&db, account.id).await?;
                remember_browser(&db, &email, known).await;
                signed_in(repo::find_session_user(&db, account.id).await?)
            }
            Some(account) if matches && !account.active => {
                Err(AppError::invalid("email", Problem::AccountDeactivated))
            }
            _ => {
                let now = now_ms();
                logged(
                    repo::record_pace_failure(
                        &db,
                        &email,
                        now,
                        throttle::PACE_WINDOW_MS,
                        throttle::pace_spacing_ms,
                    )
                    .await
                    .map(drop),
                    "pace",
                );
                Err(AppError::invalid("password", Problem::WrongCredentials))
            }
        }
    }

    pub async fn logout() -> Result<(), AppError> {
        let db = app_state()?.db;
        require_user()?;
        let session = request_session();
        if let Some(digest) = &session.token_digest {
            repo::delete_session(&db, digest).await?;
        }
        append_response_header(clear_cookie(session.secure));
        Ok(())
    }

    pub fn me() -> Option<Profile> {
        request_session().user.map(|user| user.profile)
    }

    pub async fn demo_login() -> Result<Option<DemoCredentials>, AppError> {
        let db = app_state()?.db;
        let exists = repo::find_login(&db, DEMO_EMAIL).await?.is_some()
            && crate::tenant::demo_company(&db).await?.is_some();
        Ok(exists.then(|| DemoCredentials {
            email: DEMO_EMAIL.to_string(),
            password: DEMO_PASSWORD.to_string(),
        }))
    }

    pub async fn list_members() -> Result<Vec<Member>, AppError> {
        let admin = require_admin()?;
        Ok(repo::list_members(&app_state()?.db, admin.company_id).await?)
    }

    pub async fn invite(role: Role) -> Result<InviteLink, AppError> {
        let admin = require_admin()?;
        let db = app_state()?.db;
        let token = secrets::new_token();
        let expires_at = Utc::now() + Duration::days(INVITE_DAYS);
        repo::create_invite(
            &db,
            admin.company_id,
            admin.user_id,
            role,
            &secrets::token_digest(&token),
            expires_at,
        )
        .await?;
        Ok(InviteLink {
            path: format!("/invite/{token}"),
            role,
            expires_at: expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        })
    }

    pub async fn set_member_active(user_id: i64, active: bool) -> Result<(), AppError> {
        let admin = require_admin()?;
        if user_id == admin.user_id && !active {
            return Err(AppError::invalid("user_id", Problem::CannotDeactivateSelf));
        }
        repo::set_active(&app_state()?.db, admin.company_id, user_id, active).await
    }

    pub async fn pending_invites() -> Result<Vec<PendingInvite>, AppError> {
        let admin = require_admin()?;
        Ok(repo::pending_invites(&app_state()?.db, admin.company_id, Utc::now()).await?)
    }

    pub async fn revoke_invite(id: String) -> Result<(), AppError> {
        let admin = require_admin()?;
        // An id is a SHA-256 in hex: anything else names no invitation.
        if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        if repo::revoke_invite(&app_state()?.db, admin.company_id, &id, Utc::now()).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn set_agent_grant(grant: Grant, allowed: bool) -> Result<AgentGrants, AppError> {
        let admin = require_admin()?;
        Ok(repo::set_agent_grant(&app_state()?.db, admin.company_id, grant, allowed).await?)
    }

    pub async fn set_company_time_zone(time_zone: String) -> Result<String, AppError> {
        let admin = require_admin()?;
        let time_zone = time_zone.trim();
        let zone = crate::time_zone::parse_zone(time_zone)
            .ok_or_else(|| AppError::invalid("time_zone", Problem::TimeZone))?;
        let name = zone.name().to_string();
        repo::set_company_time_zone(&app_state()?.db, admin.company_id, &name).await?;
        Ok(name)
    }

    fn invite_gone() -> AppError {
        AppError::invalid("token", Problem::InviteInvalid)
    }

    pub async fn show_invite(token: String) -> Result<InviteInfo, AppError> {
        let db = app_state()?.db;
        let (_, company_name, role) =
            repo::open_invite(&db, &secrets::token_digest(&token), Utc::now())
                .await?
                .ok_or_else(invite_gone)?;
        Ok(InviteInfo { company_name, role })
    }

    pub async fn accept_invite(
        token: String,
        name: String,
        email: String,
        password: String,
    ) -> Result<Profile, AppError> {
        let state = app_state()?;
        let db = state.db.clone();
        let digest = secrets::token_digest(&token);
        if repo::open_invite(&db, &digest, Utc::now()).await?.is_none() {
            return Err(invite_gone());
        }
        let valid = validate_account(AccountForm {
            company: None,
            name,
            email,
            password,
        })
        .map_err(AppError::Validation)?;
        // The role comes from the invitation, inside the transaction.
        let client = throttle::client_key(request_session().client);
        let admission = state.limits.password_checks.admit(&client)?;
        let user = new_user(&admission, valid, Role::Agent).await?;
        drop(admission);
        let user_id = match repo::accept_invite(&db, &digest, &user, Utc::now()).await {
            Err(AppError::NotFound) => return Err(invite_gone()),
            other => other?,
        };
        start_session(&db, user_id).await?;
        signed_in(repo::find_session_user(&db, user_id).await?)
    }
}
