//! Main contact: the rules for linking a contact to a main contact (pure).
//!
//! One person often writes from several numbers ("Maria 1", "Maria 2"):
//! agents link those contacts to one main contact. Links are one level deep:
//! a main is never linked itself, so there are no chains and no cycles.

use crate::ids::ContactId;

/// Link, unlink and merge server functions.
pub mod api;
/// Merging two contacts: conflicts and the merged form (pure).
pub mod merge;
/// SQL of links and merges (server only).
#[cfg(feature = "ssr")]
pub mod repo;

/// What the rules need to know about the two contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkFacts {
    pub contact: ContactId,
    pub main: ContactId,
    /// How many contacts are linked to `contact` (it is a main itself).
    pub contact_members: i64,
    /// The main contact `main` is linked to, if any.
    pub main_of_main: Option<ContactId>,
}

/// Why a link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// A contact cannot be its own main.
    Itself,
    /// The chosen main is linked to another main (one level only).
    MainIsLinked,
    /// The contact is the main of others: it cannot become a member.
    ContactIsMain(i64),
}

impl LinkRefusal {
    /// The message the server answers with.
    pub fn problem(self) -> crate::problem::Problem {
        use crate::problem::Problem;
        match self {
            LinkRefusal::Itself => Problem::LinkToItself,
            LinkRefusal::MainIsLinked => Problem::MainIsLinked,
            LinkRefusal::ContactIsMain(count) => Problem::ContactIsMain { count },
        }
    }
}

/// Checks a link of `facts.contact` to `facts.main`.
pub fn check_link(facts: LinkFacts) -> Result<(), LinkRefusal> {
    if facts.contact == facts.main {
        return Err(LinkRefusal::Itself);
    }
    if facts.main_of_main.is_some() {
        return Err(LinkRefusal::MainIsLinked);
    }
    if facts.contact_members > 0 {
        return Err(LinkRefusal::ContactIsMain(facts.contact_members));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(contact: i64, main: i64) -> LinkFacts {
        LinkFacts {
            contact: ContactId::new(contact),
            main: ContactId::new(main),
            contact_members: 0,
            main_of_main: None,
        }
    }

    #[test]
    fn two_plain_contacts_link() {
        assert_eq!(check_link(facts(2, 1)), Ok(()));
    }

    #[test]
    fn a_contact_is_not_its_own_main() {
        assert_eq!(check_link(facts(1, 1)), Err(LinkRefusal::Itself));
    }

    #[test]
    fn links_are_one_level_deep() {
        // 3 → 2 while 2 → 1: refused (no chains).
        let chained = LinkFacts {
            main_of_main: Some(ContactId::new(1)),
            ..facts(3, 2)
        };
        assert_eq!(check_link(chained), Err(LinkRefusal::MainIsLinked));
        // 1 → 2 while 2 → 1: the same rule stops the cycle.
        let cycle = LinkFacts {
            main_of_main: Some(ContactId::new(1)),
            ..facts(1, 2)
        };
        assert_eq!(check_link(cycle), Err(LinkRefusal::MainIsLinked));
        // A main with members cannot become a member.
        let main = LinkFacts {
            contact_members: 2,
            ..facts(1, 5)
        };
        assert_eq!(check_link(main), Err(LinkRefusal::ContactIsMain(2)));
        assert!(LinkRefusal::ContactIsMain(2)
            .problem()
            .text(crate::i18n::Locale::PtBr)
            .contains("2 contato"));
    }
}
