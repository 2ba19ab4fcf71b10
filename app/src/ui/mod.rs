//! Generic widgets and the application shell.

mod error_message;
mod not_found;
mod shell;

pub use error_message::ErrorMessage;
pub use not_found::NotFoundPage;
pub use shell::AppShell;
