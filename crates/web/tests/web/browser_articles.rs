//! A feature article's journey in real headless Chromium: a writer drafts it with a linked
//! posting and submits it; a second person, an editor, approves it once the order exists;
//! readers see 「PR」, the sponsor and the posting. Skipped without Chromium, except under
//! `CI=true`, where a missing browser fails the run.

use crate::common::browser::{browser, click_and_wait_for, fill, log_in_at, text};
use crate::common::{named_staff, TestApp};
use diesel::prelude::*;
use fantoccini::Locator;
use yui_db::now;
use yui_db::schema::articles;
use yui_db::testing::fixtures;

async fn log_in(c: &fantoccini::Client, address: &str, email: &str) {
    c.delete_all_cookies().await.unwrap();
    log_in_at(c, &format!("{address}/admin/articles"), email, "a[href='/admin/articles/new']").await;
}

/// Keeps a screenshot in the target directory, for a person to look at.
async fn shot(c: &fantoccini::Client, name: &str) {
    let dir = concat!(env!("CARGO_TARGET_TMPDIR"), "/browser");
    std::fs::create_dir_all(dir).ok();
    if let Ok(png) = c.screenshot().await {
        std::fs::write(format!("{dir}/{name}.png"), png).ok();
    }
}

#[actix_web::test]
async fn a_writer_drafts_a_feature_and_another_editor_publishes_it() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let desk = ("desk", "編集部");
    named_staff(&mut conn, "writer@desk.example", "書き手 ゆい", "writer", desk);
    let editor_id = named_staff(&mut conn, "editor@desk.example", "編集 はな", "editor", desk).id;
    let e = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), now()).unwrap();
    let c = &driver.client;

    // 1. The writer drafts the feature, linking the posting, and submits it.
    log_in(c, &app.address, "writer@desk.example").await;
    click_and_wait_for(c, "a[href='/admin/articles/new']", "form.article-form").await;
    c.find(Locator::Css("#a-kind option[value='feature']")).await.unwrap().click().await.unwrap();
    fill(c, "#a-slug", "teichiami-2026").await;
    fill(c, "#a-title", "定置網の朝").await;
    fill(c, "#a-lede", "夜明け前の港で、乗組員に話を聞きました。").await;
    fill(c, "#a-body", "## 午前四時\n\n船は**まだ暗い**海へ。").await;
    c.find(Locator::Css(&format!("#a-sponsor option[value='{}']", e.id))).await.unwrap().click().await.unwrap();
    // The posting is found by its title: the editor's suggestions offer it under its id.
    let offered = c.find(Locator::Css(&format!("datalist#a-posting-list option[value='{}']", p.public_id))).await;
    assert!(offered.unwrap().html(true).await.unwrap().contains("定置網漁の乗組員"));
    fill(c, "#a-posting-add", &p.public_id).await;
    fill(c, "#a-writer", "書き手 ゆい").await;
    click_and_wait_for(c, "form.article-form button[type='submit']", ".preview .article-body h2").await;
    assert_eq!(text(c, ".preview .article-body h2").await, "午前四時");
    assert!(c.find(Locator::Css("form.step-approve")).await.is_err(), "a writer has no approve button");
    shot(c, "article-edit").await;
    click_and_wait_for(c, "form.step-submit button", ".notice").await;
    assert!(text(c, ".notice").await.contains("承認を依頼しました"));
    let (id, status): (i32, String) = articles::table
        .filter(articles::slug.eq("teichiami-2026"))
        .select((articles::id, articles::status))
        .first(&mut conn)
        .unwrap();
    assert_eq!(status, "in_review");

    // 2. The order is placed (another helper's page does this; here straight in the table).
    fixtures::feature_order(&mut conn, e.id, id, "ordered", editor_id).unwrap();

    // 3. The editor, another person, approves it.
    log_in(c, &app.address, "editor@desk.example").await;
    click_and_wait_for(c, &format!("a[href='/admin/articles/{id}']"), "form.step-approve").await;
    click_and_wait_for(c, "form.step-approve button", ".notice").await;
    assert!(text(c, ".notice").await.contains("承認しました"));

    // 4. Readers see the PR label, the sponsor and the posting.
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{}/features/teichiami-2026", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("article.article")).await.unwrap();
    assert_eq!(text(c, "article.article h1").await, "定置網の朝");
    assert_eq!(text(c, ".pr-label .badge.pr").await, "PR");
    assert!(text(c, ".pr-label").await.contains("提供：氷見浜水産"));
    let linked = text(c, ".linked-postings").await;
    assert!(
        linked.contains("定置網漁の乗組員") && linked.contains("氷見浜水産"),
        "the open posting as a card: {linked}"
    );
    shot(c, "feature").await;
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "horizontal overflow of {overflow}px on a phone");
    // The card leads through the click-counting redirect to the posting.
    click_and_wait_for(c, &format!(".linked-postings a[href$='/jobs/{}']", p.public_id), "article.posting").await;
    assert!(text(c, ".feature-links").await.contains("定置網の朝"), "the posting links back");

    driver.client.clone().close().await.unwrap();
}
