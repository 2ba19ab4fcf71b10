//! The English words of each [`Problem`].

use super::Problem;

/// `problem` in English.
pub(super) fn words(problem: &Problem) -> String {
    match problem {
        Problem::ContactNameRequired => "Enter the contact's name.".into(),
        Problem::CompanyNameRequired => "Enter the company's name.".into(),
        Problem::YourNameRequired => "Enter your name.".into(),
        Problem::TooLong { max } => format!("Use at most {max} characters."),
        Problem::BadHandle => "Enter the username without spaces (e.g. @shop.example).".into(),
        Problem::NotAPhone { text } => format!("\"{text}\" is not a phone number."),
        Problem::ImplausiblePhone { text } => {
            format!("\"{text}\" does not look like a phone: use area code + number, e.g. (11) 98765-4321.")
        }
        Problem::InvalidPhone { text } => format!("\"{text}\" is not a valid phone number."),
        Problem::DuplicatePhone => "This phone is already in the list.".into(),
        Problem::TooManyPhones { max } => format!("At most {max} phones."),
        Problem::EmailRequired => "Enter the e-mail.".into(),
        Problem::InvalidEmail { text } => format!("\"{text}\" is not a valid e-mail."),
        Problem::DuplicateEmail => "This e-mail is already in the list.".into(),
        Problem::TooManyEmails { max } => format!("At most {max} e-mails."),
        Problem::NotADate { text } => format!("\"{text}\" is not a date (use DD/MM/YYYY)."),
        Problem::BirthDateInFuture => "The birth date cannot be in the future.".into(),
        Problem::BirthDateTooOld => "The birth date must be after 1900.".into(),
        Problem::DocumentLength => "Enter a CPF (11 digits) or CNPJ (14 digits).".into(),
        Problem::CpfCheckDigits => "Invalid CPF: the check digits do not match.".into(),
        Problem::CnpjCheckDigits => "Invalid CNPJ: the check digits do not match.".into(),
        Problem::ChooseOption => "Choose one of the options.".into(),
        Problem::BadWebsite => "Enter an address such as shop.com.br.".into(),
        Problem::PasswordTooShort { min } => {
            format!("The password needs at least {min} characters.")
        }
        Problem::PasswordTooLong { max } => {
            format!("The password may have at most {max} characters.")
        }
        Problem::FieldLabelTaken => "A field with this name already exists.".into(),
        Problem::BadFieldKey { max } => format!(
            "Use 1 to {max} lower-case letters without accents, digits or _, starting with a letter."
        ),
        Problem::ReservedFieldKey { key } => {
            format!("\"{key}\" is already a contact field; choose another key.")
        }
        Problem::FieldKeyTaken { key } => format!("A field with the key \"{key}\" already exists."),
        Problem::ChooseFieldType => "Choose the field's type.".into(),
        Problem::DuplicateOption => "This option is already in the list.".into(),
        Problem::OptionsRequired => "Enter at least one option.".into(),
        Problem::TooManyOptions { max } => format!("At most {max} options."),
        Problem::TooManyFields { max } => {
            format!("The company already has {max} custom fields, the maximum.")
        }
        Problem::OptionExists => "This option already exists.".into(),
        Problem::SeveralOptionsChosen { count } => format!(
            "{count} contact(s) have more than one option chosen; leave only one on each before changing to single choice."
        ),
        Problem::ValuesDoNotConvert { count, examples } => format!(
            "{count} contact(s) have values the new type cannot hold (e.g. {examples}). Correct those values or create another field."
        ),
        Problem::FieldOptionsFull => "This field already has the maximum of options.".into(),
        Problem::NotASelectType => {
            "A choice field can only become single or multiple choice, and the other way round.".into()
        }
        Problem::CustomFieldRequired { label } => format!("Fill in \"{label}\": it is required."),
        Problem::UnknownCustomField { key } => format!("The field \"{key}\" does not exist."),
        Problem::CustomFieldNotFound => "Custom field not found.".into(),
        Problem::NotAnInteger { text } => format!("\"{text}\" is not a whole number."),
        Problem::NotANumber { text } => format!("\"{text}\" is not a number (e.g. 1.234,56)."),
        Problem::TooManyDecimals { max } => format!("Use at most {max} decimal places."),
        Problem::NotAnAmount { text } => {
            format!("\"{text}\" is not an amount in reais (e.g. 1.234,56).")
        }
        Problem::AmountDecimals => "Use at most 2 decimal places (cents).".into(),
        Problem::InvalidDate { text } => format!("\"{text}\" is not a valid date (use DD/MM/YYYY)."),
        Problem::InvalidDateTime { text } => {
            format!("\"{text}\" is not a valid date and time (use DD/MM/YYYY HH:MM).")
        }
        Problem::NotYesNo { text } => format!("\"{text}\" is neither Yes nor No."),
        Problem::NotAnAddress { text } => {
            format!("\"{text}\" is not an address (e.g. shop.com.br).")
        }
        Problem::NotAnOption { text } => format!("\"{text}\" is not an option of this field."),
        Problem::RetiredOption { label } => {
            format!("The option \"{label}\" was retired and cannot be chosen.")
        }
        Problem::OneOptionOnly => "Choose only one option.".into(),
        Problem::CnpjNotCpf => "This is a CNPJ; the field asks for a CPF (11 digits).".into(),
        Problem::CpfLength => "Enter a CPF with 11 digits.".into(),
        Problem::CpfRequired => "The field asks for a CPF (11 digits).".into(),
        Problem::CpfNotCnpj => "This is a CPF; the field asks for a CNPJ (14 digits).".into(),
        Problem::CnpjLength => "Enter a CNPJ with 14 digits.".into(),
        Problem::CnpjRequired => "The field asks for a CNPJ (14 digits).".into(),
        Problem::MonthNeedsDate => "Only date fields filter by month.".into(),
        Problem::ChooseMonth => "Choose a month from 1 to 12.".into(),
        Problem::FilterValueRequired => "Enter a value to filter by.".into(),
        Problem::MessageRequired => "Write the message.".into(),
        Problem::MessageTooLong { chars, max } => {
            format!("The message has {chars} characters; the maximum is {max}.")
        }
        Problem::CommentRequired => "Write the comment.".into(),
        Problem::CommentTooLong { chars, max } => {
            format!("The comment has {chars} characters; the maximum is {max}.")
        }
        Problem::PeriodEndsBeforeStart => "The period ends before it starts.".into(),
        Problem::BadCursor => "Invalid page cursor.".into(),
        Problem::ConversationClosed => {
            "The conversation is closed: reopen it to send messages.".into()
        }
        Problem::ContactHasNoPhone => "This contact has no phone.".into(),
        Problem::ContactHasNoEmail => "This contact has no e-mail.".into(),
        Problem::ContactHasNoTelegram => "This contact has no Telegram user.".into(),
        Problem::ContactHasNoInstagram => "This contact has no Instagram user.".into(),
        Problem::CustomerWritesFirst { channel } => format!(
            "{} becomes available once the customer has written through it.",
            if channel == "facebook" { "Facebook" } else { "The site widget" }
        ),
        Problem::SenderRequired => {
            "Say who wrote (phone, e-mail or user on the channel).".into()
        }
        Problem::InvalidHandle { text } => format!("\"{text}\" is not a valid user name."),
        Problem::UnknownChannel { text, known } => {
            format!("Unknown channel \"{text}\" (use {known}).")
        }
        Problem::BadJson { detail } => format!("The body is not the JSON expected: {detail}."),
        Problem::LinkToItself => "A contact cannot be its own main contact.".into(),
        Problem::MainIsLinked => "The chosen contact is already linked to another main contact: choose that main contact.".into(),
        Problem::ContactIsMain { count } => format!(
            "This contact is the main contact of {count} contact(s): unlink them before linking it to another."
        ),
        Problem::MergeSameContact => "Choose two different contacts.".into(),
        Problem::NotAConflict { field } => {
            format!("\"{field}\" is not a field in conflict between the two contacts.")
        }
        Problem::PhotoRequired => "Choose an image.".into(),
        Problem::PhotoTooLarge => "The photo must be at most 2 MB.".into(),
        Problem::NotAnImage => "The photo must be a JPEG, PNG or WebP image.".into(),
        Problem::UnreadableUpload => "The uploaded file could not be read.".into(),
        Problem::ContactRequired => "Say which contact.".into(),
        Problem::BadContactId => "Invalid contact ID.".into(),
        Problem::NameRequired => "Enter the name.".into(),
        Problem::NameTooLong { max } => format!("The name takes at most {max} characters."),
        Problem::OrganizationNameTaken => "An organization with this name already exists.".into(),
        Problem::GroupNameTaken => "A group with this name already exists.".into(),
        Problem::OrganizationNotFound => "Organization not found.".into(),
        Problem::GroupNotFound => "Group not found.".into(),
        Problem::QueryTooLong { max } => format!("The search takes at most {max} characters."),
        Problem::ExportFormat => "Use format=excel or format=rfc4180.".into(),
        Problem::TimeZone => "Unknown time zone: use an IANA name such as America/Sao_Paulo.".into(),
        Problem::EmailTaken => "An account with this e-mail already exists.".into(),
        Problem::AccountDeactivated => "This account was deactivated by an admin.".into(),
        Problem::WrongCredentials => "Wrong e-mail or password.".into(),
        Problem::CannotDeactivateSelf => "You cannot deactivate your own account.".into(),
        Problem::InviteInvalid => "This invitation is not valid: it expired or was already used. Ask the admin for a new one.".into(),
        Problem::HeaderTooLong => {
            "The file's first line is over 1 MB: it does not look like a contacts CSV.".into()
        }
        Problem::MappingLength { columns, sent } => {
            format!("The file has {columns} columns; the mapping sent has {sent}.")
        }
        Problem::MappingNeedsIdentity => {
            "Map at least one column to Name, Phone or E-mail.".into()
        }
        Problem::FileEmpty => "The file is empty.".into(),
        Problem::FileHeaderOnly => "The file has only its header: no contacts to import.".into(),
        Problem::FileBinary => "The file does not look like a CSV: it has binary bytes (is it an .xlsx spreadsheet, an image or a compressed file?). Save it as CSV and send it again.".into(),
        Problem::FileUnclosedQuote { line } => format!("A quote opened on line {line} is never closed: the rest of the file would be one cell. Correct line {line} and send it again."),
        Problem::FileTooLarge { mb } => {
            format!("The file is over {mb} MB, the limit set for imports.")
        }
    }
}
