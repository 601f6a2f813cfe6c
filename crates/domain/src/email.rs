use crate::Message;
use std::fmt;

/// An email address the mailer can send to: one `@`, a non-empty local part, a dotted domain,
/// no whitespace or control characters (they would allow header injection), and then the very
/// parser the mailer uses (lettre's `Address`), so no form can say 「送信しました」 for an
/// address the outbox would drop. Every form and webhook reads addresses through this type.
/// Deliverability is proven by mail, not by regex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(s: &str) -> Result<Self, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Message::new("field.email.required"));
        }
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Message::new("field.email.invalid"));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(Message::new("field.email.no_at"));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || !domain_ok {
            return Err(Message::new("field.email.invalid"));
        }
        let address = format!("{local}@{}", domain.to_ascii_lowercase());
        if address.parse::<lettre::Address>().is_err() {
            return Err(Message::new("field.email.invalid"));
        }
        Ok(EmailAddress(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether mail to `address` can reach anyone. Employers Yui knows without an address (Hello
/// Work's offices) are kept under the reserved `.invalid` domain (RFC 6761): no letter is
/// queued for them, so nothing bounces and nobody is written to who never asked.
pub fn is_deliverable(address: &str) -> bool {
    !address.trim_end_matches('.').to_ascii_lowercase().ends_with(".invalid")
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::EmailAddress;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        let e = EmailAddress::parse(" Saiyo@Himi-Suisan.Example ").unwrap();
        assert_eq!(e.as_str(), "Saiyo@himi-suisan.example");
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in
            ["", "no-at-sign", "@example.jp", "a@localhost", "a@b..jp", "a@@b.jp", "a b@c.jp", "a@b.jp\r\nBcc: x@y.jp"]
        {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} should be refused");
        }
        // What the mailer's own parser refuses is refused here too.
        for bad in ["javascript:alert('x')//@example.jp", "a(b)@example.jp", "\"a@b.jp", "a..b@example.jp"] {
            assert!(bad.parse::<lettre::Address>().is_err() && EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(EmailAddress::parse(" ").unwrap_err().key(), "field.email.required");
        assert_eq!(EmailAddress::parse("no-at-sign").unwrap_err().key(), "field.email.no_at");
        assert_eq!(EmailAddress::parse("a@localhost").unwrap_err().key(), "field.email.invalid");
    }
}

#[cfg(test)]
mod deliverable_tests {
    #[test]
    fn the_reserved_invalid_domain_is_never_written_to() {
        assert!(!super::is_deliverable("office-1@hellowork.invalid"));
        assert!(!super::is_deliverable("office-1@HelloWork.INVALID."));
        assert!(super::is_deliverable("info@example.jp"));
    }
}
