//! Typeform signs each webhook with `Typeform-Signature: sha256=<base64>`, the HMAC-SHA256 of
//! the raw body keyed with the secret set on the webhook.
//!
//! The body is Typeform's `form_response` event (<https://www.typeform.com/developers/webhooks/example-payload/>):
//! `{"event_id", "event_type", "form_response": {"form_id", "token", "definition": {"fields":
//! [{"id", "title", "ref"}]}, "answers": [{"type", "<type>": value, "field": {"id", "ref"}}]}}`.
//! Answers name their question by field id only; the title comes from `definition.fields`.

use crate::answers::{answer_text, id_text, join, non_empty, parse_json};
use crate::{base64_decode, body_signed_by_any, FormAnswers, ParseError, VerifyError};
use serde_json::Value;

pub const SIGNATURE_HEADER: &str = "typeform-signature";

pub fn verify(signature: Option<&str>, body: &[u8], secrets: &[&str]) -> Result<(), VerifyError> {
    let signature = signature.ok_or(VerifyError::MissingHeader(SIGNATURE_HEADER))?;
    let encoded = signature.trim().strip_prefix("sha256=").ok_or(VerifyError::MalformedHeader(SIGNATURE_HEADER))?;
    let signature = base64_decode(encoded).ok_or(VerifyError::MalformedHeader(SIGNATURE_HEADER))?;
    body_signed_by_any(body, secrets, &signature)
}

pub const FORM_RESPONSE: &str = "form_response";

/// Reads a Typeform `form_response` event: `event_id` is the idempotency key,
/// `form_response.form_id` the form. Answers of types Yui does not read are skipped.
pub fn parse(body: &[u8]) -> Result<FormAnswers, ParseError> {
    let event = parse_json(body)?;
    if !event.is_object() {
        return Err(ParseError::Shape("the body must be a JSON object (a Typeform webhook event)".to_owned()));
    }
    let external_id =
        id_text(event.get("event_id")).ok_or_else(|| ParseError::Shape("`event_id` is missing or empty".to_owned()))?;
    match event.get("event_type").and_then(Value::as_str) {
        Some(FORM_RESPONSE) => {}
        Some(other) => {
            return Err(ParseError::Shape(format!("`event_type` is {other:?}; only {FORM_RESPONSE:?} is accepted")))
        }
        None => return Err(ParseError::Shape(format!("`event_type` is missing; expected {FORM_RESPONSE:?}"))),
    }
    let response = event
        .get("form_response")
        .filter(|r| r.is_object())
        .ok_or_else(|| ParseError::Shape("`form_response` is missing or is not an object".to_owned()))?;
    let questions: &[Value] =
        response.get("definition").and_then(|d| d.get("fields")).and_then(Value::as_array).map_or(&[], Vec::as_slice);
    let answers: &[Value] = match response.get("answers") {
        // A response where every question was skipped may come without answers.
        None | Some(Value::Null) => &[],
        Some(Value::Array(answers)) => answers,
        Some(_) => return Err(ParseError::Shape("`form_response.answers` must be a list".to_owned())),
    };
    let mut parsed =
        FormAnswers { external_id: Some(external_id), form_id: id_text(response.get("form_id")), answers: Vec::new() };
    for (i, answer) in answers.iter().enumerate() {
        if !answer.is_object() {
            return Err(ParseError::Shape(format!("`form_response.answers[{i}]` is not an object")));
        }
        let Some(value) = answer_value(answer) else { continue };
        let field = answer.get("field");
        let field_id = field.and_then(|f| f.get("id")).and_then(Value::as_str);
        let title = field_id
            .and_then(|id| questions.iter().find(|q| q.get("id").and_then(Value::as_str) == Some(id)))
            .and_then(|q| q.get("title").and_then(Value::as_str).and_then(non_empty));
        let label = title
            .or_else(|| field.and_then(|f| f.get("ref")).and_then(Value::as_str).and_then(non_empty))
            .or_else(|| field_id.and_then(non_empty))
            .unwrap_or_default();
        parsed.push(&label, Some(value));
    }
    Ok(parsed)
}

/// The answer's value by its `type`; `None` for an empty answer or a type Yui does not read.
fn answer_value(answer: &Value) -> Option<String> {
    let kind = answer.get("type").and_then(Value::as_str)?;
    let body = answer.get(kind);
    match kind {
        "text" | "email" | "url" | "file_url" | "phone_number" | "date" | "number" | "boolean" => {
            body.and_then(answer_text)
        }
        "choice" => {
            let choice = body?;
            choice.get("label").and_then(answer_text).or_else(|| choice.get("other").and_then(answer_text))
        }
        "choices" => match body? {
            Value::Object(choices) => {
                let labels = choices.get("labels").and_then(answer_text);
                let other = choices.get("other").and_then(answer_text);
                join(labels.into_iter().chain(other))
            }
            // The same answer as a list of {"id", "label", "ref"}, as some deliveries have it.
            Value::Array(choices) => join(choices.iter().filter_map(|c| c.get("label").and_then(answer_text))),
            _ => None,
        },
        "payment" => body?.get("amount").and_then(answer_text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::test_support::{every_prefix_is_handled, pairs};
    use crate::sign_for_test;

    const DOCUMENTED: &[u8] = include_bytes!("../testdata/typeform_form_response.json");
    const JAPANESE: &[u8] = include_bytes!("../testdata/typeform_japanese.json");

    #[test]
    fn the_documented_example_payload() {
        let parsed = parse(DOCUMENTED).unwrap();
        assert_eq!(parsed.external_id.as_deref(), Some("LtWXD3crgy"));
        assert_eq!(parsed.form_id.as_deref(), Some("lT4Z3j"));
        assert_eq!(
            pairs(&parsed),
            vec![
                (
                    "Thanks, {{answer_60906475}}! What's it like where you live? Tell us in a few sentences.",
                    "It's cold right now! I live in an older medium-sized city with a university. Geographically, the area is hilly."
                ),
                (
                    "If you're OK with our city management following up if they have further questions, please give us your email address.",
                    "laura@example.com"
                ),
                ("What is your first name?", "Laura"),
                ("When did you move to the place where you live?", "2005-10-15"),
                ("Which pictures do you like? You can choose as many as you like.", "London、Sydney"),
                (
                    "On a scale of 1 to 5, what rating would you give the weather in Sydney? 1 is poor weather, 5 is excellent weather",
                    "5"
                ),
                (
                    "By submitting this form, you understand and accept that we will share your answers with city management. Your answers will be anonymous will not be shared.",
                    "はい"
                ),
                ("Which of these cities is your favorite?", "London"),
                ("Do you have a favorite city we haven't listed?", "いいえ"),
                (
                    "How important is the weather to your opinion about a city? 1 is not important, 5 is very important.",
                    "2"
                ),
                ("How would you rate the weather where you currently live? 1 is poor weather, 5 is excellent weather.", "3"),
                (
                    "On a scale of 1 to 5, what rating would you give the general quality of life in Sydney? 1 is poor, 5 is excellent",
                    "4"
                ),
                ("Book a time with me", "https://calendly.com/scheduled_events/EVENT_TYPE/invitees/INVITEE"),
            ]
        );
    }

    #[test]
    fn a_japanese_job_form() {
        let parsed = parse(JAPANESE).unwrap();
        assert_eq!(parsed.external_id.as_deref(), Some("01JDQ8Z3K4M5N6P7Q8R9S0T1V2"));
        assert_eq!(parsed.form_id.as_deref(), Some("Yu1Kshr0"));
        assert_eq!(
            pairs(&parsed),
            vec![
                ("求人タイトル", "定置網漁の乗組員"),
                ("仕事内容", "早朝の定置網の水揚げと選別。\n未経験歓迎、寮あり。"),
                ("雇用形態", "契約社員"),
                ("勤務地", "北海道目梨郡羅臼町"),
                ("給与（下限）", "1200"),
                ("休日", "土曜、日曜、漁の休みの日"),
                ("社会保険", "はい"),
                ("掲載終了日", "2026-12-31"),
                ("事業所名", "羅臼漁業協同組合"),
                ("メールアドレス", "saiyo@example.jp"),
                ("電話番号", "+81153870000"),
                ("ウェブサイト", "https://rausu-gyokyo.example.jp"),
                ("応募方法", "メールでご連絡ください"),
                ("job_category", "漁業"),
                ("k9UnL1stEd00", "社員寮あり"),
                ("掲載料", "3000"),
            ]
        );
    }

    #[test]
    fn choices_as_a_list_of_objects_and_other_answers() {
        let body = r#"{"event_id":"e1","event_type":"form_response","form_response":{"answers":[
            {"type":"choices","choices":[{"id":"a","label":"漁業"},{"id":"b","label":"農業"}],"field":{"id":"f1","ref":"業種"}},
            {"type":"choice","choice":{"other":"その他の職種"},"field":{"id":"f2","ref":"職種"}},
            {"type":"choices","choices":{"labels":[],"other":"  "},"field":{"id":"f3"}},
            {"type":"multi_format","multi_format":{"video_id":"v"},"field":{"id":"f4"}},
            {"type":"text","text":"","field":{"id":"f5"}},
            {"type":"text","text":"ラベルなし"}
        ]}}"#;
        let parsed = parse(body.as_bytes()).unwrap();
        assert_eq!(parsed.form_id, None);
        assert_eq!(pairs(&parsed), vec![("業種", "漁業、農業"), ("職種", "その他の職種"), ("", "ラベルなし")]);
        let no_answers = r#"{"event_id":"e2","event_type":"form_response","form_response":{"form_id":"abc"}}"#;
        assert_eq!(parse(no_answers.as_bytes()).unwrap().answers, vec![]);
    }

    #[test]
    fn malformed_bodies_say_what_is_wrong() {
        assert!(matches!(parse(b"\xff\xfe"), Err(ParseError::NotJson(_))));
        let shape = |body: &str| match parse(body.as_bytes()) {
            Err(ParseError::Shape(message)) => message,
            other => panic!("{body}: expected Shape, got {other:?}"),
        };
        assert!(shape("true").contains("JSON object"));
        assert!(shape(r#"{"event_type":"form_response","form_response":{}}"#).contains("`event_id`"));
        assert!(shape(r#"{"event_id":"e1","event_type":"form_response_partial","form_response":{}}"#)
            .contains("form_response_partial"));
        assert!(shape(r#"{"event_id":"e1","form_response":{}}"#).contains("`event_type`"));
        assert!(shape(r#"{"event_id":"e1","event_type":"form_response"}"#).contains("`form_response`"));
        assert!(shape(r#"{"event_id":"e1","event_type":"form_response","form_response":{"answers":{}}}"#)
            .contains("`form_response.answers`"));
        assert!(shape(r#"{"event_id":"e1","event_type":"form_response","form_response":{"answers":[7]}}"#)
            .contains("`form_response.answers[0]`"));
    }

    #[test]
    fn every_truncation_is_handled_without_panicking() {
        every_prefix_is_handled(DOCUMENTED, parse);
        every_prefix_is_handled(JAPANESE, parse);
    }

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
