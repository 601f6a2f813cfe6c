//! What every source's `parse` produces: the sender's own ids and a flat list of
//! (question label, answer) pairs, in the order the form asked them.

/// One answered question, labelled as the form labelled it. Several choices are joined
/// with 「、」; numbers, booleans and dates are written out as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormAnswers {
    /// The sender's id for this delivery (eventId, event_id, the Google response id). `None`
    /// where the id travels in a header instead (Standard Webhooks' `webhook-id`).
    pub external_id: Option<String>,
    /// Which of the sender's forms this came from, so a mapping can be chosen per form.
    pub form_id: Option<String>,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    /// JSON, but not the shape this sender documents; the message says what was expected.
    #[error("{0}")]
    Shape(String),
}

/// Parses a body as JSON; anything else is [`ParseError::NotJson`] with serde_json's own words.
/// Every sender's body is read here, so this is where text is made storable: NUL (`\u0000`),
/// which a PostgreSQL text column cannot hold, and the other control characters but tab and
/// line breaks (which Yui's forms refuse, and nobody can correct in a form tool's answer) are
/// removed from every string and key (ids, labels and answers alike). The raw body keeps them;
/// it is stored as bytes.
pub(crate) fn parse_json(body: &[u8]) -> Result<serde_json::Value, ParseError> {
    let mut value = serde_json::from_slice(body).map_err(|e| ParseError::NotJson(e.to_string()))?;
    remove_unstorable(&mut value);
    Ok(value)
}

/// The text without NUL and the other control characters but tab and line breaks: what every
/// piece of a sender's text goes through.
pub fn storable_text(text: &str) -> String {
    text.chars().filter(|c| !is_unstorable(*c)).collect()
}

fn is_unstorable(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn remove_unstorable(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains(is_unstorable) => *s = storable_text(s),
        Value::Array(items) => items.iter_mut().for_each(remove_unstorable),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut v) in entries {
                remove_unstorable(&mut v);
                map.insert(storable_text(&key), v);
            }
        }
        _ => {}
    }
}

/// An answer written out as text by the rules every sender shares: strings trimmed, numbers as
/// their JSON text (`1200`, `3.5`), booleans as 「はい」/「いいえ」, arrays (nested ones too, such as
/// a grid's rows) joined with 「、」, objects as 「key: value」 pairs joined the same way.
/// `None` when nothing is left: null, an empty string, an empty list.
pub fn answer_text(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => None,
        Value::Bool(true) => Some("はい".to_owned()),
        Value::Bool(false) => Some("いいえ".to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => non_empty(s),
        Value::Array(items) => join(items.iter().filter_map(answer_text)),
        Value::Object(map) => join(map.iter().filter_map(|(key, v)| {
            let v = answer_text(v)?;
            Some(match key.trim() {
                "" => v,
                key => format!("{key}: {v}"),
            })
        })),
    }
}

/// Joins the parts that are not blank with 「、」; `None` when none are left.
pub(crate) fn join(parts: impl IntoIterator<Item = String>) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().filter_map(|p| non_empty(&p)).collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("、"))
    }
}

/// The trimmed text, or `None` when only whitespace (ideographic spaces included) is left.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// An id the sender gives as a string (or, leniently, a number); `None` when absent or blank.
pub(crate) fn id_text(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => non_empty(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl FormAnswers {
    /// Appends an answer under its trimmed label; an answer with no text is dropped.
    pub(crate) fn push(&mut self, label: &str, value: Option<String>) {
        if let Some(value) = value {
            self.answers.push(Answer { label: label.trim().to_owned(), value });
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::{Answer, FormAnswers, ParseError};

    pub(crate) fn pairs(answers: &FormAnswers) -> Vec<(&str, &str)> {
        answers.answers.iter().map(|Answer { label, value }| (label.as_str(), value.as_str())).collect()
    }

    /// Every prefix of `body` (a request cut short anywhere) parses to something without panicking.
    pub(crate) fn every_prefix_is_handled(body: &[u8], parse: fn(&[u8]) -> Result<FormAnswers, ParseError>) {
        for end in 0..=body.len() {
            let cut = body.get(..end).unwrap_or_default();
            let result = parse(cut);
            if end + 1 < body.len() {
                // Short of its closing brace a body is never JSON.
                assert!(matches!(result, Err(ParseError::NotJson(_))), "prefix {end}: {result:?}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_written_out_by_the_shared_rules() {
        assert_eq!(answer_text(&json!("  北海道 ")), Some("北海道".into()));
        assert_eq!(answer_text(&json!("\u{3000}")), None, "an ideographic space alone is blank");
        assert_eq!(answer_text(&json!(1200)), Some("1200".into()));
        assert_eq!(answer_text(&json!(3.5)), Some("3.5".into()));
        assert_eq!(answer_text(&json!(-7)), Some("-7".into()));
        assert_eq!(answer_text(&json!(true)), Some("はい".into()));
        assert_eq!(answer_text(&json!(false)), Some("いいえ".into()));
        assert_eq!(answer_text(&json!(null)), None);
        assert_eq!(answer_text(&json!("")), None);
        assert_eq!(answer_text(&json!([])), None);
        assert_eq!(answer_text(&json!(["土曜", " ", null, "日曜", 3])), Some("土曜、日曜、3".into()));
        assert_eq!(answer_text(&json!([["午前", "午後"], ["夜"]])), Some("午前、午後、夜".into()));
        assert_eq!(answer_text(&json!({"都道府県": "北海道", "市区町村": null})), Some("都道府県: 北海道".into()));
    }

    #[test]
    fn nul_is_removed_from_every_string_and_key() {
        let body = "{\"id\":\"ev\\u0000t\",\"a\\u0000b\":[\"x\\u0000\",{\"k\":\"\\u0000\"}]}";
        let value = parse_json(body.as_bytes()).unwrap();
        assert_eq!(value, json!({"id": "evt", "ab": ["x", {"k": ""}]}));
    }

    #[test]
    fn not_json_carries_serde_jsons_words() {
        let Err(ParseError::NotJson(message)) = parse_json(b"{\"a\":") else { panic!("expected NotJson") };
        assert!(message.contains("EOF"), "{message}");
    }

    #[test]
    fn control_characters_but_tab_and_line_breaks_are_removed_from_a_senders_text() {
        let value = parse_json(br#"{"t\u0007itle": "a\u0000b\u001bc\td\ne\u0085f"}"#).unwrap();
        assert_eq!(value, json!({"title": "abc\td\nef"}));
    }
}
