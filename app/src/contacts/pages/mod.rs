//! Route components of the contacts module.

mod contact_page;
mod contacts_page;
mod directory_page;

pub use contact_page::ContactPage;
pub use contacts_page::ContactsPage;
pub use directory_page::DirectoryPage;
