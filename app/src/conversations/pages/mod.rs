//! Route components of the conversations module.

mod channels_page;
mod conversation_page;
mod conversations_page;

pub use channels_page::ChannelsPage;
pub use conversation_page::ConversationPage;
pub use conversations_page::ConversationsPage;
