//! Google Forms cannot sign a webhook, so the Apps Script that forwards each response sends the
//! shared secret in the `X-Yui-Secret` header (see docs/forms.md).
//!
//! The body is ours to define, and the script in docs/forms.md sends:
//! `{"responseId", "formId", "timestamp", "items": [{"title", "response"}]}`, where `response`
//! is what FormApp's `ItemResponse.getResponse()` returns: a string, a string[] (checkboxes) or
//! a string[][] (grids). A spreadsheet trigger's `e.namedValues` (`{"質問": ["answer"]}`) is
//! accepted instead of `items`; when both are present `items` wins, since it keeps form order.

use crate::answers::{answer_text, id_text, parse_json};
use crate::{FormAnswers, ParseError, VerifyError};
use serde_json::Value;
use subtle::ConstantTimeEq;

pub const SECRET_HEADER: &str = "x-yui-secret";

pub fn verify(given: Option<&str>, secrets: &[&str]) -> Result<(), VerifyError> {
    let given = given.ok_or(VerifyError::MissingHeader(SECRET_HEADER))?;
    // ct_eq on slices of different lengths returns false at once; the length is not the secret.
    let matched = secrets.iter().fold(subtle::Choice::from(0), |acc, s| acc | given.as_bytes().ct_eq(s.as_bytes()));
    if bool::from(matched) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

/// Reads the JSON the Apps Script in docs/forms.md sends. `responseId` is required (it is the
/// idempotency key); `formId` is optional.
pub fn parse(body: &[u8]) -> Result<FormAnswers, ParseError> {
    let value = parse_json(body)?;
    let object = value.as_object().ok_or_else(|| {
        ParseError::Shape("the body must be a JSON object with `responseId` and `items` or `namedValues`".to_owned())
    })?;
    let external_id = id_text(object.get("responseId"))
        .ok_or_else(|| ParseError::Shape("`responseId` is missing or empty".to_owned()))?;
    let mut parsed =
        FormAnswers { external_id: Some(external_id), form_id: id_text(object.get("formId")), answers: Vec::new() };
    match (object.get("items"), object.get("namedValues")) {
        (Some(Value::Array(items)), _) => {
            for (i, item) in items.iter().enumerate() {
                let title = item.get("title").and_then(Value::as_str).ok_or_else(|| {
                    ParseError::Shape(format!("`items[{i}]` must be an object with a `title` string"))
                })?;
                parsed.push(title, item.get("response").and_then(answer_text));
            }
        }
        (Some(_), _) => return Err(ParseError::Shape("`items` must be a list".to_owned())),
        (None, Some(Value::Object(named))) => {
            for (question, answers) in named {
                parsed.push(question, answer_text(answers));
            }
        }
        (None, Some(_)) => {
            return Err(ParseError::Shape("`namedValues` must be an object of question → list of answers".to_owned()))
        }
        (None, None) => return Err(ParseError::Shape("`items` (or `namedValues`) is missing".to_owned())),
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::test_support::{every_prefix_is_handled, pairs};

    const ITEMS: &[u8] = include_bytes!("../testdata/google_forms_items.json");
    const NAMED_VALUES: &[u8] = include_bytes!("../testdata/google_forms_named_values.json");

    #[test]
    fn items_keep_form_order_and_flatten_checkboxes_and_grids() {
        let parsed = parse(ITEMS).unwrap();
        assert_eq!(
            parsed.external_id.as_deref(),
            Some("2_ABaOnud3ZzmB6Xk1T0H3bSCnOJHsfwsRjmeINkkdVhBeiEhEMT0gfXFWPpjn1g")
        );
        assert_eq!(parsed.form_id.as_deref(), Some("1FAIpQLSeYuiKushiroGyogyo2026"));
        assert_eq!(
            pairs(&parsed),
            vec![
                ("求人タイトル（30文字以内）", "定置網漁の乗組員"),
                ("仕事内容", "早朝の定置網の水揚げと選別。\n未経験歓迎。"),
                ("雇用形態", "契約社員"),
                ("勤務地", "北海道目梨郡羅臼町"),
                ("給与（下限）", "1200"),
                ("休日", "土曜、日曜、祝日"),
                ("勤務時間", "4:00〜10:00、10:00〜14:00"),
                ("事業所名", "羅臼漁業協同組合"),
                ("メールアドレス", "saiyo@example.jp"),
                ("応募方法", "メールでご連絡ください"),
            ]
        );
    }

    #[test]
    fn named_values_from_a_spreadsheet_trigger_are_read_too() {
        let parsed = parse(NAMED_VALUES).unwrap();
        assert_eq!(parsed.external_id.as_deref(), Some("2_ABaOnud_named_values_example"));
        assert_eq!(parsed.form_id, None);
        // Without serde_json's preserve_order the keys come sorted; the timestamp stays an answer.
        let mut expected = vec![
            ("タイムスタンプ", "2026/11/25 19:00:00"),
            ("求人タイトル", "水産加工スタッフ"),
            ("雇用形態", "パート・アルバイト"),
            ("休日", "土曜, 日曜"),
            ("事業所名", "標津水産加工"),
            ("メールアドレス", "jinji@example.jp"),
        ];
        expected.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(pairs(&parsed), expected);
    }

    #[test]
    fn items_win_over_named_values() {
        let body =
            r#"{"responseId":"r1","items":[{"title":"職種","response":"漁師"}],"namedValues":{"職種":["農家"]}}"#;
        assert_eq!(pairs(&parse(body.as_bytes()).unwrap()), vec![("職種", "漁師")]);
    }

    #[test]
    fn unanswered_items_are_dropped() {
        let body = r#"{"responseId":"r1","items":[{"title":"備考","response":""},{"title":"休日","response":[]},{"title":"住所"},{"title":"グリッド","response":[null,["午前"]]}]}"#;
        assert_eq!(pairs(&parse(body.as_bytes()).unwrap()), vec![("グリッド", "午前")]);
    }

    #[test]
    fn malformed_bodies_say_what_is_wrong() {
        assert!(matches!(parse(b"<html>"), Err(ParseError::NotJson(_))));
        let shape = |body: &str| match parse(body.as_bytes()) {
            Err(ParseError::Shape(message)) => message,
            other => panic!("{body}: expected Shape, got {other:?}"),
        };
        assert!(shape("[]").contains("JSON object"));
        assert!(shape(r#"{"items":[]}"#).contains("`responseId`"));
        assert!(shape(r#"{"responseId":"  ","items":[]}"#).contains("`responseId`"));
        assert!(shape(r#"{"responseId":"r1"}"#).contains("`items`"));
        assert!(shape(r#"{"responseId":"r1","items":{}}"#).contains("`items` must be a list"));
        assert!(shape(r#"{"responseId":"r1","items":[{"response":"x"}]}"#).contains("`items[0]`"));
        assert!(shape(r#"{"responseId":"r1","namedValues":[]}"#).contains("`namedValues`"));
    }

    #[test]
    fn every_truncation_is_handled_without_panicking() {
        every_prefix_is_handled(ITEMS, parse);
        every_prefix_is_handled(NAMED_VALUES, parse);
    }

    #[test]
    fn only_the_shared_secret_passes() {
        assert_eq!(verify(Some("s3cret-value"), &["s3cret-value"]), Ok(()));
        assert_eq!(verify(Some("s3cret-value"), &["rotated", "s3cret-value"]), Ok(()));
        assert_eq!(verify(Some("s3cret-valuE"), &["s3cret-value"]), Err(VerifyError::BadSignature));
        assert_eq!(verify(Some(""), &["s3cret-value"]), Err(VerifyError::BadSignature));
        assert_eq!(verify(None, &["s3cret-value"]), Err(VerifyError::MissingHeader(SECRET_HEADER)));
    }
}
