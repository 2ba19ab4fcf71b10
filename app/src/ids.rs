//! Typed ids of the records clients name: a contact's id cannot be passed
//! where a custom field's or a job's is expected. Each is an `i64` on the
//! wire (a JSON number, a form field, a path segment) and in SQL; only the
//! type differs. (A company's id is different: clients never name one, see
//! [`crate::tenant::CompanyId`].)

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What an [`Id`] identifies: names it in `Debug` output.
pub trait IdKind {
    const NAME: &'static str;
}

/// The id of a record of kind `K` (see the aliases below).
pub struct Id<K>(i64, PhantomData<fn() -> K>);

/// A contact (`contacts.id`).
pub enum Contact {}
/// A custom field's definition (`custom_fields.id`).
pub enum Field {}
/// A conversation (`conversations.id`).
pub enum Conversation {}
/// An import job (`import_jobs.id`).
pub enum Job {}

impl IdKind for Contact {
    const NAME: &'static str = "ContactId";
}
impl IdKind for Field {
    const NAME: &'static str = "FieldId";
}
impl IdKind for Conversation {
    const NAME: &'static str = "ConversationId";
}
impl IdKind for Job {
    const NAME: &'static str = "JobId";
}

pub type ContactId = Id<Contact>;
pub type FieldId = Id<Field>;
pub type ConversationId = Id<Conversation>;
pub type JobId = Id<Job>;

impl<K> Id<K> {
    pub const fn new(id: i64) -> Self {
        Id(id, PhantomData)
    }

    /// The number, for URLs, messages and arithmetic.
    pub const fn get(self) -> i64 {
        self.0
    }
}

// By hand rather than derived: a derive would require `K` itself to be
// `Clone`, `Eq`, … and the kinds are empty enums.
impl<K> Clone for Id<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for Id<K> {}
impl<K> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<K> Eq for Id<K> {}
impl<K> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}
impl<K> Hash for Id<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}
impl<K: IdKind> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", K::NAME, self.0)
    }
}
impl<K> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl<K> FromStr for Id<K> {
    type Err = std::num::ParseIntError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Id::new)
    }
}
impl<K> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}
impl<'de, K> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Id::new)
    }
}

/// Ids bind and read as the `i64` they are, on either backend.
#[cfg(feature = "ssr")]
mod sql {
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::{Database, Decode, Encode, Type};

    use super::Id;

    impl<K, DB: Database> Type<DB> for Id<K>
    where
        i64: Type<DB>,
    {
        fn type_info() -> DB::TypeInfo {
            <i64 as Type<DB>>::type_info()
        }

        fn compatible(ty: &DB::TypeInfo) -> bool {
            <i64 as Type<DB>>::compatible(ty)
        }
    }

    impl<'q, K, DB: Database> Encode<'q, DB> for Id<K>
    where
        i64: Encode<'q, DB>,
    {
        fn encode_by_ref(
            &self,
            buf: &mut <DB as Database>::ArgumentBuffer<'q>,
        ) -> Result<IsNull, BoxDynError> {
            <i64 as Encode<'q, DB>>::encode_by_ref(&self.0, buf)
        }

        fn size_hint(&self) -> usize {
            <i64 as Encode<'q, DB>>::size_hint(&self.0)
        }
    }

    impl<'r, K, DB: Database> Decode<'r, DB> for Id<K>
    where
        i64: Decode<'r, DB>,
    {
        fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
            <i64 as Decode<'r, DB>>::decode(value).map(Id::new)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_numbers_on_the_wire() {
        let id = ContactId::new(42);
        assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("42"));
        assert_eq!(serde_json::from_str::<ContactId>("42").ok(), Some(id));
        assert_eq!("42".parse::<ContactId>().ok(), Some(id));
        assert_eq!(id.to_string(), "42");
        assert_eq!(format!("{id:?}"), "ContactId(42)");
        assert_eq!(format!("{:?}", JobId::new(7)), "JobId(7)");
    }
}
