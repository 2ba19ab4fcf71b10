//! Life for the demo company, so a newcomer finds every tab of the app in
//! use: conversations on WhatsApp, e-mail, Instagram, Facebook and the web
//! widget (some open, some closed, messages both ways), timeline comments
//! and edits, two "Maria"s linked under one main contact, and one regular
//! customer with more conversations than the "Conversas" tab shows at once.
//!
//! Everything goes through the calls the app itself makes — a customer's
//! inbound message, "Iniciar conversa via", an agent's reply, "Encerrar",
//! a comment, "Salvar", "Contato principal" — never raw SQL, so the demo
//! holds exactly what real use would. Written on the first start only.

use app::auth::DEMO_EMAIL;
use app::contacts::details_api::server::{edit_contact, load};
use app::contacts::links::repo as links_repo;
use app::contacts::writer::{insert_contacts, NewContact};
use app::conversations::gateway::Delivery;
use app::conversations::inbound::Address;
use app::conversations::model::ConversationStatus;
use app::conversations::{repo as conversations, Channel};
use app::db::Db;
use app::error::AppError;
use app::ids::{ContactId, ConversationId};
use app::tenant::CompanyId;
use app::timeline::repo as timeline;

/// The regular customer whose "Conversas" tab pages.
pub const REGULAR: &str = "Helena Vasconcelos";
/// How many conversations the regular customer has (more than a page of 50).
pub const REGULAR_CONVERSATIONS: usize = 62;
/// The main contact of the linked "Maria"s.
pub const LINKED_MAIN: &str = "Maria Aparecida Souza";
/// Contacts the life adds to the generated ones: the customers who wrote on
/// Instagram and Facebook, the three "Maria"s and the regular customer.
pub const EXTRA_CONTACTS: usize = SOCIAL.len() + 3 + 1;

/// What [`add_life`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Life {
    pub conversations: usize,
    pub messages: usize,
    pub comments: usize,
    pub edits: usize,
}

/// A conversation's script: who opens it, then the lines alternating
/// between the customer and the agent.
struct Script {
    channel: Channel,
    /// The customer writes first (else the agent starts it).
    customer_first: bool,
    lines: &'static [&'static str],
}

const SCRIPTS: &[Script] = &[
    Script {
        channel: Channel::WhatsApp,
        customer_first: true,
        lines: &[
            "Oi, boa tarde! Vocês entregam no sábado?",
            "Boa tarde! Entregamos sim, das 8h às 14h. Quer agendar?",
            "Quero sim, pode ser às 10h?",
            "Combinado: agendado para sábado às 10h. Obrigado pela preferência!",
        ],
    },
    Script {
        channel: Channel::Email,
        customer_first: true,
        lines: &[
            "Olá, gostaria de receber a segunda via do boleto de novembro.",
            "Olá! Enviamos a segunda via para este e-mail. Qualquer dúvida, estamos à disposição.",
        ],
    },
    Script {
        channel: Channel::WhatsApp,
        customer_first: false,
        lines: &[
            "Olá! Seu pedido 4821 saiu para entrega hoje e chega até as 18h.",
            "Ótimo, obrigada! Vou estar em casa.",
        ],
    },
    Script {
        channel: Channel::Widget,
        customer_first: true,
        lines: &[
            "Olá, estou com dificuldade para finalizar a compra no site.",
            "Oi! Sinto muito. Em qual etapa aparece o erro?",
            "Na hora de pagar com Pix, a página fica carregando.",
            "Obrigado por avisar. Vamos verificar e retornamos por e-mail ainda hoje.",
        ],
    },
    Script {
        channel: Channel::Email,
        customer_first: false,
        lines: &[
            "Olá! Sua assinatura vence na próxima semana. Deseja renovar com 10% de desconto?",
            "Quero renovar, sim. Pode manter a mesma forma de pagamento.",
            "Renovação feita! O comprovante chega por e-mail em instantes.",
        ],
    },
];

/// Customers who write first on Instagram or Facebook (they become
/// contacts, named by what the channel tells).
const SOCIAL: &[(Channel, &str, &str, &[&str])] = &[
    (
        Channel::Instagram,
        "bia.flores",
        "Beatriz Flores",
        &[
            "Vi o post de vocês: ainda tem o kit promocional?",
            "Temos sim! Posso te mandar o link do catálogo?",
            "Pode, obrigada!",
        ],
    ),
    (
        Channel::Instagram,
        "rafa.costa.oficial",
        "Rafael Costa",
        &[
            "Vocês fazem envio para Manaus?",
            "Fazemos! O prazo para Manaus é de 7 a 10 dias úteis.",
        ],
    ),
    (
        Channel::Facebook,
        "lucas.pimenta.92",
        "Lucas Pimenta",
        &[
            "Bom dia, qual o horário da loja do centro?",
            "Bom dia! De segunda a sexta das 9h às 18h e aos sábados das 9h às 13h.",
        ],
    ),
    (
        Channel::Facebook,
        "carla.mendes.rj",
        "Carla Mendes",
        &[
            "Comprei um produto com defeito, como faço a troca?",
            "Sinto muito, Carla! Pode trazer na loja com a nota ou pedimos a coleta. O que prefere?",
            "Prefiro a coleta, por favor.",
            "Coleta agendada para amanhã entre 8h e 12h.",
        ],
    ),
];

const COMMENTS: &[&str] = &[
    "Cliente prefere contato pela manhã.",
    "Pediu orçamento para 50 unidades; retornar na segunda-feira.",
    "Já é cliente há 5 anos, sempre paga em dia.",
    "Atenção: endereço de entrega diferente do de cobrança.",
    "Interessada no plano anual; enviar proposta.",
];

const NOTES: &[&str] = &[
    "Prefere ser atendido pelo WhatsApp.",
    "Cliente VIP desde 2021.",
    "Atender em espanhol se possível.",
];

/// Writes the demo's life. `contacts` are the demo contacts just created
/// (ids with what they were created from); every third gets conversations.
pub async fn add_life(
    db: &Db,
    company: CompanyId,
    contacts: &[(ContactId, NewContact)],
    seed: u64,
) -> Result<Life, AppError> {
    let agent = app::auth::repo::find_login(db, DEMO_EMAIL)
        .await?
        .ok_or(AppError::Internal)?
        .id;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut life = Life::default();

    // Two "Maria"s linked under one main contact.
    let marias = insert_contacts(
        db,
        company,
        &[
            demo_contact(
                LINKED_MAIN,
                &["+5511951110101"],
                &["maria.aparecida@gmail.com"],
            ),
            demo_contact("Maria A. Souza", &["+5511951110202"], &[]),
            demo_contact(
                "Maria Souza (trabalho)",
                &[],
                &["maria.souza@empresa.com.br"],
            ),
        ],
    )
    .await?;
    for other in &marias[1..] {
        if !matches!(
            links_repo::link(db, company, *other, marias[0], agent).await?,
            links_repo::LinkOutcome::Linked
        ) {
            tracing::warn!(
                contact = %other,
                "a demo Maria could not be linked to her main"
            );
        }
    }

    // A regular customer, served many times (first: the others' more recent
    // conversations lead the conversations list).
    let regular = insert_contacts(
        db,
        company,
        &[demo_contact(
            REGULAR,
            &["+5521951234567"],
            &["helena.vasconcelos@uol.com.br"],
        )],
    )
    .await?[0];
    let address = Address::Phone("+5521951234567".to_string());
    for n in 0..REGULAR_CONVERSATIONS {
        let script = &SCRIPTS[n % SCRIPTS.len()];
        let channel = if script.channel == Channel::Email {
            Channel::Email
        } else {
            Channel::WhatsApp
        };
        let address = if channel == Channel::Email {
            Address::Email("helena.vasconcelos@uol.com.br".to_string())
        } else {
            address.clone()
        };
        let last = n + 1 == REGULAR_CONVERSATIONS;
        converse(
            db, company, agent, regular, &address, channel, script, !last, &mut life,
        )
        .await?;
    }
    timeline::add_comment(
        db,
        company,
        regular,
        agent,
        "Cliente desde 2019: compra todo mês e indica a loja para as amigas.",
    )
    .await?;
    life.comments += 1;

    // A third of the demo contacts talked with the company.
    for (n, (id, contact)) in contacts.iter().enumerate().filter(|(n, _)| n % 3 == 0) {
        let phone = contact.phones.first().map(|p| Address::Phone(p.clone()));
        let email = contact.emails.first().map(|e| Address::Email(e.clone()));
        let script = &SCRIPTS[rng.usize(..SCRIPTS.len())];
        let address = match script.channel {
            Channel::WhatsApp => phone.clone(),
            _ => email.clone(),
        };
        let Some(address) = address.or(phone).or(email) else {
            continue;
        };
        let channel = match (&address, script.channel) {
            (Address::Phone(_), _) => Channel::WhatsApp,
            (_, Channel::WhatsApp) => Channel::Email,
            (_, channel) => channel,
        };
        let close = rng.u8(..10) < 6;
        converse(
            db, company, agent, *id, &address, channel, script, close, &mut life,
        )
        .await?;
        if n % 9 == 0 {
            let text = COMMENTS[rng.usize(..COMMENTS.len())];
            timeline::add_comment(db, company, *id, agent, text).await?;
            life.comments += 1;
        }
        if n % 15 == 0 {
            let current = load(db, company, *id).await?;
            let mut form = current.to_form();
            form.notes = NOTES[rng.usize(..NOTES.len())].to_string();
            edit_contact(db, company, agent, *id, &form, Some(current.version)).await?;
            life.edits += 1;
        }
    }

    // Customers who found the company on Instagram and Facebook.
    for (channel, handle, name, lines) in SOCIAL {
        let address = Address::Handle(*channel, (*handle).to_string());
        let script = Script {
            channel: *channel,
            customer_first: true,
            lines,
        };
        let conversation = conversations::receive(db, company, *channel, &address, name, lines[0])
            .await?
            .conversation_id;
        life.conversations += 1;
        life.messages += 1;
        reply_and_continue(
            db,
            company,
            agent,
            conversation,
            &address,
            &script,
            1,
            &mut life,
        )
        .await?;
    }

    Ok(life)
}

fn demo_contact(name: &str, phones: &[&str], emails: &[&str]) -> NewContact {
    NewContact {
        name: name.to_string(),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        emails: emails.iter().map(|e| e.to_string()).collect(),
        address: None,
        organization: None,
        groups: Vec::new(),
    }
}

/// One conversation of `script` with contact `id` at `address`, closed when
/// `close`.
#[allow(clippy::too_many_arguments)]
async fn converse(
    db: &Db,
    company: CompanyId,
    agent: i64,
    id: ContactId,
    address: &Address,
    channel: Channel,
    script: &Script,
    close: bool,
    life: &mut Life,
) -> Result<(), AppError> {
    let script = Script {
        channel,
        customer_first: script.customer_first,
        lines: script.lines,
    };
    let conversation = if script.customer_first {
        let received =
            conversations::receive(db, company, channel, address, "", script.lines[0]).await?;
        life.messages += 1;
        received.conversation_id
    } else {
        let (conversation, _) = conversations::start(db, company, id, channel, agent).await?;
        conversation
    };
    life.conversations += 1;
    let first = usize::from(script.customer_first);
    reply_and_continue(
        db,
        company,
        agent,
        conversation,
        address,
        &script,
        first,
        life,
    )
    .await?;
    if close {
        conversations::set_status(db, company, conversation, ConversationStatus::Closed, agent)
            .await?;
    }
    Ok(())
}

/// The script's lines from `from` on, in `conversation`: the agent's
/// replies as "Enviar" stores them, the customer's as inbound messages
/// (which continue the open conversation on the channel).
#[allow(clippy::too_many_arguments)]
async fn reply_and_continue(
    db: &Db,
    company: CompanyId,
    agent: i64,
    conversation: ConversationId,
    address: &Address,
    script: &Script,
    from: usize,
    life: &mut Life,
) -> Result<(), AppError> {
    for (n, line) in script.lines.iter().enumerate().skip(from) {
        let by_agent = (n % 2 == 1) == script.customer_first;
        if by_agent {
            if let Ok(message) =
                conversations::record_outbound(db, company, conversation, agent, line).await?
            {
                conversations::set_delivery(db, company, message, Delivery::Sent.slug()).await?;
                life.messages += 1;
            }
        } else {
            conversations::receive(db, company, script.channel, address, "", line).await?;
            life.messages += 1;
        }
    }
    Ok(())
}
