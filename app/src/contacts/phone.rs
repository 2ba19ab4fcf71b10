//! Phone numbers: stored normalized to E.164, shown formatted.
//!
//! Uses the `phonenumber` crate (a port of Google's libphonenumber, with its
//! metadata), default region Brazil.

use phonenumber::country::Id;
use phonenumber::Mode;

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("não é um número de telefone")]
    Unparseable,
    #[error("número de telefone inválido")]
    Invalid,
}

/// Normalizes a phone number typed in any common format to E.164.
/// Numbers without a country code are read as Brazilian.
pub fn normalize_phone(raw: &str) -> Result<String, PhoneError> {
    let number =
        phonenumber::parse(Some(Id::BR), raw.trim()).map_err(|_| PhoneError::Unparseable)?;
    if !number.is_valid() {
        return Err(PhoneError::Invalid);
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

/// Formats a stored E.164 number for display: Brazilian numbers in national
/// format ("(11) 98765-4321"), others in international format.
pub fn format_phone(e164: &str) -> String {
    match phonenumber::parse(None, e164) {
        Ok(number) if number.code().value() == 55 => {
            number.format().mode(Mode::National).to_string()
        }
        Ok(number) => number.format().mode(Mode::International).to_string(),
        Err(_) => e164.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brazilian_mobile_numbers_in_every_format_normalize_alike() {
        for raw in [
            "(11) 98765-4321",
            "+55 11 98765-4321",
            "11987654321",
            "+55 (11) 9 8765-4321",
            "55 11 98765 4321",
        ] {
            assert_eq!(
                normalize_phone(raw).as_deref(),
                Ok("+5511987654321"),
                "{raw}"
            );
        }
    }

    #[test]
    fn landlines_are_valid_too() {
        assert_eq!(
            normalize_phone("(21) 3456-7890").as_deref(),
            Ok("+552134567890")
        );
    }

    #[test]
    fn foreign_numbers_keep_their_country() {
        assert_eq!(
            normalize_phone("+1 650 253 0000").as_deref(),
            Ok("+16502530000")
        );
    }

    #[test]
    fn garbage_and_impossible_numbers_are_refused() {
        assert!(normalize_phone("abc").is_err());
        assert!(normalize_phone("123").is_err());
        assert!(normalize_phone("(00) 0000-0000").is_err());
    }

    #[test]
    fn brazilian_numbers_are_shown_in_national_format() {
        assert_eq!(format_phone("+5511987654321"), "(11) 98765-4321");
        assert_eq!(format_phone("+552134567890"), "(21) 3456-7890");
        assert_eq!(format_phone("+16502530000"), "+1 650-253-0000");
    }
}
