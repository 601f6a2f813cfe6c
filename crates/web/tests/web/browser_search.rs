//! The search journey in real headless Chromium on a phone-sized window: type a Japanese
//! query on the top page, narrow it with a facet and with the form, open a posting. Skipped
//! without chromium and chromium-driver, except under `CI=true` (the driver is in
//! `common/browser.rs`).

use crate::common::browser::{browser, click_and_wait_for, text};
use crate::common::TestApp;
use chrono::Duration;
use fantoccini::Locator;
use yui_db::now;
use yui_db::testing::fixtures;
use yui_domain::PostingInput;

#[actix_web::test]
async fn a_seeker_searches_in_japanese_filters_and_opens_a_posting() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "社会福祉法人あおい会", "jinji@aoi.example").unwrap();
    let t = now() - Duration::days(2);
    let posting = |title: &str, ty: &str, area: &str| PostingInput {
        description: "特別養護老人ホームでの介護のしごとです。".into(),
        category: "care".into(),
        area: area.into(),
        ..fixtures::input(title, ty)
    };
    fixtures::published(&mut conn, &e, posting("介護職員（日勤）", "full_time", "十二町"), t).unwrap();
    fixtures::published(&mut conn, &e, posting("介護補助（パート）", "part_time", "十二町"), t + Duration::hours(1))
        .unwrap();
    fixtures::published(&mut conn, &e, posting("訪問介護スタッフ", "part_time", "中央町"), t + Duration::hours(2))
        .unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), t).unwrap();
    let c = &driver.client;

    c.goto(&app.address).await.unwrap();
    let q = c.find(Locator::Css("form.search-box input[name='q']")).await.unwrap();
    q.send_keys("かいご").await.unwrap();
    click_and_wait_for(c, "form.search-box button[type='submit']", ".result-count").await;
    // A reading in hiragana finds the kanji, and the word found is marked in each title.
    assert_eq!(text(c, ".result-count").await, "「かいご」の検索結果：3件");
    assert_eq!(c.find_all(Locator::Css(".card-title mark")).await.unwrap().len(), 3);
    assert_eq!(text(c, ".card-title mark").await, "介護");

    // Kanji finds all three care postings, not the fishing one.
    let q = c.find(Locator::Css("form.search-form input[name='q']")).await.unwrap();
    q.clear().await.unwrap();
    q.send_keys("介護").await.unwrap();
    click_and_wait_for(c, "form.search-form button[type='submit']", ".result-count").await;
    assert_eq!(text(c, ".result-count").await, "「介護」の検索結果：3件");
    assert_eq!(c.find_all(Locator::Css(".card")).await.unwrap().len(), 3);
    // On the phone the conditions are folded away while none is chosen, so the first result
    // comes within the first screen, before the facets; a skip link is the first Tab stop.
    let layout = c
        .execute(
            "const top = s => document.querySelector(s).getBoundingClientRect().top + window.scrollY;\
             return [document.querySelector('details.more-filters').open, top('.card'), top('.facets'), window.innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(layout[0], false, "no condition chosen: folded");
    let (card, facets, screen) =
        (layout[1].as_f64().unwrap(), layout[2].as_f64().unwrap(), layout[3].as_f64().unwrap());
    assert!(card < screen && card < facets, "the first result at {card}px, facets at {facets}px, screen {screen}px");
    c.find(Locator::Css("body")).await.unwrap().send_keys("\u{E004}").await.unwrap(); // Tab
    let focused = c.execute("return document.activeElement.className;", vec![]).await.unwrap();
    assert_eq!(focused, "skip-link");

    // A facet keeps the query.
    click_and_wait_for(c, ".facet-area a[href*='area=junicho']", ".facet-area a[aria-current][href*='junicho']").await;
    assert_eq!(text(c, ".result-count").await, "「介護」の検索結果：2件");
    assert!(c.current_url().await.unwrap().query().unwrap().contains("q=%E4%BB%8B%E8%AD%B7"));

    // The form's select narrows further and keeps both.
    assert_eq!(
        c.execute("return document.querySelector('details.more-filters').open;", vec![]).await.unwrap(),
        true,
        "a condition chosen: the conditions are open"
    );
    c.find(Locator::Css("select#s-type option[value='part_time']")).await.unwrap().click().await.unwrap();
    click_and_wait_for(
        c,
        "form.search-form button[type='submit']",
        "select#s-type option[value='part_time'][selected]",
    )
    .await;
    assert_eq!(text(c, ".result-count").await, "「介護」の検索結果：1件");
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "horizontal overflow of {overflow}px on a 390px screen");

    click_and_wait_for(c, ".card a", "article.posting").await;
    assert_eq!(text(c, "article.posting h1").await, "介護補助（パート）");

    driver.client.clone().close().await.unwrap();
}
