//! Custom field definitions and values as the API sends them. Pure, shared
//! with the browser.

use crate::ids::FieldId;
use serde::{Deserialize, Serialize};

/// The type of a custom field: what it accepts, how it is stored, shown,
/// filtered and entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    LongText,
    Integer,
    Decimal,
    /// Brazilian reais, two decimal places.
    Currency,
    Date,
    DateTime,
    YesNo,
    SingleSelect,
    MultiSelect,
    Email,
    Phone,
    Url,
    Cpf,
    Cnpj,
}

impl FieldType {
    /// Every type, in the order the settings page offers them.
    pub const ALL: [FieldType; 15] = [
        FieldType::Text,
        FieldType::LongText,
        FieldType::Integer,
        FieldType::Decimal,
        FieldType::Currency,
        FieldType::Date,
        FieldType::DateTime,
        FieldType::YesNo,
        FieldType::SingleSelect,
        FieldType::MultiSelect,
        FieldType::Email,
        FieldType::Phone,
        FieldType::Url,
        FieldType::Cpf,
        FieldType::Cnpj,
    ];

    /// The stored and submitted name (`"long_text"`).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Integer => "integer",
            FieldType::Decimal => "decimal",
            FieldType::Currency => "currency",
            FieldType::Date => "date",
            FieldType::DateTime => "date_time",
            FieldType::YesNo => "yes_no",
            FieldType::SingleSelect => "single_select",
            FieldType::MultiSelect => "multi_select",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
            FieldType::Cpf => "cpf",
            FieldType::Cnpj => "cnpj",
        }
    }

    /// Parses a stored or submitted name.
    pub fn parse(text: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// Whether values are option ids (kept in their own table).
    pub fn is_select(self) -> bool {
        matches!(self, FieldType::SingleSelect | FieldType::MultiSelect)
    }

    /// Whether values are numbers (filtered by range on the number column).
    pub fn is_number(self) -> bool {
        matches!(
            self,
            FieldType::Integer | FieldType::Decimal | FieldType::Currency
        )
    }

    /// Whether values are dates or date-times (filtered by range on their ISO text).
    pub fn is_date(self) -> bool {
        matches!(self, FieldType::Date | FieldType::DateTime)
    }

    /// Whether the search box finds contacts by this field's digits.
    pub fn is_searchable_document(self) -> bool {
        matches!(self, FieldType::Cpf | FieldType::Cnpj)
    }
}

/// One option of a select field. Retired options stay on the contacts that
/// have them but are no longer offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectOption {
    pub id: i64,
    pub label: String,
    pub retired: bool,
}

/// A custom field as the company defined it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDefinition {
    pub id: FieldId,
    /// Stable machine name (`plano`, `data_adesao`): the CSV column and the
    /// key of the contact form's `custom` map. Never changes.
    pub key: String,
    pub label: String,
    pub field_type: FieldType,
    pub required: bool,
    /// Shown under the input.
    pub help: String,
    /// Options of a select field, in the order they are offered.
    pub options: Vec<SelectOption>,
    /// How many contacts have a value (the delete confirmation says it);
    /// `None` where it was not counted (the public list).
    pub used_by: Option<i64>,
}

impl FieldDefinition {
    /// The options still offered for new selections.
    pub fn active_options(&self) -> impl Iterator<Item = &SelectOption> {
        self.options.iter().filter(|o| !o.retired)
    }
}

/// What an admin submits to create a field or change one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldDraft {
    pub label: String,
    /// Empty: derived from the label. Ignored when changing a field.
    pub key: String,
    /// A [`FieldType::as_str`] name.
    pub field_type: String,
    pub required: bool,
    pub help: String,
    /// Options of a new select field, one per entry. Ignored when changing a
    /// field (options have their own endpoints).
    pub options: Vec<String>,
}

/// One custom value of a contact, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomValue {
    pub field_id: FieldId,
    pub key: String,
    pub label: String,
    pub field_type: FieldType,
    /// The stored value (ISO dates, `1234.56`, E.164, digits, `true`);
    /// `None` for select fields.
    pub value: Option<String>,
    /// The chosen options of a select field, in option order.
    pub options: Vec<SelectOption>,
}

impl CustomValue {
    /// The value as the contact form's `custom` map holds it.
    pub fn form_value(&self) -> String {
        if self.field_type.is_select() {
            let ids: Vec<String> = self.options.iter().map(|o| o.id.to_string()).collect();
            ids.join(",")
        } else {
            self.value.clone().unwrap_or_default()
        }
    }
}

/// A filter of the contact list on one custom field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FieldFilter {
    /// Equal to this stored key (folded text, `true`/`false`, digits, …).
    Equals(String),
    /// A number within the range (either end open).
    NumberRange(Option<f64>, Option<f64>),
    /// A date (ISO) within the range (either end open, inclusive).
    DateRange(Option<String>, Option<String>),
    /// A date in this month (1–12), any year: birthdays.
    Month(u32),
    /// Has this option selected.
    Option(i64),
}

/// The list filter by a custom field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomFilter {
    pub field_id: FieldId,
    pub filter: FieldFilter,
}
