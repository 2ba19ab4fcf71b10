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
    format_common_brazilian(e164).unwrap_or_else(|| format_with_metadata(e164))
}

/// The two shapes nearly every stored number has: a Brazilian mobile
/// (+55 DD 9XXXX-XXXX) or landline (+55 DD XXXX-XXXX, first digit 2 to 5),
/// formatted by hand exactly as libphonenumber's metadata formats them (a
/// unit test compares every area code). Parsing with the metadata costs
/// microseconds per number, and the CSV export formats every phone of
/// every contact.
fn format_common_brazilian(e164: &str) -> Option<String> {
    let national = e164.strip_prefix("+55")?;
    let digits = national.as_bytes();
    if !digits.iter().all(u8::is_ascii_digit) || digits.len() < 10 {
        return None;
    }
    let (area, subscriber) = national.split_at(2);
    if !AREA_CODES.contains(&area) {
        return None;
    }
    let split = match (digits.len(), digits[2]) {
        (11, b'9') => 5,
        (10, b'2'..=b'5') => 4,
        _ => return None,
    };
    let (first, last) = subscriber.split_at(split);
    Some(format!("({area}) {first}-{last}"))
}

/// Brazil's area codes (DDD). Numbers under any other code are left to the
/// metadata, which does not format them.
const AREA_CODES: [&str; 67] = [
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "22", "24", "27", "28", "31", "32",
    "33", "34", "35", "37", "38", "41", "42", "43", "44", "45", "46", "47", "48", "49", "51", "53",
    "54", "55", "61", "62", "63", "64", "65", "66", "67", "68", "69", "71", "73", "74", "75", "77",
    "79", "81", "82", "83", "84", "85", "86", "87", "88", "89", "91", "92", "93", "94", "95", "96",
    "97", "98", "99",
];

/// Formats with libphonenumber's metadata (any country, any shape).
fn format_with_metadata(e164: &str) -> String {
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
    fn the_fast_brazilian_format_agrees_with_the_metadata_for_every_area_code() {
        let mut compared = 0;
        for area in 11..=99u64 {
            for step in 0..20u64 {
                // Subscriber digits spread over their range (a fixed walk).
                let spread = (area * 7_919 + step * 104_729_011) % 100_000_000;
                let mobile = format!("+55{area}9{spread:08}");
                let landline = format!("+55{area}{}{:07}", 2 + step % 4, spread % 10_000_000);
                for number in [mobile, landline] {
                    if let Some(fast) = format_common_brazilian(&number) {
                        assert_eq!(fast, format_with_metadata(&number), "{number}");
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, AREA_CODES.len() * 20 * 2);
        assert_eq!(format_phone("+5511987654321"), "(11) 98765-4321");
        assert_eq!(format_phone("+551134567890"), "(11) 3456-7890");
        // Other shapes go through the metadata.
        assert_eq!(format_common_brazilian("+5508001234567"), None);
        assert_eq!(format_common_brazilian("+14155552671"), None);
        assert_eq!(format_phone("+14155552671"), "+1 415-555-2671");
    }

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
