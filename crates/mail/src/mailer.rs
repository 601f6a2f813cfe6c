//! Turns an outbox row into a MIME message and hands it to the configured transport.

use crate::settings::{MailSettings, SmtpSecurity, Transport};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::{Message, SmtpTransport, Transport as _};
use std::path::{Path, PathBuf};
use std::time::Duration;
use yui_db::outbox::OutboxEmail;

/// How long one SMTP command may take before the attempt counts as failed.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The stored email cannot become a message (a bad address, say): retrying will not help.
    #[error("cannot build the message: {0}")]
    Message(String),
    #[error("SMTP: {0}{hint}", hint = smtp_hint(.0))]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("cannot write {}: {source}", path.display())]
    File { path: PathBuf, source: std::io::Error },
}

/// What an operator should check, for the failures a new set-up meets first.
fn smtp_hint(e: &lettre::transport::smtp::Error) -> &'static str {
    let code = e.status().map(|c| c.to_string());
    if matches!(code.as_deref(), Some("535" | "534" | "530")) {
        return " (the relay refused the login: check the user name or password in mail.url)";
    }
    if e.to_string().contains("invalid peer certificate") {
        return " (the relay's certificate is not trusted or names another host: \
                 for a relay with a private CA, set mail.ca_file)";
    }
    ""
}

impl DeliveryError {
    /// True when another attempt cannot succeed, so the email is given up on at once.
    /// Transport failures (refused connections, SMTP errors, a full disk) are retried.
    pub fn is_permanent(&self) -> bool {
        matches!(self, DeliveryError::Message(_))
    }
}

/// Sends outbox emails through the transport `mail.url` names.
pub struct Mailer {
    from: Mailbox,
    max_attempts: u32,
    described: String,
    kind: Kind,
}

enum Kind {
    Smtp(Box<SmtpTransport>),
    File(PathBuf),
    Log,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).field("transport", &self.described).finish()
    }
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Mailer {
        let kind = match &settings.transport {
            Transport::Smtp { host, port, credentials, security } => {
                // Never `Tls::Opportunistic`: a relay that stops offering STARTTLS (or someone in
                // between who strips it) must stop the mail, not read it.
                let tls = match (security, &settings.tls) {
                    (SmtpSecurity::Plain, _) => Tls::None,
                    (SmtpSecurity::StartTls, Some(tls)) => Tls::Required(tls.0.clone()),
                    (SmtpSecurity::Implicit, Some(tls)) => Tls::Wrapper(tls.0.clone()),
                    (_, None) => unreachable!("MailSettings::try_from builds the TLS parameters of every TLS URL"),
                };
                let mut builder =
                    SmtpTransport::builder_dangerous(host.as_str()).port(*port).tls(tls).timeout(Some(SMTP_TIMEOUT));
                if let Some(c) = credentials {
                    builder = builder.credentials(Credentials::new(c.username.clone(), c.password.clone()));
                }
                Kind::Smtp(Box::new(builder.build()))
            }
            Transport::File { dir } => Kind::File(dir.clone()),
            Transport::Log => Kind::Log,
        };
        Mailer {
            from: settings.from.clone(),
            max_attempts: settings.max_attempts,
            described: settings.transport.redacted(),
            kind,
        }
    }

    /// The transport, without its password, for the start-up log.
    pub fn describe(&self) -> &str {
        &self.described
    }

    /// `mail.max_attempts`: the worker gives an email up after this many failed attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The MIME message for an outbox email: From `mail.from`, To every recipient, Reply-To if
    /// set, a UTF-8 text part and, when there is HTML, a multipart/alternative with both.
    /// Date and Message-ID come from the row, so a retried email is recognisably the same one.
    pub fn message(&self, email: &OutboxEmail) -> Result<Message, DeliveryError> {
        // The address itself stays out: this text goes to the log and the outbox row's last error.
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            DeliveryError::Message(format!("{what} is not a mail address ({e})"))
        };
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(email.subject.as_str())
            .date(email.created_at.and_utc().into())
            .message_id(Some(format!(
                "<yui.outbox.{}.{}@{}>",
                email.id,
                email.created_at.format("%Y%m%d%H%M%S%6f"),
                self.from.email.domain()
            )));
        let mut recipients = 0;
        for address in email.recipient_list() {
            let to: Mailbox = address.parse().map_err(|e| bad("the recipient", &e))?;
            builder = builder.to(to);
            recipients += 1;
        }
        if recipients == 0 {
            return Err(DeliveryError::Message("the email has no recipient".into()));
        }
        if let Some(reply_to) = email.reply_to.as_deref() {
            builder = builder.reply_to(reply_to.parse().map_err(|e| bad("Reply-To", &e))?);
        }
        for (name, value) in email.header_list() {
            // The outbox checked these when queued; a row edited since is refused, not sent half-built.
            let name = HeaderName::new_from_ascii(name.clone())
                .map_err(|e| DeliveryError::Message(format!("the header name {name:?} is not usable ({e})")))?;
            if value.contains(['\r', '\n']) {
                return Err(DeliveryError::Message(format!("the header {name} spans several lines")));
            }
            builder = builder.raw_header(HeaderValue::new(name, value));
        }
        let built = match &email.body_html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(email.body_text.clone(), html.clone())),
            None => builder.singlepart(SinglePart::plain(email.body_text.clone())),
        };
        built.map_err(|e| DeliveryError::Message(e.to_string()))
    }

    /// Sends one email. Blocking: run it on a blocking thread.
    pub fn send(&self, email: &OutboxEmail) -> Result<(), DeliveryError> {
        let message = self.message(email)?;
        match &self.kind {
            Kind::Smtp(transport) => {
                transport.send(&message)?;
            }
            Kind::File(dir) => {
                let path = write_eml(dir, email.id, &message.formatted())?;
                log::info!("mail: email {} written to {}", email.id, path.display());
            }
            Kind::Log => {
                // Recipients are counted, not named: addresses never go to the log.
                log::info!(
                    "mail (log: only, not sent): email {} to {} recipient(s) subject {:?}",
                    email.id,
                    email.recipient_list().count(),
                    email.subject
                );
            }
        }
        Ok(())
    }
}

/// Writes `<dir>/<id>-<timestamp>.eml` through a temporary name, so a reader never sees half a file.
fn write_eml(dir: &Path, id: i32, bytes: &[u8]) -> Result<PathBuf, DeliveryError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DeliveryError::File { path, source }
    };
    std::fs::create_dir_all(dir).map_err(failed(dir))?;
    let name = format!("{id}-{}.eml", chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"));
    let path = dir.join(&name);
    let partial = dir.join(format!(".{name}.part"));
    std::fs::write(&partial, bytes).map_err(failed(&partial))?;
    std::fs::rename(&partial, &path).map_err(failed(&path))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::RawMailSettings;
    use chrono::NaiveDate;

    fn mailer(url: &str) -> Mailer {
        let raw = RawMailSettings {
            from: "Yui 氷見しごとコモンズ <noreply@yui.invalid>".into(),
            url: url.into(),
            ca_file: String::new(),
            worker_interval_secs: 5,
            max_attempts: 3,
        };
        Mailer::new(&MailSettings::try_from(raw).unwrap())
    }

    fn email(html: Option<&str>) -> OutboxEmail {
        let at = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(1, 2, 3).unwrap();
        OutboxEmail {
            id: 42,
            recipients: "saiyo@hama.example, jimu@hama.example".into(),
            reply_to: Some("seeker@mail.example".into()),
            subject: "【氷見】ご応募がありました".into(),
            body_text: "応募がありました。\nMARKER-TEXT-42".into(),
            body_html: html.map(Into::into),
            status: "pending".into(),
            attempts: 1,
            next_attempt_at: at,
            last_error: None,
            created_at: at,
            sent_at: None,
            headers: None,
        }
    }

    fn headers(raw: &str) -> &str {
        raw.split("\r\n\r\n").next().unwrap()
    }

    #[test]
    fn messages_carry_the_headers_and_parts() {
        let m = mailer("log:");
        let text_only = String::from_utf8(m.message(&email(None)).unwrap().formatted()).unwrap();
        let head = headers(&text_only);
        assert!(head.contains("To: saiyo@hama.example, jimu@hama.example"), "{head}");
        assert!(head.contains("Reply-To: seeker@mail.example"), "{head}");
        assert!(head.contains("Message-ID: <yui.outbox.42.20261125010203000000@yui.invalid>"), "{head}");
        assert!(head.contains("Date: Wed, 25 Nov 2026 01:02:03 +0000"), "{head}");
        assert!(head.contains("Subject: =?utf-8?"), "the Japanese subject is encoded: {head}");
        assert!(head.contains("Content-Type: text/plain; charset=utf-8"), "{head}");

        let both = String::from_utf8(m.message(&email(Some("<p>応募</p>"))).unwrap().formatted()).unwrap();
        assert!(headers(&both).contains("Content-Type: multipart/alternative"), "{both}");
        assert!(both.contains("Content-Type: text/plain; charset=utf-8"), "{both}");
        assert!(both.contains("Content-Type: text/html; charset=utf-8"), "{both}");
    }

    #[test]
    fn extra_headers_are_added() {
        let m = mailer("log:");
        let json = r#"{"List-Unsubscribe":"<https://yui.example/unsubscribe/abc>","List-Unsubscribe-Post":"List-Unsubscribe=One-Click"}"#;
        let raw = String::from_utf8(
            m.message(&OutboxEmail { headers: Some(json.into()), ..email(None) }).unwrap().formatted(),
        )
        .unwrap();
        let head = headers(&raw);
        assert!(head.contains("List-Unsubscribe: <https://yui.example/unsubscribe/abc>"), "{head}");
        assert!(head.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{head}");
        let e = m.message(&OutboxEmail { headers: Some(r#"{"Bad Name":"x"}"#.into()), ..email(None) }).unwrap_err();
        assert!(e.is_permanent(), "{e}");
    }

    #[test]
    fn unusable_rows_are_permanent_errors() {
        let m = mailer("log:");
        let e = m.message(&OutboxEmail { recipients: "not an address".into(), ..email(None) }).unwrap_err();
        assert!(e.is_permanent() && e.to_string().contains("the recipient"), "{e}");
        assert!(!e.to_string().contains("not an address"), "the address stays out of the log: {e}");
        let e = m.message(&OutboxEmail { recipients: " , ".into(), ..email(None) }).unwrap_err();
        assert!(e.is_permanent(), "{e}");
        let e = m.message(&OutboxEmail { reply_to: Some("@".into()), ..email(None) }).unwrap_err();
        assert!(e.to_string().contains("Reply-To"), "{e}");
    }

    #[test]
    fn the_file_transport_writes_one_eml_per_message() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("mail").join("out");
        let m = mailer(&format!("file:{}", target.display()));
        assert_eq!(m.describe(), format!("file:{}", target.display()));
        m.send(&email(Some("<p>応募</p>"))).unwrap();
        m.send(&OutboxEmail { id: 43, ..email(None) }).unwrap();

        let mut names: Vec<String> = std::fs::read_dir(&target)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names[0].starts_with("42-") && names[0].ends_with("Z.eml"), "{names:?}");
        assert!(names[1].starts_with("43-"), "{names:?}");
        let eml = std::fs::read_to_string(target.join(&names[0])).unwrap();
        assert!(eml.contains("From: =?utf-8?") || eml.contains("From: \"Yui"), "{eml}");
        assert!(eml.contains("noreply@yui.invalid"), "{eml}");
        assert!(eml.contains("multipart/alternative"), "{eml}");
    }

    #[test]
    fn the_file_transport_reports_an_unwritable_directory() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, "not a directory").unwrap();
        let m = mailer(&format!("file:{}", blocker.join("mail").display()));
        let e = m.send(&email(None)).unwrap_err();
        assert!(matches!(e, DeliveryError::File { .. }) && !e.is_permanent(), "{e}");
    }

    #[test]
    fn the_log_transport_sends_nothing_and_succeeds() {
        mailer("log:").send(&email(None)).unwrap();
    }
}
