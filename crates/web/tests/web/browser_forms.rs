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
