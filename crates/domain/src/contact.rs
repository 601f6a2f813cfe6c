//! A seeker's message to an employer, as typed into a posting's contact form. The name and the
//! address end up in mail headers, so anything that could start a new header line is refused
//! with a message the person understands, never cleaned up silently.

use crate::{EmailAddress, FieldError, Message};

const NAME_MAX_CHARS: usize = 100;
const MESSAGE_MAX_CHARS: usize = 4000;

/// A checked contact message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactMessage {
    pub name: String,
    pub email: EmailAddress,
    /// Line ends normalized to `\n`.
    pub message: String,
}

/// A sender's name fit for a mail header: one line, no control characters, at most 100 characters.
pub fn parse_sender_name(s: &str) -> Result<String, Message> {
    if s.chars().any(|c| c == '\r' || c == '\n') {
        return Err(Message::new("field.name.newline"));
    }
    if s.chars().any(char::is_control) {
        return Err(Message::new("field.name.control"));
    }
    let name = s.trim();
    if name.is_empty() {
        return Err(Message::new("field.name.required"));
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(Message::new("field.name.too_long").with("max", NAME_MAX_CHARS));
    }
    Ok(name.to_owned())
}

impl ContactMessage {
    /// Every problem at once, by field (`name`, `email`, `message`).
    pub fn parse(name: &str, email: &str, message: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = parse_sender_name(name).map_err(|m| errors.push(FieldError { field: "name", message: m })).ok();
        // The address check refuses whitespace and control characters: no header injection.
        let email = if email.chars().any(|c| c == '\r' || c == '\n') {
            errors.push(FieldError::new("email", Message::new("field.email.newline")));
            None
        } else {
            EmailAddress::parse(email).map_err(|m| errors.push(FieldError { field: "email", message: m })).ok()
        };
        let text = message.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        let message = if text.is_empty() {
            errors.push(FieldError::new("message", Message::new("field.contact.message.required")));
            None
        } else if text.chars().count() > MESSAGE_MAX_CHARS {
            errors.push(FieldError::new(
                "message",
                Message::new("field.contact.message.too_long").with("max", MESSAGE_MAX_CHARS),
            ));
            None
        } else if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            errors.push(FieldError::new("message", Message::new("field.contact.message.control")));
            None
        } else {
            Some(text.to_owned())
        };
        match (name, email, message) {
            (Some(name), Some(email), Some(message)) if errors.is_empty() => {
                Ok(ContactMessage { name, email, message })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ordinary_message_passes_with_line_ends_normalized() {
        let m =
            ContactMessage::parse(" 山田 花子 ", "hanako@mail.example", "はじめまして。\r\n見学できますか。").unwrap();
        assert_eq!(m.name, "山田 花子");
        assert_eq!(m.email.as_str(), "hanako@mail.example");
        assert_eq!(m.message, "はじめまして。\n見学できますか。");
    }

    #[test]
    fn header_injection_in_the_name_or_address_is_refused_with_a_message() {
        let errors = ContactMessage::parse("山田\r\nBcc: all@spam.example", "a@b.example\r\nBcc: x@y.example", "本文")
            .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "email"]);
        assert_eq!(errors[0].message.key(), "field.name.newline", "{errors:?}");
        assert_eq!(errors[1].message.key(), "field.email.newline", "{errors:?}");
        assert_eq!(parse_sender_name("山田\u{0}").unwrap_err().key(), "field.name.control");
        assert!(parse_sender_name("山田\t花子").is_err());
    }

    #[test]
    fn empty_and_overlong_fields_are_refused() {
        let errors = ContactMessage::parse("", "", "  ").unwrap_err();
        assert_eq!(errors.len(), 3);
        assert_eq!(parse_sender_name(&"あ".repeat(101)), Err(Message::new("field.name.too_long").with("max", 100)));
        assert!(ContactMessage::parse("a", "a@b.example", &"あ".repeat(4001)).is_err());
    }
}
