//! The `[mail]` settings, checked at start-up: a bad sender address or mail URL stops Yui
//! before it accepts anything it could not acknowledge by mail.

use lettre::message::Mailbox;
use std::path::PathBuf;
use std::time::Duration;

/// The `[mail]` table as it is written. `Debug` hides the password in `url`.
#[derive(Clone, serde::Deserialize)]
pub struct RawMailSettings {
    pub from: String,
    /// `smtp://[user:password@]host[:port]`, `file:<dir>` or `log:`; see [`Transport::parse`].
    pub url: String,
    #[serde(default = "default_worker_interval_secs")]
    pub worker_interval_secs: u64,
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
}

fn default_worker_interval_secs() -> u64 {
    5
}

fn default_max_attempts() -> u32 {
    10
}

impl std::fmt::Debug for RawMailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawMailSettings")
            .field("from", &self.from)
            .field("url", &redact_url(&self.url))
            .field("worker_interval_secs", &self.worker_interval_secs)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

/// Replaces the user information of a URL with `…`, for logs and messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(start), Some(at)) if at > start => format!("{}://…@{}", &url[..start], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

/// SMTP login. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpCredentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for SmtpCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpCredentials").field("username", &self.username).finish_non_exhaustive()
    }
}

/// Where mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Plain SMTP to a relay, **without TLS**: meant for a relay on the same host or a trusted
    /// network (a local Postfix that does TLS onwards). Credentials, if any, cross the wire
    /// unencrypted.
    Smtp { host: String, port: u16, credentials: Option<SmtpCredentials> },
    /// Development: one `.eml` file per message in `dir` (created when needed).
    File { dir: PathBuf },
    /// Tests: a one-line summary in the log; nothing is sent or kept.
    Log,
}

pub const DEFAULT_SMTP_PORT: u16 = 25;

const FORMS: &str = "use smtp://[user:password@]host[:port], file:<directory> or log:";

impl Transport {
    /// Parses `mail.url`:
    /// - `smtp://[user:password@]host[:port]`: user and password percent-decoded (`%40` for `@`),
    ///   port 25 unless given, IPv6 hosts in brackets; plain SMTP, no TLS;
    /// - `file:<path>` or `file://<path>`: a directory, relative to the working directory
    ///   unless absolute (`file:data/mail`, `file:///var/spool/yui-mail`);
    /// - `log:`.
    ///
    /// Messages never repeat the password.
    pub fn parse(url: &str) -> Result<Transport, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err(format!("is empty: {FORMS} (set it with YUI__MAIL__URL)"));
        }
        if let Some(rest) = url.strip_prefix("smtp://") {
            return parse_smtp(rest);
        }
        if let Some(rest) = url.strip_prefix("file:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.trim().is_empty() {
                return Err(format!("{url:?} names no directory: {FORMS}"));
            }
            return Ok(Transport::File { dir: PathBuf::from(path) });
        }
        if let Some(rest) = url.strip_prefix("log:") {
            return match rest {
                "" => Ok(Transport::Log),
                _ => Err(format!("log: takes nothing after the colon: {FORMS}")),
            };
        }
        match url.split_once(':') {
            Some((scheme, _)) if !scheme.is_empty() && !scheme.contains(['@', '/']) => {
                Err(format!("the scheme {scheme:?} is not supported: {FORMS}"))
            }
            _ => Err(format!("{:?} is not a mail URL: {FORMS}", redact_url(url))),
        }
    }

    /// The transport as a URL without the password, for the start-up log.
    pub fn redacted(&self) -> String {
        match self {
            Transport::Smtp { host, port, credentials } => {
                let host = if host.contains(':') { format!("[{host}]") } else { host.clone() };
                match credentials {
                    Some(c) => format!("smtp://{}:…@{host}:{port}", c.username),
                    None => format!("smtp://{host}:{port}"),
                }
            }
            Transport::File { dir } => format!("file:{}", dir.display()),
            Transport::Log => "log:".into(),
        }
    }
}

fn parse_smtp(rest: &str) -> Result<Transport, String> {
    // The host part ends the URL; split at the last '@' so an unencoded '@' in a password still works.
    let (userinfo, hostport) = match rest.rfind('@') {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    };
    let hostport = hostport.strip_suffix('/').unwrap_or(hostport);
    if hostport.contains(['/', '?', '#']) {
        return Err(format!("smtp:// takes no path or query: {FORMS}"));
    }
    let credentials = match userinfo {
        None => None,
        Some(info) => {
            let (user, password) = info
                .split_once(':')
                .ok_or_else(|| "give the SMTP user and password together: smtp://user:password@host".to_owned())?;
            let username = percent_decode(user).map_err(|e| format!("the SMTP user {e}"))?;
            let password = percent_decode(password).map_err(|e| format!("the SMTP password {e}"))?;
            if username.is_empty() || password.is_empty() {
                return Err("give the SMTP user and password together: smtp://user:password@host".into());
            }
            Some(SmtpCredentials { username, password })
        }
    };
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (host, after) = v6.split_once(']').ok_or_else(|| format!("the host {hostport:?} lacks its closing ]"))?;
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(format!("{hostport:?} is not host[:port]")),
            },
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c.is_control() || c == '@') {
        return Err(format!("smtp:// needs a host: {FORMS}"));
    }
    let port = match port {
        None => DEFAULT_SMTP_PORT,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => return Err(format!("the port {p:?} is not a number from 1 to 65535")),
        },
    };
    Ok(Transport::Smtp { host: host.to_owned(), port, credentials })
}

/// Decodes `%XX` escapes; the result must be UTF-8.
fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let byte = hex
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| "has a % that is not followed by two hex digits".to_owned())?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "is not UTF-8 once percent-decoded".to_owned())
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub from: Mailbox,
    pub transport: Transport,
    /// How long the outbox worker sleeps between passes.
    pub worker_interval: Duration,
    /// Attempts before an email is given up on (status `failed`).
    pub max_attempts: u32,
}

#[derive(Debug, thiserror::Error)]
#[error("{key}: {message}")]
pub struct MailConfigError {
    /// The full settings key, e.g. `mail.url`.
    pub key: &'static str,
    pub message: String,
}

impl TryFrom<RawMailSettings> for MailSettings {
    type Error = MailConfigError;

    fn try_from(raw: RawMailSettings) -> Result<Self, MailConfigError> {
        let err = |key, message: String| MailConfigError { key, message };
        let from: Mailbox =
            raw.from.parse().map_err(|e| err("mail.from", format!("{:?} is not a mail address ({e})", raw.from)))?;
        let transport = Transport::parse(&raw.url).map_err(|m| err("mail.url", m))?;
        if !(1..=3600).contains(&raw.worker_interval_secs) {
            return Err(err("mail.worker_interval_secs", "must be between 1 and 3600".into()));
        }
        if !(1..=100).contains(&raw.max_attempts) {
            return Err(err("mail.max_attempts", "must be between 1 and 100".into()));
        }
        Ok(MailSettings {
            from,
            transport,
            worker_interval: Duration::from_secs(raw.worker_interval_secs),
            max_attempts: raw.max_attempts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(url: &str) -> RawMailSettings {
        RawMailSettings {
            from: "Yui 氷見しごとコモンズ <noreply@yui.invalid>".into(),
            url: url.into(),
            worker_interval_secs: 5,
            max_attempts: 10,
        }
    }

    fn smtp(host: &str, port: u16, credentials: Option<(&str, &str)>) -> Transport {
        Transport::Smtp {
            host: host.into(),
            port,
            credentials: credentials.map(|(u, p)| SmtpCredentials { username: u.into(), password: p.into() }),
        }
    }

    #[test]
    fn a_good_configuration_parses() {
        let s = MailSettings::try_from(raw("smtp://127.0.0.1:2525")).unwrap();
        assert_eq!(s.from.email.to_string(), "noreply@yui.invalid");
        assert_eq!(s.from.name.as_deref(), Some("Yui 氷見しごとコモンズ"));
        assert_eq!(s.transport, smtp("127.0.0.1", 2525, None));
        assert_eq!((s.worker_interval, s.max_attempts), (Duration::from_secs(5), 10));
    }

    #[test]
    fn smtp_urls() {
        let cases = [
            ("smtp://mail.example", smtp("mail.example", 25, None)),
            ("smtp://mail.example/", smtp("mail.example", 25, None)),
            ("  smtp://localhost:587 ", smtp("localhost", 587, None)),
            ("smtp://[::1]:2525", smtp("::1", 2525, None)),
            ("smtp://[::1]", smtp("::1", 25, None)),
            ("smtp://yui:s3cret@relay.example:587", smtp("relay.example", 587, Some(("yui", "s3cret")))),
            (
                "smtp://yui%40city.example:p%40ss%3Aw%2Frd%25@relay.example",
                smtp("relay.example", 25, Some(("yui@city.example", "p@ss:w/rd%"))),
            ),
            // An unencoded '@' in the password is forgiven: the host follows the last one.
            ("smtp://yui:p@ss@relay.example", smtp("relay.example", 25, Some(("yui", "p@ss")))),
            ("smtp://%E7%B5%90:%E3%83%91%E3%82%B9@h", smtp("h", 25, Some(("結", "パス")))),
        ];
        for (url, expected) in cases {
            assert_eq!(Transport::parse(url), Ok(expected), "{url}");
        }
    }

    #[test]
    fn file_and_log_urls() {
        let file = |d: &str| Ok(Transport::File { dir: PathBuf::from(d) });
        assert_eq!(Transport::parse("file:data/mail"), file("data/mail"));
        assert_eq!(Transport::parse("file://data/mail"), file("data/mail"));
        assert_eq!(Transport::parse("file:///var/spool/yui"), file("/var/spool/yui"));
        assert_eq!(Transport::parse("file:/tmp/mail"), file("/tmp/mail"));
        assert_eq!(Transport::parse("log:"), Ok(Transport::Log));
    }

    #[test]
    fn bad_urls_are_refused_without_repeating_passwords() {
        for (url, wanted) in [
            ("", "is empty"),
            ("   ", "is empty"),
            ("smtps://relay.example", "\"smtps\" is not supported"),
            ("pigeon://loft", "\"pigeon\" is not supported"),
            ("log", "is not a mail URL"),
            ("relay.example", "is not a mail URL"),
            ("log:verbose", "log: takes nothing"),
            ("file:", "names no directory"),
            ("file://", "names no directory"),
            ("smtp://", "needs a host"),
            ("smtp://:25", "needs a host"),
            ("smtp://h:0", "port \"0\""),
            ("smtp://h:65536", "port \"65536\""),
            ("smtp://h:smtp", "port \"smtp\""),
            ("smtp://h:", "port \"\""),
            ("smtp://[::1", "closing ]"),
            ("smtp://h/path", "no path"),
            ("smtp://h?tls=required", "no path"),
            ("smtp://onlyuser@h", "user and password together"),
            ("smtp://u:@h", "user and password together"),
            ("smtp://u:p%zz@h", "password has a %"),
            ("smtp://u%ff:p@h", "user is not UTF-8"),
        ] {
            let e = Transport::parse(url).unwrap_err();
            assert!(e.contains(wanted), "{url:?} gave {e:?}, wanted {wanted:?}");
        }
        let e = MailSettings::try_from(raw("smtp://yui:hunter2@h:99999")).unwrap_err();
        assert_eq!(e.key, "mail.url");
        assert!(e.to_string().starts_with("mail.url: "), "{e}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
        let e = MailSettings::try_from(raw("yui:hunter2@relay")).unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn errors_name_the_key() {
        let e = MailSettings::try_from(RawMailSettings { from: "not an address".into(), ..raw("log:") }).unwrap_err();
        assert!(e.to_string().starts_with("mail.from: "), "{e}");
        let e = MailSettings::try_from(raw("pigeon://loft")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "mail.url: the scheme \"pigeon\" is not supported: use smtp://[user:password@]host[:port], \
             file:<directory> or log:"
        );
        let e = MailSettings::try_from(RawMailSettings { worker_interval_secs: 0, ..raw("log:") }).unwrap_err();
        assert_eq!(e.key, "mail.worker_interval_secs");
        let e = MailSettings::try_from(RawMailSettings { max_attempts: 0, ..raw("log:") }).unwrap_err();
        assert_eq!(e.key, "mail.max_attempts");
    }

    #[test]
    fn passwords_stay_out_of_debug_and_logs() {
        let r = raw("smtp://yui:hunter2@relay.example:587");
        assert!(!format!("{r:?}").contains("hunter2"), "{r:?}");
        let s = MailSettings::try_from(r).unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2") && shown.contains("yui"), "{shown}");
        assert_eq!(s.transport.redacted(), "smtp://yui:…@relay.example:587");
        assert_eq!(smtp("::1", 25, None).redacted(), "smtp://[::1]:25");
        assert_eq!(Transport::File { dir: "data/mail".into() }.redacted(), "file:data/mail");
    }

    #[test]
    fn worker_settings_have_defaults() {
        #[derive(serde::Deserialize)]
        struct Only {
            mail: RawMailSettings,
        }
        let only: Only = serde_json::from_str(r#"{"mail": {"from": "a@b.example", "url": "log:"}}"#).unwrap();
        assert_eq!((only.mail.worker_interval_secs, only.mail.max_attempts), (5, 10));
    }
}
