//! The API against its own OpenAPI document, from outside: schemathesis generates requests from
//! `/api/v1/openapi.json` (valid and invalid parameters, other methods, stateful walks through the
//! links it infers) and checks every answer: no 5xx, documented status codes, content types,
//! headers and response schemas, invalid input refused and valid input accepted.
//!
//! `make test` installs schemathesis in `.cache/schemathesis` (`scripts/ensure-schemathesis.sh`);
//! `YUI_SCHEMATHESIS` names another `st`. Without it the test is skipped, except under `CI=true`,
//! where it fails. `YUI_SCHEMATHESIS_SEED` replays a run whose seed a failure printed.

use crate::common::TestApp;
use chrono::Duration;
use std::path::PathBuf;
use yui_db::now;
use yui_db::testing::fixtures;
use yui_domain::PostingInput;

/// Test cases per operation and phase: about a minute for the whole run on a busy 2-core machine.
const MAX_EXAMPLES: &str = "120";

fn schemathesis() -> Option<PathBuf> {
    let st = std::env::var_os("YUI_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.cache/schemathesis/bin/st"));
    if st.exists() {
        return Some(st);
    }
    let why = format!("{} is missing (scripts/ensure-schemathesis.sh installs it)", st.display());
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{why}: CI=true needs the OpenAPI run");
    }
    eprintln!("SKIPPED OpenAPI run: {why}");
    None
}

/// Postings that give every field something to show: districts listed and not, no district, no
/// category, no salary, every way of working, and more than a page of them.
/// What the detail paths are known to find, so every phase reaches a 200 and not only 404s (which
/// schemathesis reports as missing test data, and which depends on its seed otherwise).
struct Known {
    jobs: Vec<String>,
    succession: String,
    article: String,
    campaign: &'static str,
}

impl Known {
    /// A `schemathesis.toml` that offers these ids half of the time and generated ones otherwise.
    fn config(&self) -> String {
        let quoted = |ids: &[String]| ids.iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join(", ");
        let mut toml = String::new();
        for (name, ids) in [
            ("jobs", quoted(&self.jobs)),
            ("succession", quoted(std::slice::from_ref(&self.succession))),
            ("articles", quoted(std::slice::from_ref(&self.article))),
            ("campaigns", format!("{:?}", self.campaign)),
        ] {
            toml += &format!("[dictionaries.{name}]\nvalues = [{ids}]\n\n");
        }
        for (path, param, name) in [
            ("/api/v1/jobs/{id}", "id", "jobs"),
            ("/api/v1/succession/{id}", "id", "succession"),
            ("/api/v1/articles/{id}", "id", "articles"),
            ("/api/v1/campaigns/{slug}", "slug", "campaigns"),
        ] {
            toml += &format!(
                "[[operations]]\ninclude-path = {path:?}\nparameters = {{ \"path.{param}\" = {{ dictionary = {name:?}, probability = 0.5 }} }}\n\n"
            );
        }
        toml
    }
}

async fn app_with_postings() -> (TestApp, Known) {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let t = now() - Duration::days(3);
    let inputs = [
        fixtures::input("定置網漁の乗組員", "full_time"),
        PostingInput {
            area: "十二町".into(), category: "care".into(), ..fixtures::input("介護職員", "part_time")
        },
        PostingInput {
            area: "東京都千代田区".into(),
            remote: "remote".into(),
            ..fixtures::input("Web制作", "outsourcing")
        },
        PostingInput {
            area: String::new(), category: String::new(), ..fixtures::input("祭りの手伝い", "volunteer")
        },
        PostingInput {
            salary_min: None,
            salary_max: None,
            salary_unit: String::new(),
            remote: "hybrid".into(),
            ..fixtures::input("事務スタッフ", "contract")
        },
        PostingInput {
            salary_unit: "month".into(),
            salary_min: Some(220_000),
            salary_max: None,
            // A side job that states its project terms, so `project` is checked with values.
            project: yui_domain::ProjectInput {
                hours_per_month: Some(10),
                duration_months: Some(3),
                visits: "few".into(),
                remote_share: Some(80),
                reward: "paid".into(),
                coordinator: "氷見市移住・交流センター".into(),
                ..Default::default()
            },
            ..fixtures::input("営業", "side_job")
        },
        fixtures::input("寒ブリの加工", "internship"),
    ];
    let mut jobs = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        jobs.push(fixtures::published(&mut conn, &e, input, t + Duration::hours(i as i64)).unwrap().public_id);
    }
    // A Hello Work posting, published, so `source` and `hellowork_number` have both values.
    let file = crate::hellowork::utf8_bom(&[crate::hellowork::row(1, "水産加工スタッフ", "魚をさばく仕事です。")]);
    let settings = crate::common::test_settings();
    yui_web::hellowork::import(&mut conn, &settings, &file, "hw.csv", false, Default::default()).unwrap().unwrap();
    let id: i32 = {
        use diesel::prelude::*;
        yui_db::schema::posting_origins::table
            .select(yui_db::schema::posting_origins::posting_id)
            .first(&mut conn)
            .unwrap()
    };
    let version = yui_db::postings::find_by_id(&mut conn, id).unwrap().version;
    let approve = yui_domain::PostingAction::Approve;
    yui_db::postings::apply_action(&mut conn, id, version, approve, Default::default(), Default::default(), now())
        .unwrap();
    // A succession listing and a published column, so their APIs have something to show.
    let succession = crate::open_data::listed_succession(&mut conn).public_id;
    crate::articles::published_column(&mut conn, "ima", None);
    // And a published campaign of two organisations gathering that posting.
    let (a, b) = (
        crate::campaigns::editor(&mut conn, "a@town.example", "editor", "town"),
        crate::campaigns::editor(&mut conn, "b@npo.example", "editor", "npo"),
    );
    let orgs = [a.organization_id, b.organization_id];
    let today = crate::campaigns::today();
    let period = (today, today + chrono::Duration::days(30));
    crate::campaigns::campaign(&mut conn, "fukugyo", &a, &orgs, &[id], period, Some(&b));
    (app, Known { jobs, succession, article: "ima".into(), campaign: "fukugyo" })
}

#[actix_web::test]
async fn the_api_keeps_to_its_openapi_document() {
    let Some(st) = schemathesis() else { return };
    let (app, known) = app_with_postings().await;
    let workdir = tempfile::tempdir().unwrap();
    std::fs::write(workdir.path().join("schemathesis.toml"), known.config()).unwrap();
    let mut cmd = tokio::process::Command::new(&st);
    cmd.current_dir(workdir.path())
        .args(["run", &format!("{}/api/v1/openapi.json", app.address), "--url", &app.address])
        .args(["--checks", "all", "--max-examples", MAX_EXAMPLES, "--workers", "1"])
        .args(["--request-timeout", "30", "--generation-database", "none", "--no-color"])
        .kill_on_drop(true);
    if let Ok(seed) = std::env::var("YUI_SCHEMATHESIS_SEED") {
        cmd.args(["--seed", &seed]);
    }
    // To chase one failure: YUI_SCHEMATHESIS_ARGS="--include-path /api/v1/jobs --max-examples 2000".
    if let Ok(extra) = std::env::var("YUI_SCHEMATHESIS_ARGS") {
        cmd.args(extra.split_whitespace());
    }
    // Awaited, not waited on: the app under test answers on this same thread.
    let out = cmd.output().await.unwrap_or_else(|e| panic!("{} does not run: {e}", st.display()));
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // A warning (an operation that only ever answered 404, say) fails the test too: it means part
    // of the API went untested.
    assert!(out.status.success() && report.contains("No issues found"), "schemathesis found failures:\n{report}");
    assert!(report.contains("26 selected / 26 total"), "every documented operation was tried:\n{report}");
}
