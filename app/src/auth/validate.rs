//! Checks on what people type into the sign-up, login and invitation forms.
//! Pure functions: every rule is unit-tested here.

use std::str::FromStr;

use crate::error::{FieldError, Problem};

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest accepted password, in characters (hashing cost is bounded).
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Longest accepted person or company name, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// A sign-up (new company) or invitation acceptance, as typed.
#[derive(Debug, Clone, Default)]
pub struct AccountForm {
    /// The company's name; `None` when accepting an invitation.
    pub company: Option<String>,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// The same, checked and normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAccount {
    pub company: Option<String>,
    pub name: String,
    /// Lower-case, trimmed.
    pub email: String,
    pub password: String,
}

fn error(field: &str, problem: Problem) -> FieldError {
    FieldError::new(field, problem)
}

/// Trims and collapses inner runs of whitespace.
pub fn clean_name(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks a name-like field: required, bounded.
fn check_name(field: &str, empty: Problem, text: &str, errors: &mut Vec<FieldError>) -> String {
    let name = clean_name(text);
    if name.is_empty() {
        errors.push(error(field, empty));
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(error(
            field,
            Problem::TooLong {
                max: MAX_NAME_CHARS,
            },
        ));
    }
    name
}

/// Normalizes an e-mail address (trimmed, lower-case) and checks its shape.
pub fn normalize_email(text: &str) -> Result<String, Problem> {
    let email = text.trim().to_lowercase();
    if email.is_empty() {
        return Err(Problem::EmailRequired);
    }
    match email_address::EmailAddress::from_str(&email) {
        // A domain without a dot ("ana@localhost") is valid by the RFC but
        // never what an agent means in a business address book.
        Ok(address) if address.domain().contains('.') => Ok(email),
        _ => Err(Problem::InvalidEmail {
            text: text.trim().to_string(),
        }),
    }
}

/// Checks a new password's length.
pub fn check_password(password: &str) -> Result<(), Problem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(Problem::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        })
    } else if chars > MAX_PASSWORD_CHARS {
        Err(Problem::PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        })
    } else {
        Ok(())
    }
}

/// Checks a whole account form, reporting every offending field at once.
pub fn validate_account(form: AccountForm) -> Result<ValidAccount, Vec<FieldError>> {
    let mut errors = Vec::new();
    let company = form
        .company
        .as_deref()
        .map(|c| check_name("company", Problem::CompanyNameRequired, c, &mut errors));
    let name = check_name("name", Problem::YourNameRequired, &form.name, &mut errors);
    let email = match normalize_email(&form.email) {
        Ok(email) => email,
        Err(problem) => {
            errors.push(error("email", problem));
            String::new()
        }
    };
    if let Err(problem) = check_password(&form.password) {
        errors.push(error("password", problem));
    }
    if errors.is_empty() {
        Ok(ValidAccount {
            company,
            name,
            email,
            password: form.password,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AccountForm {
        AccountForm {
            company: Some("  Padaria   Pão Quente ".into()),
            name: " Ana  Souza ".into(),
            email: " Ana.Souza@Example.COM ".into(),
            password: "correct horse".into(),
        }
    }

    #[test]
    fn a_good_form_is_normalized() {
        let valid = validate_account(form()).expect("valid");
        assert_eq!(valid.company.as_deref(), Some("Padaria Pão Quente"));
        assert_eq!(valid.name, "Ana Souza");
        assert_eq!(valid.email, "ana.souza@example.com");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = validate_account(AccountForm {
            company: Some(" ".into()),
            name: "".into(),
            email: "ana@".into(),
            password: "short".into(),
        })
        .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["company", "name", "email", "password"]);
        assert!(errors[2].message.contains("ana@"));
        assert!(errors[3].message.contains('8'));
    }

    #[test]
    fn emails_need_a_dotted_domain_and_no_spaces() {
        assert!(normalize_email("ana@localhost").is_err());
        assert!(normalize_email("ana souza@example.com").is_err());
        assert!(normalize_email("").is_err());
        assert_eq!(
            normalize_email("ANA@EXAMPLE.COM.BR").as_deref(),
            Ok("ana@example.com.br")
        );
    }

    #[test]
    fn passwords_are_bounded_in_characters_not_bytes() {
        assert!(check_password("çççççççç").is_ok());
        assert!(check_password("1234567").is_err());
        assert!(check_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
    }

    #[test]
    fn an_invitation_form_has_no_company_field() {
        let valid = validate_account(AccountForm {
            company: None,
            ..form()
        })
        .expect("valid");
        assert_eq!(valid.company, None);
    }
}
