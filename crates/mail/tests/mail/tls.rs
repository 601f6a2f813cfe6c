//! Mail over TLS against a real server: aiosmtpd speaking STARTTLS or implicit TLS with a
//! certificate made at test time by the `openssl` command (a throwaway CA and a server
//! certificate for 127.0.0.1 it signs, valid for two days, never committed), and checking the
//! login against a password. The relay's CA reaches Yui through `mail.ca_file`.

use crate::smtp::{connect, free_port, mailer_trusting, report, smtp_server_available, SmtpServer};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use yui_db::now;
use yui_db::outbox::{self, NewEmail};
use yui_mail::deliver_due;

const USER: &str = "yui@city.example";
const PASSWORD: &str = "s3cret:p@ss";
/// `PASSWORD` percent-encoded for a URL.
const PASSWORD_IN_URL: &str = "s3cret%3Ap%40ss";

/// aiosmtpd on `127.0.0.1:port` in one of three modes: `starttls` (offers and requires
/// STARTTLS before AUTH), `implicit` (TLS from the first byte), `plain` (offers no STARTTLS at
/// all). Every mode requires a login as `user`/`password` (PLAIN or LOGIN) before accepting
/// mail, and prints each login attempt to its log.
const TLS_SERVER: &str = r#"
import asyncio, ssl, sys
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

mode, port, maildir, cert, key, user, password = sys.argv[1:8]
handler = Mailbox(maildir)

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
    print(f"LOGIN-ATTEMPT {mechanism} {'accepted' if ok else 'refused'}", flush=True)
    return AuthResult(success=ok, handled=False)

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)

def factory():
    common = dict(authenticator=authenticator, auth_required=True)
    if mode == 'starttls':
        return SMTP(handler, tls_context=context, require_starttls=True, auth_require_tls=True, **common)
    # Implicit TLS: the whole connection is already encrypted, which aiosmtpd cannot see.
    return SMTP(handler, auth_require_tls=False, **common)

async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, '127.0.0.1', int(port), ssl=context if mode == 'implicit' else None)
    await server.serve_forever()

asyncio.run(main())
"#;

/// A throwaway certificate authority and the server certificate it signed.
struct Pki {
    _dir: tempfile::TempDir,
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).stdin(Stdio::null()).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn throwaway_pki() -> Pki {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    let mut ca = vec!["req", "-x509", "-days", "2", "-subj", "/CN=Yui test CA", "-keyout", "ca.key", "-out", "ca.pem"];
    ca.extend(ec);
    ca.extend(["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    openssl(p, &ca);
    let mut csr = vec!["req", "-new", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"];
    csr.extend(ec);
    openssl(p, &csr);
    std::fs::write(
        p.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n\
         extendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        p,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ],
    );
    Pki { ca: p.join("ca.pem"), cert: p.join("server.pem"), key: p.join("server.key"), _dir: dir }
}

fn tools_available(test: &str) -> bool {
    let openssl = Command::new("openssl").arg("version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    assert!(openssl || std::env::var("CI").as_deref() != Ok("true"), "{test}: the openssl command is missing");
    openssl && smtp_server_available(test)
}

fn start(mode: &str, port: u16, pki: &Pki) -> SmtpServer {
    SmtpServer::launch(port, |dir| {
        let args: [OsString; 10] = [
            "-u".into(),
            "-c".into(),
            TLS_SERVER.into(),
            mode.into(),
            port.to_string().into(),
            dir.join("maildir").into(),
            pki.cert.clone().into(),
            pki.key.clone().into(),
            USER.into(),
            PASSWORD.into(),
        ];
        args.into()
    })
}

fn enqueue(conn: &mut yui_db::DbConnection, marker: &str) -> i32 {
    outbox::enqueue(
        conn,
        &NewEmail {
            to: &["saiyo@hama.example"],
            reply_to: None,
            subject: "【氷見】ご応募がありました",
            body_text: marker,
            body_html: None,
            headers: &[],
        },
    )
    .unwrap()
}

fn login_url(scheme: &str, password: &str, port: u16) -> String {
    format!("{scheme}://yui%40city.example:{password}@127.0.0.1:{port}")
}

/// Sends one email through `scheme` to a server in `mode` and checks it arrived, sent once.
fn delivered_over(scheme: &str, mode: &str) {
    let pki = throwaway_pki();
    let port = free_port();
    let server = start(mode, port, &pki);
    let (_db, mut conn) = connect();
    let id = enqueue(&mut conn, &format!("MARKER-{mode}"));
    let mailer = mailer_trusting(&login_url(scheme, PASSWORD_IN_URL, port), Some(&pki.ca), 10);
    assert_eq!(mailer.describe(), format!("{scheme}://yui@city.example:…@127.0.0.1:{port}"));

    assert_eq!(deliver_due(&mut conn, &mailer, now(), 10).unwrap(), report(1, 0, 0), "{}", server.log());
    let got = server.messages();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].to.as_slice(), got[0].subject.as_str()),
        (&["saiyo@hama.example".to_owned()][..], "【氷見】ご応募がありました")
    );
    assert!(server.log().contains("LOGIN-ATTEMPT PLAIN accepted"), "{}", server.log());
    let row = outbox::find_by_id(&mut conn, id).unwrap();
    assert_eq!((row.status.as_str(), row.attempts, row.last_error), ("sent", 1, None));
}

/// Runs one delivery pass that must fail: the email stays pending with its attempt counted and
/// the error recorded, nothing arrives. Returns the recorded error.
fn kept_for_retry(server: &SmtpServer, conn: &mut yui_db::DbConnection, mailer: &yui_mail::Mailer, id: i32) -> String {
    assert_eq!(deliver_due(conn, mailer, now(), 10).unwrap(), report(0, 1, 0), "{}", server.log());
    assert!(server.messages().is_empty());
    let row = outbox::find_by_id(conn, id).unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(row.next_attempt_at > now(), "a retry is planned: {row:?}");
    row.last_error.unwrap()
}

#[test]
fn mail_goes_over_starttls_with_a_login_and_a_private_ca() {
    if tools_available("mail_goes_over_starttls_with_a_login_and_a_private_ca") {
        delivered_over("smtp+starttls", "starttls");
    }
}

#[test]
fn mail_goes_over_implicit_tls_with_a_login_and_a_private_ca() {
    if tools_available("mail_goes_over_implicit_tls_with_a_login_and_a_private_ca") {
        delivered_over("smtps", "implicit");
    }
}

#[test]
fn a_wrong_password_keeps_the_email_for_retry_with_a_clear_error() {
    if !tools_available("a_wrong_password_keeps_the_email_for_retry_with_a_clear_error") {
        return;
    }
    let pki = throwaway_pki();
    let port = free_port();
    let server = start("implicit", port, &pki);
    let (_db, mut conn) = connect();
    let id = enqueue(&mut conn, "MARKER-WRONG-PASSWORD");
    let mailer = mailer_trusting(&login_url("smtps", "hunter2", port), Some(&pki.ca), 10);
    let error = kept_for_retry(&server, &mut conn, &mailer, id);
    assert!(server.log().contains("LOGIN-ATTEMPT PLAIN refused"), "{}", server.log());
    assert!(error.contains("535") && error.contains("user name or password"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn an_untrusted_certificate_keeps_the_email_for_retry_and_sends_no_password() {
    if !tools_available("an_untrusted_certificate_keeps_the_email_for_retry_and_sends_no_password") {
        return;
    }
    let pki = throwaway_pki();
    for (scheme, mode) in [("smtp+starttls", "starttls"), ("smtps", "implicit")] {
        let port = free_port();
        let server = start(mode, port, &pki);
        let (_db, mut conn) = connect();
        let id = enqueue(&mut conn, "MARKER-UNTRUSTED");
        // No mail.ca_file: the system's roots do not know the throwaway CA.
        let mailer = mailer_trusting(&login_url(scheme, PASSWORD_IN_URL, port), None, 10);
        let error = kept_for_retry(&server, &mut conn, &mailer, id);
        assert!(error.contains("UnknownIssuer") && error.contains("mail.ca_file"), "{scheme}: {error}");
        assert!(!server.log().contains("LOGIN-ATTEMPT"), "{scheme}: {}", server.log());
    }
}

#[test]
fn starttls_is_required_never_given_up_for_plain_text() {
    if !tools_available("starttls_is_required_never_given_up_for_plain_text") {
        return;
    }
    let pki = throwaway_pki();
    let port = free_port();
    // This server offers no STARTTLS, and would take the password and the mail in plain text.
    let server = start("plain", port, &pki);
    let (_db, mut conn) = connect();
    let id = enqueue(&mut conn, "MARKER-NO-STARTTLS");
    let mailer = mailer_trusting(&login_url("smtp+starttls", PASSWORD_IN_URL, port), Some(&pki.ca), 10);
    let error = kept_for_retry(&server, &mut conn, &mailer, id);
    assert!(error.contains("STARTTLS"), "{error}");
    assert!(!server.log().contains("LOGIN-ATTEMPT"), "{}", server.log());
}
