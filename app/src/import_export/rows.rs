//! Reading an imported file's rows: the checks made while the upload streams
//! in ([`FileScan`]), which row is the header ([`pick_header`]), and how one
//! row's cells become a contact form ([`RowReader`]). Pure: the server runs
//! the form through the same validation as the add/edit form afterwards.

use crate::contacts::form::ContactForm;
use crate::contacts::search::fold;
use crate::custom_fields::model::{FieldDefinition, FieldType};
use crate::error::FieldError;
use crate::ids::ContactId;
use crate::import_export::csv_format::MULTI_SEPARATOR;
use crate::import_export::mapping::{guess_columns, is_system_group, split_multi, ColumnTarget};
use crate::problem::Problem;

/// Largest cell accepted, in bytes: a longer one is a broken file (an
/// unclosed quote swallowing the rest) or not contact data.
pub const MAX_CELL_BYTES: usize = 64 * 1024;

/// What is learned about a file while its bytes stream in, without keeping
/// them: its lines, its records, whether a quote is left open, whether it
/// holds binary bytes. Quotes, line feeds and NUL are the same bytes in
/// UTF-8 and Windows-1252, so the scan needs no decoding.
#[derive(Debug, Clone, Default)]
pub struct FileScan {
    /// Bytes seen.
    pub bytes: u64,
    /// Records with any non-blank byte (header included).
    pub records: u64,
    /// Line feeds seen.
    lines: u64,
    in_quote: bool,
    /// The line where the open quote started (1-based).
    quote_line: u64,
    record_has_content: bool,
    /// Bytes that never occur in text (NUL and most C0 controls).
    binary_bytes: u64,
}

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    Empty,
    HeaderOnly,
    Binary,
    /// A quote opened on this line is never closed.
    UnclosedQuote(u64),
    /// Over this many MB (the configured limit).
    TooLarge(u64),
}

impl FileError {
    /// The refusal as a field problem (worded per language).
    pub fn problem(&self) -> Problem {
        match *self {
            FileError::Empty => Problem::FileEmpty,
            FileError::HeaderOnly => Problem::FileHeaderOnly,
            FileError::Binary => Problem::FileBinary,
            FileError::UnclosedQuote(line) => Problem::FileUnclosedQuote { line },
            FileError::TooLarge(mb) => Problem::FileTooLarge { mb },
        }
    }
}

impl FileScan {
    /// Takes the next bytes of the file.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        for &byte in bytes {
            match byte {
                b'"' => {
                    if !self.in_quote {
                        self.quote_line = self.lines + 1;
                    }
                    self.in_quote = !self.in_quote;
                    self.record_has_content = true;
                }
                b'\n' => {
                    self.lines += 1;
                    if !self.in_quote && self.record_has_content {
                        self.records += 1;
                        self.record_has_content = false;
                    }
                }
                b'\r' | b'\t' | b' ' => {}
                0..=8 | 11 | 12 | 14..=26 | 28..=31 => self.binary_bytes += 1,
                _ => self.record_has_content = true,
            }
        }
    }

    /// The verdict once the whole file is in: `Ok(data rows)`, the header
    /// row not counted (a few title lines above the header make this an
    /// estimate, used only for the progress bar).
    pub fn finish(mut self) -> Result<u64, FileError> {
        if self.record_has_content && !self.in_quote {
            self.records += 1;
        }
        if self.binary_bytes > 0 {
            return Err(FileError::Binary);
        }
        if self.in_quote {
            return Err(FileError::UnclosedQuote(self.quote_line));
        }
        match self.records {
            0 => Err(FileError::Empty),
            1 => Err(FileError::HeaderOnly),
            n => Ok(n - 1),
        }
    }
}

/// Which of the file's first records is the header: the one whose names map
/// to the most known fields (a title line or a blank-ish line above the
/// header loses); on a tie, the first. Only the first 10 records count.
pub fn pick_header(records: &[Vec<String>], definitions: &[FieldDefinition]) -> usize {
    let mut best = (0, 0usize);
    for (index, record) in records.iter().take(10).enumerate() {
        let known = guess_columns(record, definitions)
            .iter()
            .filter(|t| **t != ColumnTarget::Ignore)
            .count();
        if known > best.1 {
            best = (index, known);
        }
    }
    best.0
}

/// Undoes the export's protection against formula injection: a `'` in
/// front of `=`, `+`, `-`, `@`, tab or CR was added by us (or by a
/// spreadsheet), and is not part of the value.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Reads a gender as people write it in Portuguese or English.
fn parse_gender(text: &str) -> Result<&'static str, String> {
    match fold(text).as_str() {
        "f" | "feminino" | "female" | "mulher" | "fem" => Ok("female"),
        "m" | "masculino" | "male" | "homem" | "masc" => Ok("male"),
        "o" | "outro" | "other" | "outros" | "nao binario" | "nao-binario" => Ok("other"),
        _ => Err(format!(
            "\"{}\" não é um gênero conhecido (use Feminino, Masculino ou Outro).",
            text.trim()
        )),
    }
}

/// One row read into the add/edit form's shape.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedRow {
    /// The value of the contact ID column, when mapped and filled.
    pub contact_id: Option<ContactId>,
    /// The form. Its organization and groups are by name below; select
    /// custom fields hold option ids, as the form sends them.
    pub form: ContactForm,
    /// Whether the name came from a name column (it replaces an existing
    /// contact's name on update); otherwise it was made up from the
    /// organization, e-mail or phone, so the contact has one.
    pub name_given: bool,
    pub organization: Option<String>,
    pub groups: Vec<String>,
    /// The column each phone and e-mail came from (for error messages).
    pub phone_columns: Vec<usize>,
    pub email_columns: Vec<usize>,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowRead {
    /// Every mapped cell is empty: nothing to import.
    Blank,
    Contact(Box<ImportedRow>),
    /// Cells that cannot be read, with the reason per column.
    Invalid(String),
}

/// Turns rows of cells into contact forms, following the confirmed mapping.
#[derive(Debug, Clone)]
pub struct RowReader<'a> {
    headers: &'a [String],
    targets: &'a [ColumnTarget],
    definitions: &'a [FieldDefinition],
}

impl<'a> RowReader<'a> {
    pub fn new(
        headers: &'a [String],
        targets: &'a [ColumnTarget],
        definitions: &'a [FieldDefinition],
    ) -> Self {
        RowReader {
            headers,
            targets,
            definitions,
        }
    }

    /// The header of column `index`, or its spreadsheet letter when blank.
    pub fn column_name(&self, index: usize) -> String {
        match self.headers.get(index).map(|h| h.trim()) {
            Some(h) if !h.is_empty() => h.trim_start_matches('\u{feff}').to_string(),
            _ => format!("coluna {}", column_letter(index)),
        }
    }

    fn first_column(&self, wanted: impl Fn(&ColumnTarget) -> bool) -> Option<usize> {
        self.targets.iter().position(wanted)
    }

    /// Reads one row. `cells` are the row's cells, decoded.
    pub fn read(&self, cells: &[String]) -> RowRead {
        if cells.len() != self.headers.len() && cells.iter().any(|c| !c.trim().is_empty()) {
            return RowRead::Invalid(format!(
                "A linha tem {} colunas e o cabeçalho tem {}: confira se há um separador ou uma aspa a mais.",
                cells.len(),
                self.headers.len()
            ));
        }
        let mut row = ImportedRow::default();
        let mut errors: Vec<String> = Vec::new();
        let mut name_parts: Vec<&str> = Vec::new();
        let mut any = false;
        for (index, target) in self.targets.iter().enumerate() {
            let Some(raw) = cells.get(index) else {
                continue;
            };
            if *target == ColumnTarget::Ignore {
                continue;
            }
            if raw.len() > MAX_CELL_BYTES {
                errors.push(format!(
                    "{}: a célula tem {} KB; o máximo é {} KB.",
                    self.column_name(index),
                    raw.len() / 1024,
                    MAX_CELL_BYTES / 1024
                ));
                continue;
            }
            let cell = unneutralize(raw.trim()).trim();
            if cell.is_empty() {
                continue;
            }
            any = true;
            let set = |slot: &mut String| {
                if slot.is_empty() {
                    *slot = cell.to_string();
                } else {
                    slot.push('\n');
                    slot.push_str(cell);
                }
            };
            match target {
                ColumnTarget::Ignore => {}
                ColumnTarget::ContactId => match cell.parse::<i64>() {
                    Ok(id) if id > 0 => row.contact_id = Some(ContactId::new(id)),
                    _ => errors.push(format!(
                        "{}: \"{cell}\" não é um ID de contato (um número).",
                        self.column_name(index)
                    )),
                },
                ColumnTarget::Name => {
                    if row.form.name.is_empty() {
                        row.form.name = cell.to_string();
                    }
                }
                ColumnTarget::FirstName | ColumnTarget::MiddleName | ColumnTarget::LastName => {
                    name_parts.push(cell)
                }
                ColumnTarget::Phone => {
                    for phone in split_multi(cell) {
                        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
                        let seen = row.form.phones.iter().any(|p| {
                            p.chars().filter(char::is_ascii_digit).collect::<String>() == digits
                        });
                        if !seen {
                            row.form.phones.push(phone.to_string());
                            row.phone_columns.push(index);
                        }
                    }
                }
                ColumnTarget::Email => {
                    for email in split_multi(cell) {
                        if !row
                            .form
                            .emails
                            .iter()
                            .any(|e| e.eq_ignore_ascii_case(email))
                        {
                            row.form.emails.push(email.to_string());
                            row.email_columns.push(index);
                        }
                    }
                }
                ColumnTarget::Address => {
                    // Outlook splits addresses (street, city, …): join them.
                    if row.form.address.is_empty() {
                        row.form.address = cell.to_string();
                    } else {
                        row.form.address.push_str(", ");
                        row.form.address.push_str(cell);
                    }
                }
                ColumnTarget::BirthDate => row.form.birth_date = cell.to_string(),
                ColumnTarget::Document => row.form.document = cell.to_string(),
                ColumnTarget::Gender => match parse_gender(cell) {
                    Ok(gender) => row.form.gender = gender.to_string(),
                    Err(message) => errors.push(format!("{}: {message}", self.column_name(index))),
                },
                ColumnTarget::Organization => {
                    if row.organization.is_none() {
                        let name = cell.split_whitespace().collect::<Vec<_>>().join(" ");
                        if name.chars().count() > 120 {
                            errors.push(format!(
                                "{}: use no máximo 120 caracteres.",
                                self.column_name(index)
                            ));
                        } else {
                            row.organization = Some(name);
                        }
                    }
                }
                ColumnTarget::Groups => {
                    // Google separates labels with " ::: " (so does our
                    // export); Outlook's "Categories" with ";".
                    let outlook = fold(&self.column_name(index)) == "categories";
                    let groups = if outlook && !cell.contains(MULTI_SEPARATOR.trim()) {
                        cell.split(';')
                            .map(str::trim)
                            .filter(|g| !g.is_empty())
                            .collect()
                    } else {
                        split_multi(cell)
                    };
                    for group in groups {
                        let name = group.split_whitespace().collect::<Vec<_>>().join(" ");
                        if is_system_group(&name) || row.groups.contains(&name) {
                            continue;
                        }
                        if name.chars().count() > 80 {
                            errors.push(format!(
                                "{}: o grupo \"{name}\" passa de 80 caracteres.",
                                self.column_name(index)
                            ));
                        } else {
                            row.groups.push(name);
                        }
                    }
                }
                ColumnTarget::Facebook => row.form.facebook = cell.to_string(),
                ColumnTarget::Instagram => row.form.instagram = cell.to_string(),
                ColumnTarget::Telegram => row.form.telegram = cell.to_string(),
                ColumnTarget::Website => row.form.website = cell.to_string(),
                ColumnTarget::Notes => set(&mut row.form.notes),
                ColumnTarget::Custom(key) => {
                    let Some(definition) = self.definitions.iter().find(|d| &d.key == key) else {
                        errors.push(format!(
                            "{}: o campo \"{key}\" não existe mais.",
                            self.column_name(index)
                        ));
                        continue;
                    };
                    match custom_cell(definition, cell) {
                        Ok(value) => {
                            row.form.custom.insert(key.clone(), value);
                        }
                        Err(message) => {
                            errors.push(format!("{}: {message}", self.column_name(index)))
                        }
                    }
                }
            }
        }
        if !any && errors.is_empty() {
            return RowRead::Blank;
        }
        if !errors.is_empty() {
            return RowRead::Invalid(errors.join(" "));
        }
        if row.form.name.is_empty() && !name_parts.is_empty() {
            row.form.name = name_parts.join(" ");
        }
        row.name_given = !row.form.name.is_empty();
        if !row.name_given {
            row.form.name = row
                .organization
                .clone()
                .or_else(|| row.form.emails.first().cloned())
                .or_else(|| row.form.phones.first().cloned())
                .unwrap_or_default();
        }
        RowRead::Contact(Box::new(row))
    }

    /// The form's field errors in the file's words: "Celular: …".
    pub fn describe(&self, row: &ImportedRow, errors: &[FieldError]) -> String {
        errors
            .iter()
            .map(|error| {
                let column = self.field_column(row, &error.field);
                match column {
                    Some(index) => format!("{}: {}", self.column_name(index), error.message),
                    None => error.message.clone(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The column a form field's value came from.
    fn field_column(&self, row: &ImportedRow, field: &str) -> Option<usize> {
        let (base, index) = match field.split_once('.') {
            Some((base, rest)) => (base, rest.parse::<usize>().ok()),
            None => (field, None),
        };
        match (base, index) {
            ("phones", Some(i)) => row.phone_columns.get(i).copied(),
            ("emails", Some(i)) => row.email_columns.get(i).copied(),
            ("phones", None) => self.first_column(|t| *t == ColumnTarget::Phone),
            ("emails", None) => self.first_column(|t| *t == ColumnTarget::Email),
            ("custom", _) => {
                let key = field.trim_start_matches("custom.");
                self.first_column(|t| matches!(t, ColumnTarget::Custom(k) if k == key))
            }
            ("name", _) => self.first_column(|t| {
                matches!(
                    t,
                    ColumnTarget::Name | ColumnTarget::FirstName | ColumnTarget::LastName
                )
            }),
            (other, _) => {
                let target = match other {
                    "address" => ColumnTarget::Address,
                    "birth_date" => ColumnTarget::BirthDate,
                    "document" => ColumnTarget::Document,
                    "gender" => ColumnTarget::Gender,
                    "facebook" => ColumnTarget::Facebook,
                    "instagram" => ColumnTarget::Instagram,
                    "telegram" => ColumnTarget::Telegram,
                    "website" => ColumnTarget::Website,
                    "notes" => ColumnTarget::Notes,
                    _ => return None,
                };
                self.first_column(|t| *t == target)
            }
        }
    }
}

/// A custom field's cell as the form would send it: select options by
/// label (or id) become option ids; the rest is checked by the shared
/// validation later.
fn custom_cell(definition: &FieldDefinition, cell: &str) -> Result<String, String> {
    if !definition.field_type.is_select() {
        return Ok(cell.to_string());
    }
    // Options are separated like other multi-values (" ::: "), or by
    // commas or semicolons as people type them.
    let parts: Vec<&str> = if cell.contains(MULTI_SEPARATOR.trim()) {
        split_multi(cell)
    } else if definition.field_type == FieldType::MultiSelect {
        cell.split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        vec![cell]
    };
    let mut ids = Vec::new();
    for part in parts {
        let wanted = fold(part);
        let option = definition
            .options
            .iter()
            .find(|o| fold(&o.label) == wanted)
            .ok_or_else(|| {
                format!(
                    "\"{part}\" não é uma opção de \"{}\" (opções: {}).",
                    definition.label,
                    definition
                        .active_options()
                        .map(|o| o.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        ids.push(option.id.to_string());
    }
    Ok(ids.join(","))
}

/// "A", "B", …, "Z", "AA", … as spreadsheets name columns.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_fields::model::SelectOption;
    use crate::ids::FieldId;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn scan(text: &[u8]) -> Result<u64, FileError> {
        let mut scan = FileScan::default();
        // Fed in small pieces, as the upload arrives.
        for piece in text.chunks(3) {
            scan.feed(piece);
        }
        scan.finish()
    }

    #[test]
    fn the_upload_scan_counts_rows_and_refuses_broken_files() {
        assert_eq!(scan(b"Nome;Telefone\r\nAna;1\r\nBia;2\r\n"), Ok(2));
        // No final line break, blank lines, quoted line breaks.
        assert_eq!(
            scan(b"Nome,Notas\n\"Ana\",\"linha 1\nlinha 2\"\n\n  \nBia,x"),
            Ok(2)
        );
        assert_eq!(scan(b""), Err(FileError::Empty));
        assert_eq!(scan(b"\r\n \r\n"), Err(FileError::Empty));
        assert_eq!(scan(b"Nome;Telefone\r\n"), Err(FileError::HeaderOnly));
        assert_eq!(
            scan(b"Nome;Notas\nAna;ok\nBia;\"sem fim\nCarla;x\n"),
            Err(FileError::UnclosedQuote(3))
        );
        assert_eq!(
            scan(b"PK\x03\x04\x14\x00\x06\x00binary"),
            Err(FileError::Binary)
        );
        // Windows-1252 text is not binary.
        assert_eq!(scan(b"Nome;Endere\xe7o\nJo\xe3o;Rua\n"), Ok(1));
    }

    #[test]
    fn the_header_is_the_row_that_names_known_fields() {
        let records = vec![
            strings(&["Relatório de clientes", "", ""]),
            strings(&["", "", ""]),
            strings(&["Nome", "Celular", "E-mail"]),
            strings(&["Ana", "11 98765-4321", "ana@x.com"]),
        ];
        assert_eq!(pick_header(&records, &[]), 2);
        // Nothing known anywhere: the first row.
        let unknown = vec![strings(&["a", "b"]), strings(&["c", "d"])];
        assert_eq!(pick_header(&unknown, &[]), 0);
    }

    #[test]
    fn neutralised_cells_come_back_as_written() {
        assert_eq!(unneutralize("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralize("'-5"), "-5");
        assert_eq!(unneutralize("'quoted"), "'quoted");
        assert_eq!(unneutralize("+55 11"), "+55 11");
    }

    fn plan_field() -> FieldDefinition {
        FieldDefinition {
            id: FieldId::new(7),
            key: "plano".into(),
            label: "Plano".into(),
            field_type: FieldType::MultiSelect,
            required: false,
            help: String::new(),
            options: vec![
                SelectOption {
                    id: 70,
                    label: "Básico".into(),
                    retired: false,
                },
                SelectOption {
                    id: 71,
                    label: "Premium".into(),
                    retired: false,
                },
            ],
            used_by: None,
        }
    }

    #[test]
    fn a_google_row_becomes_a_form() {
        let headers = strings(&[
            "First Name",
            "Last Name",
            "Phone 1 - Value",
            "Phone 2 - Value",
            "E-mail 1 - Value",
            "Labels",
            "Organization Name",
            "Plano",
            "Gender",
        ]);
        let fields = [plan_field()];
        let targets = guess_columns(&headers, &fields);
        let reader = RowReader::new(&headers, &targets, &fields);
        let row = reader.read(&strings(&[
            "Ana",
            "Souza",
            "+55 11 98765-4321 ::: (11) 3456-7890",
            "11987654321",
            "Ana@X.com",
            "* myContacts ::: VIP",
            "Loja Azul",
            "premium ::: Básico",
            "F",
        ]));
        let RowRead::Contact(row) = row else {
            panic!("expected a contact, got {row:?}");
        };
        assert_eq!(row.form.name, "Ana Souza");
        assert!(row.name_given);
        // The same digits twice (with and without +55 is told apart later).
        assert_eq!(
            row.form.phones,
            ["+55 11 98765-4321", "(11) 3456-7890", "11987654321"]
        );
        assert_eq!(row.phone_columns, [2, 2, 3]);
        assert_eq!(row.form.emails, ["Ana@X.com"]);
        assert_eq!(row.groups, ["VIP"]);
        assert_eq!(row.organization.as_deref(), Some("Loja Azul"));
        assert_eq!(
            row.form.custom.get("plano").map(String::as_str),
            Some("71,70")
        );
        assert_eq!(row.form.gender, "female");
    }

    #[test]
    fn rows_without_a_name_are_named_after_what_they_have() {
        let headers = strings(&["Nome", "Empresa", "Telefone"]);
        let targets = guess_columns(&headers, &[]);
        let reader = RowReader::new(&headers, &targets, &[]);
        let RowRead::Contact(row) = reader.read(&strings(&["", "", "11 98765-4321"])) else {
            panic!("expected a contact");
        };
        assert_eq!(row.form.name, "11 98765-4321");
        assert!(!row.name_given);
        let RowRead::Contact(row) = reader.read(&strings(&["", "Padaria", ""])) else {
            panic!("expected a contact");
        };
        assert_eq!(row.form.name, "Padaria");
        assert_eq!(reader.read(&strings(&[" ", "", ""])), RowRead::Blank);
    }

    #[test]
    fn bad_cells_are_reported_by_column() {
        let headers = strings(&["ID", "Nome", "Sexo", "Plano", ""]);
        let fields = [plan_field()];
        let targets = vec![
            ColumnTarget::ContactId,
            ColumnTarget::Name,
            ColumnTarget::Gender,
            ColumnTarget::Custom("plano".into()),
            ColumnTarget::Notes,
        ];
        let reader = RowReader::new(&headers, &targets, &fields);
        let RowRead::Invalid(reason) = reader.read(&strings(&["x1", "Ana", "?", "Ouro", "n"]))
        else {
            panic!("expected invalid");
        };
        assert!(reason.contains("ID: \"x1\" não é um ID"), "{reason}");
        assert!(reason.contains("Sexo: \"?\" não é um gênero"), "{reason}");
        assert!(
            reason
                .contains("Plano: \"Ouro\" não é uma opção de \"Plano\" (opções: Básico, Premium)"),
            "{reason}"
        );
        // Ragged rows are refused whole, saying how.
        let RowRead::Invalid(reason) = reader.read(&strings(&["1", "Ana"])) else {
            panic!("expected invalid");
        };
        assert!(reason.contains("2 colunas e o cabeçalho tem 5"), "{reason}");
        // A huge cell.
        let huge = "x".repeat(MAX_CELL_BYTES + 1);
        let RowRead::Invalid(reason) = reader.read(&strings(&["", &huge, "", "", ""])) else {
            panic!("expected invalid");
        };
        assert!(reason.starts_with("Nome: a célula tem 64 KB"), "{reason}");
        // Form errors name the column the value came from.
        let row = ImportedRow {
            phone_columns: vec![4],
            ..ImportedRow::default()
        };
        let problem = Problem::InvalidPhone { text: "12".into() };
        let described = reader.describe(&row, &[FieldError::new("phones.0", problem)]);
        assert_eq!(described, "coluna E: \"12\" não é um telefone válido.");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
