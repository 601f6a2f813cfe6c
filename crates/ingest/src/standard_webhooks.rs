//! The Standard Webhooks specification: headers `webhook-id`, `webhook-timestamp` (Unix
//! seconds) and `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256>` entries) over
//! `{id}.{timestamp}.{body}`, keyed with the base64 part of a `whsec_…` secret.

use crate::{base64_decode, hmac_matches, SecretError, VerifyError};

/// Timestamps further than this from now are refused, so a captured request cannot be replayed later.
pub const TOLERANCE_SECS: i64 = 5 * 60;

#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    pub fn parse(s: &str) -> Result<Self, SecretError> {
        let encoded = s.trim().strip_prefix("whsec_").unwrap_or(s.trim());
        match base64_decode(encoded) {
            Some(key) if key.len() >= 16 => Ok(Secret(key)),
            Some(_) => Err(SecretError("a Standard Webhooks secret must hold at least 16 bytes".into())),
            None => Err(SecretError("a Standard Webhooks secret is whsec_ followed by base64".into())),
        }
    }
}

/// The headers as received; `None` where a header is absent.
#[derive(Debug, Clone, Copy)]
pub struct Headers<'a> {
    pub id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
}

/// Accepts the body when any signature matches any of `secrets` (several during a rotation).
/// Returns the sender's message id, the idempotency key.
pub fn verify<'a>(
    headers: Headers<'a>,
    body: &[u8],
    secrets: &[Secret],
    now_unix: i64,
) -> Result<&'a str, VerifyError> {
    let id = headers.id.ok_or(VerifyError::MissingHeader("webhook-id"))?;
    let ts_text = headers.timestamp.ok_or(VerifyError::MissingHeader("webhook-timestamp"))?;
    let signatures = headers.signature.ok_or(VerifyError::MissingHeader("webhook-signature"))?;
    if id.is_empty() || id.len() > 256 {
        return Err(VerifyError::MalformedHeader("webhook-id"));
    }
    let ts: i64 = ts_text.trim().parse().map_err(|_| VerifyError::MalformedHeader("webhook-timestamp"))?;
    if (now_unix - ts).abs() > TOLERANCE_SECS {
        return Err(VerifyError::StaleTimestamp { tolerance_secs: TOLERANCE_SECS });
    }
    let parts: [&[u8]; 5] = [id.as_bytes(), b".", ts_text.trim().as_bytes(), b".", body];
    let matched = signatures
        .split_whitespace()
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(base64_decode)
        .any(|sig| secrets.iter().any(|secret| hmac_matches(&secret.0, &parts, &sig)));
    if matched {
        Ok(id)
    } else {
        Err(VerifyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed independently with Python's hmac module:
    // base64(hmac.new(b64decode(SECRET[6:]), b"msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1764000000." + BODY, sha256).digest())
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const OTHER: &str = "whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=";
    const ID: &str = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    const TS: i64 = 1_764_000_000;
    const BODY: &[u8] = "{\"求人タイトル\":\"定置網漁の乗組員\"}".as_bytes();
    const EXPECTED: &str = include_str!("../testdata/standard_webhooks.sig");

    fn headers(sig: &str) -> Headers<'_> {
        Headers { id: Some(ID), timestamp: Some("1764000000"), signature: Some(sig) }
    }

    fn secrets(s: &[&str]) -> Vec<Secret> {
        s.iter().map(|s| Secret::parse(s).unwrap()).collect()
    }

    #[test]
    fn the_independently_computed_signature_verifies() {
        let sig = format!("v1,{}", EXPECTED.trim());
        assert_eq!(verify(headers(&sig), BODY, &secrets(&[SECRET]), TS), Ok(ID));
    }

    #[test]
    fn any_of_several_signatures_and_secrets_may_match() {
        let sig = format!("v1,bm9wZQ== v2,ignored v1,{}", EXPECTED.trim());
        assert_eq!(verify(headers(&sig), BODY, &secrets(&[OTHER, SECRET]), TS), Ok(ID));
    }

    #[test]
    fn a_changed_body_or_wrong_secret_is_refused() {
        let sig = format!("v1,{}", EXPECTED.trim());
        assert_eq!(verify(headers(&sig), b"{}", &secrets(&[SECRET]), TS), Err(VerifyError::BadSignature));
        assert_eq!(verify(headers(&sig), BODY, &secrets(&[OTHER]), TS), Err(VerifyError::BadSignature));
        assert_eq!(verify(headers("v1,%%%"), BODY, &secrets(&[SECRET]), TS), Err(VerifyError::BadSignature));
    }

    #[test]
    fn stale_and_future_timestamps_are_refused() {
        let sig = format!("v1,{}", EXPECTED.trim());
        let s = secrets(&[SECRET]);
        assert_eq!(verify(headers(&sig), BODY, &s, TS + TOLERANCE_SECS), Ok(ID));
        assert!(matches!(
            verify(headers(&sig), BODY, &s, TS + TOLERANCE_SECS + 1),
            Err(VerifyError::StaleTimestamp { .. })
        ));
        assert!(matches!(
            verify(headers(&sig), BODY, &s, TS - TOLERANCE_SECS - 1),
            Err(VerifyError::StaleTimestamp { .. })
        ));
    }

    #[test]
    fn missing_and_malformed_headers_are_named() {
        let s = secrets(&[SECRET]);
        let h = Headers { id: None, timestamp: Some("1"), signature: Some("v1,x") };
        assert_eq!(verify(h, BODY, &s, TS), Err(VerifyError::MissingHeader("webhook-id")));
        let h = Headers { id: Some(ID), timestamp: Some("yesterday"), signature: Some("v1,x") };
        assert_eq!(verify(h, BODY, &s, TS), Err(VerifyError::MalformedHeader("webhook-timestamp")));
    }

    #[test]
    fn secrets_must_be_base64_and_long_enough() {
        assert!(Secret::parse("whsec_!!!").is_err());
        assert!(Secret::parse("whsec_c2hvcnQ=").is_err());
        assert!(format!("{:?}", Secret::parse(SECRET).unwrap()) == "Secret(…)", "never printed");
    }
}
