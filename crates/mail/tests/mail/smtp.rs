//! The outbox worker against a real SMTP server: Debian's python3-aiosmtpd on loopback,
//! storing what it receives in a Maildir, which Python's own `email` package then parses, so
//! the messages are checked by an independent MIME reader. The database is SQLite by default,
//! PostgreSQL when `YUI_TEST_BACKEND=postgres`.
//!
//! Without python3-aiosmtpd the SMTP tests are skipped with a note, or fail under `CI=true`.

use chrono::{Duration, SubsecRound};
use std::ffi::OsString;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;
use yui_db::outbox::{self, NewEmail, StatusCounts};
use yui_db::testing::TestDatabase;
use yui_db::{now, DbConnection};
use yui_mail::{deliver_due, DeliveryReport, MailSettings, Mailer, RawMailSettings};

/// Debian's interpreter: the `python3` on PATH may be another one without the module.
pub(crate) const PYTHON: &str = "/usr/bin/python3";

fn aiosmtpd_available() -> bool {
    Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// False (after a SKIP note) when there is no SMTP server to test against, outside CI.
pub(crate) fn smtp_server_available(test: &str) -> bool {
    if aiosmtpd_available() {
        return true;
    }
    let message = format!(
        "{test}: {PYTHON} cannot import aiosmtpd: install python3-aiosmtpd (apt-get install python3-aiosmtpd, \
         or make deps-test)"
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{message}");
    }
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    let _ = writeln!(std::io::stderr().lock(), "SKIP {message}");
    false
}

/// A port nobody listens on (until a test starts a server there), never the same twice in this
/// process: the listener is closed before aiosmtpd binds the port, and meanwhile the kernel may
/// hand the same number to a test running beside this one.
pub(crate) fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap();
    loop {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// aiosmtpd with the Maildir handler, stopped when dropped.
pub(crate) struct SmtpServer {
    child: Child,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    fn start(port: u16) -> SmtpServer {
        SmtpServer::launch(port, |dir| {
            let listen = format!("127.0.0.1:{port}");
            let mut args: Vec<OsString> =
                ["-m", "aiosmtpd", "-n", "-l", &listen, "-c", "aiosmtpd.handlers.Mailbox"].map(Into::into).into();
            args.push(dir.join("maildir").into());
            args
        })
    }

    /// Runs Python with `args(dir)`, `dir` being a fresh directory whose `maildir` the server
    /// must deliver to, and waits until `port` accepts connections.
    pub(crate) fn launch(port: u16, args: impl FnOnce(&Path) -> Vec<OsString>) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let log = std::fs::File::create(dir.path().join("aiosmtpd.log")).unwrap();
        let child = Command::new(PYTHON)
            .args(args(dir.path()))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut server = SmtpServer { child, dir };
        let deadline = Instant::now() + std::time::Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = server.child.try_wait().unwrap();
            if exited.is_some() || Instant::now() > deadline {
                panic!("aiosmtpd on port {port} did not start ({exited:?}): {}", server.log());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        server
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("aiosmtpd.log")).unwrap_or_default()
    }

    /// Every message received so far, parsed by Python's `email` package.
    pub(crate) fn messages(&self) -> Vec<Received> {
        let new = self.dir.path().join("maildir").join("new");
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&new) {
            Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
            Err(_) => return Vec::new(),
        };
        files.sort();
        parse_messages(&files)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct Received {
    from_name: String,
    from_addr: String,
    pub(crate) to: Vec<String>,
    reply_to: Vec<String>,
    pub(crate) subject: String,
    message_id: String,
    /// The SMTP envelope, as aiosmtpd saw it.
    rcpt_to: String,
    content_type: String,
    text: Option<String>,
    html: Option<String>,
}

const PARSE: &str = r#"
import email, email.policy, json, sys
out = []
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    def addrs(name):
        h = m[name]
        return [a.addr_spec for a in h.addresses] if h is not None else []
    text = m.get_body(preferencelist=('plain',))
    html = m.get_body(preferencelist=('html',))
    out.append({
        'from_name': m['From'].addresses[0].display_name,
        'from_addr': m['From'].addresses[0].addr_spec,
        'to': addrs('To'),
        'reply_to': addrs('Reply-To'),
        'subject': str(m['Subject']),
        'message_id': str(m['Message-ID']),
        'rcpt_to': str(m['X-RcptTo']),
        'content_type': m.get_content_type(),
        # Text parts travel with CRLF line ends (MIME's canonical form): compare with LF.
        'text': text.get_content().replace('\r\n', '\n') if text is not None else None,
        'html': html.get_content().replace('\r\n', '\n') if html is not None and html.get_content_type() == 'text/html' else None,
    })
print(json.dumps(out))
"#;

fn parse_messages(files: &[PathBuf]) -> Vec<Received> {
    let output = Command::new(PYTHON).arg("-c").arg(PARSE).args(files).output().unwrap();
    assert!(output.status.success(), "parsing the Maildir: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

pub(crate) fn connect() -> (TestDatabase, DbConnection) {
    let db = TestDatabase::fresh();
    yui_db::migrate::run_pending(&db.url).expect("migrations apply");
    let conn = yui_db::conn::establish(&db.url).expect("connect");
    (db, conn)
}

fn mailer(url: &str, max_attempts: u32) -> Mailer {
    mailer_trusting(url, None, max_attempts)
}

/// A mailer for `url` whose `mail.ca_file` is `ca_file`.
pub(crate) fn mailer_trusting(url: &str, ca_file: Option<&Path>, max_attempts: u32) -> Mailer {
    let settings = MailSettings::try_from(RawMailSettings {
        from: "Yui 氷見しごとコモンズ <noreply@yui.invalid>".into(),
        url: url.into(),
        ca_file: ca_file.map(|p| p.display().to_string()).unwrap_or_default(),
        worker_interval_secs: 1,
        max_attempts,
    })
    .unwrap();
    Mailer::new(&settings)
}

pub(crate) fn report(sent: u32, retried: u32, failed: u32) -> DeliveryReport {
    DeliveryReport { sent, retried, failed }
}

#[test]
fn emails_arrive_over_smtp_with_their_headers_and_japanese_intact() {
    if !smtp_server_available("emails_arrive_over_smtp_with_their_headers_and_japanese_intact") {
        return;
    }
    let port = free_port();
    let server = SmtpServer::start(port);
    let (_db, mut conn) = connect();
    let application = outbox::enqueue(
        &mut conn,
        &NewEmail {
            to: &["saiyo@hama.example", "jimu@hama.example"],
            reply_to: Some("seeker@mail.example"),
            subject: "【氷見】「寒ブリの仕分け」にご応募がありました",
            body_text: "氷見浜水産 ご担当者様\n\n求人にご応募がありました。MARKER-TEXT-1\n",
            body_html: Some("<p>求人にご応募がありました。MARKER-HTML-1</p>"),
            headers: &[],
        },
    )
    .unwrap();
    let notice = outbox::enqueue(
        &mut conn,
        &NewEmail {
            to: &["editor@city.example"],
            reply_to: None,
            subject: "Review queue: 1 posting",
            body_text: "審査待ちの求人が1件あります。",
            body_html: None,
            headers: &[],
        },
    )
    .unwrap();

    let done = deliver_due(&mut conn, &mailer(&format!("smtp://127.0.0.1:{port}"), 10), now(), 10).unwrap();
    assert_eq!(done, report(2, 0, 0), "aiosmtpd log: {}", server.log());

    let mut got = server.messages();
    got.sort_by(|a, b| a.message_id.cmp(&b.message_id));
    assert_eq!(got.len(), 2, "{got:?}");
    let (a, b) = (&got[0], &got[1]);
    assert!(a.message_id.starts_with(&format!("<yui.outbox.{application}.")), "{a:?}");
    assert!(a.message_id.ends_with("@yui.invalid>"), "{a:?}");
    assert_eq!((a.from_name.as_str(), a.from_addr.as_str()), ("Yui 氷見しごとコモンズ", "noreply@yui.invalid"));
    assert_eq!(a.to, ["saiyo@hama.example", "jimu@hama.example"]);
    assert_eq!(a.rcpt_to, "saiyo@hama.example, jimu@hama.example");
    assert_eq!(a.reply_to, ["seeker@mail.example"]);
    assert_eq!(a.subject, "【氷見】「寒ブリの仕分け」にご応募がありました");
    assert_eq!(a.content_type, "multipart/alternative");
    assert_eq!(a.text.as_deref(), Some("氷見浜水産 ご担当者様\n\n求人にご応募がありました。MARKER-TEXT-1\n"));
    assert_eq!(a.html.as_deref().map(str::trim_end), Some("<p>求人にご応募がありました。MARKER-HTML-1</p>"));

    assert!(b.message_id.starts_with(&format!("<yui.outbox.{notice}.")), "{b:?}");
    assert_eq!((b.to.as_slice(), b.reply_to.len()), (&["editor@city.example".to_owned()][..], 0));
    assert_eq!(b.content_type, "text/plain");
    assert_eq!(b.text.as_deref().map(str::trim_end), Some("審査待ちの求人が1件あります。"));

    for id in [application, notice] {
        let row = outbox::find_by_id(&mut conn, id).unwrap();
        assert_eq!((row.status.as_str(), row.attempts, row.last_error), ("sent", 1, None));
        assert!(row.sent_at.is_some());
    }
    // Nothing is sent twice.
    let again = deliver_due(&mut conn, &mailer(&format!("smtp://127.0.0.1:{port}"), 10), now(), 10).unwrap();
    assert!(again.is_empty());
    assert_eq!(server.messages().len(), 2);
}

#[test]
fn a_refused_connection_is_retried_after_the_backoff_and_then_sent() {
    if !smtp_server_available("a_refused_connection_is_retried_after_the_backoff_and_then_sent") {
        return;
    }
    let port = free_port();
    let smtp = mailer(&format!("smtp://127.0.0.1:{port}"), 10);
    let (_db, mut conn) = connect();
    let id = outbox::enqueue(
        &mut conn,
        &NewEmail {
            to: &["saiyo@umi.example"],
            reply_to: Some("seeker@mail.example"),
            subject: "掲載を開始しました",
            body_text: "MARKER-RETRY",
            body_html: None,
            headers: &[],
        },
    )
    .unwrap();

    // No server yet: the attempt fails and is put off by 30 seconds.
    let t0 = now().trunc_subsecs(6);
    assert_eq!(deliver_due(&mut conn, &smtp, t0, 10).unwrap(), report(0, 1, 0));
    let row = outbox::find_by_id(&mut conn, id).unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(row.last_error.as_deref().is_some_and(|e| e.starts_with("SMTP: ")), "{:?}", row.last_error);
    let wait = row.next_attempt_at - t0;
    assert!(wait >= Duration::seconds(30) && wait < Duration::seconds(40), "retry in {wait}");

    // Not due yet: nothing happens, even with the server up.
    let server = SmtpServer::start(port);
    assert!(deliver_due(&mut conn, &smtp, t0 + Duration::seconds(10), 10).unwrap().is_empty());
    assert!(server.messages().is_empty());

    // Due: sent, on the second attempt.
    let later = row.next_attempt_at + Duration::seconds(1);
    assert_eq!(deliver_due(&mut conn, &smtp, later, 10).unwrap(), report(1, 0, 0), "{}", server.log());
    let row = outbox::find_by_id(&mut conn, id).unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    assert!(row.sent_at.is_some_and(|at| at >= later));
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].to.as_slice(), got[0].subject.as_str()),
        (&["saiyo@umi.example".to_owned()][..], "掲載を開始しました")
    );
    assert_eq!(got[0].text.as_deref().map(str::trim_end), Some("MARKER-RETRY"));
}

#[test]
fn after_max_attempts_or_an_unusable_address_an_email_is_failed_for_good() {
    // Needs no SMTP server: the port is closed on purpose.
    let smtp = mailer(&format!("smtp://127.0.0.1:{}", free_port()), 2);
    let (_db, mut conn) = connect();
    let email =
        |to| NewEmail { to, reply_to: None, subject: "件名", body_text: "本文", body_html: None, headers: &[] };
    let unreachable = outbox::enqueue(&mut conn, &email(&["a@x.example"])).unwrap();
    // Accepted by the outbox, refused when the message is built: no point in retrying.
    let unusable = outbox::enqueue(&mut conn, &email(&["a@b@x.example"])).unwrap();

    let t0 = now().trunc_subsecs(6);
    assert_eq!(deliver_due(&mut conn, &smtp, t0, 2).unwrap(), report(0, 1, 1));
    let row = outbox::find_by_id(&mut conn, unusable).unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 1));
    assert!(row.last_error.as_deref().is_some_and(|e| e.starts_with("cannot build the message")), "{row:?}");

    let t1 = t0 + Duration::minutes(1);
    assert_eq!(deliver_due(&mut conn, &smtp, t1, 2).unwrap(), report(0, 0, 1));
    let row = outbox::find_by_id(&mut conn, unreachable).unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("failed", 2));
    assert!(deliver_due(&mut conn, &smtp, t1 + Duration::days(1), 2).unwrap().is_empty());
    assert_eq!(outbox::count_by_status(&mut conn).unwrap(), StatusCounts { pending: 0, sent: 0, failed: 2 });
}

fn eml_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_worker_delivers_in_the_background_and_survives_errors() {
    let db = TestDatabase::fresh();
    yui_db::migrate::run_pending(&db.url).unwrap();
    let pool = yui_db::conn::pool(&db.url, 2).unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("mail");
    let mailer = mailer(&format!("file:{}", target.display()), 10);
    outbox::enqueue(
        &mut pool.get().unwrap(),
        &NewEmail {
            to: &["a@x.example"],
            reply_to: None,
            subject: "一通目",
            body_text: "本文",
            body_html: None,
            headers: &[],
        },
    )
    .unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    runtime.block_on(async {
        let worker = tokio::spawn(yui_mail::run_worker(pool.clone(), mailer, std::time::Duration::from_millis(50)));
        let deadline = Instant::now() + std::time::Duration::from_secs(20);
        while eml_files(&target).is_empty() {
            assert!(Instant::now() < deadline, "the worker wrote nothing");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        // The mail directory becomes unwritable: the email is retried, the worker goes on.
        std::fs::remove_dir_all(&target).unwrap();
        std::fs::write(&target, "not a directory").unwrap();
        let id = outbox::enqueue(
            &mut pool.get().unwrap(),
            &NewEmail {
                to: &["b@x.example"],
                reply_to: None,
                subject: "二通目",
                body_text: "本文",
                body_html: None,
                headers: &[],
            },
        )
        .unwrap();
        loop {
            let row = outbox::find_by_id(&mut pool.get().unwrap(), id).unwrap();
            if row.attempts == 1 && row.last_error.is_some() {
                assert_eq!(row.status, "pending");
                break;
            }
            assert!(Instant::now() < deadline, "the failure was not recorded: {row:?}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(!worker.is_finished(), "the worker keeps running");
        worker.abort();
    });
    let counts = outbox::count_by_status(&mut pool.get().unwrap()).unwrap();
    assert_eq!(counts, StatusCounts { pending: 1, sent: 1, failed: 0 });
}
