//! Supporters' journeys in headless Chromium: a partner's page (another origin) shows the job
//! widget in an iframe and through the script tag; a supporter signs up, confirms from the
//! email and appears on the wall.

use crate::common::browser::{browser, click_and_wait_for, fill, text};
use crate::common::TestApp;
use chrono::Duration;
use diesel::prelude::*;
use fantoccini::Locator;
use std::io::{Read, Write};
use std::net::TcpListener;
use yui_db::now;
use yui_db::outbox::OutboxEmail;
use yui_db::schema::outbox_emails;
use yui_db::testing::fixtures;

/// A partner's site on its own origin: one page, served to anyone who asks, forever.
fn partner_site(yui: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>partner</title></head><body>\
         <h1>ひみ浜食堂</h1>\
         <iframe id=\"framed\" src=\"{yui}/embed/jobs?type=part_time&amp;limit=3\" width=\"100%\" height=\"300\"></iframe>\
         <div id=\"scripted\"><script src=\"{yui}/embed/jobs.js\" data-limit=\"1\" async></script></div>\
         </body></html>"
    );
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    address
}

#[actix_web::test]
async fn a_partner_site_shows_the_widget_in_an_iframe_and_by_script() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "氷見漁港食堂", "shokudo@x.example").unwrap();
    let t = now() - Duration::hours(2);
    fixtures::published(&mut conn, &e, fixtures::input("ホールスタッフ", "part_time"), t).unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("調理師", "full_time"), t + Duration::hours(1)).unwrap();
    let partner = partner_site(&app.address);
    let c = &driver.client;

    c.goto(&partner).await.unwrap();
    c.wait().for_element(Locator::Css("#scripted iframe")).await.unwrap();
    assert_eq!(c.find_all(Locator::Css("iframe")).await.unwrap().len(), 2);

    c.find(Locator::Css("#framed")).await.unwrap().enter_frame().await.unwrap();
    c.wait().for_element(Locator::Css(".yui-embed li")).await.unwrap();
    let listed = text(c, ".yui-embed ul").await;
    assert!(listed.contains("ホールスタッフ") && !listed.contains("調理師"), "{listed}");
    let href = c.find(Locator::Css(".yui-embed li a")).await.unwrap().attr("href").await.unwrap().unwrap();
    assert!(href.contains("/jobs/"), "{href}");

    c.enter_parent_frame().await.unwrap();
    c.find(Locator::Css("#scripted iframe")).await.unwrap().enter_frame().await.unwrap();
    c.wait().for_element(Locator::Css(".yui-embed li")).await.unwrap();
    assert_eq!(c.find_all(Locator::Css(".yui-embed li")).await.unwrap().len(), 1, "data-limit=1");
    assert!(text(c, ".yui-embed ul").await.contains("調理師"), "newest first");

    driver.client.clone().close().await.unwrap();
}

#[actix_web::test]
async fn a_supporter_signs_up_confirms_from_the_email_and_is_thanked_on_the_wall() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let c = &driver.client;

    c.goto(&format!("{}/support", app.address)).await.unwrap();
    fill(c, "#s-email", "hana@mail.example").await;
    fill(c, "#s-name", "氷見 花子").await;
    c.find(Locator::Css("input[name='support_types'][value='share']")).await.unwrap().click().await.unwrap();
    click_and_wait_for(c, ".support-form button[type='submit']", ".notice.ok").await;
    assert!(text(c, "h1").await.contains("確認メール"));

    let mail: OutboxEmail = outbox_emails::table
        .filter(outbox_emails::recipients.eq("hana@mail.example"))
        .select(OutboxEmail::as_select())
        .first(&mut app.conn())
        .unwrap();
    let start = mail.body_text.find("/support/confirm/").unwrap();
    let token: String = mail.body_text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    c.goto(&format!("{}{token}", app.address)).await.unwrap();
    click_and_wait_for(c, "main button[type='submit'], section button[type='submit']", ".notice.ok").await;
    assert!(text(c, "h1").await.contains("ご登録ありがとうございます"));

    click_and_wait_for(c, "a[href='/supporters']", ".wall-names").await;
    assert!(text(c, ".wall-names").await.contains("氷見 花子"));

    driver.client.clone().close().await.unwrap();
}
