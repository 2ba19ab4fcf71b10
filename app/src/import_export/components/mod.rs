//! The list's "⋮" menu: import and export.

mod more_options_menu;

pub use more_options_menu::MoreOptionsMenu;
