//! A real SMTP server for tests: Debian's python3-aiosmtpd on loopback, storing what it
//! receives in a Maildir. Without the module a test is skipped with a printed `SKIP` line,
//! except under `CI=true`, where it fails.

use serde_json::Value;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use yui_db::{now, DbConnection};

/// Debian's interpreter: the `python3` on PATH may be another one without the module.
const PYTHON: &str = "/usr/bin/python3";

/// Whether aiosmtpd can be started; prints a `SKIP` line for `test` when it cannot, and
/// panics instead under `CI=true`.
pub fn available(test: &str) -> bool {
    let ok = Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return true;
    }
    let message = format!("{test}: {PYTHON} cannot import aiosmtpd: install python3-aiosmtpd (make deps-test)");
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{message}");
    }
    let _ = writeln!(std::io::stderr().lock(), "SKIP {message}");
    false
}

/// A port nobody listens on (until a test starts a server there), never the same twice in this
/// process: the listener is closed before aiosmtpd binds the port, and meanwhile the kernel may
/// hand the same number to a test running beside this one.
pub fn free_port() -> u16 {
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

/// aiosmtpd with the Maildir handler on `port`, stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    /// Starts the server on a free port and waits (up to 20 s) until it accepts connections.
    pub fn start() -> SmtpServer {
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let log = std::fs::File::create(dir.path().join("aiosmtpd.log")).unwrap();
        let child = Command::new(PYTHON)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("maildir"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut server = SmtpServer { port, child, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = server.child.try_wait().unwrap();
            assert!(exited.is_none() && Instant::now() < deadline, "aiosmtpd did not start: {}", server.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// What aiosmtpd wrote to stdout and stderr.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("aiosmtpd.log")).unwrap_or_default()
    }

    /// Delivers the outbox's due emails to this server, as the mail worker would.
    pub async fn deliver_due(&self, mut conn: DbConnection) -> yui_mail::DeliveryReport {
        let settings = yui_mail::MailSettings::try_from(yui_mail::RawMailSettings {
            from: "Yui 氷見しごとコモンズ <noreply@yui.invalid>".into(),
            url: format!("smtp://127.0.0.1:{}", self.port),
            ca_file: String::new(),
            worker_interval_secs: 1,
            max_attempts: 3,
        })
        .unwrap();
        let mailer = yui_mail::Mailer::new(&settings);
        actix_web::web::block(move || yui_mail::deliver_due(&mut conn, &mailer, now(), 10).unwrap()).await.unwrap()
    }

    /// Every message received, in the order of the Maildir's file names, read by Python's own
    /// `email` package: `to`, `reply_to` and `bcc` (address lists), `subject`, `text` (the
    /// plain body), and the `list_unsubscribe`, `list_unsubscribe_post` and `list_id` headers.
    pub fn messages(&self) -> Vec<Value> {
        let new = self.dir.path().join("maildir").join("new");
        let mut files: Vec<_> = std::fs::read_dir(new).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let output = Command::new(PYTHON).arg("-c").arg(PARSE).args(&files).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
    out.append({
        'to': addrs('To'),
        'reply_to': addrs('Reply-To'),
        'bcc': addrs('Bcc'),
        'subject': str(m['Subject']),
        'text': text.get_content().replace('\r\n', '\n') if text is not None else None,
        'list_unsubscribe': str(m['List-Unsubscribe']),
        'list_unsubscribe_post': str(m['List-Unsubscribe-Post']),
        'list_id': str(m['List-Id']),
    })
print(json.dumps(out))
"#;
