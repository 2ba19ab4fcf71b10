//! Merging two contacts into one (pure): which fields conflict, and the
//! survivor's form once the agent chose per conflicting field.
//!
//! Nothing is lost: lists (phones, e-mails, groups) are combined; a field
//! only one side has is kept; where both have different values the agent
//! chooses (the survivor's by default).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::contacts::form::ContactForm;
use crate::contacts::model::ContactDetails;
use crate::timeline::changes::snapshot_of_details;

/// Fields whose values are combined, never chosen.
const COMBINED: [&str; 3] = ["phones", "emails", "groups"];

/// A field both contacts fill differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// `name`, `address`, … or `custom:<key>`.
    pub field: String,
    /// The custom field's label (standard fields are labelled by the UI).
    pub label: Option<String>,
    pub survivor: String,
    pub other: String,
}

/// The fields where the agent must choose, in form order.
pub fn conflicts(survivor: &ContactDetails, other: &ContactDetails) -> Vec<Conflict> {
    let mine = snapshot_of_details(survivor);
    let theirs = snapshot_of_details(other);
    mine.0
        .iter()
        .filter(|(field, _, _)| !COMBINED.contains(&field.as_str()))
        .filter_map(|(field, label, value)| {
            let (_, _, other_value) = theirs.0.iter().find(|(f, _, _)| f == field)?;
            (!value.is_empty() && !other_value.is_empty() && value != other_value).then(|| {
                Conflict {
                    field: field.clone(),
                    label: label.clone(),
                    survivor: value.clone(),
                    other: other_value.clone(),
                }
            })
        })
        .collect()
}

fn pick(mine: &mut String, theirs: &str, take_theirs: bool) {
    if (take_theirs || mine.trim().is_empty()) && !theirs.trim().is_empty() {
        *mine = theirs.to_string();
    }
}

fn union<T: PartialEq + Clone>(mine: &mut Vec<T>, theirs: &[T]) {
    for item in theirs {
        if !mine.contains(item) {
            mine.push(item.clone());
        }
    }
}

/// The survivor's form after the merge: `take_other` lists the conflicting
/// fields (as [`Conflict::field`]) where the other contact's value wins.
pub fn merged_form(
    survivor: &ContactDetails,
    other: &ContactDetails,
    take_other: &BTreeSet<String>,
) -> ContactForm {
    let mut form = survivor.to_form();
    let theirs = other.to_form();
    let takes = |field: &str| take_other.contains(field);
    pick(&mut form.name, &theirs.name, takes("name"));
    pick(&mut form.address, &theirs.address, takes("address"));
    pick(
        &mut form.birth_date,
        &theirs.birth_date,
        takes("birth_date"),
    );
    pick(&mut form.document, &theirs.document, takes("document"));
    pick(&mut form.gender, &theirs.gender, takes("gender"));
    pick(&mut form.facebook, &theirs.facebook, takes("facebook"));
    pick(&mut form.instagram, &theirs.instagram, takes("instagram"));
    pick(&mut form.telegram, &theirs.telegram, takes("telegram"));
    pick(&mut form.website, &theirs.website, takes("website"));
    pick(&mut form.notes, &theirs.notes, takes("notes"));
    if theirs.organization_id.is_some() && (takes("organization") || form.organization_id.is_none())
    {
        form.organization_id = theirs.organization_id;
    }
    let digits = |p: &String| p.chars().filter(char::is_ascii_digit).collect::<String>();
    let known: BTreeSet<String> = form.phones.iter().map(digits).collect();
    form.phones.extend(
        theirs
            .phones
            .iter()
            .filter(|p| !known.contains(&digits(p)))
            .cloned(),
    );
    union(&mut form.emails, &theirs.emails);
    union(&mut form.group_ids, &theirs.group_ids);
    let mut custom: BTreeMap<String, String> = form.custom.clone();
    for (key, value) in &theirs.custom {
        let entry = custom.entry(key.clone()).or_default();
        pick(entry, value, takes(&format!("custom:{key}")));
    }
    form.custom = custom;
    form
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::model::{NamedRef, PhoneView};

    fn details(id: i64, name: &str, phone: &str, email: Option<&str>) -> ContactDetails {
        ContactDetails {
            id: crate::ids::ContactId::new(id),
            name: name.into(),
            phones: vec![PhoneView {
                e164: format!(
                    "+55{}",
                    phone
                        .chars()
                        .filter(char::is_ascii_digit)
                        .collect::<String>()
                ),
                display: phone.into(),
            }],
            emails: email.map(str::to_string).into_iter().collect(),
            address: None,
            birth_date: None,
            document: None,
            gender: None,
            organization: None,
            groups: vec![],
            facebook: None,
            instagram: None,
            telegram: None,
            website: None,
            notes: None,
            custom: vec![],
            photo_url: None,
            channels: vec![],
            created_at: String::new(),
            updated_at: String::new(),
            version: 1,
            updated_by: None,
            imported_from: None,
            main_contact: None,
            linked: vec![],
        }
    }

    #[test]
    fn only_fields_both_fill_differently_conflict() {
        let mut maria = details(1, "Maria", "(11) 98765-4321", Some("maria@x.example"));
        maria.address = Some("Rua A, 1".into());
        let mut maria2 = details(2, "Maria 2", "(11) 91234-5678", None);
        maria2.address = Some("Rua B, 2".into());
        maria2.notes = Some("Cliente antiga".into());
        let found = conflicts(&maria, &maria2);
        let fields: Vec<&str> = found.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "address"],
            "phones combine; notes only one side has"
        );
        assert_eq!(found[1].other, "Rua B, 2");
    }

    #[test]
    fn the_merge_keeps_everything_and_follows_the_choices() {
        let mut maria = details(1, "Maria", "(11) 98765-4321", Some("maria@x.example"));
        maria.groups = vec![NamedRef {
            id: 7,
            name: "VIP".into(),
        }];
        let mut maria2 = details(2, "Maria Souza", "(11) 91234-5678", Some("m2@x.example"));
        maria2.phones.push(PhoneView {
            e164: "+5511987654321".into(),
            display: "(11) 98765-4321".into(),
        });
        maria2.notes = Some("Prefere WhatsApp".into());
        maria2.groups = vec![
            NamedRef {
                id: 8,
                name: "Atacado".into(),
            },
            NamedRef {
                id: 7,
                name: "VIP".into(),
            },
        ];
        let form = merged_form(&maria, &maria2, &BTreeSet::from(["name".to_string()]));
        assert_eq!(form.name, "Maria Souza", "chosen");
        assert_eq!(
            form.phones,
            ["(11) 98765-4321", "(11) 91234-5678"],
            "combined, no repeats"
        );
        assert_eq!(form.emails, ["maria@x.example", "m2@x.example"]);
        assert_eq!(form.group_ids, [7, 8]);
        assert_eq!(form.notes, "Prefere WhatsApp", "only the other had it");
        let kept = merged_form(&maria, &maria2, &BTreeSet::new());
        assert_eq!(kept.name, "Maria", "the survivor's by default");
    }
}
