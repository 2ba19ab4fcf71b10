//! Brazilian documents: CPF (people) and CNPJ (companies), with their check
//! digits. Pure: the same code runs in the browser and on the server.

/// A checked document, stored as its digits only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// 11 digits.
    Cpf(String),
    /// 14 digits.
    Cnpj(String),
}

impl Document {
    /// The digits as stored.
    pub fn digits(&self) -> &str {
        match self {
            Document::Cpf(d) | Document::Cnpj(d) => d,
        }
    }

    /// Formatted for display: `123.456.789-09`, `12.345.678/0001-95`.
    pub fn formatted(&self) -> String {
        format_document(self.digits())
    }
}

/// Formats stored digits as a CPF or CNPJ; anything else is returned as is.
pub fn format_document(digits: &str) -> String {
    let d = digits;
    match d.len() {
        11 if d.is_ascii() => format!("{}.{}.{}-{}", &d[0..3], &d[3..6], &d[6..9], &d[9..11]),
        14 if d.is_ascii() => format!(
            "{}.{}.{}/{}-{}",
            &d[0..2],
            &d[2..5],
            &d[5..8],
            &d[8..12],
            &d[12..14]
        ),
        _ => d.to_string(),
    }
}

/// Why a document was refused (the message names the kind it looked like).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentError {
    /// Neither 11 (CPF) nor 14 (CNPJ) digits.
    Length,
    /// A CPF whose check digits do not match.
    CpfCheck,
    /// A CNPJ whose check digits do not match.
    CnpjCheck,
}

impl DocumentError {
    /// What to tell the user.
    pub fn problem(self) -> crate::error::Problem {
        use crate::error::Problem;
        match self {
            DocumentError::Length => Problem::DocumentLength,
            DocumentError::CpfCheck => Problem::CpfCheckDigits,
            DocumentError::CnpjCheck => Problem::CnpjCheckDigits,
        }
    }
}

fn digits_of(text: &str) -> Vec<u32> {
    text.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// The check digit for `digits` with `weights` (mod 11 rule shared by CPF
/// and CNPJ).
fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    match sum % 11 {
        0 | 1 => 0,
        rest => 11 - rest,
    }
}

fn all_same(digits: &[u32]) -> bool {
    digits.windows(2).all(|w| w[0] == w[1])
}

fn valid_cpf(d: &[u32]) -> bool {
    if all_same(d) {
        return false;
    }
    let first = check_digit(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]);
    let second = check_digit(&d[..10], &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    d[9] == first && d[10] == second
}

fn valid_cnpj(d: &[u32]) -> bool {
    if all_same(d) {
        return false;
    }
    let first = check_digit(&d[..12], &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
    let second = check_digit(&d[..13], &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
    d[12] == first && d[13] == second
}

/// Parses a CPF or CNPJ typed with or without punctuation.
pub fn parse_document(text: &str) -> Result<Document, DocumentError> {
    // Only digits and the usual punctuation are accepted.
    if text
        .chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '/' | ' ')))
    {
        return Err(DocumentError::Length);
    }
    let digits = digits_of(text);
    let as_text = || {
        digits
            .iter()
            .map(|d| char::from(b'0' + *d as u8))
            .collect::<String>()
    };
    match digits.len() {
        11 if valid_cpf(&digits) => Ok(Document::Cpf(as_text())),
        11 => Err(DocumentError::CpfCheck),
        14 if valid_cnpj(&digits) => Ok(Document::Cnpj(as_text())),
        14 => Err(DocumentError::CnpjCheck),
        _ => Err(DocumentError::Length),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_cpfs_pass_with_or_without_punctuation() {
        for cpf in ["529.982.247-25", "52998224725", "111.444.777-35"] {
            assert!(matches!(parse_document(cpf), Ok(Document::Cpf(_))), "{cpf}");
        }
        assert_eq!(
            parse_document("529.982.247-25").map(|d| d.formatted()),
            Ok("529.982.247-25".to_string())
        );
    }

    #[test]
    fn a_cpf_with_a_wrong_check_digit_is_refused_as_such() {
        assert_eq!(
            parse_document("529.982.247-24"),
            Err(DocumentError::CpfCheck)
        );
        assert_eq!(
            parse_document("111.111.111-11"),
            Err(DocumentError::CpfCheck)
        );
    }

    #[test]
    fn cnpjs_are_checked_too() {
        assert!(matches!(
            parse_document("11.222.333/0001-81"),
            Ok(Document::Cnpj(_))
        ));
        assert_eq!(
            parse_document("11.222.333/0001-80"),
            Err(DocumentError::CnpjCheck)
        );
        assert_eq!(format_document("11222333000181"), "11.222.333/0001-81");
    }

    #[test]
    fn other_lengths_and_letters_are_refused() {
        assert_eq!(parse_document("1234"), Err(DocumentError::Length));
        assert_eq!(parse_document("529.982.247-2X"), Err(DocumentError::Length));
    }
}
