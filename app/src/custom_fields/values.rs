//! Reading custom values as people type them and showing them back. Pure:
//! the browser checks a form with the same code the server trusts.
//!
//! Every value has three stored forms: `text` (what is shown, canonical:
//! ISO dates, `1234.56`, digits of a CPF), `key` (what equality and date
//! filters compare: folded text, or the canonical text) and `number` (what
//! number ranges compare).

use chrono::{NaiveDate, NaiveDateTime};

use crate::auth::validate::normalize_email;
use crate::contacts::document::{format_document, parse_document, Document};
use crate::contacts::form::check_phone_shape;
use crate::contacts::search::fold;
use crate::custom_fields::model::{FieldDefinition, FieldFilter, FieldType, SelectOption};
use crate::error::FieldError;
use crate::ids::FieldId;
use crate::problem::Problem;

/// Longest single-line text value, in characters.
pub const MAX_TEXT_CHARS: usize = 500;
/// Longest long-text value, in characters.
pub const MAX_LONG_TEXT_CHARS: usize = 5_000;

/// A checked value, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// Text-like values (text, dates, e-mail, phone as typed, URL, CPF digits, yes/no).
    Text { text: String, key: String },
    /// Numbers: canonical text (`1234.56`) and the number.
    Number { text: String, number: f64 },
    /// Chosen option ids of a select field.
    Options(Vec<i64>),
}

impl FieldValue {
    fn text(text: String) -> FieldValue {
        let key = text.clone();
        FieldValue::Text { text, key }
    }
}

/// Parses a date typed as `DD/MM/AAAA` or `AAAA-MM-DD` (what
/// `<input type="date">` gives).
pub fn parse_date(text: &str) -> Result<NaiveDate, Problem> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .map_err(|_| Problem::InvalidDate {
            text: text.to_string(),
        })
}

/// Parses a date and time typed as `DD/MM/AAAA HH:MM` or `AAAA-MM-DDTHH:MM`
/// (what `<input type="datetime-local">` gives). Wall-clock time: no zone.
pub fn parse_date_time(text: &str) -> Result<NaiveDateTime, Problem> {
    let text = text.trim();
    [
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .ok_or_else(|| Problem::InvalidDateTime {
        text: text.to_string(),
    })
}

/// Parses a yes/no answer in Portuguese or English.
pub fn parse_yes_no(text: &str) -> Result<bool, Problem> {
    match fold(text).as_str() {
        "sim" | "s" | "yes" | "y" | "true" | "1" | "verdadeiro" => Ok(true),
        "nao" | "n" | "no" | "false" | "0" | "falso" => Ok(false),
        _ => Err(Problem::NotYesNo {
            text: text.trim().to_string(),
        }),
    }
}

/// A decimal number split into its digits: sign, integer part, fraction.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    integer: String,
    fraction: String,
}

impl Decimal {
    fn canonical(&self) -> String {
        let integer = self.integer.trim_start_matches('0');
        let integer = if integer.is_empty() { "0" } else { integer };
        let sign = if self.negative && (integer != "0" || self.fraction.chars().any(|c| c != '0')) {
            "-"
        } else {
            ""
        };
        if self.fraction.is_empty() {
            format!("{sign}{integer}")
        } else {
            format!("{sign}{integer}.{}", self.fraction)
        }
    }
}

/// Parses a number typed the Brazilian way ("1.234,56", "1234,5") or with a
/// decimal point ("1234.56"). A comma is always the decimal separator, and
/// dots then group thousands. Without a comma, dots that split the number in
/// groups of three ("1.234.567") group thousands; a single other dot is a
/// decimal point ("12.5").
fn parse_decimal(text: &str) -> Result<Decimal, Problem> {
    let original = text.trim();
    let refused = || Problem::NotANumber {
        text: original.to_string(),
    };
    let mut text = original.replace(' ', "");
    let negative = text.starts_with('-');
    if negative || text.starts_with('+') {
        text.remove(0);
    }
    let (integer, fraction) = if let Some((integer, fraction)) = text.split_once(',') {
        let groups: Vec<&str> = integer.split('.').collect();
        if groups.len() > 1
            && (groups[0].is_empty()
                || groups[0].len() > 3
                || groups[1..].iter().any(|g| g.len() != 3))
        {
            return Err(refused());
        }
        (groups.concat(), fraction.to_string())
    } else {
        let groups: Vec<&str> = text.split('.').collect();
        match groups.len() {
            1 => (text.clone(), String::new()),
            2 if groups[1].len() != 3 || groups[0].is_empty() || groups[0].len() > 3 => {
                (groups[0].to_string(), groups[1].to_string())
            }
            _ if !groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3) =>
            {
                (groups.concat(), String::new())
            }
            _ => return Err(refused()),
        }
    };
    let integer = if integer.is_empty() && !fraction.is_empty() {
        "0".to_string()
    } else {
        integer
    };
    if integer.is_empty()
        || !integer.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || integer.len() > 15
    {
        return Err(refused());
    }
    Ok(Decimal {
        negative,
        integer,
        fraction,
    })
}

fn number_value(decimal: &Decimal) -> FieldValue {
    let text = decimal.canonical();
    let number = text.parse::<f64>().unwrap_or(0.0);
    FieldValue::Number { text, number }
}

/// Parses an integer ("1.234", "-5").
fn parse_integer(text: &str) -> Result<FieldValue, Problem> {
    let decimal = parse_decimal(text)?;
    if decimal.fraction.chars().any(|c| c != '0') {
        return Err(Problem::NotAnInteger {
            text: text.trim().to_string(),
        });
    }
    Ok(number_value(&Decimal {
        fraction: String::new(),
        ..decimal
    }))
}

/// Most decimal places a decimal field keeps.
const MAX_DECIMALS: usize = 6;

fn parse_decimal_value(text: &str) -> Result<FieldValue, Problem> {
    let mut decimal = parse_decimal(text)?;
    let trimmed = decimal.fraction.trim_end_matches('0').to_string();
    if trimmed.len() > MAX_DECIMALS {
        return Err(Problem::TooManyDecimals { max: MAX_DECIMALS });
    }
    decimal.fraction = trimmed;
    Ok(number_value(&decimal))
}

/// Parses an amount in reais ("R$ 1.234,56", "1234.5").
fn parse_currency(text: &str) -> Result<FieldValue, Problem> {
    let cleaned = text.trim().trim_start_matches("R$").trim();
    let mut decimal = parse_decimal(cleaned).map_err(|_| Problem::NotAnAmount {
        text: text.trim().to_string(),
    })?;
    let trimmed = decimal.fraction.trim_end_matches('0');
    if trimmed.len() > 2 {
        return Err(Problem::AmountDecimals);
    }
    decimal.fraction = format!("{trimmed:0<2}");
    Ok(number_value(&decimal))
}

fn parse_url(text: &str) -> Result<String, Problem> {
    let text = text.trim();
    let url = if text.contains("://") {
        text.to_string()
    } else {
        format!("https://{text}")
    };
    let host = url.split_once("://").map_or("", |(_, rest)| rest);
    let host = host.split('/').next().unwrap_or("");
    if !(url.starts_with("http://") || url.starts_with("https://"))
        || !host.contains('.')
        || host.starts_with('.')
        || host.ends_with('.')
        || url.chars().any(char::is_whitespace)
        || url.chars().count() > MAX_TEXT_CHARS
    {
        return Err(Problem::NotAnAddress {
            text: text.to_string(),
        });
    }
    Ok(url)
}

fn parse_options(
    text: &str,
    definition: &FieldDefinition,
    held: &[i64],
) -> Result<FieldValue, Problem> {
    let mut ids = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let option = part
            .parse::<i64>()
            .ok()
            .and_then(|id| definition.options.iter().find(|o| o.id == id))
            .ok_or_else(|| Problem::NotAnOption {
                text: part.to_string(),
            })?;
        // A retired option may stay on a contact that has it, never be added.
        if option.retired && !held.contains(&option.id) {
            return Err(Problem::RetiredOption {
                label: option.label.clone(),
            });
        }
        if !ids.contains(&option.id) {
            ids.push(option.id);
        }
    }
    if definition.field_type == FieldType::SingleSelect && ids.len() > 1 {
        return Err(Problem::OneOptionOnly);
    }
    // Stored in the field's option order.
    ids.sort_by_key(|id| definition.options.iter().position(|o| o.id == *id));
    Ok(FieldValue::Options(ids))
}

/// Reads one value typed for `definition`. `held` are the option ids the
/// contact already has (a retired option may stay). `Ok(None)`: left empty.
///
/// Phones are checked for shape only; the server then normalizes them to
/// E.164 with the full phone metadata.
pub fn parse_value(
    definition: &FieldDefinition,
    text: &str,
    held: &[i64],
) -> Result<Option<FieldValue>, Problem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let value = match definition.field_type {
        FieldType::Text => {
            let text = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(Problem::TooLong {
                    max: MAX_TEXT_CHARS,
                });
            }
            let key = fold(&text);
            FieldValue::Text { text, key }
        }
        FieldType::LongText => {
            if trimmed.chars().count() > MAX_LONG_TEXT_CHARS {
                return Err(Problem::TooLong {
                    max: MAX_LONG_TEXT_CHARS,
                });
            }
            let key = fold(trimmed).chars().take(200).collect();
            FieldValue::Text {
                text: trimmed.to_string(),
                key,
            }
        }
        FieldType::Integer => parse_integer(trimmed)?,
        FieldType::Decimal => parse_decimal_value(trimmed)?,
        FieldType::Currency => parse_currency(trimmed)?,
        FieldType::Date => FieldValue::text(parse_date(trimmed)?.format("%Y-%m-%d").to_string()),
        FieldType::DateTime => FieldValue::text(
            parse_date_time(trimmed)?
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
        ),
        FieldType::YesNo => FieldValue::text(parse_yes_no(trimmed)?.to_string()),
        FieldType::SingleSelect | FieldType::MultiSelect => {
            let value = parse_options(trimmed, definition, held)?;
            if value == FieldValue::Options(Vec::new()) {
                return Ok(None);
            }
            value
        }
        FieldType::Email => FieldValue::text(normalize_email(trimmed)?),
        FieldType::Phone => {
            check_phone_shape(trimmed)?;
            FieldValue::text(trimmed.to_string())
        }
        FieldType::Url => FieldValue::text(parse_url(trimmed)?),
        FieldType::Cpf => match parse_document(trimmed) {
            Ok(Document::Cpf(digits)) => FieldValue::text(digits),
            Ok(Document::Cnpj(_)) => return Err(Problem::CnpjNotCpf),
            Err(e) if trimmed.chars().filter(char::is_ascii_digit).count() != 14 => {
                return Err(if e == crate::contacts::document::DocumentError::Length {
                    Problem::CpfLength
                } else {
                    e.problem()
                })
            }
            Err(_) => return Err(Problem::CpfRequired),
        },
        FieldType::Cnpj => match parse_document(trimmed) {
            Ok(Document::Cnpj(digits)) => FieldValue::text(digits),
            Ok(Document::Cpf(_)) => return Err(Problem::CpfNotCnpj),
            Err(e) if trimmed.chars().filter(char::is_ascii_digit).count() != 11 => {
                return Err(if e == crate::contacts::document::DocumentError::Length {
                    Problem::CnpjLength
                } else {
                    e.problem()
                })
            }
            Err(_) => return Err(Problem::CnpjRequired),
        },
    };
    Ok(Some(value))
}

/// The form field name of a custom value: `custom.<key>`.
pub fn form_field(key: &str) -> String {
    format!("custom.{key}")
}

/// Checks every custom value of a contact form against the company's
/// definitions: each error names its field (`custom.<key>`); unknown keys
/// and missing required values are errors too. `held` gives, per field id,
/// the option ids the contact already has. Returns the values to store
/// (empty ones left out).
pub fn validate_custom_values(
    definitions: &[FieldDefinition],
    values: &std::collections::BTreeMap<String, String>,
    held: &dyn Fn(FieldId) -> Vec<i64>,
) -> Result<Vec<(FieldId, FieldValue)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    for key in values.keys() {
        if !definitions.iter().any(|d| &d.key == key) {
            errors.push(FieldError::new(
                form_field(key),
                Problem::UnknownCustomField { key: key.clone() },
            ));
        }
    }
    for definition in definitions {
        let text = values
            .get(&definition.key)
            .map(String::as_str)
            .unwrap_or("");
        match parse_value(definition, text, &held(definition.id)) {
            Ok(Some(value)) => valid.push((definition.id, value)),
            Ok(None) if definition.required => errors.push(FieldError::new(
                form_field(&definition.key),
                Problem::CustomFieldRequired {
                    label: definition.label.clone(),
                },
            )),
            Ok(None) => {}
            Err(problem) => errors.push(FieldError::new(form_field(&definition.key), problem)),
        }
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(errors)
    }
}

/// Groups digits by thousands with dots: "1234567" → "1.234.567".
fn group_thousands(integer: &str) -> String {
    let mut out = String::new();
    for (i, c) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A canonical number ("-1234.5") the Brazilian way ("-1.234,5").
fn brazilian_number(canonical: &str) -> String {
    let (sign, digits) = match canonical.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", canonical),
    };
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let grouped = group_thousands(integer);
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

/// How a stored value is shown (Brazilian formats). `yes`/`no` are the
/// locale's words.
pub fn display_value(
    field_type: FieldType,
    value: Option<&str>,
    options: &[SelectOption],
    yes: &str,
    no: &str,
) -> String {
    if field_type.is_select() {
        let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
        return labels.join(", ");
    }
    let Some(value) = value else {
        return String::new();
    };
    match field_type {
        FieldType::Integer | FieldType::Decimal => brazilian_number(value),
        FieldType::Currency => format!("R$ {}", brazilian_number(value)),
        FieldType::Date => NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|_| value.to_string()),
        FieldType::DateTime => NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
            .map(|d| d.format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or_else(|_| value.to_string()),
        FieldType::YesNo => if value == "true" { yes } else { no }.to_string(),
        FieldType::Cpf | FieldType::Cnpj => format_document(value),
        _ => value.to_string(),
    }
}

/// The value as an input starts from it: dates as `<input type="date">`
/// wants them (ISO), numbers the Brazilian way, documents formatted.
pub fn input_value(field_type: FieldType, value: &str) -> String {
    match field_type {
        FieldType::Integer | FieldType::Decimal => brazilian_number(value),
        FieldType::Currency => brazilian_number(value),
        FieldType::Cpf | FieldType::Cnpj => format_document(value),
        _ => value.to_string(),
    }
}

/// A field of `field_type` with nothing else set: reading a value as a
/// type, outside any company's definitions (type conversions).
fn of_type(field_type: FieldType) -> FieldDefinition {
    FieldDefinition {
        id: crate::ids::FieldId::new(0),
        key: String::new(),
        label: String::new(),
        field_type,
        required: false,
        help: String::new(),
        options: Vec::new(),
        used_by: None,
    }
}

/// What the list's filter inputs ask for, read for `definition`: `value`
/// (equality; an option id for select fields), `min`/`max` (ranges of
/// numbers and dates), `month` (1–12, dates: birthdays). Errors name the
/// input (`value`, `min`, `max`, `month`). Phone equality compares E.164:
/// the server normalizes the returned key.
pub fn build_filter(
    definition: &FieldDefinition,
    value: &str,
    min: &str,
    max: &str,
    month: Option<u32>,
) -> Result<FieldFilter, FieldError> {
    let refuse = |field: &str, problem: Problem| FieldError::new(field, problem);
    let field_type = definition.field_type;
    if let Some(month) = month {
        if !field_type.is_date() {
            return Err(refuse("month", Problem::MonthNeedsDate));
        }
        if !(1..=12).contains(&month) {
            return Err(refuse("month", Problem::ChooseMonth));
        }
        return Ok(FieldFilter::Month(month));
    }
    if field_type.is_select() {
        let option = value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| definition.options.iter().any(|o| o.id == *id))
            .ok_or_else(|| refuse("value", Problem::ChooseOption))?;
        return Ok(FieldFilter::Option(option));
    }
    let (min, max) = if min.trim().is_empty() && max.trim().is_empty() {
        (value, value)
    } else {
        (min, max)
    };
    if field_type.is_number() || field_type.is_date() {
        let bound = |field: &str, text: &str| -> Result<Option<FieldValue>, FieldError> {
            parse_value(definition, text, &[]).map_err(|m| refuse(field, m))
        };
        let (low, high) = (bound("min", min)?, bound("max", max)?);
        if low.is_none() && high.is_none() {
            return Err(refuse("value", Problem::FilterValueRequired));
        }
        if field_type.is_number() {
            let number = |v: Option<FieldValue>| match v {
                Some(FieldValue::Number { number, .. }) => Some(number),
                _ => None,
            };
            return Ok(FieldFilter::NumberRange(number(low), number(high)));
        }
        // Date-times are filtered by their day.
        let day = |v: Option<FieldValue>| match v {
            Some(FieldValue::Text { text, .. }) => Some(text.chars().take(10).collect()),
            _ => None,
        };
        return Ok(FieldFilter::DateRange(day(low), day(high)));
    }
    match parse_value(definition, value, &[]).map_err(|m| refuse("value", m))? {
        Some(FieldValue::Text { key, .. }) => Ok(FieldFilter::Equals(key)),
        _ => Err(refuse("value", Problem::FilterValueRequired)),
    }
}

/// Whether a stored value (its text, or its number for number types) can
/// become a value of `to`; `Err` says why not, naming the value. Select
/// fields convert only between single and multi (handled by the caller, who
/// knows how many options each contact has).
pub fn convert_value(
    from: FieldType,
    to: FieldType,
    text: &str,
) -> Result<Option<FieldValue>, String> {
    if from == to {
        return Ok(None);
    }
    if from.is_select() || to.is_select() {
        return Err(format!("\"{text}\""));
    }
    // What the value reads as, in the new type's terms.
    let readable = match from {
        FieldType::Integer | FieldType::Decimal | FieldType::Currency => brazilian_number(text),
        FieldType::Date if !to.is_date() => display_value(from, Some(text), &[], "", ""),
        _ => text.to_string(),
    };
    let definition = of_type(to);
    match parse_value(&definition, &readable, &[]) {
        Ok(value) => Ok(value),
        Err(_) => Err(format!("\"{readable}\"")),
    }
}

/// The stored columns of a non-select value: text, key, number (see
/// `contact_field_values`).
pub fn value_columns(value: &FieldValue) -> (&str, &str, Option<f64>) {
    match value {
        FieldValue::Text { text, key } => (text, key, None),
        FieldValue::Number { text, number } => (text, text, Some(*number)),
        FieldValue::Options(_) => ("", "", None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn field(field_type: FieldType) -> FieldDefinition {
        FieldDefinition {
            id: FieldId::new(1),
            key: "campo".into(),
            label: "Campo".into(),
            field_type,
            required: false,
            help: String::new(),
            options: vec![
                SelectOption {
                    id: 10,
                    label: "Ouro".into(),
                    retired: false,
                },
                SelectOption {
                    id: 11,
                    label: "Prata".into(),
                    retired: false,
                },
                SelectOption {
                    id: 12,
                    label: "Bronze".into(),
                    retired: true,
                },
            ],
            used_by: None,
        }
    }

    /// The value, or the refusal in Portuguese.
    fn parsed(field_type: FieldType, text: &str) -> Result<Option<FieldValue>, String> {
        parse_value(&field(field_type), text, &[]).map_err(|p| p.text(crate::i18n::Locale::PtBr))
    }

    fn text_of(field_type: FieldType, text: &str) -> String {
        match parsed(field_type, text) {
            Ok(Some(FieldValue::Text { text, .. })) => text,
            Ok(Some(FieldValue::Number { text, .. })) => text,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn cpfs_are_checked_and_stored_as_digits() {
        assert_eq!(text_of(FieldType::Cpf, "529.982.247-25"), "52998224725");
        assert_eq!(text_of(FieldType::Cpf, "11144477735"), "11144477735");
        for bad in [
            "529.982.247-24",
            "111.111.111-11",
            "000.000.000-00",
            "999.999.999-99",
        ] {
            let error = parsed(FieldType::Cpf, bad).expect_err(bad);
            assert!(error.contains("CPF inválido"), "{bad}: {error}");
        }
        assert_eq!(
            parsed(FieldType::Cpf, "1234").expect_err("short"),
            "Informe um CPF com 11 dígitos."
        );
        assert!(parsed(FieldType::Cpf, "11.222.333/0001-81")
            .expect_err("cnpj")
            .contains("CNPJ"));
    }

    #[test]
    fn cnpjs_are_checked_and_stored_as_digits() {
        assert_eq!(
            text_of(FieldType::Cnpj, "11.222.333/0001-81"),
            "11222333000181"
        );
        assert_eq!(text_of(FieldType::Cnpj, "45997418000153"), "45997418000153");
        for bad in ["11.222.333/0001-80", "00.000.000/0000-00", "11111111111111"] {
            let error = parsed(FieldType::Cnpj, bad).expect_err(bad);
            assert!(error.contains("CNPJ inválido"), "{bad}: {error}");
        }
        assert!(parsed(FieldType::Cnpj, "529.982.247-25")
            .expect_err("cpf")
            .contains("CPF"));
    }

    #[test]
    fn dates_are_typed_the_brazilian_way_and_stored_iso() {
        assert_eq!(text_of(FieldType::Date, "31/12/1990"), "1990-12-31");
        assert_eq!(text_of(FieldType::Date, "1990-12-31"), "1990-12-31");
        for bad in ["31/02/2020", "12/31/1990", "ontem", "2020-13-01"] {
            assert!(parsed(FieldType::Date, bad).is_err(), "{bad}");
        }
        assert_eq!(
            text_of(FieldType::DateTime, "25/11/2026 14:30"),
            "2026-11-25T14:30"
        );
        assert_eq!(
            text_of(FieldType::DateTime, "2026-11-25T14:30"),
            "2026-11-25T14:30"
        );
        assert!(parsed(FieldType::DateTime, "25/11/2026 25:00").is_err());
    }

    #[test]
    fn numbers_accept_the_brazilian_comma() {
        assert_eq!(text_of(FieldType::Decimal, "1.234,56"), "1234.56");
        assert_eq!(text_of(FieldType::Decimal, "1234,5"), "1234.5");
        assert_eq!(text_of(FieldType::Decimal, "1234.56"), "1234.56");
        assert_eq!(text_of(FieldType::Decimal, "12.5"), "12.5");
        assert_eq!(text_of(FieldType::Decimal, "1.234.567"), "1234567");
        assert_eq!(text_of(FieldType::Decimal, "-0,50"), "-0.5");
        assert_eq!(text_of(FieldType::Decimal, ",5"), "0.5");
        assert_eq!(text_of(FieldType::Integer, "1.234"), "1234");
        assert_eq!(text_of(FieldType::Integer, "-7"), "-7");
        assert_eq!(text_of(FieldType::Integer, "10,00"), "10");
        assert!(parsed(FieldType::Integer, "10,5").is_err());
        for bad in ["1,2,3", "12.34.5", "abc", "1.23,4", "--1", "1e5", "."] {
            assert!(parsed(FieldType::Decimal, bad).is_err(), "{bad}");
        }
        assert!(parsed(FieldType::Decimal, "0,1234567").is_err());
        match parsed(FieldType::Decimal, "1.234,56") {
            Ok(Some(FieldValue::Number { number, .. })) => assert_eq!(number, 1234.56),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn currency_keeps_cents() {
        assert_eq!(text_of(FieldType::Currency, "R$ 1.234,5"), "1234.50");
        assert_eq!(text_of(FieldType::Currency, "10"), "10.00");
        assert_eq!(text_of(FieldType::Currency, "0,99"), "0.99");
        assert!(parsed(FieldType::Currency, "1,999").is_err());
        assert_eq!(
            display_value(FieldType::Currency, Some("1234567.50"), &[], "", ""),
            "R$ 1.234.567,50"
        );
    }

    #[test]
    fn yes_no_reads_portuguese_and_english() {
        assert_eq!(text_of(FieldType::YesNo, "Sim"), "true");
        assert_eq!(text_of(FieldType::YesNo, "NÃO"), "false");
        assert_eq!(text_of(FieldType::YesNo, "yes"), "true");
        assert!(parsed(FieldType::YesNo, "talvez").is_err());
    }

    #[test]
    fn e_mails_urls_and_phones() {
        assert_eq!(
            text_of(FieldType::Email, " Ana@Loja.com.br "),
            "ana@loja.com.br"
        );
        assert!(parsed(FieldType::Email, "ana@").is_err());
        assert_eq!(
            text_of(FieldType::Url, "loja.com.br/x"),
            "https://loja.com.br/x"
        );
        assert!(parsed(FieldType::Url, "not a site").is_err());
        assert!(parsed(FieldType::Url, "ftp://loja.com").is_err());
        assert_eq!(
            text_of(FieldType::Phone, "(11) 98765-4321"),
            "(11) 98765-4321"
        );
        assert!(parsed(FieldType::Phone, "ligar depois").is_err());
    }

    #[test]
    fn text_is_folded_for_filters_and_bounded() {
        match parsed(FieldType::Text, "  Plano   OURO ") {
            Ok(Some(FieldValue::Text { text, key })) => {
                assert_eq!(text, "Plano OURO");
                assert_eq!(key, "plano ouro");
            }
            other => panic!("{other:?}"),
        }
        assert!(parsed(FieldType::Text, &"a".repeat(MAX_TEXT_CHARS + 1)).is_err());
        assert!(parsed(FieldType::LongText, &"a".repeat(MAX_TEXT_CHARS + 1)).is_ok());
        assert_eq!(parsed(FieldType::Text, "   "), Ok(None));
    }

    #[test]
    fn selects_take_option_ids_and_keep_retired_ones_already_held() {
        assert_eq!(
            parsed(FieldType::MultiSelect, "11, 10"),
            Ok(Some(FieldValue::Options(vec![10, 11])))
        );
        assert!(parsed(FieldType::SingleSelect, "10,11").is_err());
        assert!(parsed(FieldType::SingleSelect, "99").is_err());
        assert!(parsed(FieldType::SingleSelect, "12")
            .expect_err("retired")
            .contains("desativada"));
        assert_eq!(
            parse_value(&field(FieldType::SingleSelect), "12", &[12]),
            Ok(Some(FieldValue::Options(vec![12])))
        );
    }

    #[test]
    fn a_form_reports_each_field_and_required_ones() {
        let mut cpf = field(FieldType::Cpf);
        cpf.key = "cpf".into();
        cpf.label = "CPF".into();
        cpf.required = true;
        let mut plan = field(FieldType::SingleSelect);
        plan.id = FieldId::new(2);
        plan.key = "plano".into();
        let definitions = [cpf, plan];
        let held = |_| Vec::new();

        let mut values = BTreeMap::new();
        values.insert("plano".to_string(), "77".to_string());
        values.insert("cor".to_string(), "azul".to_string());
        let errors = validate_custom_values(&definitions, &values, &held).expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["custom.cor", "custom.cpf", "custom.plano"]);
        assert!(errors[1].message.contains("obrigatório"));

        let mut values = BTreeMap::new();
        values.insert("cpf".to_string(), "529.982.247-25".to_string());
        values.insert("plano".to_string(), String::new());
        let valid = validate_custom_values(&definitions, &values, &held).expect("valid");
        assert_eq!(
            valid,
            [(
                FieldId::new(1),
                FieldValue::Text {
                    text: "52998224725".into(),
                    key: "52998224725".into()
                }
            )]
        );
    }

    #[test]
    fn values_convert_when_they_read_as_the_new_type() {
        assert!(matches!(
            convert_value(FieldType::Text, FieldType::Integer, "42"),
            Ok(Some(FieldValue::Number { .. }))
        ));
        assert_eq!(
            convert_value(FieldType::Text, FieldType::Integer, "muitos"),
            Err("\"muitos\"".to_string())
        );
        assert!(convert_value(FieldType::Decimal, FieldType::Integer, "12.5").is_err());
        assert!(matches!(
            convert_value(FieldType::Integer, FieldType::Currency, "1234"),
            Ok(Some(FieldValue::Number { .. }))
        ));
        match convert_value(FieldType::Date, FieldType::Text, "1990-12-31") {
            Ok(Some(FieldValue::Text { text, .. })) => assert_eq!(text, "31/12/1990"),
            other => panic!("{other:?}"),
        }
        assert!(convert_value(FieldType::Text, FieldType::SingleSelect, "x").is_err());
    }

    #[test]
    fn filters_read_values_by_type() {
        let date = field(FieldType::Date);
        assert_eq!(
            build_filter(&date, "", "01/01/2020", "", None),
            Ok(FieldFilter::DateRange(Some("2020-01-01".into()), None))
        );
        assert_eq!(
            build_filter(&date, "", "", "", Some(11)),
            Ok(FieldFilter::Month(11))
        );
        assert_eq!(
            build_filter(&date, "", "", "", Some(13)).map_err(|e| e.field),
            Err("month".into())
        );
        assert_eq!(
            build_filter(&field(FieldType::Currency), "", "1.000", "2.000,50", None),
            Ok(FieldFilter::NumberRange(Some(1000.0), Some(2000.5)))
        );
        assert_eq!(
            build_filter(&field(FieldType::Integer), "", "x", "", None).map_err(|e| e.field),
            Err("min".into())
        );
        assert_eq!(
            build_filter(&field(FieldType::SingleSelect), "11", "", "", None),
            Ok(FieldFilter::Option(11))
        );
        assert!(build_filter(&field(FieldType::SingleSelect), "99", "", "", None).is_err());
        assert_eq!(
            build_filter(&field(FieldType::Cpf), "529.982.247-25", "", "", None),
            Ok(FieldFilter::Equals("52998224725".into()))
        );
        assert_eq!(
            build_filter(&field(FieldType::Text), "", "", "", None).map_err(|e| e.field),
            Err("value".into())
        );
    }

    #[test]
    fn filter_keys_match_stored_keys() {
        let equals = |field_type, text| build_filter(&of_type(field_type), text, "", "", None);
        assert_eq!(
            equals(FieldType::Cpf, "52998224725"),
            Ok(FieldFilter::Equals("52998224725".into()))
        );
        assert_eq!(
            equals(FieldType::Text, "OURO"),
            Ok(FieldFilter::Equals("ouro".into()))
        );
        assert_eq!(
            equals(FieldType::YesNo, "sim"),
            Ok(FieldFilter::Equals("true".into()))
        );
    }
}
