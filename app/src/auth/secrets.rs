//! Passwords and tokens (server only): Argon2id hashing from the RustCrypto
//! `argon2` crate, random tokens from the operating system, SHA-256 digests
//! of tokens for storage.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use sha2::{Digest, Sha256};

/// Most Argon2 memory a stored hash may ask for (64 MiB, in 1 KiB blocks):
/// ours ask for 19 MiB; a row claiming more is refused, not obeyed.
const MAX_BLOCKS: usize = 64 * 1024;
/// Most passes and lanes a stored hash may ask for (ours: 2 and 1).
const MAX_PASSES: u32 = 10;
const MAX_LANES: u32 = 4;

/// Argon2id with memory of its own, kept from one check to the next: each
/// password-check thread owns one, so hashing memory is exactly one
/// block array per thread for the life of the server (the allocator never
/// sees the 19 MiB come and go; with glibc's arenas, each check's array
/// freed by `Argon2::hash_password` stayed resident, ~20 MiB more per check).
#[derive(Default)]
pub struct Hasher {
    blocks: Vec<Block>,
}

impl Hasher {
    /// A hasher whose memory is allocated at its first check.
    pub fn new() -> Hasher {
        Hasher::default()
    }

    fn compute(
        &mut self,
        argon: &Argon2<'_>,
        password: &[u8],
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<(), argon2::Error> {
        let params = argon.params();
        let needed = params.block_count();
        if needed > MAX_BLOCKS {
            return Err(argon2::Error::MemoryTooMuch);
        }
        if params.t_cost() > MAX_PASSES {
            // argon2 has no error for "too many passes"; any error here
            // only means "no match".
            return Err(argon2::Error::MemoryTooMuch);
        }
        if params.p_cost() > MAX_LANES {
            return Err(argon2::Error::ThreadsTooMany);
        }
        if self.blocks.len() < needed {
            self.blocks.resize(needed, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut self.blocks[..needed])
    }

    /// Hashes a password with Argon2id (the crate's default parameters: 19
    /// MiB, 2 passes), as a PHC string. CPU-heavy: call from a
    /// password-check thread.
    pub fn hash(&mut self, password: &str) -> Result<String, password_hash::Error> {
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        let argon = Argon2::default();
        let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
            self.compute(&argon, password.as_bytes(), salt_bytes, out)
                .map_err(password_hash::Error::from)
        })?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(argon.params())?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(hash.to_string())
    }

    /// Whether `password` matches a stored PHC hash (compared in constant
    /// time). A malformed hash never matches. CPU-heavy: call from a
    /// password-check thread.
    pub fn verify(&mut self, password: &str, stored: &str) -> bool {
        let Ok(hash) = PasswordHash::new(stored) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
            return false;
        };
        let (Ok(algorithm), Ok(params)) =
            (Algorithm::try_from(hash.algorithm), Params::try_from(&hash))
        else {
            return false;
        };
        let version = match hash.version.map(Version::try_from).transpose() {
            Ok(version) => version.unwrap_or_default(),
            Err(_) => return false,
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        let argon = Argon2::new(algorithm, version, params);
        let computed = Output::init_with(expected.len(), |out| {
            self.compute(&argon, password.as_bytes(), salt_bytes, out)
                .map_err(password_hash::Error::from)
        });
        // `Output`'s equality is constant-time.
        computed.is_ok_and(|computed| computed == expected)
    }
}

/// Hashes a password with a hasher of its own (seeding, tests). Requests
/// hash on the password-check threads ([`crate::auth::password_checks`]).
pub fn hash_password(password: &str) -> Result<String, password_hash::Error> {
    Hasher::new().hash(password)
}

/// Whether `password` matches `stored`, with a hasher of its own.
#[cfg(test)]
fn verify_password(password: &str, stored: &str) -> bool {
    Hasher::new().verify(password, stored)
}

/// A hash to verify against when the e-mail is unknown, so that a login for
/// a missing account costs as much as one for a real account (no timing
/// oracle for which addresses exist). Made once, by the first check that
/// needs it, with that check's hasher.
pub fn dummy_hash(hasher: &mut Hasher) -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| hasher.hash("not a real password").unwrap_or_default())
        .clone()
}

/// A new random token: 32 bytes from the OS, hex-encoded (64 characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The SHA-256 of a token, hex-encoded: what the database stores.
pub fn token_digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_and_nothing_else() {
        let hash = hash_password("correct horse").expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsE", &hash));
        assert!(!verify_password("correct horse", "garbage"));
    }

    #[test]
    fn hashes_agree_with_the_argon2_crates_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_password("senha do cofre").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("PHC");
        assert!(Argon2::default()
            .verify_password(b"senha do cofre", &parsed)
            .is_ok());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"senha do cofre", &salt)
            .expect("hash")
            .to_string();
        let mut hasher = Hasher::new();
        assert!(hasher.verify("senha do cofre", &theirs));
        assert!(!hasher.verify("senha do cofrE", &theirs));
        // One hasher, many checks: its memory is reused.
        assert!(hasher.verify("senha do cofre", &ours));
    }

    #[test]
    fn a_stored_hash_asking_for_too_much_memory_never_matches() {
        let greedy = "$argon2id$v=19$m=1048576,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$\
                      aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
        assert!(!verify_password("anything", greedy));
        let slow = "$argon2id$v=19$m=19456,t=1000,p=1$c29tZXNhbHRzb21lc2FsdA$\
                    aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
        assert!(!verify_password("anything", slow));
    }

    #[test]
    fn tokens_are_random_and_their_digest_is_stable() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_digest(&a), token_digest(&a));
        assert_ne!(token_digest(&a), a);
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
