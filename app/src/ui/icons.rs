//! The app's icons, drawn as inline SVG in the text's colour. Never emoji or
//! font glyphs: those depend on the fonts of the viewer's system, and a
//! machine without an emoji font draws a box.
//!
//! An icon is decoration: it is hidden from assistive technology, so the
//! button or link that holds it must carry the words (`aria-label` or text).

use leptos::prelude::*;

/// Which icon to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconKind {
    /// A magnifying glass: "Buscar contato".
    Search,
    /// A clock face: the contact's history (timeline).
    History,
    /// A pencil: edit.
    Edit,
    /// A chevron pointing down: a menu opens below.
    ChevronDown,
    /// Move up in an ordered list.
    ArrowUp,
    /// Move down in an ordered list.
    ArrowDown,
    /// A cross: close a panel or dialog.
    Close,
    /// Three dots in a column: more options.
    More,
    /// An arrow turning right: linked to a main contact.
    LinkedTo,
    /// Three bars: open the navigation.
    Menu,
}

impl IconKind {
    /// The icon's strokes, in a 24 × 24 box.
    fn paths(self) -> &'static [&'static str] {
        match self {
            IconKind::Search => &[
                "M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z",
                "M15.5 15.5L20 20",
            ],
            IconKind::History => &["M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z", "M12 7v5l3.5 2"],
            IconKind::Edit => &["M4 20h4L19 9l-4-4L4 16z", "M13.5 6.5l4 4"],
            IconKind::ChevronDown => &["M6 9l6 6l6-6"],
            IconKind::ArrowUp => &["M12 19V5", "M6 11l6-6l6 6"],
            IconKind::ArrowDown => &["M12 5v14", "M6 13l6 6l6-6"],
            IconKind::Close => &["M6 6l12 12", "M18 6L6 18"],
            IconKind::More => &["M12 5h.01", "M12 12h.01", "M12 19h.01"],
            IconKind::LinkedTo => &["M5 4v7a4 4 0 0 0 4 4h10", "M15 11l4 4l-4 4"],
            IconKind::Menu => &["M4 6h16", "M4 12h16", "M4 18h16"],
        }
    }

    /// The strokes' width: the dots of [`IconKind::More`] need a wider pen.
    fn stroke_width(self) -> &'static str {
        match self {
            IconKind::More => "3.5",
            _ => "2",
        }
    }
}

/// One icon, 1em square by default (the stylesheet's `.icon`), hidden from
/// assistive technology.
#[component]
pub fn Icon(kind: IconKind) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width=kind.stroke_width()
            stroke-linecap="round" stroke-linejoin="round">
            {kind.paths().iter().map(|d| view! { <path d=*d /> }).collect_view()}
        </svg>
    }
}
