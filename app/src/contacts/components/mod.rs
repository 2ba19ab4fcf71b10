//! Components of the contacts screens.

mod contact_form;
mod contact_info;
mod contact_panel;
mod contact_photo;
mod contact_table;
mod list_filters;
mod main_contact_field;
mod merge_dialog;
mod search_box;
mod start_conversation_menu;

pub use contact_form::ContactFormPanel;
pub use contact_info::{ContactInfo, ContactLinks};
pub use contact_panel::ContactPanel;
pub use contact_photo::{Avatar, ContactPhoto};
pub use contact_table::{initials, ContactTable};
pub use list_filters::ListFilters;
pub use main_contact_field::MainContactField;
pub use merge_dialog::MergeDialog;
pub use search_box::SearchBox;
pub use start_conversation_menu::StartConversationMenu;
