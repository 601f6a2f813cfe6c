//! Headless Chromium over WebDriver for the journey tests. `make test` installs Debian's
//! chromium and chromium-driver. Without them a journey is skipped, except under `CI=true`,
//! where a missing browser fails the run.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::BufRead;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub struct Driver {
    process: Child,
    /// The profile directory, when the driver made it (removed with the driver).
    _profile: Option<tempfile::TempDir>,
    pub client: Client,
}

impl Drop for Driver {
    /// Ends chromedriver and the Chromium it started (their own process group): a test that
    /// did not close its session, or failed before it could, leaves no browser running for the
    /// rest of the suite.
    fn drop(&mut self) {
        let group = format!("-{}", self.process.id());
        let killed = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        if !killed.is_ok_and(|s| s.success()) {
            let _ = self.process.kill();
        }
        let _ = self.process.wait();
    }
}

/// Starts chromedriver and opens a headless session, or explains why not.
pub async fn browser() -> Option<Driver> {
    let profile = tempfile::tempdir().unwrap();
    let mut driver = browser_in(profile.path()).await?;
    driver._profile = Some(profile);
    Some(driver)
}

/// [`browser`] with the profile in `profile`: a second browser started on the same directory
/// finds the first one's HTTP cache and persistent cookies, as after a restart.
pub async fn browser_in(profile: &std::path::Path) -> Option<Driver> {
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
    // chromedriver picks its own port and says which: a port found free here and handed over
    // could be taken meanwhile by a test running beside this one (an app, an SMTP server).
    // It binds that port on IPv6 and IPv4 both, and gives up when the other family's is taken
    // ("IPv4 port not available"): then a new start picks another port.
    let (process, port) = (1..=5)
        .find_map(|attempt| {
            let mut process = Command::new(&chromedriver)
                .arg("--port=0")
                .process_group(0)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts");
            match listening_port(&mut process) {
                Ok(port) => Some((process, port)),
                Err(said) if attempt < 5 && said.contains("port not available") => {
                    let _ = process.kill();
                    let _ = process.wait();
                    None
                }
                Err(said) => panic!("chromedriver stopped without saying its port: {said}"),
            }
        })
        .expect("chromedriver found a port within five starts");
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=390,844",
                "--lang=ja-JP", format!("--user-data-dir={}", profile.display()),
            ],
            // A Japanese reader: Yui follows Accept-Language, and headless Chromium ignores --lang there.
            "prefs": {"intl.accept_languages": "ja-JP,ja"}
        }
    });
    let caps: fantoccini::wd::Capabilities = caps.as_object().unwrap().clone();
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("could not open a Chromium session: {e}"));
    Some(Driver { process, _profile: None, client })
}

/// The port chromedriver started with `--port=0` listens on, from the line it prints once it
/// does; the rest of its output is read on and dropped, so that it never blocks on a full pipe.
fn listening_port(process: &mut Child) -> Result<u16, String> {
    const READY: &str = "was started successfully on port ";
    let mut lines = std::io::BufReader::new(process.stdout.take().unwrap()).lines().map_while(Result::ok);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut said = Vec::new();
        let port = lines.by_ref().find_map(|line| {
            let port = line.split_once(READY).and_then(|(_, p)| p.trim_end_matches('.').parse::<u16>().ok());
            said.push(line);
            port
        });
        let _ = tx.send(port.ok_or_else(|| said.join("\n")));
        lines.for_each(drop);
    });
    rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("chromedriver did not say its port within 30 s"))
}

pub async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

pub async fn fill(c: &Client, css: &str, value: &str) {
    let field = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.ok();
    field.send_keys(value).await.unwrap();
}

/// Fills in every legal item of the working-conditions fieldset (`partials/terms_fields.hbs`),
/// as a part-time job with a six-month contract would: the same answers as [`super::complete_terms`].
pub async fn fill_terms(c: &Client) {
    for (css, value) in [
        ("#t-duties_scope", "変更なし"),
        ("#t-workplace_scope", "変更なし"),
        ("#t-contract_length", "6か月"),
        ("#t-renewal_limit", "通算3年まで"),
        ("#t-hours", "6:00〜10:00"),
        ("#t-breaks", "なし（4時間勤務）"),
        ("#t-holidays", "週2日（シフト制）"),
        ("#t-insurance", "労災保険"),
        ("#t-smoking", "屋内禁煙"),
    ] {
        fill(c, css, value).await;
    }
    for css in [
        "#t-contract-fixed",
        "#t-renewal option[value='possible']",
        "#t-trial-no",
        "#t-overtime-no",
        "#t-fixed_overtime-no",
    ] {
        c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
    }
}

/// How long a page may take to come, on a machine busy with builds and other tests.
const PATIENCE: Duration = Duration::from_secs(30);

/// Clicks `css`, which leads to another page (a link, or a form's button), and waits until that
/// page shows `then`. It first waits for the page the click was on to go away: a click returns
/// before the browser has left, and an element the old page also has would be found at once,
/// then go stale (or show the old page's text) under the test's hands. Form posts may answer at
/// the same URL, so the URL cannot tell the pages apart; the old page's document can.
pub async fn click_and_wait_for(c: &Client, css: &str, then: &str) {
    let old = c.find(Locator::Css("html")).await.unwrap();
    let target = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    target.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    let deadline = Instant::now() + PATIENCE;
    let mut last = String::from("the old page is still there");
    loop {
        match old.tag_name().await {
            Err(e) if e.is_stale_element_reference() || e.is_no_such_element() => break,
            // Asked in the middle of the navigation, chromedriver may answer with another error.
            Err(e) => last = e.to_string(),
            Ok(_) => {}
        }
        assert!(Instant::now() < deadline, "clicking {css} did not lead to another page: {last}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.wait().at_most(PATIENCE).for_element(Locator::Css(then)).await.unwrap_or_else(|e| {
        panic!("clicking {css} led to a page without {then}: {e}");
    });
}

/// Opens `url`, which asks a staff member to log in, logs in as `email` with the staff
/// [`PASSWORD`](super::PASSWORD), and waits for `then` on the page it leads back to.
pub async fn log_in_at(c: &Client, url: &str, email: &str, then: &str) {
    c.goto(url).await.unwrap();
    c.wait().for_element(Locator::Css("form[action='/admin/login']")).await.unwrap();
    fill(c, "#f-email", email).await;
    fill(c, "#f-password", super::PASSWORD).await;
    click_and_wait_for(c, "form[action='/admin/login'] button", then).await;
}
