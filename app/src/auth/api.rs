//! The accounts RPC API: sign-up, login, logout, the current user, agents
//! and invitations. Stable endpoints under `/api/` (see `docs/api.md`).

use leptos::prelude::*;

use crate::auth::model::{DemoCredentials, InviteInfo, InviteLink, Member, Role, SessionUser};
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
) -> Result<SessionUser, AppError> {
    crate::error::respond(server::sign_up(company, name, email, password).await)
}

/// Signs in with e-mail and password. Five failures for an address within 15
/// minutes lock it for the rest of the window (429 with the minutes to wait).
///
/// `POST /api/auth/login` with `email`, `password`.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<SessionUser, AppError> {
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
pub async fn me() -> Result<Option<SessionUser>, AppError> {
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
) -> Result<SessionUser, AppError> {
    crate::error::respond(server::accept_invite(token, name, email, password).await)
}

/// The endpoints that answer without a session. Every other server function
/// refuses anonymous calls; `server/tests/api/tenancy.rs` enforces both.
pub const PUBLIC_ENDPOINTS: &[&str] = &[
    "/api/auth/sign_up",
    "/api/auth/login",
    "/api/auth/me",
    "/api/auth/demo_login",
    "/api/invites/show",
    "/api/invites/accept",
];

#[cfg(feature = "ssr")]
mod server {
    use chrono::{Duration, SecondsFormat, Utc};

    use crate::auth::model::{DemoCredentials, InviteInfo, InviteLink, Member, Role, SessionUser};
    use crate::auth::repo::{self, NewUser};
    use crate::auth::session::{
        append_response_header, clear_cookie, request_session, require_admin, require_user,
        start_session,
    };
    use crate::auth::throttle;
    use crate::auth::validate::{normalize_email, validate_account, AccountForm, ValidAccount};
    use crate::auth::{secrets, DEMO_EMAIL, DEMO_PASSWORD};
    use crate::error::AppError;
    use crate::state::app_state;

    /// How long an invitation link works.
    const INVITE_DAYS: i64 = 7;

    async fn hash(password: String) -> Result<String, AppError> {
        secrets::blocking(move || secrets::hash_password(&password))
            .await
            .and_then(Result::ok)
            .ok_or(AppError::Internal)
    }

    async fn new_user(valid: ValidAccount, role: Role) -> Result<NewUser, AppError> {
        Ok(NewUser {
            name: valid.name,
            email: valid.email,
            password_hash: hash(valid.password).await?,
            role,
        })
    }

    fn signed_in(user: Option<SessionUser>) -> Result<SessionUser, AppError> {
        user.ok_or(AppError::Internal)
    }

    pub async fn sign_up(
        company: String,
        name: String,
        email: String,
        password: String,
    ) -> Result<SessionUser, AppError> {
        let db = app_state()?.db;
        let valid = validate_account(AccountForm {
            company: Some(company),
            name,
            email,
            password,
        })
        .map_err(AppError::Validation)?;
        let company_name = valid.company.clone().unwrap_or_default();
        let admin = new_user(valid, Role::Admin).await?;
        let (_, user_id) =
            repo::create_company_with_admin(&db, &company_name, false, &admin).await?;
        start_session(&db, user_id).await?;
        signed_in(repo::find_session_user(&db, user_id).await?)
    }

    pub async fn login(email: String, password: String) -> Result<SessionUser, AppError> {
        let db = app_state()?.db;
        let email = normalize_email(&email).map_err(|m| AppError::field("email", m))?;
        let now = Utc::now();
        let failures = repo::failures_since(&db, &email, now - throttle::WINDOW).await?;
        if let Some(wait) = throttle::retry_after(&failures, now) {
            return Err(AppError::TooManyRequests(format!(
                "Muitas tentativas de login com este e-mail. Tente novamente em {} min.",
                throttle::minutes_to_wait(wait)
            )));
        }
        let account = repo::find_login(&db, &email).await?;
        let stored = account
            .as_ref()
            .map(|a| a.password_hash.clone())
            .unwrap_or_else(|| secrets::dummy_hash().to_string());
        let matches = secrets::blocking(move || secrets::verify_password(&password, &stored))
            .await
            .unwrap_or(false);
        match account {
            Some(account) if matches && account.active => {
                repo::clear_failures(&db, &email).await?;
                start_session(&db, account.id).await?;
                signed_in(repo::find_session_user(&db, account.id).await?)
            }
            Some(account) if matches && !account.active => Err(AppError::field(
                "email",
                "Esta conta foi desativada por um administrador.",
            )),
            _ => {
                repo::record_failure(&db, &email, now, now - throttle::WINDOW).await?;
                Err(AppError::field("password", "E-mail ou senha incorretos."))
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

    pub fn me() -> Option<SessionUser> {
        request_session().user
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
            return Err(AppError::field(
                "user_id",
                "Você não pode desativar a sua própria conta.",
            ));
        }
        repo::set_active(&app_state()?.db, admin.company_id, user_id, active).await
    }

    fn invite_gone() -> AppError {
        AppError::field(
            "token",
            "Este convite não é válido: ele expirou ou já foi usado. Peça um novo ao administrador.",
        )
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
    ) -> Result<SessionUser, AppError> {
        let db = app_state()?.db;
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
        let user = new_user(valid, Role::Agent).await?;
        let user_id = match repo::accept_invite(&db, &digest, &user, Utc::now()).await {
            Err(AppError::NotFound) => return Err(invite_gone()),
            other => other?,
        };
        start_session(&db, user_id).await?;
        signed_in(repo::find_session_user(&db, user_id).await?)
    }
}
