//! Unguessable tokens: the employer's private manage link and the forms' CSRF tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// 256 bits straight from the operating system's generator, URL-safe: for links that open an
/// account (a password reset), where no user-space generator state should stand between.
pub fn os_random_token() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Only the hash of a manage token is stored, so a copy of the database opens no posting.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The form field that goes with a visitor's CSRF cookie: an HMAC of the cookie under the
/// server key, so a cookie planted by a neighbouring site cannot be paired with a token.
pub fn csrf_token(key: &[u8], cookie: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(b"csrf:");
    mac.update(cookie.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Constant-time check of a submitted CSRF token.
pub fn csrf_matches(key: &[u8], cookie: &str, submitted: &str) -> bool {
    let Ok(submitted) = URL_SAFE_NO_PAD.decode(submitted.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return false;
    };
    mac.update(b"csrf:");
    mac.update(cookie.as_bytes());
    !cookie.is_empty() && mac.verify_slice(&submitted).is_ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        let (a, b) = (os_random_token(), os_random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_token("x"), hash_token("x"));
        assert_eq!(hash_token("x").len(), 64);
    }

    #[test]
    fn csrf_tokens_bind_cookie_and_key() {
        let key = b"0123456789abcdef0123456789abcdef";
        let token = csrf_token(key, "cookie-1");
        assert!(csrf_matches(key, "cookie-1", &token));
        assert!(!csrf_matches(key, "cookie-2", &token));
        assert!(!csrf_matches(b"another key another key another k", "cookie-1", &token));
        assert!(!csrf_matches(key, "", &csrf_token(key, "")));
        assert!(!csrf_matches(key, "cookie-1", "not base64 ***"));
    }
}
