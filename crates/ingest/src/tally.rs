//! Tally signs each webhook with `Tally-Signature`: base64 of HMAC-SHA256 over the raw body,
//! keyed with the signing secret shown in the form's webhook settings.

use crate::{base64_decode, body_signed_by_any, VerifyError};

pub const SIGNATURE_HEADER: &str = "tally-signature";

/// `secrets` holds the current signing secret, and the previous one during a rotation.
pub fn verify(signature: Option<&str>, body: &[u8], secrets: &[&str]) -> Result<(), VerifyError> {
    let signature = signature.ok_or(VerifyError::MissingHeader(SIGNATURE_HEADER))?;
    let signature = base64_decode(signature).ok_or(VerifyError::MalformedHeader(SIGNATURE_HEADER))?;
    body_signed_by_any(body, secrets, &signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign_for_test;

    const BODY: &[u8] =
        br#"{"eventId":"a4cb511e-d513-4fa5-baee-b815d718dfd1","eventType":"FORM_RESPONSE","data":{"fields":[]}}"#;

    #[test]
    fn good_bad_and_rotated_secrets() {
        let sig = sign_for_test(b"tally-secret", &[BODY]);
        assert_eq!(verify(Some(&sig), BODY, &["tally-secret"]), Ok(()));
        assert_eq!(verify(Some(&sig), BODY, &["new-secret", "tally-secret"]), Ok(()));
        assert_eq!(verify(Some(&sig), BODY, &["other"]), Err(VerifyError::BadSignature));
        assert_eq!(verify(Some(&sig), b"{}", &["tally-secret"]), Err(VerifyError::BadSignature));
        assert_eq!(verify(None, BODY, &["tally-secret"]), Err(VerifyError::MissingHeader(SIGNATURE_HEADER)));
        assert_eq!(verify(Some("***"), BODY, &["tally-secret"]), Err(VerifyError::MalformedHeader(SIGNATURE_HEADER)));
    }
}
