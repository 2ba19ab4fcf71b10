//! What is wrong with an input field, as a code with parameters
//! ([`Problem`]): the API sends it beside a message in the request's
//! language, and the UI words it in the user's language. Pure and shared by
//! the browser and the server.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

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
    /// A failure not yet given a code: its message, in Portuguese, is all
    /// there is (the validators of custom fields, imports, conversations
    /// and accounts are being moved to codes).
    Other { message: String },
}

impl Problem {
    /// The message, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        match locale {
            Locale::PtBr => self.portuguese(),
            Locale::En => self.english(),
        }
    }

    fn portuguese(&self) -> String {
        match self {
            Problem::ContactNameRequired => "Informe o nome do contato.".into(),
            Problem::CompanyNameRequired => "Informe o nome da empresa.".into(),
            Problem::YourNameRequired => "Informe seu nome.".into(),
            Problem::TooLong { max } => format!("Use no máximo {max} caracteres."),
            Problem::BadHandle => "Informe o usuário sem espaços (ex.: @loja.exemplo).".into(),
            Problem::NotAPhone { text } => format!("\"{text}\" não é um número de telefone."),
            Problem::ImplausiblePhone { text } => {
                format!(
                    "\"{text}\" não parece um telefone: use DDD + número, ex.: (11) 98765-4321."
                )
            }
            Problem::InvalidPhone { text } => format!("\"{text}\" não é um telefone válido."),
            Problem::DuplicatePhone => "Este telefone já está na lista.".into(),
            Problem::TooManyPhones { max } => format!("No máximo {max} telefones."),
            Problem::EmailRequired => "Informe o e-mail.".into(),
            Problem::InvalidEmail { text } => format!("\"{text}\" não é um e-mail válido."),
            Problem::DuplicateEmail => "Este e-mail já está na lista.".into(),
            Problem::TooManyEmails { max } => format!("No máximo {max} e-mails."),
            Problem::NotADate { text } => format!("\"{text}\" não é uma data (use DD/MM/AAAA)."),
            Problem::BirthDateInFuture => "A data de nascimento não pode estar no futuro.".into(),
            Problem::BirthDateTooOld => "A data de nascimento deve ser depois de 1900.".into(),
            Problem::DocumentLength => "Informe um CPF (11 dígitos) ou CNPJ (14 dígitos).".into(),
            Problem::CpfCheckDigits => {
                "CPF inválido: os dígitos verificadores não conferem.".into()
            }
            Problem::CnpjCheckDigits => {
                "CNPJ inválido: os dígitos verificadores não conferem.".into()
            }
            Problem::ChooseOption => "Escolha uma das opções.".into(),
            Problem::BadWebsite => "Informe um endereço como loja.com.br.".into(),
            Problem::PasswordTooShort { min } => {
                format!("A senha precisa de pelo menos {min} caracteres.")
            }
            Problem::PasswordTooLong { max } => {
                format!("A senha pode ter no máximo {max} caracteres.")
            }
            Problem::Other { message } => message.clone(),
        }
    }

    fn english(&self) -> String {
        match self {
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
            Problem::Other { message } => message.clone(),
        }
    }
}
