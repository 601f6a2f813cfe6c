//! A succession inquiry in real headless Chromium (see the `browser` module): a seeker finds a
//! listing, writes to its coordinator with consent, reads what happens next; the coordinator's
//! mail is in the outbox and the coordinator, logged in, finds the inquiry on the listing's
//! staff page. Skipped without Chromium, except under `CI=true`.

use crate::common::browser::{browser, click_and_wait_for, fill, log_in_at, text};
use crate::common::{named_staff, TestApp};
use diesel::prelude::*;
use fantoccini::Locator;
use yui_db::now;
use yui_db::postings::Actor;
use yui_db::schema::{outbox_emails, succession_inquiries};
use yui_db::succession::ListingContent;
use yui_domain::succession::{ListingDraft, ListingInput};

#[actix_web::test]
async fn a_seeker_sends_a_succession_inquiry_and_the_coordinator_finds_it() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor =
        named_staff(&mut conn, "coord@npo.example", "承継 次郎", "editor", ("himi-npo", "ひみ事業承継センター"));
    let org = editor.organization_id;
    let draft = ListingDraft::parse(&ListingInput {
        public_name: "市内の老舗鮮魚店".into(),
        industry: "鮮魚小売".into(),
        area: "比美町".into(),
        years_in_business: "62".into(),
        revenue_band: "10m_50m".into(),
        handover: "premises customers".into(),
        terms: "transfer".into(),
        description: "氷見漁港の朝どれの魚を60年売ってきました。".into(),
        owner_name: "魚住 源一郎".into(),
        owner_email: "owner@sakana.example".into(),
        ..ListingInput::default()
    })
    .unwrap();
    let actor = Actor { staff_id: Some(editor.id), organization_id: Some(org) };
    let listing =
        yui_db::succession::create(&mut conn, &ListingContent::from_draft(draft, None, org), actor, now()).unwrap();
    let c = &driver.client;

    // 1. The seeker follows the header link to the list and opens the listing.
    c.goto(&app.address).await.unwrap();
    click_and_wait_for(c, "header nav a[href='/succession']", ".succession-cards").await;
    click_and_wait_for(c, ".succession-cards .card a", "article.succession-listing").await;
    assert_eq!(text(c, "article.succession-listing h1").await, "市内の老舗鮮魚店");
    assert_eq!(text(c, ".succession-status").await, "募集中");
    assert!(text(c, "main").await.contains("ひみ事業承継センター"));
    assert!(!text(c, "main").await.contains("魚住"), "the owner stays private");
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "the listing fits a 390px screen ({overflow}px over)");

    std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser")).ok();
    if let Ok(png) = c.screenshot().await {
        std::fs::write(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser/succession.png"), png).ok();
    }

    // 2. The inquiry: first without consent (refused, entries kept), then with it.
    fill(c, "#i-name", "山田 花子").await;
    fill(c, "#i-email", "hanako@mail.example").await;
    fill(c, "#i-about", "金沢の鮮魚店で10年働いています。\n氷見で店を継ぎたいです。").await;
    click_and_wait_for(c, ".succession-inquiry button[type='submit']", ".field.consent.invalid").await;
    assert!(text(c, ".field.consent .field-error").await.contains("同意"));
    let kept = c.find(Locator::Css("#i-about")).await.unwrap().prop("value").await.unwrap();
    assert!(kept.unwrap_or_default().contains("氷見で店を継ぎたい"), "what was typed is still there");
    c.find(Locator::Css("#i-consent")).await.unwrap().click().await.unwrap();
    click_and_wait_for(c, ".succession-inquiry button[type='submit']", ".succession-thanks").await;
    assert_eq!(text(c, "h1").await, "お問い合わせを受け付けました");
    assert!(text(c, ".succession-thanks").await.contains("所有者が同意したとき"));

    // 3. The coordinator's mail waits in the outbox, Reply-To the seeker.
    let mails: Vec<(String, Option<String>, String)> = outbox_emails::table
        .order(outbox_emails::id.asc())
        .select((outbox_emails::recipients, outbox_emails::reply_to, outbox_emails::body_text))
        .load(&mut conn)
        .unwrap();
    assert_eq!(mails.len(), 2, "the coordinator's mail and the seeker's copy");
    assert_eq!(mails[0].0, "coord@npo.example");
    assert_eq!(mails[0].1.as_deref(), Some("hanako@mail.example"));
    assert!(mails[0].2.contains("氷見で店を継ぎたいです。"));
    let stored: i64 = succession_inquiries::table.count().get_result(&mut conn).unwrap();
    assert_eq!(stored, 1);

    // 4. The coordinator logs in and finds the inquiry on the listing's staff page.
    let staff_page = format!("{}/admin/succession/{}", app.address, listing.public_id);
    log_in_at(c, &staff_page, "coord@npo.example", "article.inquiry").await;
    let inquiry = text(c, "article.inquiry").await;
    for expected in ["山田 花子", "hanako@mail.example", "氷見で店を継ぎたいです。", "受付"] {
        assert!(inquiry.contains(expected), "the staff page shows {expected:?}");
    }
    assert!(text(c, "table.editorial-log").await.contains("問い合わせを受付"));

    driver.client.clone().close().await.unwrap();
}
