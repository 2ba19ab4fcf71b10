//! Conversation widgets.

mod channel_badge;
mod chat_details;
mod chat_view;
mod conversation_list;

pub use channel_badge::ChannelBadge;
pub use chat_details::ChatDetails;
pub use chat_view::ChatView;
pub use conversation_list::{ContactConversations, ConversationList};
