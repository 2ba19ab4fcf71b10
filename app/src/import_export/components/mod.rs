//! The list's "⋮" menu and the parts of the import pages.

mod column_mapping;
mod file_upload;
mod import_history;
pub mod import_progress;
mod more_options_menu;

pub use column_mapping::ColumnMapping;
pub use file_upload::FileUpload;
pub use import_history::ImportHistory;
pub use import_progress::ImportProgress;
pub use more_options_menu::MoreOptionsMenu;
