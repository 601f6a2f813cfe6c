//! The reader's language: a `?lang=` choice is remembered the same way on every page, so a
//! visitor who came by an English link stays in English on the next page and in what they send.

use crate::common::{hidden_value, staff, Session, TestApp, PASSWORD};
use diesel::prelude::*;
use yui_db::outbox::OutboxEmail;
use yui_db::schema::outbox_emails;

/// The pages a visitor can reach from outside, with or without a form.
const PUBLIC: [&str; 8] = ["/", "/jobs", "/follow", "/support", "/submit", "/succession", "/transparency", "/features"];

fn html_lang(html: &str) -> &str {
    let at = html.find("<html lang=\"").expect("a lang attribute") + "<html lang=\"".len();
    &html[at..at + 2]
}

#[actix_web::test]
async fn a_language_picked_by_query_is_remembered_on_every_public_page() {
    let app = TestApp::spawn().await;
    for path in PUBLIC {
        let visitor = Session::anonymous(&app);
        let (status, html) = visitor.get(&format!("{path}?lang=en")).await;
        assert_eq!(status, 200, "{path}?lang=en");
        assert_eq!(html_lang(&html), "en", "{path}?lang=en is English");
        for next in PUBLIC {
            let (_, html) = visitor.get(next).await;
            assert_eq!(html_lang(&html), "en", "{next} after {path}?lang=en");
        }
        let (_, html) = visitor.get(&format!("{path}?lang=ja")).await;
        assert_eq!(html_lang(&html), "ja", "{path}?lang=ja switches back");
        let (_, html) = visitor.get("/jobs").await;
        assert_eq!(html_lang(&html), "ja", "/jobs after {path}?lang=ja");
    }
}

#[actix_web::test]
async fn a_follower_who_arrived_in_english_is_written_to_in_english() {
    let app = TestApp::spawn().await;
    let visitor = Session::anonymous(&app);
    visitor.get("/?lang=en").await;
    let csrf = visitor.csrf_on("/follow").await;
    let (status, body) = visitor
        .post("/follow", &[("csrf", &csrf), ("website_url", ""), ("email", "eigo@mail.example"), ("digest", "1")])
        .await;
    assert_eq!(status, 200, "{body}");
    let mail: OutboxEmail = outbox_emails::table
        .filter(outbox_emails::recipients.eq("eigo@mail.example"))
        .select(OutboxEmail::as_select())
        .first(&mut app.conn())
        .unwrap();
    assert!(mail.subject.contains("Please confirm your email address"), "{}", mail.subject);
}

#[actix_web::test]
async fn field_messages_on_an_english_form_are_english() {
    let app = TestApp::spawn().await;
    let visitor = Session::anonymous(&app);
    let csrf = visitor.csrf_on("/follow?lang=en").await;
    let (status, html) =
        visitor.post("/follow", &[("csrf", &csrf), ("website_url", ""), ("email", "not an address")]).await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(html_lang(&html), "en");
    assert!(html.contains("Some entries need fixing"), "{html}");
    assert!(html.contains(EMAIL_EN), "the domain's email message, in English: {html}");
    assert!(!html.contains(EMAIL_JA), "{html}");

    let csrf = visitor.csrf_on("/support").await;
    let form = [("csrf", csrf.as_str()), ("email", "hanako@mail"), ("kind", "individual"), ("support_types", "share")];
    let (status, html) = visitor.post("/support", &form).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(EMAIL_EN) && !html.contains(EMAIL_JA), "/support: {html}");
    assert!(html.contains("Please enter your name. (You can also choose to stay anonymous.)"), "{html}");

    let (status, page) = visitor.get("/submit").await;
    assert_eq!(status, 200);
    let (csrf, key) = (hidden_value(&page, "csrf"), hidden_value(&page, "submission_key"));
    let form = [("csrf", csrf.as_str()), ("submission_key", key.as_str()), ("email", "hanako@mail")];
    let (status, html) = visitor.post("/submit", &form).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(EMAIL_EN) && !html.contains(EMAIL_JA), "/submit: {html}");
    assert!(html.contains("Please enter the name of the business."), "{html}");

    // The same forms in Japanese say what they said before.
    let (_, html) = visitor.post("/support?lang=ja", &[("csrf", csrf.as_str()), ("email", "hanako@mail")]).await;
    assert!(html.contains(EMAIL_JA) && html.contains("お名前を入力してください（匿名を選ぶこともできます）"), "{html}");
}

const EMAIL_EN: &str = "Please enter an email address such as name@example.jp.";
const EMAIL_JA: &str = "メールアドレスの形式が正しくありません";

#[actix_web::test]
async fn staff_pages_speak_english_when_asked() {
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "kanri@city.example", "admin", ("himi-city", "氷見市"));
    let admin = Session::login(&app, "kanri@city.example").await;
    for (path, words) in [
        ("/admin/password?lang=en", "Change password"),
        ("/admin/staff?lang=en", "Staff"),
        ("/admin/supporters?lang=en", "Supporters"),
        ("/admin/ledger?lang=en", "Ledger"),
    ] {
        let (status, html) = admin.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(html_lang(&html), "en", "{path}");
        assert!(html.contains(&format!("<title>{words}")), "{path}: {html}");
    }
    let csrf = admin.csrf().await;
    let (status, html) = admin
        .post("/admin/password", &[("csrf", &csrf), ("current", PASSWORD), ("new", "short"), ("again", "short")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("at least 12 characters"), "{html}");
}

#[actix_web::test]
async fn refusals_are_worded_in_the_readers_language() {
    let app = TestApp::spawn().await;
    let (status, ja) = Session::anonymous(&app).get("/jobs?type=boss").await;
    assert_eq!(status, 400);
    assert!(ja.contains("雇用形態「boss」はありません"), "{ja}");
    let (status, en) = Session::anonymous(&app).get("/jobs?type=boss&lang=en").await;
    assert_eq!(status, 400);
    assert!(en.contains("There is no employment type “boss”"), "{en}");
    let res = app.client.get(format!("{}/api/v1/jobs?salary_min=abc", app.address)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(body["error"]["message"].as_str().unwrap().contains("希望月給「abc」"), "{body}");
    let (status, expired) = Session::anonymous(&app).post("/support/leave/abc?lang=en", &[("csrf", "nope")]).await;
    assert_eq!(status, 403);
    assert!(expired.contains("This page had expired"), "{expired}");
}

#[actix_web::test]
async fn english_pages_give_pay_places_and_dates_in_english() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = yui_db::testing::fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let input = yui_domain::PostingInput {
        area: "十二町".into(),
        ..yui_db::testing::fixtures::input("寒ブリの加工スタッフ", "part_time")
    };
    let p = yui_db::testing::fixtures::published(&mut conn, &e, input, yui_db::now()).unwrap();
    for path in [format!("/jobs/{}?lang=en", p.public_id), "/jobs?lang=en".to_owned()] {
        let html = app.get(&path).await.text().await.unwrap();
        assert!(html.contains("¥1,000–1,200 an hour"), "{path}: pay in English");
        // The card names the place in English; the posting's street address stays as written
        // (it is what a map is searched with), with the district in English beside it.
        let place = if path.starts_with("/jobs?") { "Junicho, Himi, Toyama" } else { "<dd>Junicho</dd>" };
        assert!(html.contains(place), "{path}: the place by its English names");
        assert!(!html.contains("時給"), "{path}: no Japanese pay");
        assert!(html.contains("寒ブリの加工スタッフ") && html.contains("株式会社氷見浜水産"), "proper nouns stay");
    }
    let html = app.get(&format!("/jobs/{}", p.public_id)).await.text().await.unwrap();
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(
        html.split(&format!(" {year}<")).count() > 1 && !html.contains(&format!(">{year}-")),
        "dates like \"6 Dec {year}\""
    );
    let html = app.get("/jobs?lang=ja").await.text().await.unwrap();
    assert!(html.contains("時給 1,000円〜1,200円") && html.contains("富山県 氷見市 十二町"), "Japanese as before");
}
