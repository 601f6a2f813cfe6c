//! `yui export-data [DIR]` and `open_data.dir` at start, as an operator meets them.

use std::process::{Command, Stdio};
use yui_db::testing::TestDatabase;

fn yui(db: &TestDatabase) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yui"));
    cmd.env("YUI_CONFIG_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/../../config"))
        .env("YUI_ENV", "test")
        .env("YUI__DATABASE__URL", db.url.to_setting())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    cmd
}

#[test]
fn export_data_writes_both_files_with_every_posting_ever_published() {
    let db = TestDatabase::fresh();
    assert!(yui(&db).arg("seed-demo").output().unwrap().status.success());
    let dir = tempfile::tempdir().unwrap();
    let out = yui(&db).arg("export-data").arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let expected = yui_db::open_data::published_ever_count(&mut conn).unwrap();
    assert!(expected > 0);
    assert!(stdout.starts_with(&format!("{expected} posting(s) exported")), "{stdout}");
    for name in ["postings.csv.gz", "postings.jsonl.gz"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert_eq!(&bytes[..2], &[0x1f, 0x8b], "{name} is gzip");
    }
    // Only the two files: no temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn an_open_data_dir_that_cannot_be_created_stops_serve_with_one_line() {
    let db = TestDatabase::fresh();
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = yui(&db).arg("serve").env("YUI__OPEN_DATA__DIR", file.path().join("data")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    let line = stderr.lines().find(|l| l.starts_with("yui: ")).unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("open_data.dir") && line.contains("cannot create"), "{line}");
}
