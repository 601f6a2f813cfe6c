//! A joint campaign's journey in real headless Chromium: an editor drafts it with two
//! co-issuing organisations, a second editor publishes it, a person enters through the public
//! form, a coordinator of the other organisation marks the entry matched, and the public count
//! rises. Skipped without Chromium, except under `CI=true`, where a missing browser fails the run.

use crate::common::browser::{browser, click_and_wait_for, fill, log_in_at, text};
use crate::common::{named_staff, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use fantoccini::Locator;
use yui_db::now;
use yui_db::schema::{campaign_entries, campaigns};
use yui_db::testing::fixtures;

#[actix_web::test]
async fn an_editor_drafts_a_campaign_another_publishes_a_person_enters_and_is_matched() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    named_staff(&mut conn, "town@himi.example", "町 たろう", "editor", ("himi-town", "氷見市"));
    named_staff(&mut conn, "second@himi.example", "町 はなこ", "editor", ("himi-town", "氷見市"));
    named_staff(&mut conn, "coord@npo.example", "NPO じろう", "editor", ("himi-npo", "みらいエンジン"));
    let npo = yui_db::organizations::find_by_slug(&mut conn, "himi-npo").unwrap().unwrap().id;
    let e = fixtures::employer(&mut conn, "比美町商店街", "shotengai@example.jp").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("商店街のSNS発信", "side_job"), now()).unwrap();
    let c = &driver.client;
    let today = yui_domain::today();

    // 1. An editor of the town drafts the campaign with the NPO as co-issuer.
    c.delete_all_cookies().await.unwrap();
    log_in_at(c, &format!("{}/admin/campaigns", app.address), "town@himi.example", "a[href='/admin/campaigns/new']")
        .await;
    click_and_wait_for(c, "a[href='/admin/campaigns/new']", "#c-title").await;
    fill(c, "#c-title", "氷見の副業プロジェクト").await;
    fill(c, "#c-slug", "himi-fukugyo").await;
    let (start, end) = (today.to_string(), (today + Duration::days(30)).to_string());
    c.execute(
        "document.querySelector('#c-starts').value = arguments[0]; document.querySelector('#c-ends').value = arguments[1];",
        vec![start.into(), end.into()],
    )
    .await
    .unwrap();
    c.find(Locator::Css(&format!("input[name='organization'][value='{npo}']"))).await.unwrap().click().await.unwrap();
    fill(c, "#c-postings", &p.public_id).await;
    fill(c, "#c-story", "## 一緒に\n\n町とNPOが**一緒に**呼びかけます。").await;
    click_and_wait_for(c, "#save", "#campaign-status").await;
    assert!(c.find(Locator::Css("#publish")).await.is_err(), "its author has no publish button");
    let id: i32 =
        campaigns::table.filter(campaigns::slug.eq("himi-fukugyo")).select(campaigns::id).first(&mut conn).unwrap();

    // 2. A second editor publishes it.
    c.delete_all_cookies().await.unwrap();
    log_in_at(c, &format!("{}/admin/campaigns/{id}", app.address), "second@himi.example", "#publish").await;
    click_and_wait_for(c, "#publish", "a[href='/campaigns/himi-fukugyo']").await;

    // 3. A person enters through the public form.
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{}/campaigns/himi-fukugyo", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("#entry-count")).await.unwrap();
    assert_eq!(text(c, "#entry-count").await, "エントリー 0件");
    assert!(text(c, ".campaign-organizations").await.contains("みらいエンジン"));
    fill(c, "#e-name-i", "山田 花子").await;
    fill(c, "#e-email-i", "hanako@example.jp").await;
    fill(c, "#e-offer-i", "週末に写真撮影ができます。").await;
    c.find(Locator::Css(&format!("input[name='interest'][value='{}']", p.public_id)))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("input[name='way'][value='side_job']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#e-consent-i")).await.unwrap().click().await.unwrap();
    click_and_wait_for(c, "form[action='/campaigns/himi-fukugyo/entry#entry'] button", ".campaign-thanks").await;
    let entry: i32 = campaign_entries::table.select(campaign_entries::id).first(&mut conn).unwrap();

    // 4. The NPO's coordinator marks the entry matched.
    c.delete_all_cookies().await.unwrap();
    log_in_at(c, &format!("{}/admin/campaigns/{id}/entries", app.address), "coord@npo.example", "article.pool-entry")
        .await;
    assert!(text(c, "article.pool-entry h2").await.contains("山田 花子"));
    c.find(Locator::Css(&format!("#s-{entry} option[value='matched']"))).await.unwrap().click().await.unwrap();
    click_and_wait_for(c, &format!("#entry-{entry} form button"), ".pool-entry .status-matched").await;
    let status: String = campaign_entries::table.select(campaign_entries::status).first(&mut conn).unwrap();
    assert_eq!(status, "matched");

    // 5. The public count rose, and names nobody.
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{}/campaigns/himi-fukugyo", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("#entry-count")).await.unwrap();
    assert_eq!(text(c, "#entry-count").await, "エントリー 1件");
    assert!(!c.source().await.unwrap().contains("山田"));
}
