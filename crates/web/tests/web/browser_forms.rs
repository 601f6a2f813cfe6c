//! The posting forms on the narrowest phones, in real headless Chromium: the public form, the
//! employer's edit form and the staff edit form fit the screen, with nothing cut off on the right.

use crate::common::browser::{browser, click_and_wait_for, log_in_at};
use crate::common::{named_staff, TestApp};
use chrono::Duration;
use fantoccini::{Client, Locator};
use yui_db::now;
use yui_db::testing::fixtures;

/// Widths of common phones, the narrowest first.
const PHONES: [u32; 4] = [320, 360, 390, 414];

/// Opens every folded part of the page (an edit form in `<details>` takes no room while
/// closed), then at each phone width checks that the page is no wider than the screen.
async fn fits_every_phone(c: &Client, page: &str) {
    c.execute("document.querySelectorAll('details').forEach(d => d.open = true);", vec![]).await.unwrap();
    for width in PHONES {
        c.set_window_size(width, 800).await.unwrap();
        let seen =
            c.execute("return [window.innerWidth, document.documentElement.scrollWidth];", vec![]).await.unwrap();
        let seen: Vec<i64> = serde_json::from_value(seen).unwrap();
        assert_eq!(seen[0], i64::from(width), "{page}: the window really is {width}px wide");
        assert!(seen[1] <= seen[0], "{page} is {}px wide on a {width}px phone", seen[1]);
    }
    c.set_window_size(390, 844).await.unwrap();
}

#[actix_web::test]
async fn the_posting_forms_fit_phones_from_320_to_414_pixels_wide() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    named_staff(&mut conn, "editor@npo.example", "審査 花子", "editor", ("himi-npo", "ひみNPOセンター"));
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let posting = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("寒ブリの加工スタッフ", "part_time"),
        now() - Duration::days(1),
        now() + Duration::days(20),
    )
    .unwrap();
    let token = yui_web::tokens::random_token();
    yui_db::postings::set_manage_token_hash(&mut conn, posting.id, &yui_web::tokens::hash_token(&token)).unwrap();
    let c = &driver.client;

    c.goto(&format!("{}/submit", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("form[action='/submit']")).await.unwrap();
    fits_every_phone(c, "/submit").await;
    // Sent empty, the form comes back with its error summary and every field's message.
    click_and_wait_for(c, "form[action='/submit'] button[type='submit']", ".error-summary").await;
    fits_every_phone(c, "/submit with mistakes").await;

    c.goto(&format!("{}/manage/{token}", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("form[action*='/edit']")).await.unwrap();
    fits_every_phone(c, "the employer's edit form").await;

    let page = format!("/admin/review/{}", posting.public_id);
    log_in_at(c, &format!("{}{page}", app.address), "editor@npo.example", "form[action$='/edit']").await;
    fits_every_phone(c, "the staff edit form").await;
}

/// The "done": an employer on a 360px phone fills in Yui's form with every item it asks,
/// and the posting goes up with no legal item missing, under its category and district.
#[actix_web::test]
async fn a_job_filled_in_on_a_phone_with_every_item_is_approved_with_nothing_missing() {
    use crate::common::browser::{fill, fill_terms, text};
    use diesel::prelude::*;
    use yui_db::schema::postings;

    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    named_staff(&mut app.conn(), "editor@npo.example", "審査 花子", "editor", ("himi-npo", "ひみNPOセンター"));
    let c = &driver.client;
    c.set_window_size(360, 800).await.unwrap();
    c.goto(&format!("{}/submit", app.address)).await.unwrap();
    c.wait().for_element(Locator::Css("form[action='/submit']")).await.unwrap();
    fill(c, "#f-title", "民宿の朝食スタッフ（週3日）").await;
    fill(c, "#f-description", "朝6時からの朝食の準備と片付けをお願いします。港の見える民宿です。").await;
    fill(c, "#f-location", "富山県氷見市窪1-1").await;
    fill(c, "#f-salary_min", "1050").await;
    fill(c, "#f-how_to_apply", "お電話ください（0766-00-0000）").await;
    fill(c, "#f-employer_name", "民宿はまかぜ").await;
    fill(c, "#f-email", "hamakaze@example.jp").await;
    for css in [
        "#f-employment_type option[value='part_time']",
        "#f-category option[value='food']",
        "#f-area option[value='kubo']",
        "#f-salary_unit option[value='hour']",
    ] {
        c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
    }
    fill_terms(c).await;
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "the filled form fits a 360px phone ({overflow}px over)");
    click_and_wait_for(c, "form[action='/submit'] button[type='submit']", ".thanks").await;

    let id: String = postings::table.select(postings::public_id).first(&mut app.conn()).unwrap();
    log_in_at(c, &format!("{}/admin/review/{id}", app.address), "editor@npo.example", "form.decision.approve").await;
    assert!(c.find(Locator::Css(".warnings.gaps")).await.is_err(), "no legal item is missing");
    assert!(c.find(Locator::Css("#f-override")).await.is_err(), "approving asks for no reason");
    click_and_wait_for(c, "form.decision.approve button", ".notice[role=alert]").await;
    assert!(text(c, ".notice[role=alert]").await.contains("承認しました"));

    let (_, html) = app.page("/jobs?category=food&area=kubo").await;
    assert!(html.contains("民宿の朝食スタッフ（週3日）"), "under its category and district: {html}");
    let (_, html) = app.page(&format!("/jobs/{id}")).await;
    assert!(html.contains("通算3年まで") && html.contains("変更なし"), "the terms are on the posting page");
}
