//! Outgoing mail. For now: the settings, checked at start-up so a bad sender address or an
//! unknown transport stops Yui before it accepts anything it could not acknowledge by mail.

use lettre::message::Mailbox;

#[derive(Debug, Clone, serde::Deserialize)]
pub struct RawMailSettings {
    pub from: String,
    pub transport: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    #[serde(default)]
    pub smtp_username: Option<String>,
    #[serde(default)]
    pub smtp_password: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Transport {
    /// Development: messages are written to the log, never sent.
    Log,
    Smtp {
        host: String,
        port: u16,
        credentials: Option<(String, String)>,
    },
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub from: Mailbox,
    pub transport: Transport,
}

#[derive(Debug, thiserror::Error)]
#[error("{key}: {message}")]
pub struct MailConfigError {
    /// The full settings key, e.g. `mail.transport`.
    pub key: &'static str,
    pub message: String,
}

impl TryFrom<RawMailSettings> for MailSettings {
    type Error = MailConfigError;

    fn try_from(raw: RawMailSettings) -> Result<Self, MailConfigError> {
        let err = |key, message: String| MailConfigError { key, message };
        let from: Mailbox =
            raw.from.parse().map_err(|e| err("mail.from", format!("{:?} is not a mail address ({e})", raw.from)))?;
        let transport = match raw.transport.as_str() {
            "log" => Transport::Log,
            "smtp" => {
                if raw.smtp_host.trim().is_empty() {
                    return Err(err("mail.smtp_host", "is empty but mail.transport is \"smtp\"".into()));
                }
                let credentials = match (raw.smtp_username, raw.smtp_password) {
                    (Some(u), Some(p)) => Some((u, p)),
                    (None, None) => None,
                    _ => {
                        return Err(err(
                            "mail.smtp_password",
                            "smtp_username and smtp_password must be set together".into(),
                        ))
                    }
                };
                Transport::Smtp { host: raw.smtp_host, port: raw.smtp_port, credentials }
            }
            other => return Err(err("mail.transport", format!("{other:?} is not one of \"log\", \"smtp\""))),
        };
        Ok(MailSettings { from, transport })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawMailSettings {
        RawMailSettings {
            from: "Yui <noreply@yui.invalid>".into(),
            transport: "smtp".into(),
            smtp_host: "127.0.0.1".into(),
            smtp_port: 2525,
            smtp_username: None,
            smtp_password: None,
        }
    }

    #[test]
    fn a_good_configuration_parses() {
        let s = MailSettings::try_from(raw()).unwrap();
        assert_eq!(s.from.email.to_string(), "noreply@yui.invalid");
        assert!(matches!(s.transport, Transport::Smtp { port: 2525, credentials: None, .. }));
    }

    #[test]
    fn errors_name_the_key() {
        let e = MailSettings::try_from(RawMailSettings { from: "not an address".into(), ..raw() }).unwrap_err();
        assert!(e.to_string().starts_with("mail.from: "), "{e}");
        let e = MailSettings::try_from(RawMailSettings { transport: "pigeon".into(), ..raw() }).unwrap_err();
        assert_eq!(e.to_string(), "mail.transport: \"pigeon\" is not one of \"log\", \"smtp\"");
        let e = MailSettings::try_from(RawMailSettings { smtp_username: Some("u".into()), ..raw() }).unwrap_err();
        assert_eq!(e.key, "mail.smtp_password");
    }
}
