//! Following in real headless Chromium: sign up with a saved search from the footer link,
//! confirm from the email, receive the alert once an editor approves a matching posting, and
//! stop it with one click from the alert's link. Skipped without Chromium, except under `CI=true`.

use crate::common::browser::{browser, click_and_wait_for, fill, text};
use crate::common::{test_settings, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use fantoccini::Locator;
use yui_db::now;
use yui_db::outbox::OutboxEmail;
use yui_db::postings::{Actor, Reason};
use yui_db::schema::{follow_searches, outbox_emails};
use yui_db::testing::fixtures;
use yui_domain::PostingAction;

const KEY: &str = "browser-follow-secret-key-0123456789abcdef";

fn mails(app: &TestApp) -> Vec<OutboxEmail> {
    outbox_emails::table.order(outbox_emails::id.asc()).select(OutboxEmail::as_select()).load(&mut app.conn()).unwrap()
}

/// The path of the first `prefix` link in a mail.
fn link(text: &str, prefix: &str) -> String {
    let base = "http://127.0.0.1:8080";
    let start = text.find(&format!("{base}{prefix}")).unwrap_or_else(|| panic!("no {prefix} link in {text}"));
    text[start + base.len()..].split_whitespace().next().unwrap().to_owned()
}

#[actix_web::test]
async fn a_resident_follows_a_search_confirms_gets_the_alert_and_stops_it_in_one_click() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn_with(|s| s.secret_key = KEY.as_bytes().to_vec()).await;
    let c = &driver.client;

    c.goto(&app.address).await.unwrap();
    click_and_wait_for(c, "footer a[href='/follow']", "form[action='/follow']").await;
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "the form fits a phone ({overflow}px over)");
    fill(c, "#f-email", "follower@mail.example").await;
    c.find(Locator::Css("input[name='alert']")).await.unwrap().click().await.unwrap();
    fill(c, "#f-q", "介護").await;
    c.find(Locator::Css("#f-type option[value='full_time']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#f-frequency option[value='daily']")).await.unwrap().click().await.unwrap();
    click_and_wait_for(c, "form[action='/follow'] button[type='submit']", ".notice.ok").await;
    assert_eq!(text(c, "h1").await, "確認のメールをお送りしました");

    // Confirm from the email.
    let confirm = mails(&app).pop().unwrap();
    assert_eq!(confirm.recipients, "follower@mail.example");
    c.goto(&format!("{}{}", app.address, link(&confirm.body_text, "/follow/confirm/"))).await.unwrap();
    click_and_wait_for(c, "#confirm", ".notice.ok").await;
    assert_eq!(text(c, "h1").await, "フォローを開始しました");
    click_and_wait_for(c, "a.button", ".saved-searches").await;
    assert!(text(c, ".saved-searches").await.contains("キーワード「介護」・正社員"));

    // An editor approves a matching posting; the alerts run.
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "氷見ケアサービス", "saiyo@care.example").unwrap();
    let p = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("介護スタッフ（日勤）", "full_time"),
        now(),
        now() + Duration::days(30),
    )
    .unwrap();
    let editor = fixtures::editor(&mut conn, "editor@city.example").unwrap();
    let actor = Actor { staff_id: Some(editor.id), organization_id: Some(editor.organization_id) };
    yui_db::postings::apply_action(
        &mut conn,
        p.id,
        p.version,
        PostingAction::Approve,
        actor,
        Reason::default(),
        now() + Duration::minutes(1),
    )
    .unwrap();
    let mut settings = test_settings();
    settings.database_url = app.db.url.clone();
    settings.secret_key = KEY.as_bytes().to_vec();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    assert_eq!(yui_web::mailings::build_alerts(&mut conn, ctx, now() + Duration::minutes(5)).unwrap(), 1);
    let alert = mails(&app).pop().unwrap();
    assert_eq!(alert.recipients, "follower@mail.example");
    assert!(alert.body_text.contains("介護スタッフ（日勤）"), "{}", alert.body_text);

    // One click from the alert's link.
    c.goto(&format!("{}{}", app.address, link(&alert.body_text, "/unsubscribe/"))).await.unwrap();
    c.wait().for_element(Locator::Css("#unsubscribe")).await.unwrap();
    // The answer comes at the same URL, and `.follow p` is on both pages: only the link to start
    // again is the new page's own.
    click_and_wait_for(c, "#unsubscribe", ".follow a.button[href='/follow']").await;
    assert_eq!(text(c, "h1").await, "配信を停止しました");
    assert_eq!(follow_searches::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);

    driver.client.clone().close().await.unwrap();
}
