//! What to tell a person about what they typed, without the words: a key into the locales
//! (`templates/locales/{ja,en}/fields.json`, every key starting with `field.`) and the values
//! for its `{name}` placeholders. The web renders it in the reader's language.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    key: &'static str,
    params: Vec<(&'static str, String)>,
    /// Placeholders filled with the text of another key (a field's name, an inner message),
    /// in the same language.
    keys: Vec<(&'static str, &'static str)>,
}

impl Message {
    /// The key of text a caller has already worded (shown as it is, in every language).
    pub const AS_WRITTEN: &'static str = "field.as_written";

    pub fn new(key: &'static str) -> Self {
        Message { key, params: Vec::new(), keys: Vec::new() }
    }

    /// Text that is already worded, e.g. a refusal the web built: prefer a key.
    pub fn as_written(text: impl fmt::Display) -> Self {
        Message::new(Self::AS_WRITTEN).with("text", text)
    }

    /// Fills `{name}` with `value`.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// Fills `{name}` with the text of `key` (e.g. a field's label) in the reader's language.
    pub fn with_key(mut self, name: &'static str, key: &'static str) -> Self {
        self.keys.push((name, key));
        self
    }

    /// `inner` placed in the `{name}` placeholder of `key` (its own placeholders keep their values).
    pub fn wrap(key: &'static str, name: &'static str, inner: Message) -> Self {
        let mut m = Message { key, params: inner.params, keys: inner.keys };
        m.keys.insert(0, (name, inner.key));
        m
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    pub fn params(&self) -> &[(&'static str, String)] {
        &self.params
    }

    /// The placeholders filled from other keys, as `(name, key)`.
    pub fn keys(&self) -> &[(&'static str, &'static str)] {
        &self.keys
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Renders with `text_of` giving a key's text: the key placeholders first, then the params.
    pub fn render<'a>(&self, text_of: impl Fn(&'static str) -> &'a str) -> String {
        let mut text = text_of(self.key).to_owned();
        for (name, key) in &self.keys {
            text = text.replace(&format!("{{{name}}}"), text_of(key));
        }
        for (name, value) in &self.params {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// The key and its values, for logs and tests: `field.text.too_long(max=100, count=101)`.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)?;
        if self.params.is_empty() && self.keys.is_empty() {
            return Ok(());
        }
        let keys = self.keys.iter().map(|(n, k)| format!("{n}=@{k}"));
        let params = self.params.iter().map(|(n, v)| format!("{n}={v}"));
        write!(f, "({})", keys.chain(params).collect::<Vec<_>>().join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::Message;

    #[test]
    fn display_shows_the_key_and_its_values() {
        assert_eq!(Message::new("field.email.required").to_string(), "field.email.required");
        let m = Message::new("field.text.too_long").with("max", 100).with("count", 101);
        assert_eq!(m.to_string(), "field.text.too_long(max=100, count=101)");
        assert_eq!(m.param("count"), Some("101"));
    }

    #[test]
    fn render_fills_keys_then_values() {
        let inner = Message::new("field.name.too_long").with("max", 100);
        let m = Message::wrap("field.support.name.or_anonymous", "reason", inner);
        let text = m.render(|k| match k {
            "field.support.name.or_anonymous" => "{reason} (or stay anonymous)",
            "field.name.too_long" => "At most {max}.",
            other => other,
        });
        assert_eq!(text, "At most 100. (or stay anonymous)");
    }
}
