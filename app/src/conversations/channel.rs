//! Channels and the rule that decides which ones a contact offers.
//!
//! One function, [`available_channels`], decides for the list's "Iniciar
//! conversa via" menu, the side panel, the contact page and the server's
//! check before starting a conversation ([`refusal`] says why a channel is
//! not offered).

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
    /// Every channel, in menu order.
    pub const ALL: [Channel; 8] = [
        Channel::WhatsApp,
        Channel::Sms,
        Channel::Call,
        Channel::Email,
        Channel::Telegram,
        Channel::Instagram,
        Channel::Facebook,
        Channel::Widget,
    ];

    /// A stable lower-case name (API values, CSS modifiers, stored values).
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

    /// The channel named by `slug`.
    pub fn parse(slug: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// Channels only the customer can open (Facebook Messenger, the web
    /// widget): agents may write there once the customer has.
    pub fn customer_opens(self) -> bool {
        matches!(self, Channel::Facebook | Channel::Widget)
    }

    /// How a customer is told apart on this channel (the inbound endpoint's
    /// lookup).
    pub fn address_kind(self) -> AddressKind {
        match self {
            Channel::WhatsApp | Channel::Sms | Channel::Call => AddressKind::Phone,
            Channel::Email => AddressKind::Email,
            Channel::Telegram => AddressKind::Telegram,
            Channel::Instagram => AddressKind::Instagram,
            Channel::Facebook => AddressKind::Facebook,
            // A widget visitor leaves a phone or an e-mail, or nothing.
            Channel::Widget => AddressKind::PhoneOrEmail,
        }
    }
}

/// What identifies a customer on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    Phone,
    Email,
    Telegram,
    Instagram,
    Facebook,
    PhoneOrEmail,
}

/// What a contact's data says about how it can be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChannelFacts {
    /// The contact has at least one phone number.
    pub has_phone: bool,
    /// The contact has at least one e-mail address.
    pub has_email: bool,
    /// The contact has a Telegram handle.
    pub has_telegram: bool,
    /// The contact has an Instagram handle.
    pub has_instagram: bool,
    /// The customer has written through Facebook Messenger.
    pub wrote_on_facebook: bool,
    /// The customer has written through the web widget.
    pub wrote_on_widget: bool,
}

/// Why a channel is not offered for a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NoPhone,
    NoEmail,
    NoTelegram,
    NoInstagram,
    /// Facebook or the widget: the customer has not written there yet.
    CustomerFirst,
}

impl Refusal {
    /// The refusal as a field problem (worded per language).
    pub fn problem(self, channel: Channel) -> crate::problem::Problem {
        use crate::problem::Problem;
        match self {
            Refusal::NoPhone => Problem::ContactHasNoPhone,
            Refusal::NoEmail => Problem::ContactHasNoEmail,
            Refusal::NoTelegram => Problem::ContactHasNoTelegram,
            Refusal::NoInstagram => Problem::ContactHasNoInstagram,
            Refusal::CustomerFirst => Problem::CustomerWritesFirst {
                channel: channel.slug().to_string(),
            },
        }
    }
}

/// Why `channel` is not offered for a contact with these facts; `None`
/// when it is.
pub fn refusal(channel: Channel, facts: ChannelFacts) -> Option<Refusal> {
    let (offered, why) = match channel {
        Channel::WhatsApp | Channel::Sms | Channel::Call => (facts.has_phone, Refusal::NoPhone),
        Channel::Email => (facts.has_email, Refusal::NoEmail),
        Channel::Telegram => (facts.has_telegram, Refusal::NoTelegram),
        Channel::Instagram => (facts.has_instagram, Refusal::NoInstagram),
        Channel::Facebook => (facts.wrote_on_facebook, Refusal::CustomerFirst),
        Channel::Widget => (facts.wrote_on_widget, Refusal::CustomerFirst),
    };
    (!offered).then_some(why)
}

/// The channels a conversation with this contact can be started on, in the
/// order the menu lists them: a phone gives WhatsApp, SMS and a call; an
/// e-mail gives e-mail; handles give Telegram and Instagram; Facebook and
/// the web widget come only after the customer wrote through them.
pub fn available_channels(facts: ChannelFacts) -> Vec<Channel> {
    Channel::ALL
        .into_iter()
        .filter(|&channel| refusal(channel, facts).is_none())
        .collect()
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
    fn handles_offer_telegram_and_instagram() {
        let facts = ChannelFacts {
            has_telegram: true,
            has_instagram: true,
            ..Default::default()
        };
        assert_eq!(
            available_channels(facts),
            vec![Channel::Telegram, Channel::Instagram]
        );
    }

    #[test]
    fn a_contact_without_data_offers_nothing() {
        assert!(available_channels(ChannelFacts::default()).is_empty());
    }

    #[test]
    fn facebook_and_the_widget_wait_for_the_customer() {
        // Everything an agent can type about a contact opens neither.
        let known = ChannelFacts {
            has_phone: true,
            has_email: true,
            has_telegram: true,
            has_instagram: true,
            ..Default::default()
        };
        let offered = available_channels(known);
        assert!(!offered.contains(&Channel::Facebook));
        assert!(!offered.contains(&Channel::Widget));
        assert_eq!(
            refusal(Channel::Facebook, known),
            Some(Refusal::CustomerFirst)
        );
        assert_eq!(
            refusal(Channel::Widget, known),
            Some(Refusal::CustomerFirst)
        );
        // Once the customer wrote there, that channel (only) is offered.
        let wrote = ChannelFacts {
            wrote_on_facebook: true,
            ..Default::default()
        };
        assert_eq!(available_channels(wrote), vec![Channel::Facebook]);
        let wrote = ChannelFacts {
            wrote_on_widget: true,
            ..Default::default()
        };
        assert_eq!(available_channels(wrote), vec![Channel::Widget]);
    }

    #[test]
    fn each_refusal_says_what_is_missing() {
        let none = ChannelFacts::default();
        assert_eq!(refusal(Channel::Sms, none), Some(Refusal::NoPhone));
        assert_eq!(refusal(Channel::Email, none), Some(Refusal::NoEmail));
        let text =
            |refusal: Refusal, channel| refusal.problem(channel).text(crate::i18n::Locale::PtBr);
        assert!(text(Refusal::CustomerFirst, Channel::Facebook).contains("Facebook"));
        assert!(text(Refusal::NoPhone, Channel::Call).contains("telefone"));
    }

    #[test]
    fn channels_serialize_to_their_slug_and_parse_back() {
        for channel in Channel::ALL {
            let json = serde_json::to_string(&channel).expect("serializes");
            assert_eq!(json, format!("\"{}\"", channel.slug()));
            assert_eq!(Channel::parse(channel.slug()), Some(channel));
        }
        assert_eq!(Channel::parse("fax"), None);
    }
}
