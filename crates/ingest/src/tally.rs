//! Tally signs each webhook with `Tally-Signature`: base64 of HMAC-SHA256 over the raw body,
//! keyed with the signing secret shown in the form's webhook settings.
//!
//! The body is Tally's `FORM_RESPONSE` event (<https://tally.so/help/webhooks>, "Example webhook
//! event"): `{"eventId", "eventType", "createdAt", "data": {"responseId", "formId", "formName",
//! "fields": [{"key", "label", "type", "value", "options"?}]}}`. Choice answers arrive as option
//! ids, checkboxes once more as one `true`/`false` field per option, files as objects with a `url`.

use crate::answers::{answer_text, id_text, join, non_empty, parse_json};
use crate::{base64_decode, body_signed_by_any, FormAnswers, ParseError, VerifyError};
use serde_json::Value;

pub const SIGNATURE_HEADER: &str = "tally-signature";

/// `secrets` holds the current signing secret, and the previous one during a rotation.
pub fn verify(signature: Option<&str>, body: &[u8], secrets: &[&str]) -> Result<(), VerifyError> {
    let signature = signature.ok_or(VerifyError::MissingHeader(SIGNATURE_HEADER))?;
    let signature = base64_decode(signature).ok_or(VerifyError::MalformedHeader(SIGNATURE_HEADER))?;
    body_signed_by_any(body, secrets, &signature)
}

pub const FORM_RESPONSE: &str = "FORM_RESPONSE";

/// Field types whose `value` is a list of option ids, named in `options`.
const CHOICE_TYPES: [&str; 5] = ["MULTIPLE_CHOICE", "DROPDOWN", "CHECKBOXES", "MULTI_SELECT", "RANKING"];
/// Field types whose `value` is a list of uploaded files, `{"name", "url", …}`.
const FILE_TYPES: [&str; 2] = ["FILE_UPLOAD", "SIGNATURE"];

/// Reads a Tally `FORM_RESPONSE` event: `eventId` is the idempotency key, `data.formId` the form.
pub fn parse(body: &[u8]) -> Result<FormAnswers, ParseError> {
    let event = parse_json(body)?;
    if !event.is_object() {
        return Err(ParseError::Shape("the body must be a JSON object (a Tally webhook event)".to_owned()));
    }
    let external_id =
        id_text(event.get("eventId")).ok_or_else(|| ParseError::Shape("`eventId` is missing or empty".to_owned()))?;
    match event.get("eventType").and_then(Value::as_str) {
        Some(FORM_RESPONSE) => {}
        Some(other) => {
            return Err(ParseError::Shape(format!("`eventType` is {other:?}; only {FORM_RESPONSE:?} is accepted")))
        }
        None => return Err(ParseError::Shape(format!("`eventType` is missing; expected {FORM_RESPONSE:?}"))),
    }
    let data = event
        .get("data")
        .filter(|d| d.is_object())
        .ok_or_else(|| ParseError::Shape("`data` is missing or is not an object".to_owned()))?;
    let fields = data
        .get("fields")
        .and_then(Value::as_array)
        .ok_or_else(|| ParseError::Shape("`data.fields` is missing or is not a list".to_owned()))?;
    let mut parsed =
        FormAnswers { external_id: Some(external_id), form_id: id_text(data.get("formId")), answers: Vec::new() };
    for (i, field) in fields.iter().enumerate() {
        if !field.is_object() {
            return Err(ParseError::Shape(format!("`data.fields[{i}]` is not an object")));
        }
        let kind = field.get("type").and_then(Value::as_str).unwrap_or_default();
        let value = field.get("value").unwrap_or(&Value::Null);
        if kind == "CHECKBOXES" && value.is_boolean() {
            // The per-option echo of a checkbox question ("Question (Option)": true/false); the
            // question's own field already lists the ticked options.
            continue;
        }
        let text = str_of(field, "label")
            .and_then(non_empty)
            .or_else(|| str_of(field, "key").and_then(non_empty))
            .unwrap_or_default();
        let answer = if CHOICE_TYPES.contains(&kind) {
            choice_texts(value, field.get("options"))
        } else if FILE_TYPES.contains(&kind) {
            file_urls(value)
        } else if kind == "MATRIX" {
            matrix_text(field, value)
        } else {
            answer_text(value)
        };
        parsed.push(&text, answer);
    }
    Ok(parsed)
}

fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// The text of the option with this id, if `options` (a list of `{"id", "text"}`) has it.
fn option_text<'a>(options: Option<&'a Value>, id: &str) -> Option<&'a str> {
    options?.as_array()?.iter().find(|o| str_of(o, "id") == Some(id)).and_then(|o| str_of(o, "text"))
}

/// Option ids turned into their texts, in the order chosen; an unknown id is kept as it is.
fn choice_texts(value: &Value, options: Option<&Value>) -> Option<String> {
    let one = |v: &Value| match v {
        Value::String(id) => Some(option_text(options, id).unwrap_or(id).to_owned()),
        other => answer_text(other),
    };
    match value {
        Value::Array(ids) => join(ids.iter().filter_map(one)),
        other => one(other),
    }
}

/// Each uploaded file's `url` (its `name` when there is no url).
fn file_urls(value: &Value) -> Option<String> {
    let one = |v: &Value| match v {
        Value::Object(_) => str_of(v, "url").or_else(|| str_of(v, "name")).map(str::to_owned),
        other => answer_text(other),
    };
    match value {
        Value::Array(files) => join(files.iter().filter_map(one)),
        other => one(other),
    }
}

/// A matrix answer, `{row id: [column ids]}`, as 「row: column」 in the rows' order.
fn matrix_text(field: &Value, value: &Value) -> Option<String> {
    let Value::Object(chosen) = value else { return answer_text(value) };
    let rows = field.get("rows");
    let columns = field.get("columns");
    let ordered_ids: Vec<&str> = rows
        .and_then(Value::as_array)
        .map(|rows| rows.iter().filter_map(|r| str_of(r, "id")).collect())
        .unwrap_or_default();
    let unlisted = chosen.keys().map(String::as_str).filter(|id| !ordered_ids.contains(id));
    let all_ids: Vec<&str> = ordered_ids.iter().copied().chain(unlisted).collect();
    join(all_ids.into_iter().filter_map(|row_id| {
        let cells = choice_texts(chosen.get(row_id)?, columns)?;
        let row = option_text(rows, row_id).unwrap_or(row_id);
        Some(format!("{row}: {cells}"))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::test_support::{every_prefix_is_handled, pairs};
    use crate::sign_for_test;

    const DOCUMENTED: &[u8] = include_bytes!("../testdata/tally_form_response.json");
    const JAPANESE: &[u8] = include_bytes!("../testdata/tally_japanese.json");

    #[test]
    fn the_documented_example_event() {
        let parsed = parse(DOCUMENTED).unwrap();
        assert_eq!(parsed.external_id.as_deref(), Some("a4cb511e-d513-4fa5-baee-b815d718dfd1"));
        assert_eq!(parsed.form_id.as_deref(), Some("VwbNEw"));
        assert_eq!(
            pairs(&parsed),
            vec![
                ("utm_campaign", "newsletter"),
                ("Score", "20"),
                ("Type", "Hard"),
                ("Text", "Hello"),
                ("Number", "10"),
                ("Email", "alice@example.com"),
                ("Phone number", "+32491223344"),
                ("Website", "example.com"),
                ("Date", "2023-06-28"),
                ("Time", "12:00"),
                ("Long text", "Hello world"),
                ("Multiple choice", "In progress"),
                ("Checkboxes", "Swimming、Skiing"),
                ("Dropdown", "Hard"),
                ("Multi-select", "Surf、Golf"),
                (
                    "File upload",
                    "https://storage.googleapis.com/tally-response-assets-dev/vBXMXN/34fd1ee5-4ead-4929-9a4a-918ac9f0b416/Tally_Icon.png"
                ),
                ("Payment (price)", "9"),
                ("Payment (currency)", "USD"),
                ("Payment (name)", "Alice Smith"),
                ("Payment (email)", "alice@example.com"),
                ("Payment (link)", "https://dashboard.stripe.com/payments/[PAYMENT_ID]"),
                ("Rating", "4"),
                ("Ranking", "Pear、Apple、Banana"),
                ("Linear scale", "7"),
                (
                    "Signature",
                    "https://storage.googleapis.com/tally-response-assets-dev/vBXMXN/signatures/ca8f2e11-f99a-4042-b872-0888811b8118.png"
                ),
                ("Matrix", "Quality: Satisfied、Speed: Neutral"),
            ]
        );
    }

    #[test]
    fn a_japanese_job_form() {
        let parsed = parse(JAPANESE).unwrap();
        assert_eq!(parsed.external_id.as_deref(), Some("7f3c2a10-5b8e-4d1f-9c6a-2e4b8d0f1a33"));
        assert_eq!(parsed.form_id.as_deref(), Some("mRk8Qa"));
        assert_eq!(
            pairs(&parsed),
            vec![
                ("求人タイトル", "定置網漁の乗組員"),
                ("仕事内容", "早朝の定置網の水揚げと選別。\n未経験歓迎、寮あり。"),
                ("雇用形態", "契約社員"),
                ("勤務地", "北海道目梨郡羅臼町"),
                ("給与（下限）", "1200"),
                ("給与の単位", "時給"),
                ("休日", "土曜、日曜"),
                ("掲載終了日", "2026-12-31"),
                ("事業所名", "羅臼漁業協同組合"),
                ("メールアドレス", "saiyo@example.jp"),
                ("電話番号", "+81153870000"),
                ("応募方法", "メールでご連絡ください"),
                ("question_q9WxYz", "社員寮あり"),
            ]
        );
    }

    #[test]
    fn unknown_option_ids_are_kept_and_a_bare_string_choice_is_read() {
        let body = r#"{"eventId":"e1","eventType":"FORM_RESPONSE","data":{"fields":[
            {"key":"a","label":"職種","type":"MULTIPLE_CHOICE","value":["gone"],"options":[{"id":"x","text":"漁師"}]},
            {"key":"b","label":"業種","type":"DROPDOWN","value":"x","options":[{"id":"x","text":"漁業"}]},
            {"key":"c","label":"雇用形態","type":"CHECKBOXES","value":[],"options":[]},
            {"key":"d","label":"住所","type":"INPUT_TEXT","value":null},
            {"key":"e","label":"試用期間","type":"SOMETHING_NEW","value":false}
        ]}}"#;
        let parsed = parse(body.as_bytes()).unwrap();
        assert_eq!(parsed.form_id, None);
        assert_eq!(pairs(&parsed), vec![("職種", "gone"), ("業種", "漁業"), ("試用期間", "いいえ")]);
    }

    #[test]
    fn malformed_bodies_say_what_is_wrong() {
        assert!(matches!(parse(b"eventId=1"), Err(ParseError::NotJson(_))));
        let shape = |body: &str| match parse(body.as_bytes()) {
            Err(ParseError::Shape(message)) => message,
            other => panic!("{body}: expected Shape, got {other:?}"),
        };
        assert!(shape("[1]").contains("JSON object"));
        assert!(shape(r#"{"eventType":"FORM_RESPONSE","data":{"fields":[]}}"#).contains("`eventId`"));
        assert!(shape(r#"{"eventId":"","eventType":"FORM_RESPONSE","data":{"fields":[]}}"#).contains("`eventId`"));
        assert!(shape(r#"{"eventId":"e1","eventType":"FORM_DELETED","data":{"fields":[]}}"#).contains("FORM_DELETED"));
        assert!(shape(r#"{"eventId":"e1","data":{"fields":[]}}"#).contains("`eventType`"));
        assert!(shape(r#"{"eventId":"e1","eventType":"FORM_RESPONSE"}"#).contains("`data`"));
        assert!(shape(r#"{"eventId":"e1","eventType":"FORM_RESPONSE","data":{}}"#).contains("`data.fields`"));
        assert!(shape(r#"{"eventId":"e1","eventType":"FORM_RESPONSE","data":{"fields":{}}}"#).contains("`data.fields`"));
        assert!(
            shape(r#"{"eventId":"e1","eventType":"FORM_RESPONSE","data":{"fields":[1]}}"#).contains("`data.fields[0]`")
        );
    }

    #[test]
    fn every_truncation_is_handled_without_panicking() {
        every_prefix_is_handled(DOCUMENTED, parse);
        every_prefix_is_handled(JAPANESE, parse);
    }

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
