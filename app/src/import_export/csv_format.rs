//! What an exported CSV looks like: its flavor (Brazilian Excel or plain
//! RFC 4180), its columns, and how each cell is written. Pure: no I/O.

use chrono::NaiveDate;

use crate::custom_fields::model::{CustomValue, FieldDefinition, FieldType};
use crate::custom_fields::values::display_value;

/// How several values share one cell (phones, e-mails, groups, options):
/// Google Contacts' separator, which the import splits too.
pub const MULTI_SEPARATOR: &str = " ::: ";

/// The dialect of an exported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvFlavor {
    /// Opens as columns in Brazilian Excel: UTF-8 with a BOM, `;` between
    /// cells, dates `dd/mm/aaaa`, decimal commas, "Sim"/"Não".
    #[default]
    Excel,
    /// Plain RFC 4180: UTF-8 without BOM, `,`, ISO dates, decimal points,
    /// `true`/`false`.
    Rfc4180,
}

impl CsvFlavor {
    /// Parses the `format` parameter (`excel`, default, or `rfc4180`).
    pub fn parse(text: &str) -> Option<CsvFlavor> {
        match text.trim() {
            "" | "excel" => Some(CsvFlavor::Excel),
            "rfc4180" | "csv" => Some(CsvFlavor::Rfc4180),
            _ => None,
        }
    }

    pub fn delimiter(self) -> u8 {
        match self {
            CsvFlavor::Excel => b';',
            CsvFlavor::Rfc4180 => b',',
        }
    }

    /// The bytes the file starts with.
    pub fn preamble(self) -> &'static [u8] {
        match self {
            CsvFlavor::Excel => "\u{feff}".as_bytes(),
            CsvFlavor::Rfc4180 => b"",
        }
    }

    /// A stored `YYYY-MM-DD` date as this flavor writes it.
    pub fn date(self, iso: &str) -> String {
        match self {
            CsvFlavor::Excel => NaiveDate::parse_from_str(iso, "%Y-%m-%d")
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|_| iso.to_string()),
            CsvFlavor::Rfc4180 => iso.to_string(),
        }
    }
}

/// Whether a cell is a phone number (or a list of them): a leading `+`
/// followed only by digits and the usual punctuation. Such cells stay as
/// they are so the numbers remain usable.
fn is_phone_cell(cell: &str) -> bool {
    cell.split(MULTI_SEPARATOR).all(|phone| {
        let mut chars = phone.chars();
        chars.next() == Some('+')
            && phone.chars().filter(char::is_ascii_digit).count() >= 8
            && chars.all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.'))
    })
}

/// Neutralises a cell against formula injection: a cell that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
/// spreadsheet shows it as text instead of evaluating it. Phone numbers
/// (`+55 11 98765-4321`) are left alone.
///
/// A cell that already looks neutralised (`'` then one of those) gets one
/// more `'`, so the import, which drops exactly one, reads back the value
/// as it was.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = |c: Option<char>| matches!(c, Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let looks_neutralised = cell.starts_with('\'') && risky(cell.chars().nth(1));
    if (risky(cell.chars().next()) && !is_phone_cell(cell)) || looks_neutralised {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The standard columns, in order (custom fields follow, by label).
pub const STANDARD_COLUMNS: [&str; 16] = [
    "ID",
    "Nome",
    "Telefones",
    "E-mails",
    "Endereço",
    "Data de nascimento",
    "CPF/CNPJ",
    "Gênero",
    "Organização",
    "Grupos",
    "Facebook",
    "Instagram",
    "Telegram",
    "Site",
    "Observações",
    CREATED_AT_COLUMN,
];

/// The last standard column: when the contact was created, in the zone the
/// header names.
pub const CREATED_AT_COLUMN: &str = "Criado em";

/// The header row: the standard columns, then each custom field's label,
/// neutralised like data cells (a label is company input: `=1+2` must not
/// run as a formula either). "Criado em" names the zone its times are in:
/// "Criado em (America/Sao_Paulo)".
pub fn header(definitions: &[FieldDefinition], time_zone: &str) -> Vec<String> {
    STANDARD_COLUMNS
        .iter()
        .map(|&c| match c {
            CREATED_AT_COLUMN => format!("{c} ({time_zone})"),
            _ => c.to_string(),
        })
        .chain(
            definitions
                .iter()
                .map(|d| neutralize(&d.label).into_owned()),
        )
        .collect()
}

/// One contact as the export writes it (already formatted for display
/// where the app shows it formatted: phones, document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportContact {
    pub id: i64,
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Formatted CPF/CNPJ.
    pub document: Option<String>,
    /// `female`, `male`, `other`.
    pub gender: Option<String>,
    pub organization: Option<String>,
    pub groups: Vec<String>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub telegram: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    /// RFC 3339, with the offset of the zone the file is written in
    /// (`2026-11-25T10:30:00-03:00`).
    pub created_at: String,
    pub custom: Vec<CustomValue>,
}

fn gender_label(gender: &str, flavor: CsvFlavor) -> String {
    match (flavor, gender) {
        (CsvFlavor::Rfc4180, g) => g.to_string(),
        (CsvFlavor::Excel, "female") => "Feminino".to_string(),
        (CsvFlavor::Excel, "male") => "Masculino".to_string(),
        (CsvFlavor::Excel, "other") => "Outro".to_string(),
        (CsvFlavor::Excel, g) => g.to_string(),
    }
}

/// A custom value's cell in this flavor.
fn custom_cell(value: &CustomValue, flavor: CsvFlavor) -> String {
    if value.field_type.is_select() {
        let labels: Vec<&str> = value.options.iter().map(|o| o.label.as_str()).collect();
        return labels.join(MULTI_SEPARATOR);
    }
    let text = value.value.as_deref().unwrap_or_default();
    match flavor {
        CsvFlavor::Excel => match value.field_type {
            // Numbers with a decimal comma and no grouping dots, so Excel
            // reads them as numbers.
            FieldType::Integer | FieldType::Decimal | FieldType::Currency => text.replace('.', ","),
            _ => display_value(value.field_type, Some(text), &[], "Sim", "Não"),
        },
        CsvFlavor::Rfc4180 => text.to_string(),
    }
}

/// The cells of one contact, in [`header`]'s order, neutralised.
pub fn row(
    contact: &ExportContact,
    definitions: &[FieldDefinition],
    flavor: CsvFlavor,
) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let created = match flavor {
        CsvFlavor::Excel => chrono::DateTime::parse_from_rfc3339(&contact.created_at)
            .map(|d| d.format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or_else(|_| contact.created_at.clone()),
        CsvFlavor::Rfc4180 => contact.created_at.clone(),
    };
    let mut cells = vec![
        contact.id.to_string(),
        contact.name.clone(),
        contact.phones.join(MULTI_SEPARATOR),
        contact.emails.join(MULTI_SEPARATOR),
        opt(&contact.address),
        contact
            .birth_date
            .as_deref()
            .map(|d| flavor.date(d))
            .unwrap_or_default(),
        opt(&contact.document),
        contact
            .gender
            .as_deref()
            .map(|g| gender_label(g, flavor))
            .unwrap_or_default(),
        opt(&contact.organization),
        contact.groups.join(MULTI_SEPARATOR),
        opt(&contact.facebook),
        opt(&contact.instagram),
        opt(&contact.telegram),
        opt(&contact.website),
        opt(&contact.notes),
        created,
    ];
    for definition in definitions {
        cells.push(
            contact
                .custom
                .iter()
                .find(|v| v.field_id == definition.id)
                .map(|v| custom_cell(v, flavor))
                .unwrap_or_default(),
        );
    }
    cells
        .into_iter()
        .map(|cell| neutralize(&cell).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_fields::model::SelectOption;
    use crate::ids::FieldId;

    #[test]
    fn formulas_are_neutralised_and_phones_are_not() {
        for (cell, shown) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+2", "'+1+2"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Ana", "Ana"),
            ("+55 11 98765-4321", "+55 11 98765-4321"),
            (
                "+1 202-555-0143 ::: +44 20 7946 0958",
                "+1 202-555-0143 ::: +44 20 7946 0958",
            ),
            ("+55 11 98765-4321 ::: =1+1", "'+55 11 98765-4321 ::: =1+1"),
            ("+123", "'+123"),
            // Already looks neutralised: one more quote, so the import's
            // single strip gives the value back.
            ("'=x", "''=x"),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(neutralize(cell), shown, "{cell:?}");
        }
    }

    #[test]
    fn flavors_write_dates_numbers_and_booleans_their_way() {
        let definitions = vec![
            FieldDefinition {
                id: FieldId::new(1),
                key: "limite".into(),
                label: "Limite".into(),
                field_type: FieldType::Currency,
                required: false,
                help: String::new(),
                options: vec![],
                used_by: None,
            },
            FieldDefinition {
                id: FieldId::new(2),
                key: "vip".into(),
                label: "VIP".into(),
                field_type: FieldType::YesNo,
                required: false,
                help: String::new(),
                options: vec![],
                used_by: None,
            },
            FieldDefinition {
                id: FieldId::new(3),
                key: "tags".into(),
                label: "Tags".into(),
                field_type: FieldType::MultiSelect,
                required: false,
                help: String::new(),
                options: vec![],
                used_by: None,
            },
        ];
        let value =
            |field_id, field_type, value: Option<&str>, options: Vec<SelectOption>| CustomValue {
                field_id,
                key: String::new(),
                label: String::new(),
                field_type,
                value: value.map(str::to_string),
                options,
            };
        let contact = ExportContact {
            id: 7,
            name: "=Ana".into(),
            phones: vec!["(11) 98765-4321".into(), "+1 202-555-0143".into()],
            birth_date: Some("1990-12-31".into()),
            gender: Some("female".into()),
            created_at: "2026-11-25T10:30:00-03:00".into(),
            custom: vec![
                value(
                    FieldId::new(1),
                    FieldType::Currency,
                    Some("1234.50"),
                    vec![],
                ),
                value(FieldId::new(2), FieldType::YesNo, Some("true"), vec![]),
                value(
                    FieldId::new(3),
                    FieldType::MultiSelect,
                    None,
                    vec![
                        SelectOption {
                            id: 1,
                            label: "A".into(),
                            retired: false,
                        },
                        SelectOption {
                            id: 2,
                            label: "B".into(),
                            retired: true,
                        },
                    ],
                ),
            ],
            ..Default::default()
        };
        let excel = row(&contact, &definitions, CsvFlavor::Excel);
        assert_eq!(excel.len(), STANDARD_COLUMNS.len() + 3);
        assert_eq!(excel[1], "'=Ana");
        assert_eq!(excel[2], "(11) 98765-4321 ::: +1 202-555-0143");
        assert_eq!(excel[5], "31/12/1990");
        assert_eq!(excel[7], "Feminino");
        assert_eq!(
            excel[15], "25/11/2026 10:30",
            "the local time, as the header's zone"
        );
        assert_eq!(&excel[16..], ["1234,50", "Sim", "A ::: B"]);
        let plain = row(&contact, &definitions, CsvFlavor::Rfc4180);
        assert_eq!(plain[5], "1990-12-31");
        assert_eq!(plain[7], "female");
        assert_eq!(plain[15], "2026-11-25T10:30:00-03:00");
        assert_eq!(&plain[16..], ["1234.50", "true", "A ::: B"]);
        let names = header(&definitions, "America/Sao_Paulo");
        assert_eq!(names[15], "Criado em (America/Sao_Paulo)");
        assert_eq!(names[16..], ["Limite", "VIP", "Tags"]);
        let risky = vec![FieldDefinition {
            label: "=1+2".into(),
            ..definitions[0].clone()
        }];
        assert_eq!(
            header(&risky, "UTC")[16],
            "'=1+2",
            "labels are neutralised too"
        );
    }

    #[test]
    fn the_format_parameter_names_a_flavor() {
        assert_eq!(CsvFlavor::parse(""), Some(CsvFlavor::Excel));
        assert_eq!(CsvFlavor::parse("rfc4180"), Some(CsvFlavor::Rfc4180));
        assert_eq!(CsvFlavor::parse("xlsx"), None);
        assert_eq!(CsvFlavor::Excel.preamble(), "\u{feff}".as_bytes());
    }
}
