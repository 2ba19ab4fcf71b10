//! Delivery of outbound messages to channel providers.
//!
//! Real providers (WhatsApp Business API, an SMTP relay, Telegram's Bot API,
//! …) plug in behind [`ChannelGateway`]; the built-in [`LocalGateway`]
//! delivers nothing and records the message as sent from Agenda, so every
//! flow works without a provider account.

use std::future::Future;
use std::pin::Pin;

use crate::conversations::Channel;
use crate::ids::ConversationId;
use crate::tenant::CompanyId;

/// A message an agent sends.
#[derive(Debug, Clone)]
pub struct Outbound {
    pub company: CompanyId,
    pub conversation_id: ConversationId,
    pub channel: Channel,
    /// The customer's phone (E.164), e-mail or handle on the channel.
    pub to: Option<String>,
    pub body: String,
}

/// What the gateway did with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Kept in Agenda only (the built-in gateway).
    Recorded,
    /// Handed to the provider.
    Sent,
    /// The provider refused it; the message is kept and shown as failed.
    Failed(String),
}

impl Delivery {
    /// The stored name (`messages.delivery`).
    pub fn slug(&self) -> &'static str {
        match self {
            Delivery::Recorded => "recorded",
            Delivery::Sent => "sent",
            Delivery::Failed(_) => "failed",
        }
    }
}

/// A future a gateway returns (boxed: the trait is used as `dyn`).
pub type DeliveryFuture<'a> = Pin<Box<dyn Future<Output = Delivery> + Send + 'a>>;

/// Sends outbound messages through a provider.
pub trait ChannelGateway: Send + Sync + std::fmt::Debug {
    /// Delivers one message. Called after the message is stored, outside
    /// any database transaction.
    fn deliver<'a>(&'a self, message: &'a Outbound) -> DeliveryFuture<'a>;
}

/// The built-in gateway: records messages locally.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalGateway;

impl ChannelGateway for LocalGateway {
    fn deliver<'a>(&'a self, message: &'a Outbound) -> DeliveryFuture<'a> {
        Box::pin(async move {
            tracing::debug!(
                conversation = %message.conversation_id,
                channel = message.channel.slug(),
                "outbound message recorded (no provider configured)"
            );
            Delivery::Recorded
        })
    }
}
