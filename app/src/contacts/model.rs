//! What the contacts API sends to the browser.

use serde::{Deserialize, Serialize};

use crate::conversations::Channel;
use crate::ids::ContactId;

/// One row of the contact list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSummary {
    /// The contact ID shown to agents.
    pub id: ContactId,
    pub name: String,
    /// The main phone, formatted for display ("(11) 98765-4321").
    pub phone: Option<String>,
    /// The main phone in E.164 ("+5511987654321").
    pub phone_e164: Option<String>,
    /// The main e-mail.
    pub email: Option<String>,
    /// Channels a conversation can be started on, in menu order.
    pub channels: Vec<Channel>,
    /// The main contact it is linked to.
    pub main_contact: Option<ContactRef>,
}

/// A page of the contact list, in name order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactListPage {
    pub contacts: Vec<ContactSummary>,
    /// Opaque cursor for the next page; `None` on the last page.
    pub next: Option<String>,
}

/// A reference to a named record: an organization, a group, an agent
/// (`i64` ids) or a contact ([`ContactRef`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRef<Id = i64> {
    pub id: Id,
    pub name: String,
}

/// A contact by id and name (a main contact, a linked one).
pub type ContactRef = NamedRef<ContactId>;

/// A phone as stored and as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneView {
    /// "+5511987654321".
    pub e164: String,
    /// "(11) 98765-4321".
    pub display: String,
}

/// Everything about one contact: the side panel, the contact page and the
/// edit form show this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetails {
    pub id: ContactId,
    pub name: String,
    /// The first is the main phone.
    pub phones: Vec<PhoneView>,
    /// The first is the main e-mail.
    pub emails: Vec<String>,
    pub address: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Formatted CPF or CNPJ.
    pub document: Option<String>,
    pub gender: Option<crate::contacts::form::Gender>,
    pub organization: Option<NamedRef>,
    pub groups: Vec<NamedRef>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub telegram: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    /// Its custom field values, in form order (empty ones left out).
    pub custom: Vec<crate::custom_fields::model::CustomValue>,
    /// Where its photo is served (`None`: show the initials).
    pub photo_url: Option<String>,
    /// Channels a conversation can be started on, in menu order.
    pub channels: Vec<Channel>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Adds one with every change of what the form shows: a save or merge
    /// sends the version it was read at, and a stale one is refused (409).
    pub version: i64,
    /// Who made the current version, when a user's save did.
    pub updated_by: Option<String>,
    /// The import that created it, if one did (the timeline says so).
    pub imported_from: Option<ImportOrigin>,
    /// The main contact it is linked to.
    #[serde(default)]
    pub main_contact: Option<ContactRef>,
    /// The contacts linked to it (it is their main contact), by name.
    #[serde(default)]
    pub linked: Vec<ContactRef>,
}

/// Which file created a contact, and who imported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOrigin {
    pub file_name: String,
    /// The name of who uploaded the file.
    pub by: String,
}

impl ContactDetails {
    /// The details as the edit form starts from them.
    pub fn to_form(&self) -> crate::contacts::form::ContactForm {
        crate::contacts::form::ContactForm {
            name: self.name.clone(),
            phones: self.phones.iter().map(|p| p.display.clone()).collect(),
            emails: self.emails.clone(),
            address: self.address.clone().unwrap_or_default(),
            birth_date: self.birth_date.clone().unwrap_or_default(),
            document: self.document.clone().unwrap_or_default(),
            gender: self
                .gender
                .map(|g| g.as_str().to_string())
                .unwrap_or_default(),
            organization_id: self.organization.as_ref().map(|o| o.id),
            group_ids: self.groups.iter().map(|g| g.id).collect(),
            facebook: self.facebook.clone().unwrap_or_default(),
            instagram: self.instagram.clone().unwrap_or_default(),
            telegram: self.telegram.clone().unwrap_or_default(),
            website: self.website.clone().unwrap_or_default(),
            notes: self.notes.clone().unwrap_or_default(),
            custom: self
                .custom
                .iter()
                .map(|value| {
                    let text = match &value.value {
                        Some(v) => crate::custom_fields::values::input_value(value.field_type, v),
                        None => value.form_value(),
                    };
                    (value.key.clone(), text)
                })
                .collect(),
        }
    }
}

/// An existing contact that shares a phone or e-mail with the one being
/// saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    pub id: ContactId,
    pub name: String,
    /// The shared phone (formatted) or e-mail.
    pub matched: String,
}

/// The organizations and groups a company has, for the form's pickers and
/// the list's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub organizations: Vec<NamedRef>,
    pub groups: Vec<NamedRef>,
}
