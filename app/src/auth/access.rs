//! The role matrix: who may call each endpoint of the server.
//!
//! [`ENDPOINTS`] lists every server function and every plain route with the
//! access it needs. The server's guard applies it to every request before
//! the endpoint runs (and before its arguments are decoded); an `/api/`
//! path that is not listed is answered as missing, so a new endpoint is
//! unreachable until it is given a rule here. `docs/security.md` shows the
//! same table, and `server/tests/api/roles.rs` calls every registered
//! endpoint as an anonymous visitor, an agent, an admin and another
//! company's admin.
//!
//! The endpoints check the session themselves too (`auth::session`), since
//! server rendering calls server functions without passing the guard.

use serde::{Deserialize, Serialize};

use crate::auth::model::Profile;
use crate::error::AppError;

/// What a caller needs to reach an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login, sign-up, invitation pages).
    Public,
    /// A channel provider holding the company's inbound token (checked by
    /// the endpoint itself); no session.
    ChannelToken,
    /// Any signed-in user of the company: agents and admins.
    Member,
    /// The company's admins only.
    Admin,
    /// Admins, and agents when an admin of the company allowed it.
    Granted(Grant),
}

/// What an admin may allow the company's agents to do (both off by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grant {
    /// Download the whole client base as CSV (`/contacts/export.csv`).
    Export,
    /// Import contacts from CSV (which also creates the organizations and
    /// groups the file names).
    Import,
}

/// One endpoint: its method, its path (`{name}` matches one path segment)
/// and the access it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

const fn post(path: &'static str, access: Access) -> Endpoint {
    Endpoint {
        method: "POST",
        path,
        access,
    }
}

const fn get(path: &'static str, access: Access) -> Endpoint {
    Endpoint {
        method: "GET",
        path,
        access,
    }
}

use Access::{Admin, ChannelToken, Granted, Member, Public};

/// The role matrix. Server functions are all `POST /api/…`.
pub const ENDPOINTS: &[Endpoint] = &[
    // Accounts.
    post("/api/auth/sign_up", Public),
    post("/api/auth/login", Public),
    post("/api/auth/me", Public),
    post("/api/auth/demo_login", Public),
    post("/api/auth/logout", Member),
    post("/api/invites/show", Public),
    post("/api/invites/accept", Public),
    post("/api/agents/list", Admin),
    post("/api/agents/invite", Admin),
    post("/api/agents/set_active", Admin),
    post("/api/agents/invites", Admin),
    post("/api/agents/revoke_invite", Admin),
    post("/api/agents/grants", Admin),
    post("/api/company/time_zone", Admin),
    // Contacts.
    post("/api/contacts/list", Member),
    post("/api/contacts/get", Member),
    post("/api/contacts/create", Member),
    post("/api/contacts/update", Member),
    post("/api/contacts/delete", Member),
    post("/api/contacts/duplicates", Member),
    post("/api/contacts/directory", Member),
    post("/api/contacts/photo", Member),
    post("/api/contacts/remove_photo", Member),
    post("/api/contacts/link", Member),
    post("/api/contacts/unlink", Member),
    post("/api/contacts/merge_plan", Member),
    post("/api/contacts/merge", Member),
    get("/contacts/{id}/photo", Member),
    // Organizations and groups.
    post("/api/directory/overview", Admin),
    post("/api/directory/create", Admin),
    post("/api/directory/rename", Admin),
    post("/api/directory/delete", Admin),
    // Custom fields.
    post("/api/custom_fields/list", Member),
    post("/api/custom_fields/overview", Admin),
    post("/api/custom_fields/create", Admin),
    post("/api/custom_fields/update", Admin),
    post("/api/custom_fields/move", Admin),
    post("/api/custom_fields/delete", Admin),
    post("/api/custom_fields/add_option", Admin),
    post("/api/custom_fields/rename_option", Admin),
    post("/api/custom_fields/retire_option", Admin),
    // Timeline.
    post("/api/timeline/list", Member),
    post("/api/timeline/comment", Member),
    post("/api/timeline/edit_comment", Member),
    post("/api/timeline/delete_comment", Member),
    // Conversations and channels.
    post("/api/conversations/list", Member),
    post("/api/conversations/of_contact", Member),
    post("/api/conversations/get", Member),
    post("/api/conversations/updates", Member),
    post("/api/conversations/start", Member),
    post("/api/conversations/send", Member),
    post("/api/conversations/close", Member),
    post("/api/conversations/reopen", Member),
    post("/api/conversations/agents", Member),
    post("/api/inbound/show", Admin),
    post("/api/inbound/rotate", Admin),
    post("/api/inbound", ChannelToken),
    // Import and export of the whole base.
    get("/contacts/export.csv", Granted(Grant::Export)),
    post("/contacts/import", Granted(Grant::Import)),
    get("/contacts/import/{id}/errors.csv", Granted(Grant::Import)),
    post("/api/import/jobs", Granted(Grant::Import)),
    post("/api/import/preview", Granted(Grant::Import)),
    post("/api/import/start", Granted(Grant::Import)),
    post("/api/import/status", Granted(Grant::Import)),
    post("/api/import/cancel", Granted(Grant::Import)),
    // The load balancer's probe.
    get("/healthz", Public),
];

/// Whether `pattern` (with `{name}` segments) matches `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') => {
                if g.is_empty() {
                    return false;
                }
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

/// The rule for a request, if the matrix has one (`HEAD` reads as `GET`).
pub fn endpoint(method: &str, path: &str) -> Option<&'static Endpoint> {
    let method = if method == "HEAD" { "GET" } else { method };
    ENDPOINTS
        .iter()
        .find(|e| e.method == method && matches(e.path, path))
}

/// Whether the matrix has a rule for `path` with any method (a request
/// with another method is then answered 405).
pub fn is_known_path(path: &str) -> bool {
    ENDPOINTS.iter().any(|e| matches(e.path, path))
}

/// Whether `user` may use what `grant` allows: admins always, agents when
/// their company allowed it.
pub fn may(user: &Profile, grant: Grant) -> bool {
    user.is_admin()
        || match grant {
            Grant::Export => user.agent_grants.export,
            Grant::Import => user.agent_grants.import,
        }
}

/// Decides a call: `Unauthorized` without a session where one is needed,
/// `Forbidden` for a role the rule does not admit.
pub fn decide(access: Access, user: Option<&Profile>) -> Result<(), AppError> {
    match (access, user) {
        (Access::Public | Access::ChannelToken, _) => Ok(()),
        (_, None) => Err(AppError::Unauthorized),
        (Access::Member, Some(_)) => Ok(()),
        (Access::Admin, Some(user)) if user.is_admin() => Ok(()),
        (Access::Granted(grant), Some(user)) if may(user, grant) => Ok(()),
        (Access::Admin | Access::Granted(_), Some(_)) => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::{AgentGrants, Role};

    fn user(role: Role, grants: AgentGrants) -> Profile {
        Profile {
            user_id: 1,
            company_id: 1,
            company_name: "Empresa".into(),
            name: "Ana".into(),
            email: "ana@empresa.example".into(),
            role,
            agent_grants: grants,
            time_zone: "America/Sao_Paulo".into(),
        }
    }

    #[test]
    fn path_parameters_match_one_non_empty_segment() {
        assert!(matches("/contacts/{id}/photo", "/contacts/12/photo"));
        assert!(!matches("/contacts/{id}/photo", "/contacts//photo"));
        assert!(!matches("/contacts/{id}/photo", "/contacts/12/photo/x"));
        assert!(!matches("/contacts/{id}/photo", "/contacts/12"));
        assert!(matches("/api/contacts/list", "/api/contacts/list"));
        assert!(!matches("/api/contacts/list", "/api/contacts/list/"));
    }

    #[test]
    fn rules_are_found_by_method_and_path() {
        assert_eq!(
            endpoint("GET", "/contacts/export.csv").map(|e| e.access),
            Some(Granted(Grant::Export))
        );
        assert_eq!(
            endpoint("HEAD", "/contacts/7/photo").map(|e| e.access),
            Some(Member)
        );
        // The import page is a page (GET); the upload is the POST.
        assert_eq!(endpoint("GET", "/contacts/import"), None);
        assert_eq!(
            endpoint("POST", "/contacts/import").map(|e| e.access),
            Some(Granted(Grant::Import))
        );
        assert_eq!(endpoint("POST", "/api/contacts/nope"), None);
        assert!(!is_known_path("/api/contacts/nope"));
        assert!(is_known_path("/contacts/import"));
        assert!(is_known_path("/api/contacts/list"));
        assert!(!is_known_path("/contacts"));
    }

    /// How `docs/security.md` names a rule.
    fn label(access: Access) -> &'static str {
        match access {
            Public => "anyone",
            ChannelToken => "the company's inbound token",
            Member => "agent, admin",
            Admin => "admin",
            Granted(Grant::Export) => "admin; agent if allowed to export",
            Granted(Grant::Import) => "admin; agent if allowed to import",
        }
    }

    #[test]
    fn docs_security_md_lists_every_rule() {
        let doc = include_str!("../../../docs/security.md");
        for e in ENDPOINTS {
            let row = format!("| `{} {}` | {} |", e.method, e.path, label(e.access));
            assert!(doc.contains(&row), "docs/security.md lacks the row {row}");
        }
        let rows = doc
            .lines()
            .filter(|line| line.starts_with("| `GET /") || line.starts_with("| `POST /"))
            .count();
        assert_eq!(
            rows,
            ENDPOINTS.len(),
            "docs/security.md lists rules that are not in ENDPOINTS"
        );
    }

    #[test]
    fn every_endpoint_is_listed_once() {
        for (i, a) in ENDPOINTS.iter().enumerate() {
            for b in &ENDPOINTS[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} {} is listed twice",
                    a.method,
                    a.path
                );
            }
        }
    }

    #[test]
    fn each_role_gets_what_the_rule_admits() {
        let none = AgentGrants::default();
        let admin = user(Role::Admin, none);
        let agent = user(Role::Agent, none);
        let trusted = user(
            Role::Agent,
            AgentGrants {
                export: true,
                import: false,
            },
        );
        assert_eq!(decide(Public, None), Ok(()));
        assert_eq!(decide(ChannelToken, None), Ok(()));
        assert_eq!(decide(Member, None), Err(AppError::Unauthorized));
        assert_eq!(decide(Member, Some(&agent)), Ok(()));
        assert_eq!(decide(Admin, Some(&agent)), Err(AppError::Forbidden));
        assert_eq!(decide(Admin, Some(&admin)), Ok(()));
        let export = Granted(Grant::Export);
        let import = Granted(Grant::Import);
        assert_eq!(decide(export, None), Err(AppError::Unauthorized));
        assert_eq!(decide(export, Some(&agent)), Err(AppError::Forbidden));
        assert_eq!(decide(export, Some(&admin)), Ok(()));
        assert_eq!(decide(export, Some(&trusted)), Ok(()));
        assert_eq!(decide(import, Some(&trusted)), Err(AppError::Forbidden));
    }
}
