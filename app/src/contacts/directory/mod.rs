//! Organizations and groups (the company's "directory"): which kind is
//! which, and the rules for their names. Pure, shared with the browser.

/// Server functions that manage organizations and groups (admins).
pub mod api;
/// SQL of organizations and groups (server only).
#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};

use crate::contacts::search::fold;

/// Longest organization or group name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Organizations (one per contact) or groups (many per contact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectoryKind {
    Organization,
    Group,
}

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    /// Another entry of the same kind has the same name, ignoring case and
    /// accents ("Acme" and "ACME" would be confusing in a picker).
    Taken,
}

impl NameError {
    /// The refusal as a field problem (worded per language).
    pub fn problem(self, kind: DirectoryKind) -> crate::problem::Problem {
        use crate::problem::Problem;
        match (self, kind) {
            (NameError::Empty, _) => Problem::NameRequired,
            (NameError::TooLong, _) => Problem::NameTooLong {
                max: MAX_NAME_CHARS,
            },
            (NameError::Taken, DirectoryKind::Organization) => Problem::OrganizationNameTaken,
            (NameError::Taken, DirectoryKind::Group) => Problem::GroupNameTaken,
        }
    }
}

/// Checks a new name against the names the company already has (of the same
/// kind, without the entry being renamed) and returns it trimmed, with inner
/// runs of spaces collapsed.
pub fn validate_name<'a>(
    name: &str,
    existing: impl IntoIterator<Item = &'a str>,
) -> Result<String, NameError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    let key = fold(&name);
    if existing.into_iter().any(|other| fold(other.trim()) == key) {
        return Err(NameError::Taken);
    }
    Ok(name)
}

/// Sorts entries by name the way people read them (accents and case
/// ignored), the same on every database.
pub fn sort_by_name<T>(entries: &mut [T], name: impl Fn(&T) -> &str) {
    entries.sort_by_cached_key(|entry| fold(name(entry)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_spaces_collapsed() {
        assert_eq!(
            validate_name("  Acme   Ltda ", []),
            Ok("Acme Ltda".to_string())
        );
    }

    #[test]
    fn empty_and_long_names_are_refused() {
        assert_eq!(validate_name("   ", []), Err(NameError::Empty));
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(validate_name(&long, []), Err(NameError::TooLong));
        assert!(validate_name(&"é".repeat(MAX_NAME_CHARS), []).is_ok());
    }

    #[test]
    fn a_name_taken_ignoring_case_and_accents_is_refused() {
        let existing = ["Padaria São João", "VIP"];
        assert_eq!(
            validate_name("padaria sao joao", existing),
            Err(NameError::Taken)
        );
        assert_eq!(validate_name("vip", existing), Err(NameError::Taken));
        assert_eq!(
            validate_name("VIP Ouro", existing),
            Ok("VIP Ouro".to_string())
        );
    }

    #[test]
    fn sorting_ignores_accents_and_case() {
        let mut names = vec!["Óptica", "banco", "Açougue", "Zeca"];
        sort_by_name(&mut names, |n| n);
        assert_eq!(names, ["Açougue", "banco", "Óptica", "Zeca"]);
    }

    #[test]
    fn messages_name_the_kind() {
        let text = |kind| {
            NameError::Taken
                .problem(kind)
                .text(crate::i18n::Locale::PtBr)
        };
        assert!(text(DirectoryKind::Group).contains("grupo"));
        assert!(text(DirectoryKind::Organization).contains("organização"));
    }
}
