//! Conversations and the channels they run on.

/// Which channels a contact can be reached on: the one rule for the whole app.
pub mod channel;
/// Route components.
pub mod pages;

pub use channel::{available_channels, Channel, ChannelFacts};
