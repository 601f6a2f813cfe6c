//! Yui's own form at /submit: CSRF, the honeypot, the rate limit, field messages in Japanese
//! with what was typed kept, and one posting per form however often it is sent.

use crate::common::{complete_submit_form, hidden_value, TestApp};
use diesel::prelude::*;
use yui_db::schema::{outbox_emails, postings, submissions};

impl TestApp {
    async fn open_form(&self) -> (String, String) {
        let (status, html) = self.page("/submit").await;
        assert_eq!(status, 200);
        (hidden_value(&html, "csrf"), hidden_value(&html, "submission_key"))
    }

    async fn send(&self, form: &[(&str, String)]) -> (u16, String) {
        let res = self.client.post(format!("{}/submit", self.address)).form(form).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    fn postings(&self) -> i64 {
        postings::table.count().get_result(&mut self.conn()).unwrap()
    }
}

#[actix_web::test]
async fn the_form_creates_one_pending_posting_and_mails_the_employer() {
    let app = TestApp::spawn().await;
    let (csrf, key) = app.open_form().await;
    let (status, html) = app.send(&complete_submit_form(&csrf, &key)).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("受け付けました"), "{html}");
    let (title, status, salary_min, municipality): (String, String, Option<i64>, String) = postings::table
        .select((postings::title, postings::status, postings::salary_min, postings::municipality))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        (title.as_str(), status.as_str(), salary_min, municipality.as_str()),
        ("民宿の朝食スタッフ", "pending", Some(1050), "氷見市")
    );
    let source: String = submissions::table.select(submissions::source).first(&mut app.conn()).unwrap();
    assert_eq!(source, "native");
    let to: Vec<String> = outbox_emails::table.select(outbox_emails::recipients).load(&mut app.conn()).unwrap();
    assert_eq!(to, ["hamakaze@example.jp"], "no editor exists yet, so only the employer is mailed");

    // A double click (the same form sent again) stores nothing new.
    let (status, _) = app.send(&complete_submit_form(&csrf, &key)).await;
    assert_eq!(status, 200);
    assert_eq!(app.postings(), 1);
}

#[actix_web::test]
async fn mistakes_come_back_in_japanese_next_to_their_fields_with_the_input_kept() {
    let app = TestApp::spawn().await;
    let (csrf, key) = app.open_form().await;
    let mut form = complete_submit_form(&csrf, &key);
    for (name, value) in form.iter_mut() {
        match *name {
            "title" => *value = String::new(),
            "email" => *value = "hamakaze-at-example".into(),
            "salary_unit" => *value = String::new(),
            _ => {}
        }
    }
    let (status, html) = app.send(&form).await;
    assert_eq!(status, 422);
    assert!(html.contains("3件の問題があります"), "{html}");
    assert!(html.contains("入力してください"), "title message");
    assert!(html.contains("メールアドレスの形式が正しくありません"), "email message");
    assert!(html.contains("給与の単位（時給・月給など）を選んでください"), "salary message");
    assert!(html.contains("value=\"hamakaze-at-example\""), "the typed email is kept");
    assert!(html.contains("朝6時からの朝食準備と片付け。"), "the typed description is kept");
    assert!(html.contains("<option value=\"part_time\" selected>"), "the chosen type is kept");
    assert_eq!(hidden_value(&html, "submission_key"), key, "the same form, so still one submission");
    assert_eq!(app.postings(), 0);
}

#[actix_web::test]
async fn the_form_that_comes_back_lists_its_mistakes_at_the_top_linked_to_their_fields() {
    let app = TestApp::spawn().await;
    let (csrf, key) = app.open_form().await;
    let mut form = complete_submit_form(&csrf, &key);
    for (name, value) in form.iter_mut() {
        match *name {
            "title" => *value = String::new(),
            "email" => *value = "hamakaze-at-example".into(),
            "salary_min" => *value = "たくさん".into(),
            _ => {}
        }
    }
    let (status, html) = app.send(&form).await;
    assert_eq!(status, 422);
    let summary = &html[html.find("class=\"error-summary\"").expect("an error summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    assert!(summary.contains("role=\"alert\""), "{summary}");
    for (href, label) in
        [("#f-title", "求人タイトル："), ("#f-email", "メールアドレス："), ("#f-salary_unit", "給与：")]
    {
        let link = format!("<a href=\"{href}\">{label}");
        assert!(summary.contains(&link), "the summary links to {href}: {summary}");
    }
    for (control, error) in
        [("id=\"f-title\"", "err-title"), ("id=\"f-email\"", "err-email"), ("id=\"f-salary_min\"", "err-salary")]
    {
        let tag = &html[html.find(control).unwrap()..];
        let tag = &tag[..tag.find('>').unwrap()];
        assert!(tag.contains(&format!("aria-invalid=\"true\" aria-describedby=\"{error}\"")), "{tag}");
        assert!(html.contains(&format!("<p class=\"field-error\" id=\"{error}\">")), "the message {error} exists");
    }
    let fine = &html[html.find("id=\"f-description\"").unwrap()..];
    assert!(!fine[..fine.find('>').unwrap()].contains("aria-invalid"), "a field without a mistake is not marked");
    assert!(app.page("/submit").await.1.find("error-summary").is_none(), "a fresh form has no summary");
}

#[actix_web::test]
async fn a_post_without_the_csrf_token_is_refused_and_the_form_kept() {
    let app = TestApp::spawn().await;
    let (_, key) = app.open_form().await;
    let (status, html) = app.send(&complete_submit_form("forged", &key)).await;
    assert_eq!(status, 403);
    assert!(html.contains("もう一度送信してください"), "{html}");
    assert!(html.contains("民宿の朝食スタッフ"), "the input is kept");
    // The fresh token in the re-rendered form works.
    let (status, _) = app.send(&complete_submit_form(&hidden_value(&html, "csrf"), &key)).await;
    assert_eq!(status, 200);
    assert_eq!(app.postings(), 1);

    // A client that never had the cookie (a cross-site form post) cannot pass.
    let bare = reqwest::Client::new();
    let res = bare
        .post(format!("{}/submit", app.address))
        .form(&complete_submit_form(&hidden_value(&html, "csrf"), "k2k2k2k2k2k2k2k2k2"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
}

#[actix_web::test]
async fn the_honeypot_thanks_the_bot_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let (csrf, key) = app.open_form().await;
    let mut form = complete_submit_form(&csrf, &key);
    form[2].1 = "http://spam.example".into();
    let (status, html) = app.send(&form).await;
    assert_eq!(status, 200);
    assert!(html.contains("受け付けました"));
    let stored: i64 = submissions::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!((stored, app.postings()), (0, 0));
}

#[actix_web::test]
async fn each_address_may_send_a_limited_number_of_times_per_hour() {
    let app = TestApp::spawn_with(|s| s.ingest.submit_per_hour = 2).await;
    let (csrf, _) = app.open_form().await;
    for i in 0..2 {
        let (status, _) = app.send(&complete_submit_form(&csrf, &format!("key-number-{i}-0000000"))).await;
        assert_eq!(status, 200);
    }
    let (status, html) = app.send(&complete_submit_form(&csrf, "key-number-3-0000000")).await;
    assert_eq!(status, 429);
    assert!(html.contains("上限"), "{html}");
    assert!(html.contains("民宿の朝食スタッフ"), "the input is kept");
    assert_eq!(app.postings(), 2);
}
