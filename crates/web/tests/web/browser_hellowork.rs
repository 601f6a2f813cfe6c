//! Hello Work's jobs made visible, in real headless Chromium: an editor uploads a file, writes
//! 編集部のひとこと on one posting and publishes it; its public page shows the Hello Work label and
//! number, the way to apply through a referral, the note, and no contact form. Skipped without
//! Chromium, except under `CI=true`, where a missing browser fails the run.

use crate::common::browser::{browser, click_and_wait_for, fill, log_in_at, text};
use crate::common::{named_staff, TestApp};
use diesel::prelude::*;
use fantoccini::Locator;
use yui_db::schema::{posting_origins, postings};

#[actix_web::test]
async fn an_editor_uploads_curates_and_publishes_a_hello_work_job() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    named_staff(&mut conn, "editor@desk.example", "編集 はな", "editor", ("desk", "編集部"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hellowork.csv");
    let rows = [
        crate::hellowork::row(1, "水産加工スタッフ", "魚をさばく仕事です。"),
        crate::hellowork::row(2, "配送ドライバー", "市内の配送です。"),
    ];
    std::fs::write(&file, crate::hellowork::utf8_bom(&rows)).unwrap();
    let c = &driver.client;

    // 1. The editor uploads the file and reads the report.
    log_in_at(c, &format!("{}/admin/hellowork", app.address), "editor@desk.example", "form.hellowork-upload").await;
    let input = c.find(Locator::Css("#f-file")).await.unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    click_and_wait_for(c, "form.hellowork-upload button[type='submit']", ".report .hellowork-counts").await;
    assert_eq!(text(c, ".report dd.created").await, "2");

    // 2. From the Hello Work queue, one posting gets a note.
    click_and_wait_for(c, ".report a[href='/admin/review?source=hellowork']", "table.queue").await;
    let public_id: String = posting_origins::table
        .inner_join(postings::table)
        .filter(posting_origins::external_id.eq("99999-00000001"))
        .select(postings::public_id)
        .first(&mut conn)
        .unwrap();
    click_and_wait_for(c, &format!("table.queue a[href='/admin/review/{public_id}']"), "form.note").await;
    assert!(text(c, ".hellowork-origin").await.contains("99999-00000001"));
    assert!(c.find(Locator::Css("#f-override")).await.is_err(), "no override reason is asked for");
    fill(c, "#f-note", "朝が早い分、**昼過ぎには終わります**。").await;
    click_and_wait_for(c, "form.note button", "p.notice[role='alert']").await;
    assert!(text(c, "p.notice[role='alert']").await.contains("ひとことを保存しました"));

    // 3. The editor publishes it: only then does the page link to the public posting.
    click_and_wait_for(c, "form.approve button", &format!("a[href='/jobs/{public_id}']")).await;

    // 4. The public page: the label, the number, the referral, the note, no contact form.
    c.goto(&format!("{}/jobs/{public_id}", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css(".apply.hellowork")).await.unwrap();
    let apply = text(c, ".apply.hellowork").await;
    assert!(apply.contains("ハローワーク求人") && apply.contains("紹介状"), "{apply}");
    assert_eq!(text(c, ".hellowork-number").await, "99999-00000001");
    assert_eq!(text(c, ".editor-note strong").await, "昼過ぎには終わります");
    assert!(c.find(Locator::Css("#contact")).await.is_err(), "no contact form");
    assert!(c.find(Locator::Css("form[action$='/contact']")).await.is_err());
}
