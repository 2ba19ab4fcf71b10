//! Route components of the conversations module.

mod conversations_page;

pub use conversations_page::ConversationsPage;
