//! `yui media import`: an earlier version's media directory comes into the database once, and
//! `serve` refuses to start while it holds images the database lacks.

use std::process::{Command, Output, Stdio};
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

fn run(cmd: &mut Command) -> (bool, String, String) {
    let Output { status, stdout, stderr } = cmd.output().expect("yui runs");
    (status.success(), String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

/// A whole 1×1 PNG, as the upload pipeline stored it.
const PNG: &[u8] = b"\x89PNG\x0d\x0a\x1a\x0a\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0dIDATx\xdac8!'\xf7\x1f\x00\x04\xba\x02\x04\xe1\x09\x0d\xd7\x00\x00\x00\x00IEND\xaeB`\x82";

#[test]
fn media_import_loads_an_old_directory_once_and_serve_waits_for_it() {
    let db = TestDatabase::fresh();
    let dir = std::env::temp_dir().join(format!("yui-media-{}", yui_domain::PublicId::generate()));
    std::fs::create_dir_all(&dir).unwrap();
    let old = "0123456789abcdef0123456789abcdef.png";
    let image = yui_web::hero_image::prepare(PNG).unwrap().bytes;
    std::fs::write(dir.join(old), &image).unwrap();
    std::fs::write(dir.join(format!(".{old}.part")), b"half").unwrap();
    std::fs::write(dir.join("fedcba9876543210fedcba9876543210.jpg"), b"not an image").unwrap();
    let setting = dir.display().to_string();

    let (ok, _, err) = run(yui(&db).arg("serve").env("YUI__EDITORIAL__MEDIA_DIR", &setting).env("RUST_LOG", "error"));
    assert!(!ok, "serve refuses while images are only on disk");
    let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("yui: editorial.media_dir: ") && lines[0].contains("yui media import"), "{err}");

    let (ok, out, err) = run(yui(&db).args(["media", "import", &setting]));
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "1 image(s) imported, 0 already there, 1 skipped (not an image)");
    // Again, the directory taken from the setting this time: nothing new.
    let (ok, out, err) = run(yui(&db).args(["media", "import"]).env("YUI__EDITORIAL__MEDIA_DIR", &setting));
    assert!(ok, "{err}");
    assert!(out.starts_with("0 image(s) imported, 1 already there"), "{out}");

    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let found = yui_db::media::find_by_alias(&mut conn, old).unwrap().unwrap();
    assert_eq!(found.bytes, image);
    assert_eq!(found.content_type, "image/png");

    for (args, expected) in [
        (vec!["media", "import", "/nonexistent/yui-media"], "media import: cannot read /nonexistent/yui-media"),
        (vec!["media", "import"], "name the directory"),
    ] {
        let (ok, _, err) = run(yui(&db).args(&args));
        assert!(!ok);
        let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(lines[0].starts_with("yui: ") && lines[0].contains(expected), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
