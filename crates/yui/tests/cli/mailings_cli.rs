//! `yui digest` and `yui alerts` as real processes: they queue what is due, print how many, and
//! a second run queues nothing twice.

use chrono::Duration;
use std::process::{Command, Output, Stdio};
use yui_db::following::{self, Confirmation, SignUp};
use yui_db::testing::{fixtures, TestDatabase};
use yui_domain::following::Frequency;

fn yui(db: &TestDatabase, command: &str) -> (bool, String, String) {
    let Output { status, stdout, stderr } = Command::new(env!("CARGO_BIN_EXE_yui"))
        .arg(command)
        .env("YUI_CONFIG_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/../../config"))
        .env("YUI_ENV", "test")
        .env("YUI__DATABASE__URL", db.url.to_setting())
        .env("YUI__SERVER__SECRET_KEY", "cli-test-secret-key-0123456789abcdefgh")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("yui runs");
    (status.success(), String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

#[test]
fn digest_and_alerts_queue_once_and_print_how_many() {
    let db = TestDatabase::fresh();
    let (ok, _, err) = yui(&db, "seed-demo");
    assert!(ok, "{err}");
    let (ok, out, err) = yui(&db, "alerts");
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "0 alert(s) queued", "nobody follows yet");

    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let now = yui_db::now();
    let sign_up = SignUp {
        email: "cli@mail.example",
        lang: "ja",
        digest: true,
        alert: Some(("q=%E4%BB%8B%E8%AD%B7", Frequency::Daily)),
        confirm_token_hash: "h",
        link_salt: "salt",
    };
    following::sign_up(&mut conn, &sign_up, now, Duration::minutes(5)).unwrap();
    assert!(matches!(
        following::confirm(&mut conn, "h", now, Duration::hours(48)).unwrap(),
        Confirmation::Confirmed(_)
    ));
    let e = fixtures::employer(&mut conn, "氷見ケアサービス", "saiyo@care.example").unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("介護スタッフ（CLI）", "full_time"), yui_db::now()).unwrap();

    let (ok, out, err) = yui(&db, "alerts");
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "1 alert(s) queued");
    assert_eq!(yui(&db, "alerts").1.trim(), "0 alert(s) queued", "nothing twice");
    let (ok, out, err) = yui(&db, "digest");
    assert!(ok && out.trim().ends_with("digest(s) queued"), "{out}{err}");
    assert_eq!(yui(&db, "digest").1.trim(), "0 digest(s) queued", "once per period");
    let alert = yui_db::outbox::list_recent(&mut conn, 10)
        .unwrap()
        .into_iter()
        .find(|m| m.subject.contains("新着求人"))
        .unwrap();
    assert!(alert.body_text.contains("介護スタッフ（CLI）"), "{}", alert.body_text);
}
