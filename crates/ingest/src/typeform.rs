//! Typeform signs each webhook with `Typeform-Signature: sha256=<base64>`, the HMAC-SHA256 of
//! the raw body keyed with the secret set on the webhook.

use crate::{base64_decode, body_signed_by_any, VerifyError};

pub const SIGNATURE_HEADER: &str = "typeform-signature";

pub fn verify(signature: Option<&str>, body: &[u8], secrets: &[&str]) -> Result<(), VerifyError> {
    let signature = signature.ok_or(VerifyError::MissingHeader(SIGNATURE_HEADER))?;
    let encoded = signature.trim().strip_prefix("sha256=").ok_or(VerifyError::MalformedHeader(SIGNATURE_HEADER))?;
    let signature = base64_decode(encoded).ok_or(VerifyError::MalformedHeader(SIGNATURE_HEADER))?;
    body_signed_by_any(body, secrets, &signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign_for_test;

    const BODY: &[u8] = br#"{"event_id":"LtWXD3crgy","event_type":"form_response","form_response":{"answers":[]}}"#;

    #[test]
    fn good_bad_and_rotated_secrets() {
        let sig = format!("sha256={}", sign_for_test(b"typeform-secret", &[BODY]));
        assert_eq!(verify(Some(&sig), BODY, &["typeform-secret"]), Ok(()));
        assert_eq!(verify(Some(&sig), BODY, &["next", "typeform-secret"]), Ok(()));
        assert_eq!(verify(Some(&sig), BODY, &["wrong"]), Err(VerifyError::BadSignature));
        assert_eq!(verify(Some(&sig), b"{\"tampered\":1}", &["typeform-secret"]), Err(VerifyError::BadSignature));
        let bare = sign_for_test(b"typeform-secret", &[BODY]);
        assert_eq!(
            verify(Some(&bare), BODY, &["typeform-secret"]),
            Err(VerifyError::MalformedHeader(SIGNATURE_HEADER))
        );
        assert_eq!(verify(None, BODY, &["typeform-secret"]), Err(VerifyError::MissingHeader(SIGNATURE_HEADER)));
    }
}
