//! Conversations, their messages, the channels they run on, and the inbound
//! endpoint channel providers post customers' messages to.

/// Server functions: start, read, send, close/reopen, lists, inbound token.
pub mod api;
/// Which channels a contact can be reached on: the one rule for the whole app.
pub mod channel;
/// Conversation widgets (chat, lists, details).
pub mod components;
/// Outbound delivery behind a trait (server only).
#[cfg(feature = "ssr")]
pub mod gateway;
/// The inbound endpoint (server only).
#[cfg(feature = "ssr")]
pub mod inbound;
/// Conversations and messages as the API returns them (pure).
pub mod model;
/// Route components.
pub mod pages;
/// All SQL of conversations (server only).
#[cfg(feature = "ssr")]
pub mod repo;

pub use channel::{available_channels, Channel, ChannelFacts};

/// Where channel providers post customers' messages (token-authenticated,
/// no session).
pub const INBOUND_PATH: &str = "/api/inbound";
