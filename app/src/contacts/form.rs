//! The add/edit contact form and its validation. Pure and shared: the
//! browser runs [`validate_contact`] before sending, the server runs the
//! same function on what it receives (and then normalizes phones with the
//! full phone-number metadata, which only the server carries).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::validate::{clean_name, normalize_email};
use crate::contacts::document::parse_document;
use crate::error::{FieldError, Problem};

/// Most phones or e-mails one contact holds.
pub const MAX_ENTRIES: usize = 10;

/// A person's gender, as the form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    /// The stored and submitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }

    /// Parses a stored or submitted name.
    pub fn parse(text: &str) -> Option<Gender> {
        match text {
            "female" => Some(Gender::Female),
            "male" => Some(Gender::Male),
            "other" => Some(Gender::Other),
            _ => None,
        }
    }
}

/// The form as typed. Empty strings are "not filled".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub name: String,
    /// The first is the main phone.
    pub phones: Vec<String>,
    /// The first is the main e-mail.
    pub emails: Vec<String>,
    pub address: String,
    /// `YYYY-MM-DD` (what `<input type="date">` gives) or `DD/MM/YYYY`.
    pub birth_date: String,
    /// CPF or CNPJ, with or without punctuation.
    pub document: String,
    /// `female`, `male`, `other` or empty.
    pub gender: String,
    pub organization_id: Option<i64>,
    pub group_ids: Vec<i64>,
    pub facebook: String,
    pub instagram: String,
    pub telegram: String,
    pub website: String,
    pub notes: String,
    /// Custom field values by field key, as typed (select fields: option
    /// ids separated by commas). Checked by
    /// [`validate_custom_values`](crate::custom_fields::values::validate_custom_values).
    pub custom: std::collections::BTreeMap<String, String>,
}

/// The form checked and cleaned. Phones are still as typed (trimmed): the
/// server normalizes them to E.164.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidContact {
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// Digits only.
    pub document: Option<String>,
    pub gender: Option<Gender>,
    pub organization_id: Option<i64>,
    pub group_ids: Vec<i64>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub telegram: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
}

fn error(field: impl Into<String>, problem: Problem) -> FieldError {
    FieldError::new(field, problem)
}

/// Trimmed text, `None` when empty; an error when longer than `max` characters.
fn optional(field: &str, text: &str, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.chars().count() > max {
        errors.push(error(field, Problem::TooLong { max }));
    }
    Some(text.to_string())
}

/// A social handle without its leading `@`.
fn handle(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = optional(field, text, 100, errors)?;
    let value = value.trim_start_matches('@').to_string();
    if value.is_empty() || value.chars().any(char::is_whitespace) {
        errors.push(error(field, Problem::BadHandle));
    }
    Some(value)
}

/// Checks what a phone looks like, before the server's full check: the
/// characters people type in phone numbers, and a plausible digit count.
pub fn check_phone_shape(text: &str) -> Result<(), Problem> {
    if text
        .chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '+' | '.')))
    {
        return Err(Problem::NotAPhone {
            text: text.to_string(),
        });
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let international = text.trim_start().starts_with('+');
    let plausible = if international {
        (8..=15).contains(&digits)
    } else {
        // Brazilian: DDD + 8 or 9 digits, optionally with 55 in front.
        (10..=13).contains(&digits)
    };
    if plausible {
        Ok(())
    } else {
        Err(Problem::ImplausiblePhone {
            text: text.to_string(),
        })
    }
}

/// Parses a birth date typed as `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn parse_birth_date(text: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let text = text.trim();
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| Problem::NotADate {
            text: text.to_string(),
        })?;
    let oldest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if date > today {
        Err(Problem::BirthDateInFuture)
    } else if date < oldest {
        Err(Problem::BirthDateTooOld)
    } else {
        Ok(date)
    }
}

/// Checks the whole form, reporting every offending field at once. Field
/// keys: `name`, `phones.N`, `emails.N`, `birth_date`, `document`, …
pub fn validate_contact(
    form: &ContactForm,
    today: NaiveDate,
) -> Result<ValidContact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = clean_name(&form.name);
    if name.is_empty() {
        errors.push(error("name", Problem::ContactNameRequired));
    } else if name.chars().count() > 120 {
        errors.push(error("name", Problem::TooLong { max: 120 }));
    }

    let mut phones = Vec::new();
    for (i, phone) in form.phones.iter().enumerate() {
        let phone = phone.trim();
        if phone.is_empty() {
            continue;
        }
        match check_phone_shape(phone) {
            Ok(()) => phones.push(phone.to_string()),
            Err(problem) => errors.push(error(format!("phones.{i}"), problem)),
        }
    }
    if phones.len() > MAX_ENTRIES {
        errors.push(error("phones", Problem::TooManyPhones { max: MAX_ENTRIES }));
    }

    let mut emails: Vec<String> = Vec::new();
    for (i, email) in form.emails.iter().enumerate() {
        if email.trim().is_empty() {
            continue;
        }
        match normalize_email(email) {
            Ok(email) if emails.contains(&email) => {
                errors.push(error(format!("emails.{i}"), Problem::DuplicateEmail));
            }
            Ok(email) => emails.push(email),
            Err(problem) => errors.push(error(format!("emails.{i}"), problem)),
        }
    }
    if emails.len() > MAX_ENTRIES {
        errors.push(error("emails", Problem::TooManyEmails { max: MAX_ENTRIES }));
    }

    let address = optional("address", &form.address, 300, &mut errors);
    let birth_date = if form.birth_date.trim().is_empty() {
        None
    } else {
        match parse_birth_date(&form.birth_date, today) {
            Ok(date) => Some(date),
            Err(problem) => {
                errors.push(error("birth_date", problem));
                None
            }
        }
    };
    let document = if form.document.trim().is_empty() {
        None
    } else {
        match parse_document(&form.document) {
            Ok(document) => Some(document.digits().to_string()),
            Err(e) => {
                errors.push(error("document", e.problem()));
                None
            }
        }
    };
    let gender = match form.gender.trim() {
        "" => None,
        text => {
            let gender = Gender::parse(text);
            if gender.is_none() {
                errors.push(error("gender", Problem::ChooseOption));
            }
            gender
        }
    };
    let facebook = handle("facebook", &form.facebook, &mut errors);
    let instagram = handle("instagram", &form.instagram, &mut errors);
    let telegram = handle("telegram", &form.telegram, &mut errors);
    let website = optional("website", &form.website, 300, &mut errors).map(|site| {
        if site.contains("://") {
            site
        } else {
            format!("https://{site}")
        }
    });
    if let Some(site) = &website {
        let host = site.split_once("://").map_or("", |(_, rest)| rest);
        if !(site.starts_with("http://") || site.starts_with("https://"))
            || !host.contains('.')
            || host.chars().any(char::is_whitespace)
        {
            errors.push(error("website", Problem::BadWebsite));
        }
    }
    let notes = optional("notes", &form.notes, 5000, &mut errors);
    let mut group_ids = form.group_ids.clone();
    group_ids.sort_unstable();
    group_ids.dedup();

    if errors.is_empty() {
        Ok(ValidContact {
            name,
            phones,
            emails,
            address,
            birth_date,
            document,
            gender,
            organization_id: form.organization_id,
            group_ids,
            facebook,
            instagram,
            telegram,
            website,
            notes,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_minimal_contact_is_just_a_name() {
        let valid = validate_contact(
            &ContactForm {
                name: "  Maria   das Dores ".into(),
                phones: vec!["".into()],
                ..Default::default()
            },
            today(),
        )
        .expect("valid");
        assert_eq!(valid.name, "Maria das Dores");
        assert!(valid.phones.is_empty());
    }

    #[test]
    fn every_field_is_cleaned() {
        let valid = validate_contact(
            &ContactForm {
                name: "Ana".into(),
                phones: vec![" (11) 98765-4321 ".into(), "+351 912 345 678".into()],
                emails: vec!["Ana@Example.com".into()],
                birth_date: "31/12/1990".into(),
                document: "529.982.247-25".into(),
                gender: "female".into(),
                instagram: "@ana.loja".into(),
                website: "ana.com.br".into(),
                group_ids: vec![3, 1, 3],
                ..Default::default()
            },
            today(),
        )
        .expect("valid");
        assert_eq!(valid.phones, ["(11) 98765-4321", "+351 912 345 678"]);
        assert_eq!(valid.emails, ["ana@example.com"]);
        assert_eq!(valid.birth_date, NaiveDate::from_ymd_opt(1990, 12, 31));
        assert_eq!(valid.document.as_deref(), Some("52998224725"));
        assert_eq!(valid.gender, Some(Gender::Female));
        assert_eq!(valid.instagram.as_deref(), Some("ana.loja"));
        assert_eq!(valid.website.as_deref(), Some("https://ana.com.br"));
        assert_eq!(valid.group_ids, [1, 3]);
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let errors = validate_contact(
            &ContactForm {
                name: " ".into(),
                phones: vec!["(11) 98765-4321".into(), "abc".into()],
                emails: vec![
                    "ana@example.com".into(),
                    "ANA@example.com".into(),
                    "x@".into(),
                ],
                birth_date: "2030-01-01".into(),
                document: "529.982.247-24".into(),
                gender: "robot".into(),
                website: "not a site".into(),
                ..Default::default()
            },
            today(),
        )
        .expect_err("invalid");
        assert_eq!(
            fields(&errors),
            [
                "name",
                "phones.1",
                "emails.1",
                "emails.2",
                "birth_date",
                "document",
                "gender",
                "website"
            ]
        );
        assert!(errors[5].message.contains("CPF inválido"));
    }

    #[test]
    fn phone_shapes_accept_common_formats_and_refuse_nonsense() {
        for ok in [
            "(11) 98765-4321",
            "11987654321",
            "+55 11 98765-4321",
            "3456-7890 11",
            "+1 202 555 0143",
        ] {
            assert!(check_phone_shape(ok).is_ok(), "{ok}");
        }
        for bad in ["987654321", "12", "call me", "+12"] {
            assert!(check_phone_shape(bad).is_err(), "{bad}");
        }
    }
}
