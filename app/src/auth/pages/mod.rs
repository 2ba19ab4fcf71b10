//! The accounts pages: login, sign-up, invitation acceptance, and the
//! admins' agents and company pages.

mod accept_invite_page;
mod agents_page;
mod company_page;
mod form;
mod login_page;
mod sign_up_page;

pub use accept_invite_page::AcceptInvitePage;
pub use agents_page::AgentsPage;
pub use company_page::CompanyPage;
pub use form::go_to;
pub use login_page::LoginPage;
pub use sign_up_page::SignUpPage;
