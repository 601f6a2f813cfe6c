//! The contact form on a posting: Yui relays the first message once (to the employer with
//! Reply-To set to the seeker, and a copy to the seeker), keeps only the count, refuses header
//! injection, bots, forged posts and floods, and takes nothing for ended postings. One test
//! sends the mail through a real SMTP server (Debian's python3-aiosmtpd) on loopback.

use crate::common::smtp::{self, SmtpServer};
use crate::common::{hidden_value, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use std::net::IpAddr;
use yui_db::now;
use yui_db::outbox::OutboxEmail;
use yui_db::postings::Posting;
use yui_db::schema::{inquiries, outbox_emails};
use yui_db::testing::fixtures;

const SEEKER: &str = "hanako.yamada@mail.example";
const EMPLOYER: &str = "saiyo@hama.example";

fn form(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("website_url", String::new()),
        ("name", "山田 花子".into()),
        ("email", SEEKER.into()),
        ("message", "はじめまして。\r\n見学はできますか。MARKER-BODY".into()),
    ]
}

async fn posting(app: &TestApp) -> Posting {
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", EMPLOYER).unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("寒ブリの加工スタッフ", "part_time"), now()).unwrap()
}

/// A client with its own cookies, from `ip` (any 127.x.y.z reaches the server on Linux).
fn client_from(ip: Option<IpAddr>) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .local_address(ip)
        .build()
        .unwrap()
}

async fn open(app: &TestApp, client: &reqwest::Client, p: &Posting) -> String {
    let res = client.get(format!("{}/jobs/{}", app.address, p.public_id)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    hidden_value(&res.text().await.unwrap(), "csrf")
}

/// Posts the form: the status, and the page shown after it (a sent message answers 303 to the
/// thanks page, so that reloading it sends nothing again; that page is followed).
async fn send(app: &TestApp, client: &reqwest::Client, p: &Posting, form: &[(&str, String)]) -> (u16, String) {
    let res = client.post(format!("{}/jobs/{}/contact", app.address, p.public_id)).form(form).send().await.unwrap();
    let status = res.status().as_u16();
    if status != 303 {
        return (status, res.text().await.unwrap());
    }
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("/jobs/{}/contact/sent", p.public_id));
    let thanks = client.get(format!("{}{location}", app.address)).send().await.unwrap();
    assert_eq!(thanks.status().as_u16(), 200);
    (status, thanks.text().await.unwrap())
}

fn outbox(app: &TestApp) -> Vec<OutboxEmail> {
    outbox_emails::table.order(outbox_emails::id.asc()).select(OutboxEmail::as_select()).load(&mut app.conn()).unwrap()
}

fn inquiry_count(app: &TestApp) -> i64 {
    inquiries::table.count().get_result(&mut app.conn()).unwrap()
}

#[actix_web::test]
async fn a_message_is_relayed_once_to_the_employer_with_reply_to_the_seeker_and_a_copy() {
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    let csrf = open(&app, &app.client, &p).await;
    let (status, html) = send(&app, &app.client, &p, &form(&csrf)).await;
    assert_eq!(status, 303, "{html}");
    assert!(html.contains("送信しました"), "a confirmation page");
    assert!(html.contains("直接"), "it says they talk directly from now on");

    let mails = outbox(&app);
    assert_eq!(mails.len(), 2, "{mails:?}");
    let (to_employer, copy) = (&mails[0], &mails[1]);
    assert_eq!(to_employer.recipients, EMPLOYER);
    assert_eq!(to_employer.reply_to.as_deref(), Some(SEEKER));
    assert!(to_employer.subject.contains("寒ブリの加工スタッフ") && to_employer.subject.contains("山田 花子"));
    let url = format!("/jobs/{}", p.public_id);
    for body in [&to_employer.body_text, to_employer.body_html.as_ref().unwrap()] {
        assert!(body.contains("MARKER-BODY") && body.contains("山田 花子") && body.contains(&url), "{body}");
        assert!(body.contains("返信すると") && body.contains("直接"), "replying reaches the seeker: {body}");
    }
    assert!(to_employer.body_text.contains("はじめまして。\n見学はできますか。"), "line ends normalized");
    assert_eq!(copy.recipients, SEEKER);
    assert_eq!(copy.reply_to, None, "the employer's address is not disclosed by Yui");
    assert!(copy.subject.contains("控え"));
    assert!(copy.body_text.contains("MARKER-BODY") && copy.body_text.contains(&url));

    // Counted, without the message or the address.
    let rows: Vec<(i32, String, Option<i32>)> = inquiries::table
        .select((inquiries::posting_id, inquiries::sender_email_hash, inquiries::outbox_email_id))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, p.id);
    assert_eq!(rows[0].1.len(), 64, "a SHA-256");
    assert!(!rows[0].1.contains('@'));
    assert_eq!(rows[0].2, Some(to_employer.id));
    assert_eq!(yui_db::inquiries::count_for_posting(&mut app.conn(), p.id).unwrap(), 1);
    let id = yui_db::inquiries::list_for_posting(&mut app.conn(), p.id).unwrap()[0].id;
    assert_eq!(yui_db::inquiries::delivery_status(&mut app.conn(), id).unwrap().as_deref(), Some("pending"));
}

#[actix_web::test]
async fn a_seeker_reading_in_english_gets_an_english_copy_while_the_employer_reads_japanese() {
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    let csrf = open(&app, &app.client, &p).await;
    let res = app
        .client
        .post(format!("{}/jobs/{}/contact?lang=en", app.address, p.public_id))
        .form(&form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let mails = outbox(&app);
    let (to_employer, copy) = (&mails[0], &mails[1]);
    assert!(to_employer.subject.contains("お問い合わせ"), "{}", to_employer.subject);
    assert!(copy.subject.contains("(your copy)") && copy.subject.contains("寒ブリの加工スタッフ"), "{}", copy.subject);
    assert!(
        copy.body_text.starts_with("Dear 山田 花子,") && copy.body_text.contains("MARKER-BODY"),
        "{}",
        copy.body_text
    );
    assert!(copy.body_html.as_deref().unwrap().contains("<html lang=\"en\">"));
}

#[actix_web::test]
async fn a_line_break_in_the_name_is_refused_with_a_message_and_nothing_is_queued() {
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    let csrf = open(&app, &app.client, &p).await;
    let mut f = form(&csrf);
    f[2].1 = "山田\r\nBcc: everyone@spam.example".into();
    let (status, html) = send(&app, &app.client, &p, &f).await;
    assert_eq!(status, 422);
    assert!(html.contains("お名前に改行を含めることはできません"), "{html}");
    assert!(html.contains("MARKER-BODY"), "the message is kept");
    assert!(html.contains(SEEKER), "the address is kept");
    assert!(outbox(&app).is_empty());
    assert_eq!(inquiry_count(&app), 0);

    let mut f = form(&csrf);
    f[3].1 = format!("{SEEKER}\nBcc: everyone@spam.example");
    let (status, html) = send(&app, &app.client, &p, &f).await;
    assert_eq!(status, 422);
    assert!(html.contains("メールアドレスに改行を含めることはできません"), "{html}");
    let mut f = form(&csrf);
    f[4].1 = "  ".into();
    let (status, html) = send(&app, &app.client, &p, &f).await;
    assert_eq!(status, 422);
    assert!(html.contains("お問い合わせ内容を入力してください"));
    assert!(outbox(&app).is_empty());
}

#[actix_web::test]
async fn the_honeypot_thanks_the_bot_and_sends_nothing() {
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    let csrf = open(&app, &app.client, &p).await;
    let mut f = form(&csrf);
    f[1].1 = "https://spam.example/".into();
    let (status, html) = send(&app, &app.client, &p, &f).await;
    assert_eq!(status, 303);
    assert!(html.contains("送信しました"));
    assert!(outbox(&app).is_empty());
    assert_eq!(inquiry_count(&app), 0);
}

#[actix_web::test]
async fn a_post_without_the_csrf_token_is_refused_with_the_input_kept() {
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    open(&app, &app.client, &p).await;
    let mut f = form("");
    f.remove(0);
    let (status, html) = send(&app, &app.client, &p, &f).await;
    assert_eq!(status, 403);
    assert!(html.contains("MARKER-BODY"));
    // With a token but no cookie (another browser): refused too.
    let stranger = client_from(None);
    let csrf = open(&app, &app.client, &p).await;
    let (status, _) = send(&app, &stranger, &p, &form(&csrf)).await;
    assert_eq!(status, 403);
    assert!(outbox(&app).is_empty());
}

#[actix_web::test]
async fn each_address_and_each_posting_get_a_limited_number_of_messages_per_hour() {
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    // Five per address.
    let csrf = open(&app, &app.client, &p).await;
    for i in 0..5 {
        let (status, _) = send(&app, &app.client, &p, &form(&csrf)).await;
        assert_eq!(status, 303, "message {i}");
    }
    let (status, html) = send(&app, &app.client, &p, &form(&csrf)).await;
    assert_eq!(status, 429);
    assert!(html.contains("上限"), "{html}");
    assert!(html.contains("MARKER-BODY"), "the message is kept");

    // Twenty per posting, from any number of addresses.
    let mut sent = 5;
    let mut last = 0;
    'outer: for host in 2..20u8 {
        let client = client_from(Some(IpAddr::from([127, 0, 0, host])));
        let csrf = open(&app, &client, &p).await;
        for _ in 0..4 {
            let (status, html) = send(&app, &client, &p, &form(&csrf)).await;
            last = status;
            if status == 429 {
                assert!(html.contains("この求人へのお問い合わせが1時間の上限に達しました"), "{html}");
                break 'outer;
            }
            assert_eq!(status, 303);
            sent += 1;
        }
    }
    assert_eq!((sent, last), (20, 429));
    assert_eq!(inquiry_count(&app), 20);
    assert_eq!(outbox(&app).len(), 40);
}

#[actix_web::test]
async fn only_messages_that_go_out_count_against_the_hourly_allowance() {
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    let client = client_from(Some(IpAddr::from([127, 0, 1, 7])));
    let csrf = open(&app, &client, &p).await;
    for i in 0..6 {
        let (status, _) = send(&app, &client, &p, &form("an expired page's token")).await;
        assert_eq!(status, 403, "expired {i}");
        let mut typo = form(&csrf);
        typo[3].1 = "hanako.yamada@".into();
        let (status, _) = send(&app, &client, &p, &typo).await;
        assert_eq!(status, 422, "typo {i}");
    }
    for i in 0..5 {
        let (status, html) = send(&app, &client, &p, &form(&csrf)).await;
        assert_eq!(status, 303, "message {i} after twelve refused sends: {html}");
    }
    let (status, _) = send(&app, &client, &p, &form(&csrf)).await;
    assert_eq!(status, 429, "the sixth message that would go out");
    assert_eq!(inquiry_count(&app), 5);
}

#[actix_web::test]
async fn an_ended_posting_takes_no_messages() {
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    let csrf = open(&app, &app.client, &p).await;
    let mut conn = app.conn();
    yui_db::postings::set_valid_through(&mut conn, p.id, now() - Duration::minutes(1)).unwrap();
    let (status, html) = send(&app, &app.client, &p, &form(&csrf)).await;
    assert_eq!(status, 410);
    assert!(html.contains("掲載を終了した"), "{html}");
    let (status, _) = app.page(&format!("/jobs/{}/contact", p.public_id)).await;
    assert!(status == 404 || status == 405, "GET is not a form: {status}");
    let (status, _) =
        send(&app, &app.client, &Posting { public_id: "2345678923".into(), ..p.clone() }, &form(&csrf)).await;
    assert_eq!(status, 404);
    assert!(outbox(&app).is_empty());
}

// ---- Through a real SMTP server ----

#[actix_web::test]
async fn the_inquiry_arrives_over_smtp_with_reply_to_the_seeker() {
    if !smtp::available("the_inquiry_arrives_over_smtp_with_reply_to_the_seeker") {
        return;
    }
    let app = TestApp::spawn().await;
    let p = posting(&app).await;
    let csrf = open(&app, &app.client, &p).await;
    let (status, _) = send(&app, &app.client, &p, &form(&csrf)).await;
    assert_eq!(status, 303);

    let server = SmtpServer::start();
    let report = server.deliver_due(app.conn()).await;
    assert_eq!(report.sent, 2, "{report:?}: {}", server.log());

    let got = server.messages();
    assert_eq!(got.len(), 2, "{got:?}");
    let to_employer = got.iter().find(|m| m["to"][0] == EMPLOYER).expect("the employer's mail");
    assert_eq!(to_employer["reply_to"], serde_json::json!([SEEKER]));
    assert_eq!(to_employer["bcc"], serde_json::json!([]));
    assert!(to_employer["subject"].as_str().unwrap().contains("寒ブリの加工スタッフ"));
    assert!(to_employer["text"].as_str().unwrap().contains("見学はできますか。MARKER-BODY"));
    let copy = got.iter().find(|m| m["to"][0] == SEEKER).expect("the seeker's copy");
    assert_eq!(copy["reply_to"], serde_json::json!([]));
    assert!(copy["text"].as_str().unwrap().contains("MARKER-BODY"));
    let id = yui_db::inquiries::list_for_posting(&mut app.conn(), p.id).unwrap()[0].id;
    assert_eq!(yui_db::inquiries::delivery_status(&mut app.conn(), id).unwrap().as_deref(), Some("sent"));
}
