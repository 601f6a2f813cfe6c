//! Two `yui serve` processes on one database behind a real nginx on loopback, as
//! docs/operations.md sets them up: nginx replaces `X-Forwarded-For` with the visitor's address
//! and reaches Yui from 127.0.0.2, the one trusted proxy. Visitors are told apart by the loopback
//! address they connect from (127.0.0.3, 127.0.0.4…), so no header in the test says who they are.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use yui_db::testing::TestDatabase;

/// Children killed when the test ends, however it ends.
struct Running(Vec<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn nginx_binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/bin/nginx"].iter().map(PathBuf::from).find(|p| p.exists())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

const SECRET: &str = "the same secret key on both instances, 0123456789";
const METRICS_TOKEN: &str = "metrics-token-of-at-least-32-characters";

/// `yui_http_requests_total` for one route, method and status on the instance at `address`.
async fn requests_counted(address: &str, route: &str, status: u16) -> u64 {
    let text = reqwest::Client::new()
        .get(format!("http://{address}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let series = format!("yui_http_requests_total{{route=\"{route}\",method=\"POST\",status=\"{status}\"}} ");
    text.lines().find_map(|l| l.strip_prefix(&series)).map_or(0, |n| n.parse().unwrap())
}

/// `yui serve` on `db` with the settings a site behind nginx has; its address, and its log file.
fn serve(db: &TestDatabase, config: &Path, log: &Path, running: &mut Running) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yui"))
        .env("YUI_CONFIG_DIR", config)
        .env("YUI_ENV", "proxied")
        .env("YUI__DATABASE__URL", db.url.to_setting())
        .env("RUST_LOG", "info")
        .arg("serve")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    running.0.push(child);
    let url = first.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("{first:?}"));
    url.trim_start_matches("http://").trim_end_matches('/').to_owned()
}

fn client(from: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(from))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// One failed staff login as `email` from `client`, through `base`: the status.
async fn failed_login(client: &reqwest::Client, base: &str, email: &str, forwarded_for: Option<&str>) -> u16 {
    let html = client.get(format!("{base}/admin/login")).send().await.unwrap().text().await.unwrap();
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no csrf field in {html}"))
        .to_owned();
    let mut post = client.post(format!("{base}/admin/login"));
    if let Some(spoofed) = forwarded_for {
        post = post.header("x-forwarded-for", spoofed);
    }
    let form = [("csrf", csrf.as_str()), ("email", email), ("password", "wrong password!!")];
    post.form(&form).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn two_instances_behind_nginx_share_limits_and_believe_only_the_proxy() {
    let Some(nginx) = nginx_binary() else {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "nginx is missing (make test installs it)");
        eprintln!("SKIPPED two_instances_behind_nginx…: nginx is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = TestDatabase::fresh();
    let https_port = free_port();
    let http_port = free_port();

    // Settings as docs/operations.md gives them, in a config directory of the test's own.
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/default.toml"), d.join("default.toml")).unwrap();
    std::fs::write(
        d.join("proxied.toml"),
        format!(
            "[server]\nlisten = \"127.0.0.1:0\"\npage_cache_secs = 0\ntrusted_proxies = [\"127.0.0.2\"]\n\
             secret_key = \"{SECRET}\"\n[metrics]\ntoken = \"{METRICS_TOKEN}\"\n[site]\nbase_url = \"https://localhost:{https_port}\"\n[mail]\nurl = \"log:\"\n"
        ),
    )
    .unwrap();
    let migrated = Command::new(env!("CARGO_BIN_EXE_yui"))
        .env("YUI_CONFIG_DIR", d)
        .env("YUI_ENV", "proxied")
        .env("YUI__DATABASE__URL", db.url.to_setting())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));

    let mut running = Running(Vec::new());
    let logs = [d.join("first.log"), d.join("second.log")];
    let first = serve(&db, d, &logs[0], &mut running);
    let second = serve(&db, d, &logs[1], &mut running);

    let cert = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost", "-keyout"])
        .arg(d.join("key.pem"))
        .arg("-out")
        .arg(d.join("cert.pem"))
        .output()
        .unwrap();
    assert!(cert.status.success(), "{}", String::from_utf8_lossy(&cert.stderr));
    let p = d.display();
    let conf = format!(
        "worker_processes 1;\nerror_log {p}/nginx-error.log warn;\npid {p}/nginx.pid;\ndaemon off;\n\
         events {{ worker_connections 128; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {p}/body;\n  proxy_temp_path {p}/proxy;\n\
           fastcgi_temp_path {p}/fastcgi;\n  uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n\
           upstream yui {{ server {first}; server {second}; }}\n\
           server {{\n    listen 127.0.0.1:{http_port};\n    listen 127.0.0.1:{https_port} ssl;\n\
             ssl_certificate {p}/cert.pem;\n    ssl_certificate_key {p}/key.pem;\n\
             location = /metrics {{ deny all; }}\n\
             location / {{\n      proxy_pass http://yui;\n      proxy_bind 127.0.0.2;\n\
               proxy_set_header Host $http_host;\n      proxy_set_header X-Forwarded-For $remote_addr;\n\
               proxy_set_header X-Forwarded-Proto $scheme;\n    }}\n  }}\n}}\n"
    );
    std::fs::write(d.join("nginx.conf"), conf).unwrap();
    let proxy = Command::new(&nginx)
        .arg("-p")
        .arg(d)
        .arg("-c")
        .arg(d.join("nginx.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    running.0.push(proxy);

    let through_nginx = format!("http://127.0.0.1:{http_port}");
    let probe = client(Ipv4Addr::new(127, 0, 0, 9));
    let started = Instant::now();
    loop {
        match probe.get(format!("{through_nginx}/readyz")).send().await {
            Ok(r) if r.status() == 200 => break,
            other => {
                let log = std::fs::read_to_string(d.join("nginx-error.log")).unwrap_or_default();
                assert!(started.elapsed() < Duration::from_secs(60), "nginx never answered: {other:?}\n{log}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    // One visitor through nginx: round robin spreads six attempts over both instances (an attempt
    // is three requests, so the POSTs alternate), and the sixth is refused: the allowance (5 a
    // minute) is counted once for the two of them, where each alone would have seen three.
    let visitor = client(Ipv4Addr::new(127, 0, 0, 3));
    let mut statuses = Vec::new();
    for i in 1..=6 {
        statuses.push(failed_login(&visitor, &through_nginx, &format!("a{i}@example.jp"), None).await);
        assert_eq!(visitor.get(format!("{through_nginx}/healthz")).send().await.unwrap().status(), 200);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429], "one visitor, two instances");
    // Another visitor through the same proxy has an allowance of their own.
    let neighbour = client(Ipv4Addr::new(127, 0, 0, 4));
    assert_eq!(failed_login(&neighbour, &through_nginx, "b@example.jp", None).await, 401);
    // Both instances served those attempts and logged the visitors, not the proxy.
    for log in &logs {
        let text = std::fs::read_to_string(log).unwrap();
        let lines: Vec<_> = text.lines().filter(|l| l.contains("\"POST /admin/login\"")).collect();
        assert!(!lines.is_empty(), "an instance got no login attempt: {text}");
        assert!(lines.iter().all(|l| l.contains("127.0.0.3 ") || l.contains("127.0.0.4 ")), "{lines:?}");
    }

    // Straight to an instance, not through the proxy: the header is anyone's to write, so eight
    // different "addresses" are one visitor, refused after five.
    let direct = client(Ipv4Addr::new(127, 0, 0, 5));
    let mut statuses = Vec::new();
    for i in 1..=8 {
        let spoofed = format!("198.51.100.{i}");
        let base = if i % 2 == 0 { &first } else { &second };
        statuses
            .push(failed_login(&direct, &format!("http://{base}"), &format!("c{i}@example.jp"), Some(&spoofed)).await);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429], "a spoofed X-Forwarded-For");

    // Metrics: private behind the proxy as the docs set it up, and per instance when scraped
    // directly; the two instances' counts add up to what the visitors were answered.
    assert_eq!(probe.get(format!("{through_nginx}/metrics")).send().await.unwrap().status(), 403);
    let (mut refused, mut limited) = (0, 0);
    for instance in [&first, &second] {
        refused += requests_counted(instance, "/admin/login", 401).await;
        limited += requests_counted(instance, "/admin/login", 429).await;
    }
    assert_eq!((refused, limited), (5 + 1 + 5, 1 + 3), "401s and 429s counted over both instances");

    // Over HTTPS through nginx: the cookies are Secure, HttpOnly and SameSite, and HSTS is sent.
    let https = Command::new("curl")
        .args(["-sS", "--cacert"])
        .arg(d.join("cert.pem"))
        .args(["--resolve", &format!("localhost:{https_port}:127.0.0.1"), "-o", "/dev/null", "-D", "-"])
        .arg(format!("https://localhost:{https_port}/admin/login"))
        .output()
        .unwrap();
    let headers = String::from_utf8_lossy(&https.stdout).to_lowercase();
    assert!(headers.starts_with("http/1.1 200"), "{headers}{}", String::from_utf8_lossy(&https.stderr));
    let cookies: Vec<_> = headers.lines().filter(|l| l.starts_with("set-cookie:")).collect();
    assert!(!cookies.is_empty(), "{headers}");
    for cookie in cookies {
        assert!(
            cookie.contains("; secure") && cookie.contains("; httponly") && cookie.contains("samesite"),
            "{cookie}"
        );
    }
    assert!(headers.contains("strict-transport-security: max-age="), "{headers}");
}
