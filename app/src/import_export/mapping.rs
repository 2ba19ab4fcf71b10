//! Where each column of an imported file goes: a standard field, a custom
//! field, or nowhere. The first guess comes from the header's name, in
//! Portuguese or English, as Google Contacts, Outlook, Brazilian Excel
//! sheets and other CRMs write them; the user confirms or changes it in the
//! mapping step. Pure.

use serde::{Deserialize, Serialize};

use crate::contacts::search::fold;
use crate::custom_fields::model::FieldDefinition;
use crate::import_export::csv_format::MULTI_SEPARATOR;

/// Where a column's cells go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "target", content = "key")]
pub enum ColumnTarget {
    /// Not imported.
    Ignore,
    /// The contact ID (matches existing contacts for "update").
    ContactId,
    /// The whole name.
    Name,
    /// Parts of the name, joined with spaces in column order.
    FirstName,
    MiddleName,
    LastName,
    /// One or more phones (a file may have several phone columns).
    Phone,
    /// One or more e-mails.
    Email,
    Address,
    BirthDate,
    /// CPF or CNPJ.
    Document,
    Gender,
    Organization,
    /// Group names.
    Groups,
    Facebook,
    Instagram,
    Telegram,
    Website,
    Notes,
    /// A custom field, by key.
    Custom(String),
}

impl ColumnTarget {
    /// The standard targets in the order the mapping step offers them
    /// (custom fields follow); `Messages::target_names` labels them.
    pub const STANDARD: [ColumnTarget; 18] = [
        ColumnTarget::Name,
        ColumnTarget::FirstName,
        ColumnTarget::MiddleName,
        ColumnTarget::LastName,
        ColumnTarget::Phone,
        ColumnTarget::Email,
        ColumnTarget::Address,
        ColumnTarget::BirthDate,
        ColumnTarget::Document,
        ColumnTarget::Gender,
        ColumnTarget::Organization,
        ColumnTarget::Groups,
        ColumnTarget::Facebook,
        ColumnTarget::Instagram,
        ColumnTarget::Telegram,
        ColumnTarget::Website,
        ColumnTarget::Notes,
        ColumnTarget::ContactId,
    ];

    /// A short text naming the target (a `<select>` value): `ignore`,
    /// `phone`, …, `custom:KEY`.
    pub fn code(&self) -> String {
        match self {
            ColumnTarget::Custom(key) => format!("custom:{key}"),
            other => serde_json::to_value(other)
                .ok()
                .and_then(|v| v["target"].as_str().map(str::to_string))
                .unwrap_or_else(|| "ignore".to_string()),
        }
    }

    /// The target a [`code`](Self::code) names; unknown codes are ignored.
    pub fn from_code(code: &str) -> ColumnTarget {
        if let Some(key) = code.strip_prefix("custom:") {
            return ColumnTarget::Custom(key.to_string());
        }
        serde_json::from_value(serde_json::json!({ "target": code }))
            .unwrap_or(ColumnTarget::Ignore)
    }
}

/// Header names (folded: lower case, no accents) and their targets. A
/// header matches a name exactly, or starts with it followed by a space,
/// digit or punctuation ("phone 1 - value", "e-mail 2 - value").
const KNOWN: &[(&str, ColumnTarget)] = &[
    ("id", ColumnTarget::ContactId),
    ("id do contato", ColumnTarget::ContactId),
    ("contact id", ColumnTarget::ContactId),
    ("codigo", ColumnTarget::ContactId),
    ("nome", ColumnTarget::Name),
    ("nome completo", ColumnTarget::Name),
    ("name", ColumnTarget::Name),
    ("full name", ColumnTarget::Name),
    ("display name", ColumnTarget::Name),
    ("contato", ColumnTarget::Name),
    ("cliente", ColumnTarget::Name),
    ("primeiro nome", ColumnTarget::FirstName),
    ("first name", ColumnTarget::FirstName),
    ("given name", ColumnTarget::FirstName),
    ("nome do meio", ColumnTarget::MiddleName),
    ("middle name", ColumnTarget::MiddleName),
    ("additional name", ColumnTarget::MiddleName),
    ("sobrenome", ColumnTarget::LastName),
    ("ultimo nome", ColumnTarget::LastName),
    ("last name", ColumnTarget::LastName),
    ("family name", ColumnTarget::LastName),
    ("surname", ColumnTarget::LastName),
    ("telefones", ColumnTarget::Phone),
    ("telefone", ColumnTarget::Phone),
    ("celular", ColumnTarget::Phone),
    ("whatsapp", ColumnTarget::Phone),
    ("fone", ColumnTarget::Phone),
    ("tel", ColumnTarget::Phone),
    ("phone", ColumnTarget::Phone),
    ("mobile phone", ColumnTarget::Phone),
    ("mobile", ColumnTarget::Phone),
    ("business phone", ColumnTarget::Phone),
    ("home phone", ColumnTarget::Phone),
    ("primary phone", ColumnTarget::Phone),
    ("other phone", ColumnTarget::Phone),
    ("e-mails", ColumnTarget::Email),
    ("e-mail", ColumnTarget::Email),
    ("email", ColumnTarget::Email),
    ("e-mail address", ColumnTarget::Email),
    ("email address", ColumnTarget::Email),
    ("e-mail 2 address", ColumnTarget::Email),
    ("e-mail 3 address", ColumnTarget::Email),
    ("endereco", ColumnTarget::Address),
    ("endereco completo", ColumnTarget::Address),
    ("address", ColumnTarget::Address),
    ("home address", ColumnTarget::Address),
    ("business address", ColumnTarget::Address),
    ("home street", ColumnTarget::Address),
    ("business street", ColumnTarget::Address),
    ("data de nascimento", ColumnTarget::BirthDate),
    ("nascimento", ColumnTarget::BirthDate),
    ("aniversario", ColumnTarget::BirthDate),
    ("birthday", ColumnTarget::BirthDate),
    ("birth date", ColumnTarget::BirthDate),
    ("date of birth", ColumnTarget::BirthDate),
    ("cpf/cnpj", ColumnTarget::Document),
    ("cpf", ColumnTarget::Document),
    ("cnpj", ColumnTarget::Document),
    ("documento", ColumnTarget::Document),
    ("genero", ColumnTarget::Gender),
    ("sexo", ColumnTarget::Gender),
    ("gender", ColumnTarget::Gender),
    ("organizacao", ColumnTarget::Organization),
    ("empresa", ColumnTarget::Organization),
    ("company", ColumnTarget::Organization),
    ("organization name", ColumnTarget::Organization),
    ("organization", ColumnTarget::Organization),
    ("grupos", ColumnTarget::Groups),
    ("grupo", ColumnTarget::Groups),
    ("groups", ColumnTarget::Groups),
    ("group membership", ColumnTarget::Groups),
    ("labels", ColumnTarget::Groups),
    ("categories", ColumnTarget::Groups),
    ("facebook", ColumnTarget::Facebook),
    ("instagram", ColumnTarget::Instagram),
    ("telegram", ColumnTarget::Telegram),
    ("site", ColumnTarget::Website),
    ("website", ColumnTarget::Website),
    ("web page", ColumnTarget::Website),
    ("pagina web", ColumnTarget::Website),
    ("observacoes", ColumnTarget::Notes),
    ("observacao", ColumnTarget::Notes),
    ("obs", ColumnTarget::Notes),
    ("notas", ColumnTarget::Notes),
    ("notes", ColumnTarget::Notes),
];

/// Google's phone/e-mail columns come in pairs: "Phone 1 - Label" (Mobile,
/// Work, …) beside "Phone 1 - Value". Labels, types and other metadata
/// columns are not contact data.
fn is_metadata(folded: &str) -> bool {
    [" - label", " - type", "type", "label"]
        .iter()
        .any(|suffix| folded.ends_with(suffix) && folded != "labels")
}

/// Whether `folded` is `name` or starts with `name` then a non-letter.
fn names(folded: &str, name: &str) -> bool {
    folded == name
        || folded
            .strip_prefix(name)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| !c.is_alphabetic())
}

/// The first guess for a column from its header. Custom fields match by
/// label or key (ignoring case and accents) and win over the standard
/// names, so a company's "CPF" field gets the CPF column.
pub fn guess_column(header: &str, custom: &[FieldDefinition]) -> ColumnTarget {
    // An exported header may carry the export's formula guard (`'=1+2`).
    let header =
        crate::import_export::rows::unneutralize(header.trim().trim_start_matches('\u{feff}'));
    let folded = fold(header);
    if folded.is_empty() {
        return ColumnTarget::Ignore;
    }
    if let Some(field) = custom
        .iter()
        .find(|f| fold(&f.label) == folded || f.key == folded.replace(' ', "_"))
    {
        return ColumnTarget::Custom(field.key.clone());
    }
    if is_metadata(&folded) {
        return ColumnTarget::Ignore;
    }
    // The longest known name that the header names wins ("e-mail address"
    // over "e-mail", "mobile phone" over "mobile").
    KNOWN
        .iter()
        .filter(|(name, _)| names(&folded, name))
        .max_by_key(|(name, _)| name.len())
        .map_or(ColumnTarget::Ignore, |(_, target)| target.clone())
}

/// The guesses for a whole header row. A second "Nome"-like column when
/// first/last name columns exist is left to the user (ignored), so names
/// are not doubled.
pub fn guess_columns(headers: &[String], custom: &[FieldDefinition]) -> Vec<ColumnTarget> {
    let mut targets: Vec<ColumnTarget> = headers.iter().map(|h| guess_column(h, custom)).collect();
    let has_parts = targets
        .iter()
        .any(|t| matches!(t, ColumnTarget::FirstName | ColumnTarget::LastName));
    if has_parts {
        for target in &mut targets {
            if *target == ColumnTarget::Name {
                *target = ColumnTarget::Ignore;
            }
        }
    }
    let mut seen_id = false;
    for target in &mut targets {
        if *target == ColumnTarget::ContactId {
            if seen_id {
                *target = ColumnTarget::Ignore;
            }
            seen_id = true;
        }
    }
    targets
}

/// The values of a multi-value cell: Google's ` ::: ` (also the export's
/// separator), trimmed, empty ones dropped.
pub fn split_multi(cell: &str) -> Vec<&str> {
    cell.split(MULTI_SEPARATOR.trim())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// Google Contacts' system groups ("* myContacts", "* starred") are not
/// groups a company made.
pub fn is_system_group(name: &str) -> bool {
    name.starts_with("* ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_fields::model::FieldType;
    use crate::ids::FieldId;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|h| h.to_string()).collect()
    }

    #[test]
    fn google_contacts_headers() {
        let row = headers(&[
            "First Name",
            "Middle Name",
            "Last Name",
            "Phonetic First Name",
            "Nickname",
            "Birthday",
            "Notes",
            "Labels",
            "E-mail 1 - Label",
            "E-mail 1 - Value",
            "Phone 1 - Label",
            "Phone 1 - Value",
            "Phone 2 - Value",
            "Organization Name",
            "Website 1 - Value",
        ]);
        use ColumnTarget::*;
        assert_eq!(
            guess_columns(&row, &[]),
            [
                FirstName,
                MiddleName,
                LastName,
                Ignore,
                Ignore,
                BirthDate,
                Notes,
                Groups,
                Ignore,
                Email,
                Ignore,
                Phone,
                Phone,
                Organization,
                Website
            ]
        );
    }

    #[test]
    fn outlook_headers() {
        let row = headers(&[
            "First Name",
            "Last Name",
            "Company",
            "E-mail Address",
            "E-mail 2 Address",
            "Mobile Phone",
            "Business Phone",
            "Home Street",
            "Web Page",
            "Categories",
        ]);
        use ColumnTarget::*;
        assert_eq!(
            guess_columns(&row, &[]),
            [
                FirstName,
                LastName,
                Organization,
                Email,
                Email,
                Phone,
                Phone,
                Address,
                Website,
                Groups
            ]
        );
    }

    #[test]
    fn brazilian_headers_and_custom_fields() {
        let cpf = FieldDefinition {
            id: FieldId::new(1),
            key: "cpf_cliente".into(),
            label: "CPF".into(),
            field_type: FieldType::Cpf,
            required: false,
            help: String::new(),
            options: vec![],
            used_by: None,
        };
        let plan = FieldDefinition {
            id: FieldId::new(2),
            key: "plano".into(),
            label: "Plano contratado".into(),
            field_type: FieldType::Text,
            ..cpf.clone()
        };
        let row = headers(&[
            "\u{feff}Nome",
            "Celular",
            "WhatsApp",
            "E-mail",
            "Empresa",
            "CPF",
            "Data de Nascimento",
            "Endereço",
            "PLANO CONTRATADO",
            "plano",
            "Observações",
            "Coluna sem nome",
            "",
        ]);
        use ColumnTarget::*;
        assert_eq!(
            guess_columns(&row, &[cpf, plan]),
            [
                Name,
                Phone,
                Phone,
                Email,
                Organization,
                Custom("cpf_cliente".into()),
                BirthDate,
                Address,
                Custom("plano".into()),
                Custom("plano".into()),
                Notes,
                Ignore,
                Ignore
            ]
        );
        // Without a CPF custom field, the column is the contact's document.
        assert_eq!(guess_column("CPF", &[]), Document);
        // A label the export neutralised maps back to its field.
        let formula = FieldDefinition {
            id: FieldId::new(3),
            key: "formula".into(),
            label: "=1+2".into(),
            field_type: FieldType::Text,
            required: false,
            help: String::new(),
            options: vec![],
            used_by: None,
        };
        assert_eq!(
            guess_column("'=1+2", std::slice::from_ref(&formula)),
            Custom("formula".into())
        );
        // The export's own header maps back.
        let exported = crate::import_export::csv_format::header(&[], "America/Sao_Paulo");
        let targets = guess_columns(&exported, &[]);
        assert_eq!(targets[..4], [ContactId, Name, Phone, Email]);
        assert!(
            targets[..15].iter().all(|t| *t != Ignore),
            "every exported column but 'Criado em' maps back: {targets:?}"
        );
        assert_eq!(targets[15], Ignore);
    }

    #[test]
    fn targets_round_trip_their_codes() {
        for target in ColumnTarget::STANDARD
            .into_iter()
            .chain([ColumnTarget::Ignore, ColumnTarget::Custom("plano".into())])
        {
            assert_eq!(ColumnTarget::from_code(&target.code()), target);
        }
        assert_eq!(ColumnTarget::Phone.code(), "phone");
        assert_eq!(ColumnTarget::from_code("nonsense"), ColumnTarget::Ignore);
    }

    #[test]
    fn multi_value_cells_split_on_google_separator() {
        assert_eq!(
            split_multi("+55 11 98765-4321 ::: +55 11 3456-7890"),
            ["+55 11 98765-4321", "+55 11 3456-7890"]
        );
        assert_eq!(
            split_multi(" a@x.com :::  ::: b@x.com "),
            ["a@x.com", "b@x.com"]
        );
        assert_eq!(split_multi(""), Vec::<&str>::new());
        assert!(is_system_group("* myContacts"));
        assert!(!is_system_group("VIP"));
    }
}
