//! The Standard Webhooks specification: headers `webhook-id`, `webhook-timestamp` (Unix
//! seconds) and `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256>` entries) over
//! `{id}.{timestamp}.{body}`, keyed with the base64 part of a `whsec_…` secret.
//!
//! The body Yui accepts on `/hooks/standard` is one JSON object, question label → answer:
//! `{"求人タイトル": "定置網漁の乗組員", "給与": 1200, "休日": ["土曜", "日曜"], "form_id": "recruit-2026"}`.

use crate::answers::{answer_text, parse_json};
use crate::{base64_decode, hmac_matches, FormAnswers, ParseError, SecretError, VerifyError};

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
    // abs_diff: a timestamp near i64::MIN must not overflow the subtraction.
    if now_unix.abs_diff(ts) > TOLERANCE_SECS.unsigned_abs() {
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

/// The one key of the body that is not a question: which of the sender's forms this is.
pub const FORM_ID_KEY: &str = "form_id";

/// Reads a body of question label → answer (string, number, boolean, a list of those, or null).
/// The delivery's id is not in the body (it is the `webhook-id` header), so `external_id` is `None`.
pub fn parse(body: &[u8]) -> Result<FormAnswers, ParseError> {
    let value = parse_json(body)?;
    let object = value
        .as_object()
        .ok_or_else(|| ParseError::Shape("the body must be a JSON object of question label → answer".to_owned()))?;
    let mut parsed = FormAnswers::default();
    for (label, answer) in object {
        if label == FORM_ID_KEY {
            parsed.form_id = match answer {
                serde_json::Value::Null => None,
                serde_json::Value::String(_) | serde_json::Value::Number(_) => answer_text(answer),
                _ => return Err(ParseError::Shape(format!("`{FORM_ID_KEY}` must be a string"))),
            };
        } else {
            parsed.push(label, answer_text(answer));
        }
    }
    Ok(parsed)
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
    fn extreme_timestamps_are_stale_not_a_panic() {
        let s = secrets(&[SECRET]);
        let (min, max) = (i64::MIN.to_string(), i64::MAX.to_string());
        for (ts, now) in [(&min, TS), (&max, TS), (&max, i64::MIN), (&min, i64::MAX)] {
            let h = Headers { id: Some(ID), timestamp: Some(ts), signature: Some("v1,x") };
            assert!(matches!(verify(h, BODY, &s, now), Err(VerifyError::StaleTimestamp { .. })), "{ts} at {now}");
        }
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

    mod parsing {
        use super::super::*;
        use crate::answers::test_support::{every_prefix_is_handled, pairs};

        const FIXTURE: &[u8] = include_bytes!("../testdata/standard_webhooks.json");

        #[test]
        fn the_japanese_fixture_reads_as_label_answer_pairs() {
            let parsed = parse(FIXTURE).unwrap();
            assert_eq!(parsed.external_id, None, "the id travels in the webhook-id header");
            assert_eq!(parsed.form_id.as_deref(), Some("recruit-2026"));
            // serde_json keeps object keys sorted, so the order is the keys' byte order.
            let mut expected = vec![
                ("求人タイトル", "定置網漁の乗組員"),
                ("仕事内容", "早朝の定置網の水揚げと選別。未経験歓迎。"),
                ("雇用形態", "契約社員"),
                ("給与", "1200"),
                ("給与の単位", "時給"),
                ("休日", "土曜、日曜"),
                ("社会保険", "はい"),
                ("試用期間", "いいえ"),
                ("事業所名", "羅臼漁業協同組合"),
                ("メールアドレス", "saiyo@example.jp"),
                ("応募方法", "メールでご連絡ください"),
                ("勤務時間", "4:00〜10:00、休憩 3.5 時間"),
            ];
            expected.sort_by(|a, b| a.0.cmp(b.0));
            assert_eq!(pairs(&parsed), expected);
        }

        #[test]
        fn nulls_blanks_and_empty_lists_are_dropped_and_labels_trimmed() {
            let parsed = parse(
                "{\" 給与 \": 3.5, \"備考\": null, \"住所\": \"  \", \"休日\": [], \"職種\": [\"漁師\", 2]}".as_bytes(),
            )
            .unwrap();
            assert_eq!(pairs(&parsed), vec![("給与", "3.5"), ("職種", "漁師、2")]);
            assert_eq!(parsed.form_id, None);
        }

        #[test]
        fn malformed_bodies_say_what_is_wrong() {
            assert!(matches!(parse(b"not json"), Err(ParseError::NotJson(_))));
            assert!(matches!(parse(b""), Err(ParseError::NotJson(_))));
            for body in [&b"[]"[..], b"\"text\"", b"null", b"12"] {
                let Err(ParseError::Shape(message)) = parse(body) else { panic!("{body:?} should be Shape") };
                assert!(message.contains("JSON object"), "{message}");
            }
            let Err(ParseError::Shape(message)) = parse(br#"{"form_id": ["a"]}"#) else {
                panic!("form_id must be a string")
            };
            assert!(message.contains("form_id"), "{message}");
            assert_eq!(parse(b"{}").unwrap(), FormAnswers::default());
        }

        #[test]
        fn every_truncation_is_handled_without_panicking() {
            every_prefix_is_handled(FIXTURE, parse);
        }
    }
}
