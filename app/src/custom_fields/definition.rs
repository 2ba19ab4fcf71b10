//! The rules for defining a custom field: label, key, type, help, options.
//! Pure, shared with the browser.

use crate::contacts::search::fold;
use crate::custom_fields::model::{FieldDraft, FieldType};
use crate::error::FieldError;
use crate::problem::Problem;

/// Longest label or option label, in characters.
pub const MAX_LABEL_CHARS: usize = 60;
/// Longest key, in characters.
pub const MAX_KEY_CHARS: usize = 40;
/// Longest help text, in characters.
pub const MAX_HELP_CHARS: usize = 200;
/// Most custom fields a company defines.
pub const MAX_FIELDS: usize = 100;
/// Most options a select field has.
pub const MAX_OPTIONS: usize = 200;

/// Keys the contact's own fields (and CSV columns) already use.
pub const RESERVED_KEYS: [&str; 20] = [
    "id",
    "name",
    "nome",
    "phone",
    "phones",
    "telefone",
    "email",
    "emails",
    "address",
    "endereco",
    "birth_date",
    "document",
    "gender",
    "organization",
    "groups",
    "facebook",
    "instagram",
    "telegram",
    "website",
    "notes",
];

/// A field definition checked and cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDraft {
    pub label: String,
    pub key: String,
    pub field_type: FieldType,
    pub required: bool,
    pub help: String,
    pub options: Vec<String>,
}

/// A machine key from a label: "Data de adesão" → "data_de_adesao".
pub fn key_from_label(label: &str) -> String {
    let folded = fold(label);
    let mut key = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_');
    let key = if key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("campo_{key}")
    } else {
        key.to_string()
    };
    key.chars().take(MAX_KEY_CHARS).collect::<String>()
}

fn error(field: &str, problem: Problem) -> FieldError {
    FieldError::new(field, problem)
}

/// A label (field or option) collapsed and checked; `Err` is the message.
pub fn clean_label(text: &str) -> Result<String, Problem> {
    let label = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        Err(Problem::NameRequired)
    } else if label.chars().count() > MAX_LABEL_CHARS {
        Err(Problem::TooLong {
            max: MAX_LABEL_CHARS,
        })
    } else {
        Ok(label)
    }
}

/// Checks a new field against the company's other fields (`existing`:
/// their keys and labels). Field names of errors: `label`, `key`,
/// `field_type`, `help`, `options`, `options.N`.
pub fn validate_draft(
    draft: &FieldDraft,
    existing: &[(String, String)],
) -> Result<ValidDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let label = match clean_label(&draft.label) {
        Ok(label) => {
            if existing
                .iter()
                .any(|(_, other)| fold(other) == fold(&label))
            {
                errors.push(error("label", Problem::FieldLabelTaken));
            }
            label
        }
        Err(problem) => {
            errors.push(error("label", problem));
            String::new()
        }
    };
    let key = if draft.key.trim().is_empty() {
        key_from_label(&label)
    } else {
        draft.key.trim().to_string()
    };
    if !label.is_empty() || !draft.key.trim().is_empty() {
        if key.is_empty()
            || key.chars().count() > MAX_KEY_CHARS
            || !key.starts_with(|c: char| c.is_ascii_lowercase())
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.push(error("key", Problem::BadFieldKey { max: MAX_KEY_CHARS }));
        } else if RESERVED_KEYS.contains(&key.as_str()) {
            errors.push(error("key", Problem::ReservedFieldKey { key: key.clone() }));
        } else if existing.iter().any(|(other, _)| *other == key) {
            errors.push(error("key", Problem::FieldKeyTaken { key: key.clone() }));
        }
    }
    let field_type = FieldType::parse(draft.field_type.trim());
    if field_type.is_none() {
        errors.push(error("field_type", Problem::ChooseFieldType));
    }
    let help = draft.help.split_whitespace().collect::<Vec<_>>().join(" ");
    if help.chars().count() > MAX_HELP_CHARS {
        errors.push(error(
            "help",
            Problem::TooLong {
                max: MAX_HELP_CHARS,
            },
        ));
    }
    let mut options: Vec<String> = Vec::new();
    if field_type.is_some_and(FieldType::is_select) {
        for (i, option) in draft.options.iter().enumerate() {
            if option.trim().is_empty() {
                continue;
            }
            match clean_label(option) {
                Ok(option) if options.iter().any(|o| fold(o) == fold(&option)) => {
                    errors.push(error(&format!("options.{i}"), Problem::DuplicateOption))
                }
                Ok(option) => options.push(option),
                Err(problem) => errors.push(error(&format!("options.{i}"), problem)),
            }
        }
        if options.is_empty() {
            errors.push(error("options", Problem::OptionsRequired));
        } else if options.len() > MAX_OPTIONS {
            errors.push(error(
                "options",
                Problem::TooManyOptions { max: MAX_OPTIONS },
            ));
        }
    }
    if existing.len() >= MAX_FIELDS {
        errors.push(error("label", Problem::TooManyFields { max: MAX_FIELDS }));
    }
    match field_type {
        Some(field_type) if errors.is_empty() => Ok(ValidDraft {
            label,
            key,
            field_type,
            required: draft.required,
            help,
            options,
        }),
        _ => Err(errors),
    }
}

/// Checks a new option label against the field's other options.
pub fn validate_option<'a>(
    label: &str,
    others: impl IntoIterator<Item = &'a str>,
) -> Result<String, Problem> {
    let label = clean_label(label)?;
    if others.into_iter().any(|o| fold(o) == fold(&label)) {
        return Err(Problem::OptionExists);
    }
    Ok(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(label: &str, field_type: &str) -> FieldDraft {
        FieldDraft {
            label: label.into(),
            field_type: field_type.into(),
            ..Default::default()
        }
    }

    #[test]
    fn keys_come_from_labels() {
        assert_eq!(key_from_label("Data de adesão"), "data_de_adesao");
        assert_eq!(key_from_label("  CPF / CNPJ!! "), "cpf_cnpj");
        assert_eq!(key_from_label("2 via"), "campo_2_via");
    }

    #[test]
    fn a_valid_draft_is_cleaned() {
        let valid = validate_draft(&draft(" Plano   contratado ", "single_select"), &[])
            .expect_err("no options");
        assert_eq!(valid[0].field, "options");
        let mut with_options = draft("Plano contratado", "single_select");
        with_options.options = vec!["Ouro".into(), " ".into(), "Prata".into()];
        let valid = validate_draft(&with_options, &[]).expect("valid");
        assert_eq!(valid.key, "plano_contratado");
        assert_eq!(valid.options, ["Ouro", "Prata"]);
        assert_eq!(valid.field_type, FieldType::SingleSelect);
    }

    #[test]
    fn each_problem_names_its_field() {
        let existing = [("cpf".to_string(), "CPF".to_string())];
        let errors = validate_draft(&draft("cpf", "cpf"), &existing).expect_err("taken");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["label", "key"]);

        let mut bad_key = draft("Nome fantasia", "robot");
        bad_key.key = "Nome Fantasia".into();
        let errors = validate_draft(&bad_key, &[]).expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["key", "field_type"]);

        let errors = validate_draft(&draft("Email", "email"), &[]).expect_err("reserved");
        assert!(errors[0].message.contains("já é um campo do contato"));

        let mut duplicate_options = draft("Cor", "multi_select");
        duplicate_options.options = vec!["Azul".into(), "AZUL".into()];
        let errors = validate_draft(&duplicate_options, &[]).expect_err("duplicate");
        assert_eq!(errors[0].field, "options.1");
    }

    #[test]
    fn options_are_unique_ignoring_case_and_accents() {
        assert_eq!(validate_option(" Ouro ", ["Prata"]), Ok("Ouro".to_string()));
        assert!(validate_option("PRATA", ["Prata"]).is_err());
        assert!(validate_option("", ["Prata"]).is_err());
    }
}
