//! From a submitted form to what the database stores: the shared
//! validation, custom values checked against the company's definitions,
//! phones normalized to E.164. Used by the add/edit form and by the CSV
//! import alike (server only: phone metadata lives on the server). No SQL.

use chrono::NaiveDate;

use crate::contacts::form::{validate_contact, ContactForm};
use crate::contacts::phone::normalize_phone;
use crate::contacts::writer::StoredContact;
use crate::custom_fields::model::FieldDefinition;
use crate::custom_fields::repo::finish_value;
use crate::custom_fields::values::{form_field, validate_custom_values};
use crate::error::{FieldError, Problem};

/// How strict to be with what a person would fix by hand in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// The form: a phone typed twice is pointed out.
    Form,
    /// An imported row: the same number in two columns ("Celular" and
    /// "WhatsApp") is one phone.
    Import,
}

/// Checks a form and turns it into a [`StoredContact`]. `held` gives, per
/// select field, the options the contact already has (a retired option may
/// stay on it). Reports every offending field at once.
pub fn prepare_contact(
    form: &ContactForm,
    definitions: &[FieldDefinition],
    held: &dyn Fn(crate::ids::FieldId) -> Vec<i64>,
    today: NaiveDate,
    strictness: Strictness,
) -> Result<StoredContact, Vec<FieldError>> {
    let base = validate_contact(form, today);
    let custom = validate_custom_values(definitions, &form.custom, held);
    let (valid, custom) = match (base, custom) {
        (Ok(valid), Ok(custom)) => (valid, custom),
        (base, custom) => {
            let mut errors = base.err().unwrap_or_default();
            errors.extend(custom.err().unwrap_or_default());
            return Err(errors);
        }
    };
    let mut errors = Vec::new();
    let mut custom_values = Vec::with_capacity(custom.len());
    for (field, value) in custom {
        let Some(definition) = definitions.iter().find(|d| d.id == field) else {
            continue;
        };
        match finish_value(definition.field_type, value) {
            Ok(value) => custom_values.push((field, value)),
            Err(problem) => errors.push(FieldError::new(form_field(&definition.key), problem)),
        }
    }
    let mut phones: Vec<String> = Vec::new();
    // Indexes refer to the form's own list, blanks included.
    let typed = form
        .phones
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.trim().is_empty());
    for (index, raw) in typed {
        match normalize_phone(raw) {
            Ok(e164) if phones.contains(&e164) => {
                if strictness == Strictness::Form {
                    errors.push(FieldError::new(
                        format!("phones.{index}"),
                        Problem::DuplicatePhone,
                    ))
                }
            }
            Ok(e164) => phones.push(e164),
            Err(_) => errors.push(FieldError::new(
                format!("phones.{index}"),
                Problem::InvalidPhone {
                    text: raw.trim().to_string(),
                },
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(StoredContact {
        name: valid.name,
        phones,
        emails: valid.emails,
        address: valid.address,
        birth_date: valid.birth_date,
        document: valid.document,
        gender: valid.gender.map(|g| g.as_str().to_string()),
        organization_id: valid.organization_id,
        group_ids: valid.group_ids,
        facebook: valid.facebook,
        instagram: valid.instagram,
        telegram: valid.telegram,
        website: valid.website,
        notes: valid.notes,
        custom: custom_values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date")
    }

    #[test]
    fn the_same_phone_twice_is_an_error_in_the_form_and_one_phone_in_an_import() {
        let form = ContactForm {
            name: "Ana".into(),
            phones: vec!["(11) 98765-4321".into(), "+55 11 98765 4321".into()],
            ..ContactForm::default()
        };
        let errors = prepare_contact(&form, &[], &|_| vec![], today(), Strictness::Form)
            .expect_err("duplicate phone");
        assert_eq!(errors[0].field, "phones.1");
        let stored = prepare_contact(&form, &[], &|_| vec![], today(), Strictness::Import)
            .expect("one phone");
        assert_eq!(stored.phones, ["+5511987654321"]);
    }

    #[test]
    fn every_offending_field_is_reported() {
        let form = ContactForm {
            name: String::new(),
            phones: vec!["123".into()],
            emails: vec!["nope".into()],
            ..ContactForm::default()
        };
        let errors = prepare_contact(&form, &[], &|_| vec![], today(), Strictness::Import)
            .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "phones.0", "emails.0"]);
    }
}
