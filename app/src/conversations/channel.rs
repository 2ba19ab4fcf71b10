//! Channels and the rule that decides which ones a contact offers.
//!
//! One function, [`available_channels`], decides for the list's "Iniciar
//! conversa via" menu, the contact page and (once conversations exist) the
//! server's check before starting a conversation.

use serde::{Deserialize, Serialize};

/// A channel a conversation can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[serde(rename = "whatsapp")]
    WhatsApp,
    Sms,
    Call,
    Email,
    Telegram,
    Instagram,
    Facebook,
    Widget,
}

impl Channel {
    /// A stable lower-case name (API values, CSS modifiers).
    pub fn slug(self) -> &'static str {
        match self {
            Channel::WhatsApp => "whatsapp",
            Channel::Sms => "sms",
            Channel::Call => "call",
            Channel::Email => "email",
            Channel::Telegram => "telegram",
            Channel::Instagram => "instagram",
            Channel::Facebook => "facebook",
            Channel::Widget => "widget",
        }
    }
}

/// What a contact's data says about how it can be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChannelFacts {
    /// The contact has at least one phone number.
    pub has_phone: bool,
    /// The contact has at least one e-mail address.
    pub has_email: bool,
}

/// The channels a conversation with this contact can be started on, in the
/// order the menu lists them: a phone gives WhatsApp, SMS and a call; an
/// e-mail gives e-mail.
pub fn available_channels(facts: ChannelFacts) -> Vec<Channel> {
    let mut channels = Vec::new();
    if facts.has_phone {
        channels.extend([Channel::WhatsApp, Channel::Sms, Channel::Call]);
    }
    if facts.has_email {
        channels.push(Channel::Email);
    }
    channels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_offers_whatsapp_sms_and_a_call() {
        let facts = ChannelFacts {
            has_phone: true,
            ..Default::default()
        };
        assert_eq!(
            available_channels(facts),
            vec![Channel::WhatsApp, Channel::Sms, Channel::Call]
        );
    }

    #[test]
    fn an_email_offers_email() {
        let facts = ChannelFacts {
            has_email: true,
            ..Default::default()
        };
        assert_eq!(available_channels(facts), vec![Channel::Email]);
    }

    #[test]
    fn a_contact_without_data_offers_nothing() {
        assert!(available_channels(ChannelFacts::default()).is_empty());
    }

    #[test]
    fn channels_serialize_to_their_slug() {
        for channel in [Channel::WhatsApp, Channel::Sms, Channel::Widget] {
            let json = serde_json::to_string(&channel).expect("serializes");
            assert_eq!(json, format!("\"{}\"", channel.slug()));
        }
    }
}
