//! Form submissions arriving by webhook. Each sender proves it holds the shared secret in its
//! own way; this crate checks that proof over the raw bytes, then parses each sender's shape
//! into [`FormAnswers`], and `mapping` turns those into a posting draft.
//! Pure functions, no I/O: they are fast to test and fuzz.
//!
//! Every comparison of a secret or a signature is constant-time.

pub mod answers;
pub mod form_kit;
pub mod google_forms;
pub mod hellowork;
pub mod mapping;
pub mod source;
pub mod standard_webhooks;
pub mod tally;
pub mod typeform;
pub mod values;

pub use answers::{Answer, FormAnswers, ParseError};

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the {0} header is missing")]
    MissingHeader(&'static str),
    #[error("the {0} header is malformed")]
    MalformedHeader(&'static str),
    #[error("the signature does not match")]
    BadSignature,
    #[error("the timestamp is more than {tolerance_secs} seconds away from now")]
    StaleTimestamp { tolerance_secs: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SecretError(pub String);

/// Checks `signature` (raw MAC bytes) against HMAC-SHA256 of `parts` under `key`, in constant time.
fn hmac_matches(key: &[u8], parts: &[&[u8]], signature: &[u8]) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return false;
    };
    for part in parts {
        mac.update(part);
    }
    mac.verify_slice(signature).is_ok()
}

/// Tally and Typeform: the signature is over the raw body alone, under any current secret.
fn body_signed_by_any(body: &[u8], secrets: &[&str], signature: &[u8]) -> Result<(), VerifyError> {
    if secrets.iter().any(|secret| hmac_matches(secret.as_bytes(), &[body], signature)) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(s.trim()).ok()
}

#[cfg(test)]
pub(crate) fn sign_for_test(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    for part in parts {
        mac.update(part);
    }
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}
