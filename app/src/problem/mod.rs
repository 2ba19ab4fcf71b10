//! What is wrong with an input field, as a code with parameters
//! ([`Problem`]): the API sends it beside a message in the request's
//! language, and the UI words it in the user's language. Pure and shared by
//! the browser and the server.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

mod en;
mod pt_br;

/// A validation failure of one field. Serialized as `{"code": "…",
/// "params": {…}}` (parameters only where the message needs them), so API
/// clients can tell failures apart without reading the words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum Problem {
    /// The contact form's name is empty.
    ContactNameRequired,
    /// The sign-up form's company name is empty.
    CompanyNameRequired,
    /// The person's own name is empty (sign-up, invitation).
    YourNameRequired,
    /// Longer than `max` characters.
    TooLong { max: usize },
    /// A social handle with spaces, or only `@`.
    BadHandle,
    /// Characters no phone number has.
    NotAPhone { text: String },
    /// Too few or too many digits for a phone.
    ImplausiblePhone { text: String },
    /// The full phone-number check (server) refused it.
    InvalidPhone { text: String },
    /// The same phone twice in one contact.
    DuplicatePhone,
    /// More phones than a contact holds.
    TooManyPhones { max: usize },
    /// The e-mail is empty.
    EmailRequired,
    /// Not an e-mail address.
    InvalidEmail { text: String },
    /// The same e-mail twice in one contact.
    DuplicateEmail,
    /// More e-mails than a contact holds.
    TooManyEmails { max: usize },
    /// Not a date in a format the form takes.
    NotADate { text: String },
    /// A birth date after today.
    BirthDateInFuture,
    /// A birth date before 1900.
    BirthDateTooOld,
    /// A CPF/CNPJ of neither 11 nor 14 digits.
    DocumentLength,
    /// A CPF whose check digits do not match.
    CpfCheckDigits,
    /// A CNPJ whose check digits do not match.
    CnpjCheckDigits,
    /// A value that is not one of the choices offered.
    ChooseOption,
    /// A website that is not an address.
    BadWebsite,
    /// A password shorter than `min` characters.
    PasswordTooShort { min: usize },
    /// A password longer than `max` characters.
    PasswordTooLong { max: usize },
    /// Another custom field has this name.
    FieldLabelTaken,
    /// A custom field key that is not 1 to `max` lower-case letters,
    /// digits or `_`, starting with a letter.
    BadFieldKey { max: usize },
    /// A key one of the contact's own columns uses.
    ReservedFieldKey { key: String },
    /// Another custom field has this key.
    FieldKeyTaken { key: String },
    /// No (known) field type chosen.
    ChooseFieldType,
    /// The same option twice in a new field.
    DuplicateOption,
    /// A select field without options.
    OptionsRequired,
    /// More options than a field holds.
    TooManyOptions { max: usize },
    /// The company has its maximum of custom fields.
    TooManyFields { max: usize },
    /// A new option named like an existing one.
    OptionExists,
    /// A choice field can only change between single and multiple choice
    /// (and no other type can become one).
    NotASelectType,
    /// Contacts with several options block a change to single choice.
    SeveralOptionsChosen { count: i64 },
    /// Stored values that the new type cannot read (`examples` quotes a few).
    ValuesDoNotConvert { count: usize, examples: String },
    /// A field holding its maximum of options.
    FieldOptionsFull,
    /// A required custom field left empty.
    CustomFieldRequired { label: String },
    /// A custom field key the company does not have.
    UnknownCustomField { key: String },
    /// A custom field id the company does not have.
    CustomFieldNotFound,
    /// Not a whole number.
    NotAnInteger { text: String },
    /// Not a number.
    NotANumber { text: String },
    /// More decimal places than `max`.
    TooManyDecimals { max: usize },
    /// Not an amount in reais.
    NotAnAmount { text: String },
    /// More than two decimal places in an amount.
    AmountDecimals,
    /// Not a date (custom date fields).
    InvalidDate { text: String },
    /// Not a date and time.
    InvalidDateTime { text: String },
    /// Not yes or no.
    NotYesNo { text: String },
    /// Not a web address.
    NotAnAddress { text: String },
    /// Not one of the field's options.
    NotAnOption { text: String },
    /// An option retired since, not on this contact.
    RetiredOption { label: String },
    /// Several options in a single-select field.
    OneOptionOnly,
    /// A CNPJ in a CPF field.
    CnpjNotCpf,
    /// A CPF field with the wrong number of digits.
    CpfLength,
    /// Not a CPF at all.
    CpfRequired,
    /// A CPF in a CNPJ field.
    CpfNotCnpj,
    /// A CNPJ field with the wrong number of digits.
    CnpjLength,
    /// Not a CNPJ at all.
    CnpjRequired,
    /// A month filter on a field that is not a date.
    MonthNeedsDate,
    /// A month outside 1–12.
    ChooseMonth,
    /// A filter without the value to filter by.
    FilterValueRequired,
    /// A message with no text.
    MessageRequired,
    /// A message longer than `max` characters (it has `chars`).
    MessageTooLong { chars: usize, max: usize },
    /// A comment with no text.
    CommentRequired,
    /// A comment longer than `max` characters (it has `chars`).
    CommentTooLong { chars: usize, max: usize },
    /// A period whose end is before its start.
    PeriodEndsBeforeStart,
    /// A paging cursor the server did not make.
    BadCursor,
    /// A closed conversation takes no messages.
    ConversationClosed,
    /// No phone for a phone channel.
    ContactHasNoPhone,
    /// No e-mail for the e-mail channel.
    ContactHasNoEmail,
    /// No Telegram user.
    ContactHasNoTelegram,
    /// No Instagram user.
    ContactHasNoInstagram,
    /// Facebook or the site widget before the customer wrote there.
    CustomerWritesFirst { channel: String },
    /// An inbound message without its sender.
    SenderRequired,
    /// Not a user name on the channel.
    InvalidHandle { text: String },
    /// A channel the API does not know (`known` lists them).
    UnknownChannel { text: String, known: String },
    /// A request body that is not the JSON expected.
    BadJson { detail: String },
    /// A contact linked to itself.
    LinkToItself,
    /// The chosen main contact is itself linked to another.
    MainIsLinked,
    /// A main contact (of `count` others) cannot be linked.
    ContactIsMain { count: i64 },
    /// A merge of a contact with itself.
    MergeSameContact,
    /// A merge choice that is not one of the conflicts.
    NotAConflict { field: String },
    /// No photo in the upload.
    PhotoRequired,
    /// A photo over 2 MB.
    PhotoTooLarge,
    /// Not a JPEG, PNG or WebP image.
    NotAnImage,
    /// The upload could not be read.
    UnreadableUpload,
    /// No contact named for the photo.
    ContactRequired,
    /// Not a contact id.
    BadContactId,
    /// A name left empty (organization, group, custom field, option).
    NameRequired,
    /// An organization or group name over `max` characters.
    NameTooLong { max: usize },
    /// Another organization has this name.
    OrganizationNameTaken,
    /// Another group has this name.
    GroupNameTaken,
    /// An organization the company does not have.
    OrganizationNotFound,
    /// A group the company does not have.
    GroupNotFound,
    /// A search longer than `max` characters.
    QueryTooLong { max: usize },
    /// An export format other than the two offered.
    ExportFormat,
    /// A time zone the zone database does not know.
    TimeZone,
    /// The e-mail already has an account.
    EmailTaken,
    /// An account an admin deactivated.
    AccountDeactivated,
    /// Wrong e-mail or password (the same for an unknown address).
    WrongCredentials,
    /// An admin deactivating their own account.
    CannotDeactivateSelf,
    /// An invitation that expired or was used.
    InviteInvalid,
    /// The first line of an uploaded file is over 1 MB.
    HeaderTooLong,
    /// The mapping sent has `sent` targets for a file of `columns` columns.
    MappingLength { columns: usize, sent: usize },
    /// A mapping with no name, phone or e-mail column.
    MappingNeedsIdentity,
    /// The uploaded file is empty.
    FileEmpty,
    /// The uploaded file has only its header.
    FileHeaderOnly,
    /// The uploaded file has binary bytes (a spreadsheet, an image…).
    FileBinary,
    /// A quote opened on `line` is never closed.
    FileUnclosedQuote { line: u64 },
    /// The uploaded file is over the configured limit.
    FileTooLarge { mb: u64 },
}

impl Problem {
    /// The message, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match locale {
            Locale::PtBr => pt_br::words(self),
            Locale::En => en::words(self),
        }
    }
}
