//! The search journey in real headless Chromium on a phone-sized window: type a Japanese
//! query on the top page, narrow it with a facet and with the form, open a posting. Skipped
//! without chromium and chromium-driver, except under `CI=true` (the driver is in
//! `common/browser.rs`).

use crate::common::browser::browser;
use crate::common::TestApp;
use chrono::Duration;
use fantoccini::{Client, Locator};
use yui_db::now;
use yui_db::testing::fixtures;
use yui_domain::PostingInput;

/// Waits (up to 5 s) until `css` reads `expected`: the old page may still be showing while the
/// next one loads, and its elements go stale under the test's hands.
async fn wait_text(c: &Client, css: &str, expected: &str) {
    let mut last = String::new();
    for _ in 0..50 {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if let Ok(t) = e.text().await {
                if t == expected {
                    return;
                }
                last = t;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} reads {last:?}, not {expected:?}");
}

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
    c.find(Locator::Css("form.search-box button[type='submit']")).await.unwrap().click().await.unwrap();
    // A reading in hiragana does not find the kanji.
    wait_text(c, ".result-count", "「かいご」の検索結果：0件").await;

    // Kanji finds all three care postings, not the fishing one.
    let q = c.find(Locator::Css("form.search-form input[name='q']")).await.unwrap();
    q.clear().await.unwrap();
    q.send_keys("介護").await.unwrap();
    c.find(Locator::Css("form.search-form button[type='submit']")).await.unwrap().click().await.unwrap();
    wait_text(c, ".result-count", "「介護」の検索結果：3件").await;
    assert_eq!(c.find_all(Locator::Css(".card")).await.unwrap().len(), 3);

    // A facet keeps the query.
    c.find(Locator::Css(".facet-area a[href*='area=junicho']")).await.unwrap().click().await.unwrap();
    wait_text(c, ".result-count", "「介護」の検索結果：2件").await;
    c.wait().for_element(Locator::Css(".facet-area a[aria-current][href*='junicho']")).await.unwrap();
    assert!(c.current_url().await.unwrap().query().unwrap().contains("q=%E4%BB%8B%E8%AD%B7"));

    // The form's select narrows further and keeps both.
    c.find(Locator::Css("select#s-type option[value='part_time']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("form.search-form button[type='submit']")).await.unwrap().click().await.unwrap();
    wait_text(c, ".result-count", "「介護」の検索結果：1件").await;
    c.wait().for_element(Locator::Css("select#s-type option[value='part_time'][selected]")).await.unwrap();
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "horizontal overflow of {overflow}px on a 390px screen");

    c.find(Locator::Css(".card a")).await.unwrap().click().await.unwrap();
    wait_text(c, "article.posting h1", "介護補助（パート）").await;

    driver.client.clone().close().await.unwrap();
}
