//! Route components of the contacts module.

mod contacts_page;

pub use contacts_page::ContactsPage;
