//! The `[mail]` settings, checked at start-up: a bad sender address or mail URL stops Yui
//! before it accepts anything it could not acknowledge by mail.

use lettre::message::Mailbox;
use lettre::transport::smtp::client::{Certificate, TlsParameters};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The `[mail]` table as it is written. `Debug` hides the password in `url`.
#[derive(Clone, serde::Deserialize)]
pub struct RawMailSettings {
    pub from: String,
    /// `smtp://…`, `smtp+starttls://…`, `smtps://…`, `file:<dir>` or `log:`; see [`Transport::parse`].
    pub url: String,
    /// A PEM file of CA certificates trusted for the relay's certificate, besides the system's
    /// roots (a private relay's own CA). Empty: the system's roots only.
    #[serde(default)]
    pub ca_file: String,
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
            .field("ca_file", &self.ca_file)
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

/// How the SMTP connection is protected; the URL's scheme chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: **no TLS**, meant for a relay on the same host or a trusted network (a local
    /// Postfix that does TLS onwards). Credentials, if any, cross the wire unencrypted.
    Plain,
    /// `smtp+starttls://`: plain connection upgraded with STARTTLS before anything else is said;
    /// a server that does not offer STARTTLS is an error, never a fall-back to plain text.
    StartTls,
    /// `smtps://`: TLS from the first byte (implicit TLS, "SMTPS").
    Implicit,
}

impl SmtpSecurity {
    fn scheme(self) -> &'static str {
        match self {
            SmtpSecurity::Plain => "smtp",
            SmtpSecurity::StartTls => "smtp+starttls",
            SmtpSecurity::Implicit => "smtps",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Plain => DEFAULT_SMTP_PORT,
            SmtpSecurity::StartTls => DEFAULT_STARTTLS_PORT,
            SmtpSecurity::Implicit => DEFAULT_SMTPS_PORT,
        }
    }
}

/// Where mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// SMTP to a relay, with or without TLS (see [`SmtpSecurity`]).
    Smtp { host: String, port: u16, credentials: Option<SmtpCredentials>, security: SmtpSecurity },
    /// Development: one `.eml` file per message in `dir` (created when needed).
    File { dir: PathBuf },
    /// Tests: a one-line summary in the log; nothing is sent or kept.
    Log,
}

pub const DEFAULT_SMTP_PORT: u16 = 25;
pub const DEFAULT_STARTTLS_PORT: u16 = 587;
pub const DEFAULT_SMTPS_PORT: u16 = 465;

const FORMS: &str = "use smtp://, smtp+starttls:// or smtps://[user:password@]host[:port], file:<directory> or log:";

impl Transport {
    /// Parses `mail.url`:
    /// - `smtp://[user:password@]host[:port]`: user and password percent-decoded (`%40` for `@`),
    ///   port 25 unless given, IPv6 hosts in brackets; plain SMTP, no TLS;
    /// - `smtp+starttls://…`: the same, STARTTLS required, port 587 unless given;
    /// - `smtps://…`: the same, implicit TLS, port 465 unless given;
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
        for security in [SmtpSecurity::Plain, SmtpSecurity::StartTls, SmtpSecurity::Implicit] {
            if let Some(rest) = url.strip_prefix(security.scheme()).and_then(|r| r.strip_prefix("://")) {
                return parse_smtp(rest, security);
            }
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
            Transport::Smtp { host, port, credentials, security } => {
                let host = if host.contains(':') { format!("[{host}]") } else { host.clone() };
                let scheme = security.scheme();
                match credentials {
                    Some(c) => format!("{scheme}://{}:…@{host}:{port}", c.username),
                    None => format!("{scheme}://{host}:{port}"),
                }
            }
            Transport::File { dir } => format!("file:{}", dir.display()),
            Transport::Log => "log:".into(),
        }
    }
}

fn parse_smtp(rest: &str, security: SmtpSecurity) -> Result<Transport, String> {
    let scheme = security.scheme();
    // The host part ends the URL; split at the last '@' so an unencoded '@' in a password still works.
    let (userinfo, hostport) = match rest.rfind('@') {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    };
    let hostport = hostport.strip_suffix('/').unwrap_or(hostport);
    if hostport.contains(['/', '?', '#']) {
        return Err(format!("{scheme}:// takes no path or query: {FORMS}"));
    }
    let credentials = match userinfo {
        None => None,
        Some(info) => {
            let (user, password) = info
                .split_once(':')
                .ok_or_else(|| format!("give the SMTP user and password together: {scheme}://user:password@host"))?;
            let username = percent_decode(user).map_err(|e| format!("the SMTP user {e}"))?;
            let password = percent_decode(password).map_err(|e| format!("the SMTP password {e}"))?;
            if username.is_empty() || password.is_empty() {
                return Err(format!("give the SMTP user and password together: {scheme}://user:password@host"));
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
        return Err(format!("{scheme}:// needs a host: {FORMS}"));
    }
    let port = match port {
        None => security.default_port(),
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => return Err(format!("the port {p:?} is not a number from 1 to 65535")),
        },
    };
    Ok(Transport::Smtp { host: host.to_owned(), port, credentials, security })
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

/// Built only by `TryFrom<RawMailSettings>`, which makes the TLS parameters of a TLS URL.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub from: Mailbox,
    pub transport: Transport,
    /// `mail.ca_file`, when set (only with a TLS URL).
    pub ca_file: Option<PathBuf>,
    /// How long the outbox worker sleeps between passes.
    pub worker_interval: Duration,
    /// Attempts before an email is given up on (status `failed`).
    pub max_attempts: u32,
    /// Present exactly when the transport is SMTP with TLS.
    pub(crate) tls: Option<SmtpTls>,
}

/// The roots and server name the TLS handshake checks the relay against.
#[derive(Clone)]
pub(crate) struct SmtpTls(pub(crate) TlsParameters);

impl std::fmt::Debug for SmtpTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpTls")
    }
}

/// The system's roots (read from /etc/ssl/certs by rustls-native-certs) plus those of
/// `ca_file`: a relay with a public certificate keeps working when a private CA is added.
fn tls_parameters(host: &str, ca_file: Option<&Path>) -> Result<SmtpTls, MailConfigError> {
    let err = |message: String| MailConfigError { key: "mail.ca_file", message };
    let mut builder = TlsParameters::builder(host.to_owned());
    if let Some(path) = ca_file {
        let pem = std::fs::read(path).map_err(|e| err(format!("cannot read {}: {e}", path.display())))?;
        // `Certificate::from_pem` accepts a file without any certificate: look for one first.
        let not_pem =
            || err(format!("{} is not a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)", path.display()));
        if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
            return Err(not_pem());
        }
        builder = builder.add_root_certificate(Certificate::from_pem(&pem).map_err(|_| not_pem())?);
    }
    let parameters = builder.build_rustls().map_err(|e| match ca_file {
        Some(path) => err(format!("{} holds a certificate TLS cannot use ({e})", path.display())),
        None => MailConfigError { key: "mail.url", message: format!("cannot set up TLS ({e})") },
    })?;
    Ok(SmtpTls(parameters))
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
        let ca_file = match raw.ca_file.trim() {
            "" => None,
            path => Some(PathBuf::from(path)),
        };
        let tls = match &transport {
            Transport::Smtp { host, security: SmtpSecurity::StartTls | SmtpSecurity::Implicit, .. } => {
                Some(tls_parameters(host, ca_file.as_deref())?)
            }
            _ if ca_file.is_some() => {
                return Err(err(
                    "mail.ca_file",
                    format!(
                        "is set but mail.url ({}) does not use TLS: use smtp+starttls:// or smtps://, or leave it empty",
                        transport.redacted()
                    ),
                ));
            }
            _ => None,
        };
        if !(1..=3600).contains(&raw.worker_interval_secs) {
            return Err(err("mail.worker_interval_secs", "must be between 1 and 3600".into()));
        }
        if !(1..=100).contains(&raw.max_attempts) {
            return Err(err("mail.max_attempts", "must be between 1 and 100".into()));
        }
        Ok(MailSettings {
            from,
            transport,
            ca_file,
            worker_interval: Duration::from_secs(raw.worker_interval_secs),
            max_attempts: raw.max_attempts,
            tls,
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
            ca_file: String::new(),
            worker_interval_secs: 5,
            max_attempts: 10,
        }
    }

    fn smtp(host: &str, port: u16, credentials: Option<(&str, &str)>) -> Transport {
        secured(SmtpSecurity::Plain, host, port, credentials)
    }

    fn secured(security: SmtpSecurity, host: &str, port: u16, credentials: Option<(&str, &str)>) -> Transport {
        Transport::Smtp {
            host: host.into(),
            port,
            credentials: credentials.map(|(u, p)| SmtpCredentials { username: u.into(), password: p.into() }),
            security,
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
    fn tls_urls() {
        use SmtpSecurity::{Implicit, StartTls};
        let cases = [
            ("smtp+starttls://relay.example", secured(StartTls, "relay.example", 587, None)),
            (
                "smtp+starttls://yui:s3cret@relay.example:2587",
                secured(StartTls, "relay.example", 2587, Some(("yui", "s3cret"))),
            ),
            ("smtps://relay.example", secured(Implicit, "relay.example", 465, None)),
            (
                "smtps://yui%40city.example:p%40ss@[::1]",
                secured(Implicit, "::1", 465, Some(("yui@city.example", "p@ss"))),
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(Transport::parse(url), Ok(expected), "{url}");
        }
        let s = MailSettings::try_from(raw("smtps://yui:hunter2@relay.example")).unwrap();
        assert!(s.tls.is_some() && s.ca_file.is_none());
        assert_eq!(s.transport.redacted(), "smtps://yui:…@relay.example:465");
        assert!(!format!("{s:?}").contains("hunter2"));
        let s = MailSettings::try_from(raw("smtp+starttls://relay.example")).unwrap();
        assert_eq!(s.transport.redacted(), "smtp+starttls://relay.example:587");
        assert!(MailSettings::try_from(raw("smtp://relay.example")).unwrap().tls.is_none());
    }

    #[test]
    fn the_ca_file_must_be_readable_pem_and_used_with_tls() {
        let dir = tempfile::tempdir().unwrap();
        let with_ca = |url: &str, path: &Path| RawMailSettings { ca_file: path.display().to_string(), ..raw(url) };
        let missing = dir.path().join("missing.pem");
        let e = MailSettings::try_from(with_ca("smtps://relay.example", &missing)).unwrap_err();
        assert_eq!(e.key, "mail.ca_file");
        assert!(e.message.starts_with(&format!("cannot read {}", missing.display())), "{e}");

        let not_pem = dir.path().join("ca.der");
        std::fs::write(&not_pem, [0x30, 0x82, 0x01, 0x0a]).unwrap();
        let e = MailSettings::try_from(with_ca("smtp+starttls://relay.example", &not_pem)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "mail.ca_file: {} is not a PEM file of CA certificates (-----BEGIN CERTIFICATE-----)",
                not_pem.display()
            )
        );

        let broken = dir.path().join("broken.pem");
        std::fs::write(&broken, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n").unwrap();
        let e = MailSettings::try_from(with_ca("smtps://relay.example", &broken)).unwrap_err();
        assert_eq!(e.key, "mail.ca_file", "{e}");

        // A CA file with plain SMTP would suggest TLS where there is none.
        let e = MailSettings::try_from(with_ca("smtp://relay.example", &missing)).unwrap_err();
        assert!(
            e.to_string().starts_with("mail.ca_file: is set but mail.url (smtp://relay.example:25) does not use TLS"),
            "{e}"
        );
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
            ("smtp+tls://relay.example", "\"smtp+tls\" is not supported"),
            ("smtps://", "smtps:// needs a host"),
            ("smtps://:465", "smtps:// needs a host"),
            ("smtp+starttls://", "smtp+starttls:// needs a host"),
            ("smtp+starttls://u@h", "smtp+starttls://user:password@host"),
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
            "mail.url: the scheme \"pigeon\" is not supported: use smtp://, smtp+starttls:// or \
             smtps://[user:password@]host[:port], file:<directory> or log:"
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
