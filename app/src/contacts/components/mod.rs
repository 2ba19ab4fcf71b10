//! Components of the contacts screens.

mod contact_table;
mod search_box;
mod start_conversation_menu;

pub use contact_table::ContactTable;
pub use search_box::SearchBox;
pub use start_conversation_menu::StartConversationMenu;
