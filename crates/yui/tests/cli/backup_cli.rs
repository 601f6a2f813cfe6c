//! `yui backup` and `yui restore` as an operator runs them: what they refuse (a target that
//! exists, a database that is not empty, a damaged or foreign copy), with one line and a
//! failing exit code, and a restore that brings back what was there.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use yui_db::testing::TestDatabase;

fn yui(db: &TestDatabase) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yui"));
    cmd.env("YUI_CONFIG_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/../../config"))
        .env("YUI_ENV", "test")
        .env("YUI__DATABASE__URL", db.url.to_setting())
        .env("RUST_LOG", "error")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let Output { status, stdout, stderr } = cmd.output().expect("yui runs");
    (status.success(), String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

/// Runs `yui args…` expecting a refusal: a failing exit code and one line containing `expected`.
fn refused(cmd: &mut Command, expected: &str) {
    let (ok, _, err) = run(cmd);
    assert!(!ok, "should fail: {cmd:?}");
    let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line, got {err:?}");
    assert!(lines[0].starts_with("yui: ") && lines[0].contains(expected), "{err}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn backup_and_restore_refuse_what_would_lose_data_and_bring_back_the_rest() {
    let db = TestDatabase::fresh();
    let (ok, _, err) =
        run(yui(&db).args(["org", "create", "--slug", "himi-npo", "--name", "ひみNPO", "--kind", "npo"]));
    assert!(ok, "{err}");
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let hash = yui_db::media::store(&mut conn, "image/png", b"an image", (1, 1), yui_db::now()).unwrap();
    drop(conn);
    let tmp = std::env::temp_dir().join(format!("yui-backup-{}", yui_domain::PublicId::generate()));
    let dir = tmp.join("nightly");
    let dir_arg = dir.display().to_string();

    let (ok, out, err) = run(yui(&db).args(["backup", &dir_arg]));
    assert!(ok, "{err}");
    let backend = TestDatabase::backend_name();
    assert!(out.starts_with(&format!("backup of {backend} written to {dir_arg}: ")), "{out}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["backend"], backend.as_str());
    assert_eq!(manifest["tables"]["media"], 1);
    assert_eq!(manifest["tables"]["organizations"], 1);
    assert!(manifest["last_migration"].as_str().unwrap().starts_with("2026"), "{manifest}");

    refused(yui(&db).args(["backup", &dir_arg]), "exists and is not empty");
    refused(yui(&db).args(["restore", &dir_arg]), "is not empty");
    refused(yui(&db).args(["restore", &tmp.join("nowhere").display().to_string()]), "is not a finished Yui backup");

    // A copy whose file changed, and one of the other backend, are refused before anything is written.
    let fresh = TestDatabase::fresh();
    let damaged = tmp.join("damaged");
    copy_dir(&dir, &damaged);
    let data = std::fs::read_dir(&damaged).unwrap().map(|e| e.unwrap().path()).find(|p| !p.ends_with("manifest.json"));
    let data = data.unwrap();
    let mut bytes = std::fs::read(&data).unwrap();
    bytes.push(0);
    std::fs::write(&data, bytes).unwrap();
    refused(yui(&fresh).args(["restore", &damaged.display().to_string()]), "does not match its checksum");
    let foreign = tmp.join("foreign");
    copy_dir(&dir, &foreign);
    let other = if backend == "sqlite" { "postgres" } else { "sqlite" };
    let text = std::fs::read_to_string(foreign.join("manifest.json")).unwrap();
    std::fs::write(
        foreign.join("manifest.json"),
        text.replace(&format!("\"backend\": \"{backend}\""), &format!("\"backend\": \"{other}\"")),
    )
    .unwrap();
    refused(yui(&fresh).args(["restore", &foreign.display().to_string()]), "restore into the same kind");

    let (ok, out, err) = run(yui(&fresh).args(["restore", &dir_arg]));
    assert!(ok, "{err}");
    assert!(out.starts_with("restored the backup of ") && out.contains("0 migration(s) applied"), "{out}");
    let mut conn = yui_db::conn::establish(&fresh.url).unwrap();
    assert_eq!(yui_db::media::find(&mut conn, &hash).unwrap().unwrap().bytes, b"an image");
    let (ok, out, _) = run(yui(&fresh).args(["org", "list"]));
    assert!(ok && out.contains("himi-npo"), "{out}");

    if backend == "postgres" {
        let again = tmp.join("no-client");
        refused(
            yui(&db).args(["backup", &again.display().to_string()]).env("PATH", "/nonexistent"),
            "pg_dump is not on PATH",
        );
    }
    std::fs::remove_dir_all(&tmp).ok();
}
