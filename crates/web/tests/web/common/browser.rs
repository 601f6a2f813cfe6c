//! Headless Chromium over WebDriver for the journey tests. `make test` installs Debian's
//! chromium and chromium-driver. Without them a journey is skipped, except under `CI=true`,
//! where a missing browser fails the run.

use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub struct Driver {
    process: Child,
    _profile: tempfile::TempDir,
    pub client: Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Starts chromedriver on a free port and opens a headless session, or explains why not.
pub async fn browser() -> Option<Driver> {
    let chromium = std::env::var("YUI_CHROMIUM").unwrap_or_else(|_| CHROMIUM.into());
    let chromedriver = std::env::var("YUI_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.into());
    for path in [&chromium, &chromedriver] {
        if !std::path::Path::new(path).exists() {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{path} is missing: CI=true needs the browser tests (apt-get install chromium chromium-driver)");
            }
            eprintln!("SKIPPED browser test: {path} is missing (apt-get install chromium chromium-driver)");
            return None;
        }
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let process = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap();
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=390,844",
                "--lang=ja-JP", format!("--user-data-dir={}", profile.path().display()),
            ],
            // A Japanese reader: Yui follows Accept-Language, and headless Chromium ignores --lang there.
            "prefs": {"intl.accept_languages": "ja-JP,ja"}
        }
    });
    let caps: fantoccini::wd::Capabilities = caps.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    // chromedriver takes a moment to listen.
    let mut last_error = None;
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return Some(Driver { process, _profile: profile, client }),
            Err(e) => last_error = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("could not open a Chromium session: {last_error:?}");
}

pub async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

pub async fn fill(c: &Client, css: &str, value: &str) {
    let field = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.ok();
    field.send_keys(value).await.unwrap();
}

/// Opens `url`, which asks a staff member to log in, logs in as `email` with the staff
/// [`PASSWORD`](super::PASSWORD), and waits for `then` on the page it leads back to.
pub async fn log_in_at(c: &Client, url: &str, email: &str, then: &str) {
    c.goto(url).await.unwrap();
    c.wait().for_element(Locator::Css("form[action='/admin/login']")).await.unwrap();
    fill(c, "#f-email", email).await;
    fill(c, "#f-password", super::PASSWORD).await;
    c.find(Locator::Css("form[action='/admin/login'] button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(then)).await.unwrap();
}
