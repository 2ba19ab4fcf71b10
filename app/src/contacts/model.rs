//! What the contacts API sends to the browser.

use serde::{Deserialize, Serialize};

use crate::conversations::Channel;

/// One row of the contact list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSummary {
    /// The contact ID shown to agents.
    pub id: i64,
    pub name: String,
    /// The main phone, formatted for display ("(11) 98765-4321").
    pub phone: Option<String>,
    /// The main phone in E.164 ("+5511987654321").
    pub phone_e164: Option<String>,
    /// The main e-mail.
    pub email: Option<String>,
    /// Channels a conversation can be started on, in menu order.
    pub channels: Vec<Channel>,
}

/// A page of the contact list, in name order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPage {
    pub contacts: Vec<ContactSummary>,
    /// Opaque cursor for the next page; `None` on the last page.
    pub next: Option<String>,
}
