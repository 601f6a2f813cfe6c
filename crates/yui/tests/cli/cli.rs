//! The `yui` command's contract (README, operators' scripts), run as a real process against the
//! backend `YUI_TEST_BACKEND` names.

use std::io::{BufRead, BufReader, Read, Write};
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

/// Adds the organisation `slug` (`yui org create`), as an operator does before its staff.
fn org(db: &TestDatabase, slug: &str) {
    let (ok, _, err) = run(yui(db).args(["org", "create", "--slug", slug, "--name", slug, "--kind", "npo"]));
    assert!(ok, "{err}");
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let Output { status, stdout, stderr } = cmd.output().expect("yui runs");
    (status.success(), String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

#[test]
fn migrate_applies_then_has_nothing_to_do() {
    let db = TestDatabase::fresh();
    let (ok, out, err) = run(yui(&db).arg("migrate"));
    assert!(ok, "{err}");
    assert!(out.contains(" migration(s) applied on ") && !out.starts_with("0 "), "{out}");
    let (ok, out, _) = run(yui(&db).arg("migrate"));
    assert!(ok);
    assert!(out.starts_with("0 migration(s) applied"), "{out}");
}

#[test]
fn seed_demo_fills_an_empty_database_once() {
    let db = TestDatabase::fresh();
    let (ok, out, err) = run(yui(&db).arg("seed-demo"));
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "demo data added: 60 postings");
    let (ok, out, _) = run(yui(&db).arg("seed-demo"));
    assert!(ok);
    assert!(out.contains("not added"), "{out}");

    // What the demo file promises, worked out from the file itself.
    let demo: serde_json::Value = serde_json::from_str(include_str!("../../demo/demo.json")).unwrap();
    let postings = demo["postings"].as_array().unwrap();
    let open = postings
        .iter()
        .filter(|p| p["status"] == "published" && p["days_ago"].as_i64() <= p["valid_days"].as_i64())
        .count() as i64;
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let now = yui_db::now();
    let counts = yui_db::postings::public_counts_by_type(&mut conn, now).unwrap();
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), open);
    assert!(counts.iter().all(|(_, n)| *n > 0), "every employment type has open postings: {counts:?}");
    assert_eq!(yui_db::postings::count_all(&mut conn).unwrap(), 60);
    assert!(open < 60, "some demo postings are pending, expired or closed");

    // The editorial side: a paid feature (its order paid) and a column, both public; two
    // succession listings; supporters on the wall; the ledger counts the paid order.
    let features = yui_db::articles::public_list(&mut conn, Some(yui_domain::ArticleKind::Feature), now, 10).unwrap();
    let columns = yui_db::articles::public_list(&mut conn, Some(yui_domain::ArticleKind::Column), now, 10).unwrap();
    assert_eq!((features.len(), columns.len()), (1, 1));
    assert!(yui_db::orders::publication_allowed(&mut conn, features[0].0.id).unwrap());
    assert_eq!(yui_db::succession::listed(&mut conn).unwrap().len(), 2);
    let wall = yui_db::supporters::wall(&mut conn).unwrap();
    assert_eq!(wall.iter().map(|g| g.total).sum::<i64>(), 3);
    let items = yui_db::ledger::items(&mut conn).unwrap();
    assert!(items.len() >= 5, "four entries and the paid order: {items:?}");
}

#[test]
fn admin_create_takes_a_password_from_stdin_or_prints_one() {
    let db = TestDatabase::fresh();
    org(&db, "himi-iju-center");
    org(&db, "editorial");
    let mut child = yui(&db)
        .args([
            "admin",
            "create",
            "--email",
            "Editor@Himi.Example",
            "--name",
            "編集 花子",
            "--role",
            "editor",
            "--org",
            "himi-iju-center",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a long enough passphrase\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("password"), "no password printed when given");

    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let user = yui_db::staff::find_by_email(&mut conn, "Editor@himi.example").unwrap().expect("created");
    assert_eq!(user.role, yui_domain::StaffRole::Editor);
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(yui_web::auth::password::verify("a long enough passphrase", &user.password_hash));

    let (ok, out, err) = run(yui(&db).args([
        "admin",
        "create",
        "--email",
        "w@himi.example",
        "--name",
        "書き手",
        "--role",
        "writer",
        "--org",
        "editorial",
    ]));
    assert!(ok, "{err}");
    let printed =
        out.lines().find_map(|l| l.strip_prefix("password (shown once): ")).expect("a generated password is printed");
    let writer = yui_db::staff::find_by_email(&mut conn, "w@himi.example").unwrap().unwrap();
    assert!(yui_web::auth::password::verify(printed, &writer.password_hash));

    let (ok, _, err) = run(yui(&db).args([
        "admin",
        "create",
        "--email",
        "w@himi.example",
        "--name",
        "二人目",
        "--role",
        "writer",
        "--org",
        "editorial",
    ]));
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn bad_input_gets_one_clear_line_and_a_failure() {
    let db = TestDatabase::fresh();
    // (arguments, environment, what the one line of error must say)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["admin", "create", "--email", "a@b.example", "--name", "n", "--role", "boss", "--org", "x"],
            vec![],
            "--role",
        ),
        (
            vec!["admin", "create", "--email", "not-an-email", "--name", "n", "--role", "admin", "--org", "x"],
            vec![],
            "--email",
        ),
        (
            vec!["admin", "create", "--email", "a@b.example", "--name", "n", "--role", "admin", "--org", "nowhere"],
            vec![],
            "--org: no organisation is called nowhere (known: none yet",
        ),
        (vec!["org", "create", "--slug", "a b", "--name", "n", "--kind", "npo"], vec![], "--slug"),
        (vec!["org", "create", "--slug", "ab", "--name", "n", "--kind", "club"], vec![], "--kind"),
        (vec!["org", "rename", "--slug", "nowhere", "--name", "n"], vec![], "no organisation is called nowhere"),
        (vec!["admin", "reset-password", "--email", "nobody@b.example"], vec![], "no staff member"),
        (vec!["migrate"], vec![("YUI__SERVER__LISTEN", "everywhere")], "configuration key server.listen"),
        (vec!["migrate"], vec![("YUI__DATABASE__URL", "mysql://h/db")], "configuration key database.url"),
        (vec!["migrate"], vec![("YUI__DATABASE__POOL_SIZE", "many")], "database.pool_size"),
        (
            vec!["serve"],
            vec![("YUI__DATABASE__URL", "postgres://nobody@127.0.0.1:1/yui?connect_timeout=2")],
            "cannot connect to the database",
        ),
    ];
    for (args, env, expected) in cases {
        let mut cmd = yui(&db);
        cmd.args(&args).envs(env.iter().copied());
        let (ok, _, err) = run(&mut cmd);
        assert!(!ok, "{args:?} {env:?} should fail");
        let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{args:?}: one line, got {err:?}");
        assert!(lines[0].starts_with("yui: ") && lines[0].contains(expected), "{args:?}: {err:?}");
    }
}

#[test]
fn serve_prints_its_address_and_answers_health_checks() {
    let db = TestDatabase::fresh();
    let mut child = yui(&db).arg("serve").stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let result = (|| {
        let url = first.split_whitespace().find(|w| w.starts_with("http://")).ok_or("no address printed")?;
        let host = url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = std::net::TcpStream::connect(host).map_err(|e| e.to_string())?;
        stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: test\r\n\r\n").map_err(|e| e.to_string())?;
        let mut response = String::new();
        stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
        Ok::<_, String>(response)
    })();
    child.kill().ok();
    child.wait().ok();
    let response = result.unwrap_or_else(|e| panic!("{e}; printed {first:?}"));
    assert!(response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"status\":\"ok\""), "{response}");
    assert!(first.contains(&format!("database: {}", TestDatabase::backend_name())), "{first}");
}

#[test]
fn ingest_lists_quarantined_submissions_and_replays_them() {
    use yui_db::submissions::{self, NewSubmission, QUARANTINED};
    let db = TestDatabase::fresh();
    let (ok, _, err) = run(yui(&db).arg("migrate"));
    assert!(ok, "{err}");
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let store = |conn: &mut yui_db::DbConnection, id: &str, body: &[u8]| {
        let new = NewSubmission {
            source: "native",
            external_id: id,
            received_at: yui_db::now(),
            headers: "{}",
            raw_body: body,
            signature_ok: true,
            status: QUARANTINED,
            error: Some("必須の回答が足りません"),
        };
        submissions::insert_or_existing(conn, &new).unwrap().unwrap().id
    };
    let incomplete = store(&mut conn, "incomplete-0000001", "title=%E6%BC%81%E5%B8%AB".as_bytes());
    let complete = store(
        &mut conn,
        "complete-000000001",
        "title=t&description=d&employment_type=part_time&how_to_apply=a&employer_name=e&email=e%40example.jp"
            .as_bytes(),
    );

    let (ok, out, err) = run(yui(&db).args(["ingest", "quarantined"]));
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().next().unwrap().starts_with(&format!("{complete}\tnative\t")), "newest first: {out}");

    let (ok, _, err) = run(yui(&db).args(["ingest", "replay", &incomplete.to_string()]));
    assert!(!ok);
    assert!(err.contains("still quarantined") && err.contains("事業所名"), "{err}");

    let (ok, out, err) = run(yui(&db).args(["ingest", "replay", &complete.to_string()]));
    assert!(ok, "{err}");
    assert!(out.contains("accepted as pending posting"), "{out}");
    let (ok, out, _) = run(yui(&db).args(["ingest", "replay", &complete.to_string()]));
    assert!(ok && out.contains("nothing changed"), "{out}");
    assert_eq!(yui_db::postings::count_all(&mut conn).unwrap(), 1);

    let (ok, _, err) = run(yui(&db).args(["ingest", "replay", "999"]));
    assert!(!ok && err.contains("no submission 999"), "{err}");
}

#[test]
fn admin_create_keeps_the_address_as_typed_and_matches_it_whatever_its_case() {
    let db = TestDatabase::fresh();
    org(&db, "npo");
    let create = |email: &'static str| {
        ["admin", "create", "--email", email, "--name", "編集", "--role", "editor", "--org", "npo"]
    };
    let (ok, _, err) = run(yui(&db).args(create("MixedCase@Example.jp")));
    assert!(ok, "{err}");
    let (ok, _, err) = run(yui(&db).args(create("mixedcase@example.jp")));
    assert!(!ok && err.contains("already exists"), "one account per address, whatever its case: {err}");
    let (ok, out, err) = run(yui(&db).args(["admin", "role", "--email", "MIXEDCASE@example.jp", "--role", "admin"]));
    assert!(ok && out.contains("is now admin"), "{out}{err}");
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let user = yui_db::staff::find_by_email(&mut conn, "mixedcase@example.jp").unwrap().unwrap();
    assert_eq!(user.email.split('@').next(), Some("MixedCase"), "the local part is kept as typed");
}

#[test]
fn admin_role_deactivate_and_activate() {
    let db = TestDatabase::fresh();
    org(&db, "npo");
    let create = ["admin", "create", "--email", "ed@npo.example", "--name", "編集", "--role", "editor", "--org", "npo"];
    let (ok, _, err) = run(yui(&db).args(create));
    assert!(ok, "{err}");
    let (ok, out, err) = run(yui(&db).args(["admin", "role", "--email", "ed@npo.example", "--role", "admin"]));
    assert!(ok && out.contains("is now admin"), "{out}{err}");
    let (ok, _, err) = run(yui(&db).args(["admin", "role", "--email", "ed@npo.example", "--role", "boss"]));
    assert!(!ok && err.contains("--role"), "{err}");
    let (ok, out, _) = run(yui(&db).args(["admin", "deactivate", "--email", "ed@npo.example"]));
    assert!(ok && out.contains("inactive"), "{out}");
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let user = yui_db::staff::find_by_email(&mut conn, "ed@npo.example").unwrap().unwrap();
    assert_eq!((user.role, user.active), (yui_domain::StaffRole::Admin, false));
    let (ok, _, _) = run(yui(&db).args(["admin", "activate", "--email", "ed@npo.example"]));
    assert!(ok);
    assert!(yui_db::staff::find_by_email(&mut conn, "ed@npo.example").unwrap().unwrap().active);
    let (ok, _, err) = run(yui(&db).args(["admin", "deactivate", "--email", "nobody@npo.example"]));
    assert!(!ok && err.contains("no staff member"), "{err}");
}

#[test]
fn forms_google_script_prints_a_script_for_this_site_with_its_choices() {
    let db = TestDatabase::fresh();
    let (ok, out, err) =
        run(yui(&db).args(["forms", "google-script"]).env("YUI__SITE__BASE_URL", "https://jobs.himi.example"));
    assert!(ok, "{err}");
    assert!(out.contains("var YUI_URL = \"https://jobs.himi.example\";"), "{out}");
    assert!(out.contains("function createYuiForm()") && out.contains("function onFormSubmit(e)"));
    assert!(out.contains("setTitle(\"業務内容の変更の範囲\")"), "the legal items are asked");
    // This site's categories and districts, from config/default.toml.
    assert!(out.contains("\"飲食・宿泊\"") && out.contains("\"比美町\""), "{out}");
}

#[test]
fn organisations_are_created_listed_renamed_and_shown_on_the_about_page() {
    let db = TestDatabase::fresh();
    let (ok, out, err) = run(yui(&db).args([
        "org",
        "create",
        "--slug",
        "himi-city",
        "--name",
        "氷見市",
        "--kind",
        "city_hall",
        "--name-en",
        "Himi City",
        "--description",
        "移住・定住の相談窓口",
    ]));
    assert!(ok && out.contains("created himi-city"), "{out}{err}");
    let (ok, _, err) = run(yui(&db).args(["org", "create", "--slug", "himi-city", "--name", "x", "--kind", "npo"]));
    assert!(!ok && err.contains("already exists"), "{err}");
    let (ok, _, err) = run(yui(&db).args([
        "org",
        "rename",
        "--slug",
        "himi-city",
        "--name",
        "氷見市役所",
        "--contact",
        "0766-74-8000",
    ]));
    assert!(ok, "{err}");
    let (ok, out, _) = run(yui(&db).args(["org", "list"]));
    assert!(ok && out.contains("himi-city\t氷見市役所 / Himi City\tcity_hall"), "{out}");
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let o = yui_db::organizations::find_by_slug(&mut conn, "himi-city").unwrap().unwrap();
    assert_eq!(
        (o.description.as_deref(), o.contact.as_deref()),
        (Some("移住・定住の相談窓口"), Some("0766-74-8000")),
        "renaming keeps what it does not name"
    );
    let lines = yui_db::editorial_log::lines(&mut conn, yui_db::editorial_log::Subject::Organization(o.id)).unwrap();
    let steps: Vec<(&str, Option<i32>)> = lines.iter().map(|l| (l.action.as_str(), l.actor_id)).collect();
    assert_eq!(steps, [("create", None), ("edit", None)], "the command line's changes are logged too");
    let (ok, _, err) = run(yui(&db).args(["org", "rename", "--slug", "himi-city", "--contact", "a\u{7}b"]));
    assert!(!ok && err.contains("--contact: ") && err.trim().lines().count() == 1, "the admin page's rules: {err}");
    // Staff join an organisation that exists.
    let (ok, _, err) = run(yui(&db).args([
        "admin",
        "create",
        "--email",
        "a@city.example",
        "--name",
        "市",
        "--role",
        "admin",
        "--org",
        "himi-city",
    ]));
    assert!(ok, "{err}");
}

#[test]
fn reset_password_gives_a_new_password_and_ends_the_sessions() {
    let db = TestDatabase::fresh();
    org(&db, "npo");
    let create = ["admin", "create", "--email", "ed@npo.example", "--name", "編集", "--role", "editor", "--org", "npo"];
    let (ok, _, err) = run(yui(&db).args(create));
    assert!(ok, "{err}");
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let user = yui_db::staff::find_by_email(&mut conn, "ed@npo.example").unwrap().unwrap();
    yui_db::sessions::create(&mut conn, "a-session-token-hash", user.id, yui_db::now()).unwrap();
    let (ok, out, err) = run(yui(&db).args(["admin", "reset-password", "--email", "ED@npo.example"]));
    assert!(ok, "{err}");
    let printed = out.lines().find_map(|l| l.strip_prefix("password (shown once): ")).expect("printed once");
    let after = yui_db::staff::find_by_email(&mut conn, "ed@npo.example").unwrap().unwrap();
    assert!(yui_web::auth::password::verify(printed, &after.password_hash));
    assert!(!yui_web::auth::password::verify(printed, &user.password_hash), "a new one");
    assert!(
        yui_db::sessions::resolve(&mut conn, "a-session-token-hash", yui_db::now()).unwrap().is_none(),
        "signed out"
    );
}
