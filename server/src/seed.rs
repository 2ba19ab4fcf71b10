//! Demo data: realistic Brazilian contacts for a new installation and for
//! benchmarks. Deterministic for a given seed, so tests and benchmarks are
//! repeatable.

use app::auth::repo::{create_company_with_admin, NewUser};
use app::auth::{secrets, Role, DEMO_EMAIL, DEMO_PASSWORD};
use app::contacts::phone::normalize_phone;
use app::contacts::search::fold;
use app::contacts::writer::{insert_contacts, NewContact};
use app::db::Db;
use app::tenant::{demo_company, CompanyId};

/// The demo company's name.
pub const DEMO_COMPANY: &str = "Demonstração Agenda Ltda";

/// How many contacts the first start creates.
pub const FIRST_START_CONTACTS: usize = 300;

const FIRST_NAMES: &[&str] = &[
    "João",
    "Maria",
    "José",
    "Ana",
    "Antônio",
    "Francisca",
    "Luís",
    "Conceição",
    "Sebastião",
    "Márcia",
    "Júlio",
    "Letícia",
    "Cláudio",
    "Fábio",
    "Débora",
    "Mônica",
    "Vinícius",
    "Luíza",
    "Otávio",
    "Patrícia",
    "Rogério",
    "Sônia",
    "Tânia",
    "Valéria",
    "Wellington",
    "Beatriz",
    "Caio",
    "Gabriela",
    "Heitor",
    "Isadora",
    "Joaquim",
    "Lúcia",
    "Marcelo",
    "Natália",
    "Paulo",
    "Rafaela",
    "Sérgio",
    "Thaís",
    "Vitória",
    "Érica",
    "Ângela",
    "Inês",
    "Raí",
    "Iara",
    "Cauã",
    "Maurício",
    "Glória",
    "Simões",
    "Lívia",
    "Irene",
];

const SURNAMES: &[&str] = &[
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Ribeiro",
    "Carvalho",
    "Gonçalves",
    "Araújo",
    "Conceição",
    "Magalhães",
    "Simões",
    "Brandão",
    "Câmara",
    "Falcão",
    "Assunção",
    "Guimarães",
    "Patrício",
    "Estêvão",
    "Lourenço",
    "Antunes",
    "Sá",
    "Leão",
    "Romão",
    "Nóbrega",
    "Peçanha",
    "Barbosa",
    "Cardoso",
    "Teixeira",
    "Moreira",
    "Cavalcanti",
    "Monteiro",
    "Mendonça",
];

/// Cities with their area code (DDD) and state.
const CITIES: &[(&str, &str, u32)] = &[
    ("São Paulo", "SP", 11),
    ("Campinas", "SP", 19),
    ("Ribeirão Preto", "SP", 16),
    ("Rio de Janeiro", "RJ", 21),
    ("Niterói", "RJ", 21),
    ("Belo Horizonte", "MG", 31),
    ("Uberlândia", "MG", 34),
    ("Curitiba", "PR", 41),
    ("Florianópolis", "SC", 48),
    ("Porto Alegre", "RS", 51),
    ("Salvador", "BA", 71),
    ("Recife", "PE", 81),
    ("Fortaleza", "CE", 85),
    ("Belém", "PA", 91),
    ("Manaus", "AM", 92),
    ("Goiânia", "GO", 62),
    ("Brasília", "DF", 61),
    ("São Luís", "MA", 98),
    ("João Pessoa", "PB", 83),
    ("Maceió", "AL", 82),
];

const STREETS: &[&str] = &[
    "Rua das Flores",
    "Avenida Paulista",
    "Rua XV de Novembro",
    "Avenida Brasil",
    "Rua São João",
    "Rua Sete de Setembro",
    "Avenida Getúlio Vargas",
    "Rua da Conceição",
    "Travessa do Comércio",
    "Alameda Santos",
    "Rua Barão do Rio Branco",
    "Avenida Atlântica",
    "Rua Marechal Deodoro",
];

const ORGANIZATIONS: &[&str] = &[
    "Padaria Pão Dourado",
    "Construtora Horizonte",
    "Clínica Bem-Estar",
    "Mercado São Jorge",
    "Auto Peças Avenida",
    "Escola Aprender Mais",
    "Ótica Visão Clara",
    "Farmácia Popular do Bairro",
    "Transportadora Rápida Sul",
    "Açaí da Praça",
    "Contabilidade Exata",
    "Hotel Beira-Mar",
];

const GROUPS: &[&str] = &[
    "Clientes VIP",
    "Atacado",
    "Fornecedores",
    "Leads",
    "Inadimplentes",
    "Parceiros",
];

const EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com.br",
    "uol.com.br",
    "bol.com.br",
];

/// Generates `count` realistic contacts, deterministically from `seed`.
pub fn generate_contacts(count: usize, seed: u64) -> Vec<NewContact> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..count).map(|i| generate_contact(&mut rng, i)).collect()
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn generate_contact(rng: &mut fastrand::Rng, index: usize) -> NewContact {
    let first = pick(rng, FIRST_NAMES);
    let last = pick(rng, SURNAMES);
    let name = if rng.u8(..10) < 3 {
        format!("{first} {} {last}", pick(rng, SURNAMES))
    } else {
        format!("{first} {last}")
    };
    let (city, state, ddd) = CITIES[rng.usize(..CITIES.len())];

    let phone_count = match rng.u8(..20) {
        0 => 0,
        1..=15 => 1,
        16..=18 => 2,
        _ => 3,
    };
    let phones = (0..phone_count)
        .filter_map(|n| {
            // Mostly mobiles; about one main number in five is a landline.
            let mobile = if n == 0 { rng.u8(..10) < 8 } else { rng.bool() };
            let raw = raw_phone(rng, ddd, mobile);
            normalize_phone(&raw).ok()
        })
        .collect::<Vec<_>>();

    let emails = if rng.u8(..10) < 8 {
        let user = format!("{}.{}{}", fold(first), fold(last), index % 997).replace(' ', ".");
        vec![format!("{user}@{}", pick(rng, EMAIL_DOMAINS))]
    } else {
        Vec::new()
    };
    let address = (rng.u8(..10) < 7).then(|| {
        format!(
            "{}, {} — {city}/{state}, CEP {:05}-{:03}",
            pick(rng, STREETS),
            rng.u32(1..3000),
            rng.u32(10000..99999),
            rng.u32(0..999)
        )
    });
    let organization = (rng.u8(..10) < 4).then(|| pick(rng, ORGANIZATIONS).to_string());
    let groups = match rng.u8(..10) {
        0..=5 => Vec::new(),
        6..=8 => vec![pick(rng, GROUPS).to_string()],
        _ => {
            let a = pick(rng, GROUPS);
            let b = pick(rng, GROUPS);
            if a == b {
                vec![a.to_string()]
            } else {
                vec![a.to_string(), b.to_string()]
            }
        }
    };
    NewContact {
        name,
        phones,
        emails,
        address,
        organization,
        groups,
    }
}

/// A phone number as people type it: mixed formats, mobile or landline.
fn raw_phone(rng: &mut fastrand::Rng, ddd: u32, mobile: bool) -> String {
    let (prefix, rest) = if mobile {
        (
            format!("9{}{:03}", rng.u32(6..10), rng.u32(0..1000)),
            rng.u32(0..10000),
        )
    } else {
        (
            format!("{}{:03}", rng.u32(2..6), rng.u32(0..1000)),
            rng.u32(0..10000),
        )
    };
    match rng.u8(..5) {
        0 => format!("({ddd}) {prefix}-{rest:04}"),
        1 => format!("+55 {ddd} {prefix}-{rest:04}"),
        2 => format!("{ddd}{prefix}{rest:04}"),
        3 => format!("+55 ({ddd}) {prefix} {rest:04}"),
        _ => format!("0{ddd} {prefix}{rest:04}"),
    }
}

/// Adds `count` demo contacts to the demo company, creating it if needed.
/// Creates the demo company with its admin, whose login is public
/// ([`DEMO_EMAIL`] / [`DEMO_PASSWORD`]).
pub async fn create_demo_company(db: &Db) -> Result<CompanyId, sqlx::Error> {
    let password_hash = secrets::hash_password(DEMO_PASSWORD)
        .map_err(|error| sqlx::Error::Protocol(format!("hashing the demo password: {error}")))?;
    let admin = NewUser {
        name: "Administrador Demo".to_string(),
        email: DEMO_EMAIL.to_string(),
        password_hash,
        role: Role::Admin,
    };
    match create_company_with_admin(db, DEMO_COMPANY, true, &admin).await {
        Ok((company, _)) => Ok(company),
        Err(error) => Err(sqlx::Error::Protocol(format!(
            "creating the demo company: {error}"
        ))),
    }
}

pub async fn seed_demo(db: &Db, count: usize) -> Result<(CompanyId, usize), sqlx::Error> {
    let (company, contacts) = add_demo_contacts(db, count, fastrand::u64(..)).await?;
    Ok((company, contacts.len()))
}

/// Adds `count` generated contacts to the demo company (created if
/// missing); returns them with their ids.
async fn add_demo_contacts(
    db: &Db,
    count: usize,
    seed: u64,
) -> Result<(CompanyId, Vec<(app::ids::ContactId, NewContact)>), sqlx::Error> {
    let company = match demo_company(db).await? {
        Some(company) => company,
        None => create_demo_company(db).await?,
    };
    let contacts = generate_contacts(count, seed);
    let ids = insert_contacts(db, company, &contacts).await?;
    Ok((company, ids.into_iter().zip(contacts).collect()))
}

/// The first start of an empty database: the demo company with
/// [`FIRST_START_CONTACTS`] contacts and its life
/// ([`crate::demo_life`]: conversations, comments, edits, linked contacts).
pub async fn seed_first_start(
    db: &Db,
) -> Result<(CompanyId, usize, crate::demo_life::Life), sqlx::Error> {
    let seed = fastrand::u64(..);
    let (company, contacts) = add_demo_contacts(db, FIRST_START_CONTACTS, seed).await?;
    // The demo's life is a courtesy: a failure is logged, and the server
    // starts with the contacts alone.
    let life = match crate::demo_life::add_life(db, company, &contacts, seed).await {
        Ok(life) => life,
        Err(error) => {
            tracing::warn!(%error, "the demo company's conversations could not all be written");
            crate::demo_life::Life::default()
        }
    };
    Ok((company, contacts.len(), life))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_for_a_seed() {
        assert_eq!(generate_contacts(50, 7), generate_contacts(50, 7));
        assert_ne!(generate_contacts(50, 7), generate_contacts(50, 8));
    }

    #[test]
    fn demo_contacts_look_brazilian_and_are_normalized() {
        let contacts = generate_contacts(500, 42);
        let accented = contacts.iter().filter(|c| !c.name.is_ascii()).count();
        assert!(accented > 100, "only {accented} accented names");
        let phones: Vec<&String> = contacts.iter().flat_map(|c| &c.phones).collect();
        assert!(phones.len() > 400, "only {} phones", phones.len());
        assert!(phones.iter().all(|p| p.starts_with("+55") && p.len() >= 13));
        let landlines = phones.iter().filter(|p| p.len() == 13).count();
        assert!(landlines > 20, "only {landlines} landlines");
        assert!(contacts.iter().any(|c| c.organization.is_some()));
        assert!(contacts.iter().any(|c| c.groups.len() == 2));
        assert!(contacts.iter().any(|c| c.phones.is_empty()));
        assert!(contacts
            .iter()
            .flat_map(|c| &c.emails)
            .all(|e| e.contains('@') && e.is_ascii()));
    }

    #[test]
    fn raw_phones_come_in_mixed_formats_that_all_normalize() {
        let mut rng = fastrand::Rng::with_seed(1);
        let raws: Vec<String> = (0..200)
            .map(|i| raw_phone(&mut rng, 11, i % 2 == 0))
            .collect();
        assert!(raws.iter().any(|r| r.starts_with('(')));
        assert!(raws.iter().any(|r| r.starts_with("+55")));
        assert!(raws.iter().any(|r| r.chars().all(|c| c.is_ascii_digit())));
        let valid = raws.iter().filter(|r| normalize_phone(r).is_ok()).count();
        assert!(valid >= 195, "only {valid} of 200 normalize");
    }
}
