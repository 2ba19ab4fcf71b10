//! What changed between two versions of a contact: each side is reduced to
//! a [`Snapshot`] of display values (the way the contact page shows them),
//! and [`diff`] lists the fields whose value differs.

use crate::contacts::model::ContactDetails;
use crate::custom_fields::values::display_value;
use crate::timeline::model::FieldChange;

/// A contact's fields as shown: (field, custom field label, value); an
/// empty value is no value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot(pub Vec<(String, Option<String>, String)>);

impl Snapshot {
    fn push(&mut self, field: &str, value: impl Into<String>) {
        self.0.push((field.to_string(), None, value.into()));
    }

    fn push_custom(&mut self, key: &str, label: &str, value: String) {
        self.0
            .push((format!("custom:{key}"), Some(label.to_string()), value));
    }

    fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _, _)| f == field)
            .map(|(_, _, v)| v.as_str())
    }
}

/// The fields whose value differs, in the new snapshot's order, then the
/// fields only the old one has.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Vec<FieldChange> {
    let mut changes: Vec<FieldChange> = new
        .0
        .iter()
        .filter_map(|(field, label, value)| {
            let before = old.get(field).unwrap_or("");
            (before != value).then(|| FieldChange {
                field: field.clone(),
                label: label.clone(),
                old: before.to_string(),
                new: value.clone(),
            })
        })
        .collect();
    for (field, label, value) in &old.0 {
        if new.get(field).is_none() && !value.is_empty() {
            changes.push(FieldChange {
                field: field.clone(),
                label: label.clone(),
                old: value.clone(),
                new: String::new(),
            });
        }
    }
    changes
}

/// "2026-11-25" → "25/11/2026".
fn brazilian_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// The stored gender's label in the API's language.
fn gender_label(gender: Option<&str>) -> &'static str {
    match gender {
        Some("female") => "Feminino",
        Some("male") => "Masculino",
        Some("other") => "Outro",
        _ => "",
    }
}

/// Fields every contact has, in form order.
#[allow(clippy::too_many_arguments)]
fn standard(
    snapshot: &mut Snapshot,
    name: &str,
    phones: Vec<String>,
    emails: &[String],
    address: Option<&str>,
    birth_date: Option<String>,
    document: Option<String>,
    gender: Option<&str>,
    organization: Option<&str>,
    mut groups: Vec<String>,
) {
    groups.sort();
    snapshot.push("name", name);
    snapshot.push("phones", phones.join(", "));
    snapshot.push("emails", emails.join(", "));
    snapshot.push("address", address.unwrap_or(""));
    snapshot.push("birth_date", birth_date.unwrap_or_default());
    snapshot.push("document", document.unwrap_or_default());
    snapshot.push("gender", gender_label(gender));
    snapshot.push("organization", organization.unwrap_or(""));
    snapshot.push("groups", groups.join(", "));
}

/// A contact as the contact page shows it.
pub fn snapshot_of_details(contact: &ContactDetails) -> Snapshot {
    let mut snapshot = Snapshot::default();
    standard(
        &mut snapshot,
        &contact.name,
        contact.phones.iter().map(|p| p.display.clone()).collect(),
        &contact.emails,
        contact.address.as_deref(),
        contact.birth_date.as_deref().map(brazilian_date),
        contact.document.clone(),
        contact.gender.map(|g| g.as_str()),
        contact.organization.as_ref().map(|o| o.name.as_str()),
        contact.groups.iter().map(|g| g.name.clone()).collect(),
    );
    handles(
        &mut snapshot,
        [
            &contact.facebook,
            &contact.instagram,
            &contact.telegram,
            &contact.website,
            &contact.notes,
        ],
    );
    for value in &contact.custom {
        let shown = display_value(
            value.field_type,
            value.value.as_deref(),
            &value.options,
            "Sim",
            "Não",
        );
        snapshot.push_custom(&value.key, &value.label, shown);
    }
    snapshot
}

fn handles(snapshot: &mut Snapshot, values: [&Option<String>; 5]) {
    for (field, value) in ["facebook", "instagram", "telegram", "website", "notes"]
        .into_iter()
        .zip(values)
    {
        snapshot.push(field, value.as_deref().unwrap_or(""));
    }
}

/// A validated contact about to be stored, shown the same way
/// (`organizations` and `groups`: the company's names by id;
/// `definitions`: its custom fields).
#[cfg(feature = "ssr")]
pub fn snapshot_of_stored(
    contact: &crate::contacts::writer::StoredContact,
    organizations: &std::collections::HashMap<i64, String>,
    groups: &std::collections::HashMap<i64, String>,
    definitions: &[crate::custom_fields::model::FieldDefinition],
) -> Snapshot {
    use crate::custom_fields::values::FieldValue;
    let mut snapshot = Snapshot::default();
    standard(
        &mut snapshot,
        &contact.name,
        contact
            .phones
            .iter()
            .map(|p| crate::contacts::phone::format_phone(p))
            .collect(),
        &contact.emails,
        contact.address.as_deref(),
        contact.birth_date.map(|d| d.format("%d/%m/%Y").to_string()),
        contact
            .document
            .as_deref()
            .map(crate::contacts::document::format_document),
        contact.gender.as_deref(),
        contact
            .organization_id
            .and_then(|id| organizations.get(&id))
            .map(String::as_str),
        contact
            .group_ids
            .iter()
            .filter_map(|id| groups.get(id).cloned())
            .collect(),
    );
    handles(
        &mut snapshot,
        [
            &contact.facebook,
            &contact.instagram,
            &contact.telegram,
            &contact.website,
            &contact.notes,
        ],
    );
    for definition in definitions {
        let Some((_, value)) = contact.custom.iter().find(|(id, _)| *id == definition.id) else {
            continue;
        };
        let (text, options) = match value {
            FieldValue::Text { text, .. } | FieldValue::Number { text, .. } => {
                (Some(text.as_str()), Vec::new())
            }
            FieldValue::Options(ids) => (
                None,
                definition
                    .options
                    .iter()
                    .filter(|o| ids.contains(&o.id))
                    .cloned()
                    .collect(),
            ),
        };
        let shown = display_value(definition.field_type, text, &options, "Sim", "Não");
        snapshot.push_custom(&definition.key, &definition.label, shown);
    }
    snapshot
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(pairs: &[(&str, &str)]) -> Snapshot {
        let mut s = Snapshot::default();
        for (field, value) in pairs {
            s.push(field, *value);
        }
        s
    }

    #[test]
    fn only_changed_fields_are_listed_with_old_and_new() {
        let old = snapshot(&[
            ("name", "Maria"),
            ("phones", "(11) 98765-4321"),
            ("notes", ""),
        ]);
        let new = snapshot(&[
            ("name", "Maria Silva"),
            ("phones", "(11) 98765-4321"),
            ("notes", "VIP"),
        ]);
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(
            (
                changes[0].field.as_str(),
                changes[0].old.as_str(),
                changes[0].new.as_str()
            ),
            ("name", "Maria", "Maria Silva")
        );
        assert_eq!(
            (
                changes[1].field.as_str(),
                changes[1].old.as_str(),
                changes[1].new.as_str()
            ),
            ("notes", "", "VIP")
        );
    }

    #[test]
    fn a_custom_value_removed_shows_as_emptied() {
        let mut old = snapshot(&[("name", "Ana")]);
        old.push_custom("plano", "Plano", "Ouro".into());
        let new = snapshot(&[("name", "Ana")]);
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "custom:plano");
        assert_eq!(changes[0].label.as_deref(), Some("Plano"));
        assert_eq!(
            (changes[0].old.as_str(), changes[0].new.as_str()),
            ("Ouro", "")
        );
    }

    #[test]
    fn identical_snapshots_have_no_changes() {
        let s = snapshot(&[("name", "Ana"), ("groups", "A, B")]);
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn dates_and_genders_are_shown_the_brazilian_way() {
        assert_eq!(brazilian_date("2026-11-25"), "25/11/2026");
        assert_eq!(gender_label(Some("female")), "Feminino");
        assert_eq!(gender_label(None), "");
    }
}
