//! Who is signed in, and what they may do.

use serde::{Deserialize, Serialize};

use crate::tenant::CompanyId;

/// What a user may do in their company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages agents, custom fields, organizations and groups, import and
    /// export; and does everything an agent does.
    Admin,
    /// Works with contacts and conversations.
    Agent,
}

impl Role {
    /// The role's name as stored and as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    /// Parses a stored or submitted role name.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "agent" => Some(Role::Agent),
            _ => None,
        }
    }
}

/// The signed-in user as the browser and API clients see it: the answer of
/// `/api/auth/me`, login and sign-up, and what the pages check roles with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user_id: i64,
    /// The company's number, for API clients to tell companies apart. The
    /// server never reads it back: it scopes every query by
    /// [`SessionUser::company_id`], resolved from the session.
    pub company_id: i64,
    pub company_name: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// What the company's admins allowed its agents (the same for every
    /// user of the company; admins may do all of it anyway).
    pub agent_grants: AgentGrants,
    /// The company's IANA time zone (`America/Sao_Paulo` unless an admin
    /// changed it): what CSV exports are written in.
    pub time_zone: String,
}

impl Profile {
    /// Whether the user may open admin pages and call admin functions.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether the user may use what `grant` allows (admins always).
    pub fn may(&self, grant: crate::auth::access::Grant) -> bool {
        crate::auth::access::may(self, grant)
    }
}

/// The signed-in user as the server resolves it from the session cookie:
/// their [`Profile`] and their company as the [`CompanyId`] every
/// repository function takes. Never sent or received: the browser gets the
/// profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub company_id: CompanyId,
    pub profile: Profile,
}

impl std::ops::Deref for SessionUser {
    type Target = Profile;

    fn deref(&self) -> &Profile {
        &self.profile
    }
}

/// What a company's admins allow its agents beyond their role; both off
/// until an admin turns them on (Configurações > Agentes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentGrants {
    /// Agents may export the whole client base as CSV.
    pub export: bool,
    /// Agents may import contacts from CSV.
    pub import: bool,
}

/// A member of the company, as the agents page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}

/// An invitation an admin created, with the link to hand to the new agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteLink {
    /// The path of the acceptance page, `/invite/<token>`; the page adds
    /// the origin the admin is using.
    pub path: String,
    pub role: Role,
    /// RFC 3339 instant after which the link no longer works.
    pub expires_at: String,
}

/// An invitation nobody accepted yet that still works, as the agents page
/// lists it for admins to revoke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvite {
    /// The invitation's handle: the SHA-256 of its token (the token itself
    /// is never stored, and the handle cannot be used to accept).
    pub id: String,
    pub role: Role,
    /// The name of the user who created it.
    pub invited_by: String,
    /// RFC 3339 instants.
    pub created_at: String,
    pub expires_at: String,
}

/// What the invitation page shows before the new agent accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub company_name: String,
    pub role: Role,
}

/// The demo company's admin login, shown on the login page while the demo
/// company exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCredentials {
    pub email: String,
    pub password: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in [Role::Admin, Role::Agent] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
    }
}
