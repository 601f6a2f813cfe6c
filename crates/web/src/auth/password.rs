use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;

/// Shorter passwords are refused: staff accounts can publish to the whole town.
pub const MIN_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least {MIN_LEN} characters long")]
    TooShort,
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// Hashes with argon2id and the crate's recommended parameters (19 MiB, 2 passes), in PHC form.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_LEN {
        return Err(PasswordError::TooShort);
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Constant-time comparison happens inside argon2's verifier.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A password to print once, from an alphabet without look-alikes.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Spends the time a real check would, for a login with an unknown address: the answer must
/// not tell which addresses have accounts.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash("no account has this password").unwrap_or_default());
    verify(password, &DUMMY);
}

/// The rule for a new password: at least [`MIN_LEN`] characters.
pub fn strong_enough(password: &str) -> bool {
    password.chars().count() >= MIN_LEN
}

/// A hash no password matches: for accounts that must not log in (the demo editor).
pub const LOCKED: &str = "!locked";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse battery!", &h));
    }

    #[test]
    fn short_passwords_and_locked_accounts() {
        assert!(matches!(hash("short"), Err(PasswordError::TooShort)));
        assert!(!verify("anything at all", LOCKED));
        assert!(generate().len() >= MIN_LEN);
    }
}
