//! Every public page in real Chromium at phone and desktop widths: nothing wider than a 320 px
//! screen, and no serious or critical finding of axe-core (the accessibility rules, installed
//! offline by `scripts/ensure-axe.sh` into `.cache/axe`). A screenshot of each page at 390 and
//! 1280 px is kept under the target directory's `tmp/browser/pages/` as the run's artefact.

use crate::common::browser::browser;
use crate::common::TestApp;
use fantoccini::Locator;
use yui_db::now;
use yui_db::testing::fixtures;

fn axe_source() -> Option<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.cache/axe/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(path) {
        Ok(source) => Some(source),
        Err(e) => {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "{path}: {e} (scripts/ensure-axe.sh installs it)");
            eprintln!("SKIPPED accessibility test: {path}: {e} (scripts/ensure-axe.sh installs it)");
            None
        }
    }
}

/// Runs axe on the open page: its serious and critical findings, as "rule (impact): where".
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(r => done(
  r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
   .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))
)).catch(e => done(['axe failed: ' + e]));
"#;

#[actix_web::test]
async fn every_public_page_fits_a_phone_and_passes_the_accessibility_rules() {
    let Some(axe) = axe_source() else { return };
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let input = yui_domain::PostingInput {
        area: "十二町".into(), ..fixtures::input("定置網漁の乗組員", "full_time")
    };
    let p = fixtures::published(&mut conn, &e, input, now()).unwrap();
    crate::articles::published_column(&mut conn, "umi", None);
    // A feature about the posting, published with its order; and the employer's page.
    let writer = crate::articles::staff(&mut conn, "writer@desk.example", "writer");
    let editor = crate::articles::staff(&mut conn, "editor@desk.example", "editor");
    let feature = yui_db::articles::ArticleContent {
        kind: "feature".into(),
        sponsor_employer_id: Some(e.id),
        title: "定置網の朝".into(),
        hero_caption: Some("夜明け前の氷見漁港".into()),
        interviewees: Some("山田 花子（船長）".into()),
        body_markdown: "## 午前四時\n\n> 海は毎日ちがう顔を見せる。\n\n船は暗い海へ。".into(),
        ..crate::articles::column("teichiami")
    };
    let a = yui_db::articles::create(&mut conn, &feature, &[p.id], writer, now()).unwrap().unwrap();
    let step = |conn: &mut yui_db::DbConnection, action, who, version| {
        yui_db::articles::step(conn, a.id, version, action, who, None, true, now()).unwrap().unwrap()
    };
    let submitted = step(&mut conn, yui_domain::ArticleAction::Submit, writer, 1);
    fixtures::feature_order(&mut conn, e.id, a.id, "paid", editor.staff_id).unwrap();
    step(&mut conn, yui_domain::ArticleAction::Approve, editor, submitted.version);
    let employer = yui_db::employer_profiles::ensure(&mut conn, e.id, now()).unwrap();
    let posting = format!("/jobs/{}", p.public_id);
    let pages: Vec<(&str, String)> = vec![
        ("home", "/".into()),
        ("jobs", "/jobs".into()),
        ("search", "/jobs?q=漁&type=full_time".into()),
        ("posting", posting.clone()),
        ("contact-sent", format!("{posting}/contact/sent")),
        ("submit", "/submit".into()),
        ("features", "/features".into()),
        ("columns", "/columns".into()),
        ("column", "/columns/umi".into()),
        ("feature", "/features/teichiami".into()),
        ("employer", format!("/employers/{}", employer.slug)),
        ("succession", "/succession".into()),
        ("follow", "/follow".into()),
        ("support", "/support".into()),
        ("supporters", "/supporters".into()),
        ("banners", "/support/banners".into()),
        ("transparency", "/transparency".into()),
        ("about", "/about".into()),
        ("privacy", "/privacy".into()),
        ("terms", "/terms".into()),
        ("posting-en", format!("{posting}?lang=en")),
        ("home-en", "/?lang=en".into()),
    ];
    let shots = concat!(env!("CARGO_TARGET_TMPDIR"), "/browser/pages");
    std::fs::create_dir_all(shots).unwrap();
    let c = &driver.client;
    let mut findings = Vec::new();
    for (name, path) in &pages {
        c.set_window_size(320, 800).await.unwrap();
        c.goto(&format!("{}{path}", app.address)).await.unwrap();
        // Every page, and only a fully loaded one, has the footer.
        c.wait().for_element(Locator::Css("footer.site-footer")).await.unwrap();
        let overflow =
            c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
        if overflow.as_i64().unwrap_or(1) > 0 {
            findings.push(format!("{path}: {overflow}px wider than a 320px screen"));
        }
        c.set_window_size(390, 844).await.unwrap();
        if let Ok(png) = c.screenshot().await {
            std::fs::write(format!("{shots}/{name}-390.png"), png).unwrap();
        }
        c.execute(&format!("{axe}\nreturn typeof axe;"), vec![]).await.unwrap();
        let found = c.execute_async(RUN_AXE, vec![]).await.unwrap();
        for finding in found.as_array().cloned().unwrap_or_default() {
            findings.push(format!("{path}: {}", finding.as_str().unwrap_or_default()));
        }
        c.set_window_size(1280, 900).await.unwrap();
        if let Ok(png) = c.screenshot().await {
            std::fs::write(format!("{shots}/{name}-1280.png"), png).unwrap();
        }
    }
    // The rules are live: a picture without words, slipped into the last page, is found.
    c.execute(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\">');",
        vec![],
    )
    .await
    .unwrap();
    let planted = c.execute_async(RUN_AXE, vec![]).await.unwrap();
    assert!(planted.to_string().contains("image-alt (critical)"), "axe did not run: {planted}");
    c.goto(&format!("{}/?lang=ja", app.address)).await.unwrap();
    driver.client.clone().close().await.unwrap();
    assert!(findings.is_empty(), "{} finding(s):\n{}", findings.len(), findings.join("\n"));
}
