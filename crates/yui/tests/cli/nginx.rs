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

/// The form token on the page at `url`.
async fn csrf_at(client: &reqwest::Client, url: &str) -> String {
    let html = client.get(url).send().await.unwrap().text().await.unwrap();
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no csrf field at {url}: {html}"))
        .to_owned()
}

/// A staff login as `email` with `password` from `client`, through `base`: the status.
async fn login(client: &reqwest::Client, base: &str, email: &str, password: &str, forwarded_for: Option<&str>) -> u16 {
    let csrf = csrf_at(client, &format!("{base}/admin/login")).await;
    let mut post = client.post(format!("{base}/admin/login"));
    if let Some(spoofed) = forwarded_for {
        post = post.header("x-forwarded-for", spoofed);
    }
    let form = [("csrf", csrf.as_str()), ("email", email), ("password", password)];
    post.form(&form).send().await.unwrap().status().as_u16()
}

async fn failed_login(client: &reqwest::Client, base: &str, email: &str, forwarded_for: Option<&str>) -> u16 {
    login(client, base, email, "wrong password!!", forwarded_for).await
}

/// A 1×1 PNG, as a writer's camera would not make it, but the image pipeline takes it.
const PNG: &[u8] = b"\x89PNG\x0d\x0a\x1a\x0a\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0dIDATx\xdac8!'\xf7\x1f\x00\x04\xba\x02\x04\xe1\x09\x0d\xd7\x00\x00\x00\x00IEND\xaeB`\x82";

/// `yui ARGS` against `db` with the test's settings; stdin given to `--password-stdin`.
fn yui_command(db: &TestDatabase, config: &Path, args: &[&str], stdin: &str) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_yui"))
        .env("YUI_CONFIG_DIR", config)
        .env("YUI_ENV", "proxied")
        .env("YUI__DATABASE__URL", db.url.to_setting())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "yui {args:?}: {}", String::from_utf8_lossy(&out.stderr));
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

    // A writer uploads a picture through nginx (whichever instance answers); both instances
    // serve it, since images live in the database.
    yui_command(&db, d, &["org", "create", "--slug", "desk", "--name", "編集部", "--kind", "editorial"], "");
    let password = "a long enough password for the writer";
    let create = ["admin", "create", "--email", "writer@desk.example", "--name", "海野", "--role", "writer"];
    yui_command(&db, d, &[&create[..], &["--org", "desk", "--password-stdin"]].concat(), &format!("{password}\n"));
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let writer = yui_db::staff::find_by_email(&mut conn, "writer@desk.example").unwrap().unwrap();
    let editor =
        yui_db::articles::Editor { staff_id: writer.id, organization_id: writer.organization_id, role: writer.role };
    let content = yui_db::articles::ArticleContent {
        kind: "column".into(),
        slug: "umi".into(),
        title: "海の話".into(),
        lede: "冬の氷見".into(),
        body_markdown: "本文".into(),
        hero_alt: None,
        sponsor_employer_id: None,
        writer_credit: None,
        photographer_credit: None,
        editor_credit: None,
        publish_at: None,
        hero_caption: None,
        interviewees: None,
    };
    let article = yui_db::articles::create(&mut conn, &content, &[], editor, yui_db::now()).unwrap().unwrap();
    let desk = client(Ipv4Addr::new(127, 0, 0, 6));
    assert_eq!(login(&desk, &through_nginx, "writer@desk.example", password, None).await, 303);
    let csrf = csrf_at(&desk, &format!("{through_nginx}/admin/articles/{}", article.id)).await;
    let boundary = "yui-nginx-test-boundary";
    let mut body = Vec::new();
    for (k, v) in [("csrf", csrf.as_str()), ("version", "1")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"hero\"; filename=\"umi.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(PNG);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let uploaded = desk
        .post(format!("{through_nginx}/admin/articles/{}/hero", article.id))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 303, "{}", uploaded.text().await.unwrap());
    let hero = yui_db::articles::find(&mut conn, article.id).unwrap().unwrap().hero_image.expect("a hero image");
    let mut served = Vec::new();
    for instance in [&first, &second] {
        let res = probe.get(format!("http://{instance}/media/{hero}")).send().await.unwrap();
        assert_eq!(res.status(), 200, "{instance} serves /media/{hero}");
        served.push(res.bytes().await.unwrap());
    }
    assert_eq!(served[0], served[1]);
    assert!(served[0].starts_with(b"\x89PNG"), "the stored image, not an error page");

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
