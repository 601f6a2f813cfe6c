//! Staff journeys in headless Chromium: an admin adds and edits an organisation, and a staff
//! member who forgot their password sets a new one from the mailed link.

use crate::common::browser::{browser, click_and_wait_for, fill, log_in_at, text};
use crate::common::{staff, TestApp};

#[actix_web::test]
async fn an_admin_adds_an_organisation_after_a_mistake_and_edits_it() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "admin@city.example", "admin", ("city", "氷見市役所"));
    let c = &driver.client;

    log_in_at(c, &format!("{}/admin/review", app.address), "admin@city.example", ".admin-nav").await;
    click_and_wait_for(c, ".admin-nav a[href='/admin/organizations']", "form[action='/admin/organizations']").await;
    fill(c, "#o-slug", "himi gyokyo").await;
    fill(c, "#o-name", "氷見漁協").await;
    click_and_wait_for(c, "form[action='/admin/organizations'] button", ".field-error").await;
    assert!(text(c, ".field-error").await.contains("識別子は半角英数字"), "the slug's message");
    fill(c, "#o-slug", "himi-gyokyo").await;
    click_and_wait_for(c, "form[action='/admin/organizations'] button", "a[href='/admin/organizations/himi-gyokyo']")
        .await;
    click_and_wait_for(
        c,
        "a[href='/admin/organizations/himi-gyokyo']",
        "form[action='/admin/organizations/himi-gyokyo']",
    )
    .await;
    fill(c, "#o-contact", "0766-00-2222").await;
    click_and_wait_for(c, "form[action='/admin/organizations/himi-gyokyo'] button", ".notice[role='status']").await;
    assert!(text(c, ".log").await.contains("contact: 0766-00-2222"));

    c.goto(&format!("{}/about", app.address)).await.unwrap();
    let about = text(c, "main").await;
    assert!(about.contains("氷見漁協") && about.contains("0766-00-2222"), "{about}");
    driver.client.clone().close().await.unwrap();
}

#[actix_web::test]
async fn a_staff_member_who_forgot_the_password_sets_a_new_one_from_the_mailed_link() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "hana@npo.example", "editor", ("npo", "NPO"));
    let c = &driver.client;

    c.goto(&format!("{}/admin/login", app.address)).await.unwrap();
    click_and_wait_for(c, "a[href='/admin/password/forgot']", "form[action='/admin/password/forgot']").await;
    fill(c, "#f-email", "hana@npo.example").await;
    click_and_wait_for(c, "form[action='/admin/password/forgot'] button", "#forgot-sent").await;

    let mail = yui_db::outbox::list_recent(&mut app.conn(), 1).unwrap().remove(0);
    let start = mail.body_text.find("/admin/password/reset/").expect("a link in the mail");
    let path = mail.body_text[start..].split_whitespace().next().unwrap().to_owned();
    c.goto(&format!("{}{path}", app.address)).await.unwrap();
    fill(c, "#f-new", "a brand new harbour password").await;
    fill(c, "#f-again", "a brand new harbour password").await;
    click_and_wait_for(c, "form button", "#reset-done").await;
    click_and_wait_for(c, "#reset-done + p a[href='/admin/login']", "form[action='/admin/login']").await;
    fill(c, "#f-email", "hana@npo.example").await;
    fill(c, "#f-password", "a brand new harbour password").await;
    click_and_wait_for(c, "form[action='/admin/login'] button", ".admin-nav").await;
    driver.client.clone().close().await.unwrap();
}
