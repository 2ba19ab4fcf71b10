//! Timeline widgets: the list of events with its comment box.

mod timeline;
mod timeline_entry;

pub use timeline::Timeline;
pub use timeline_entry::TimelineEntry;
