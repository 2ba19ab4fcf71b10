//! The contact timeline: an append-only log of what happened with a contact
//! (created, edited, conversations started and closed, comments, links).

/// Server functions: read the timeline, add, edit and delete comments.
pub mod api;
/// What changed between two versions of a contact (the "edited" event).
pub mod changes;
/// Timeline widgets.
pub mod components;
/// The events as the API returns them.
pub mod model;
/// SQL of the timeline (server only).
#[cfg(feature = "ssr")]
pub mod repo;

pub use model::{
    CreatedOrigin, EventDetail, EventKind, FieldChange, ShownField, TimelineEvent, TimelinePage,
};
