//! Category and district as choices: whatever names a configured choice (code, Japanese or
//! English label, synonym) is stored as its value and lands under the `/jobs` filters; readers
//! see labels, never codes; a value naming no choice is a review warning settled in one click.

use crate::common::{hidden_value, staff, Session, TestApp};
use diesel::prelude::*;
use yui_db::postings::{Actor, Reason};
use yui_db::schema::postings;
use yui_domain::PostingAction;
use yui_ingest::source::{Secrets, Source};

const GOOGLE_SECRET: &str = "google-shared-secret-0001";
const TALLY_SECRET: &str = "tally-signing-secret-0001";
const EDITOR: &str = "editor@npo.example";

async fn app() -> TestApp {
    let app = TestApp::spawn_with(|s| {
        s.ingest.secrets.insert(Source::GoogleForms, Secrets::Shared(vec![GOOGLE_SECRET.into()]));
        s.ingest.secrets.insert(Source::Tally, Secrets::Shared(vec![TALLY_SECRET.into()]));
    })
    .await;
    staff(&mut app.conn(), EDITOR, "editor", ("npo", "npo"));
    app
}

impl TestApp {
    /// A Google Forms delivery with these answers to 職種, 地区 and 勤務地: the new posting's id.
    async fn delivered(&self, title: &str, category: &str, area: &str, location: &str) -> String {
        let body = serde_json::json!({
            "responseId": format!("resp-{title}"),
            "formId": "1FAIpQLSeChoices",
            "items": [
                {"title": "求人タイトル", "response": title},
                {"title": "仕事内容", "response": "朝の仕込みと接客。"},
                {"title": "雇用形態", "response": "パート"},
                {"title": "職種", "response": category},
                {"title": "地区", "response": area},
                {"title": "勤務地", "response": location},
                {"title": "給与", "response": "時給1,000円"},
                {"title": "事業所名", "response": "氷見の店"},
                {"title": "メールアドレス", "response": "mise@example.jp"},
                {"title": "応募方法", "response": "お電話ください"},
            ]
        });
        let res = self
            .client
            .post(format!("{}/hooks/google-forms", self.address))
            .header("content-type", "application/json")
            .header("x-yui-secret", GOOGLE_SECRET)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let json: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 201, "{json}");
        json["posting"]["id"].as_str().unwrap().to_owned()
    }

    fn stored_choice(&self, public_id: &str) -> (Option<String>, Option<String>) {
        postings::table
            .filter(postings::public_id.eq(public_id))
            .select((postings::category, postings::area))
            .first(&mut self.conn())
            .unwrap()
    }

    fn approve(&self, public_id: &str) {
        let mut conn = self.conn();
        let (id, version): (i32, i32) = postings::table
            .filter(postings::public_id.eq(public_id))
            .select((postings::id, postings::version))
            .first(&mut conn)
            .unwrap();
        let (actor, reason, now) = (Actor::default(), Reason::default(), yui_db::now());
        yui_db::postings::apply_action(&mut conn, id, version, PostingAction::Approve, actor, reason, now).unwrap();
    }
}

#[actix_web::test]
async fn codes_labels_in_either_language_and_synonyms_land_under_the_filters() {
    let app = app().await;
    let cases = [
        ("定置網の乗組員", "fishery", "十二町", "fishery", "十二町"),
        ("介護スタッフ", "介護・福祉", "Kubo", "care", "窪"),
        ("食堂の調理補助", "飲食", "chuo", "food", "中央町"),
        ("宿の受付", "Ｆｏｏｄ ＆ Ｌｏｄｇｉｎｇ", "ＫＵＢＯ", "food", "窪"),
        ("畑の手伝い", "agriculture & FORESTRY", "上庄", "agriculture", "上庄"),
    ];
    for (title, category, area, code, name) in cases {
        let id = app.delivered(title, category, area, "富山県氷見市中央町1-1").await;
        assert_eq!(app.stored_choice(&id), (Some(code.to_owned()), Some(name.to_owned())), "{title}");
        app.approve(&id);
    }
    let (_, html) = app.page("/jobs?category=food").await;
    assert!(html.contains("食堂の調理補助") && html.contains("宿の受付"), "{html}");
    assert!(!html.contains("介護スタッフ"));
    let (_, html) = app.page("/jobs?category=care&area=kubo").await;
    assert!(html.contains("介護スタッフ") && !html.contains("宿の受付"), "{html}");
    let (_, html) = app.page("/jobs?area=junicho&category=fishery").await;
    assert!(html.contains("定置網の乗組員"), "{html}");
}

#[actix_web::test]
async fn readers_see_labels_in_both_languages_and_never_codes() {
    let app = app().await;
    let id = app.delivered("定置網の乗組員", "fishery", "junicho", "富山県氷見市十二町1-2").await;
    app.approve(&id);
    let (status, html) = app.page(&format!("/jobs/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<dd>水産・漁業</dd>") && html.contains("<dd>十二町</dd>"), "{html}");
    assert!(!html.contains("<dd>fishery</dd>") && !html.contains("junicho"), "{html}");
    assert!(html.contains(" / 出勤（オンサイト）</dd>"), "the way of working, not a bare 出勤: {html}");
    assert!(html.contains("<dt>勤務地</dt><dd>富山県氷見市十二町1-2</dd>"), "the place is said once: {html}");

    let (_, html) = app.page(&format!("/jobs/{id}?lang=en")).await;
    assert!(html.contains("<dd>Fishery</dd>") && html.contains("<dd>Junicho</dd>"), "{html}");
    assert!(!html.contains("<dd>fishery</dd>"), "{html}");
    let (_, html) = app.page("/jobs?lang=en").await;
    assert!(html.contains("Junicho"), "cards name the district in English: {html}");
    app.page("/jobs?lang=ja").await;
}

#[actix_web::test]
async fn an_unknown_value_is_kept_as_typed_and_settled_from_the_review_page_in_one_click() {
    let app = app().await;
    let id = app.delivered("浜の手伝い", "漁師さんの助手", "遠いところ", "北海道目梨郡羅臼町1-1").await;
    assert_eq!(
        app.stored_choice(&id),
        (Some("漁師さんの助手".to_owned()), Some("遠いところ".to_owned())),
        "kept as typed, never guessed into a code"
    );
    let s = Session::login(&app, EDITOR).await;
    let (status, html) = s.get(&format!("/admin/review/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("職種「漁師さんの助手」は設定された職種のどれにも当てはまりません"), "{html}");
    assert!(html.contains("地区「遠いところ」は設定された地区のどれにも当てはまりません"), "{html}");
    assert!(html.contains("勤務地が 富山県氷見市 の外です"), "{html}");
    assert!(html.contains(&format!("action=\"/admin/review/{id}/choose\"")), "{html}");

    let csrf = crate::common::hidden_value(&html, "csrf");
    let version = crate::common::hidden_value(&html, "version");
    let choose = |field: &'static str, choice: &'static str, version: String| {
        let (csrf, path) = (csrf.clone(), format!("/admin/review/{id}/choose"));
        let s = &s;
        async move {
            s.post(
                &path,
                &[("csrf", csrf.as_str()), ("version", version.as_str()), ("field", field), ("choice", choice)],
            )
            .await
        }
    };
    let (status, _) = choose("category", "not-a-code", version.clone()).await;
    assert_eq!(status, 400, "only a configured choice");
    let (status, _) = choose("category", "fishery", version).await;
    assert_eq!(status, 303);
    let (_, html) = s.get(&format!("/admin/review/{id}")).await;
    let version = crate::common::hidden_value(&html, "version");
    let (status, _) = choose("area", "ao", version).await;
    assert_eq!(status, 303);
    assert_eq!(app.stored_choice(&id), (Some("fishery".to_owned()), Some("阿尾".to_owned())));

    let (_, html) = s.get(&format!("/admin/review/{id}")).await;
    assert!(!html.contains("/choose\""), "settled: no more choice to make: {html}");
    assert!(html.contains("編集者による修正"), "the choice is logged: {html}");
    app.approve(&id);
    let (_, html) = app.page("/jobs?category=fishery&area=ao").await;
    assert!(html.contains("浜の手伝い"), "{html}");
}

#[actix_web::test]
async fn the_forms_offer_the_configured_choices_and_store_their_codes() {
    let app = app().await;
    let (status, html) = app.page("/submit").await;
    assert_eq!(status, 200);
    assert!(html.contains("<select id=\"f-category\" name=\"category\">"), "{html}");
    assert!(html.contains("<option value=\"food\">飲食・宿泊</option>"), "{html}");
    assert!(html.contains("<option value=\"junicho\">十二町</option>"), "{html}");
    let mut form =
        crate::common::complete_submit_form(&hidden_value(&html, "csrf"), &hidden_value(&html, "submission_key"));
    form.retain(|(name, _)| *name != "location");
    form.extend([("category", "food".into()), ("location", "氷見市十二町5".into()), ("area", "junicho".into())]);
    let res = app.client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let (id, public_id): (i32, String) =
        postings::table.select((postings::id, postings::public_id)).first(&mut app.conn()).unwrap();
    assert_eq!(app.stored_choice(&public_id), (Some("food".into()), Some("十二町".into())));

    // The employer's edit form starts from the stored choices and stores the new code.
    let path = {
        let settings = crate::common::test_settings();
        let letters = settings.site.letters().unwrap();
        let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
        let url = yui_web::intake::new_manage_link(&mut app.conn(), ctx, id).unwrap();
        url[url.find("/manage/").unwrap()..].to_owned()
    };
    let (_, html) = app.page(&path).await;
    assert!(html.contains("<option value=\"food\" selected>飲食・宿泊</option>"), "{html}");
    assert!(html.contains("<option value=\"junicho\" selected>十二町</option>"), "{html}");
    let mut edit = form.clone();
    edit.retain(|(k, _)| !["csrf", "submission_key", "website_url", "category", "area"].contains(k));
    edit.extend([
        ("csrf", hidden_value(&html, "csrf")),
        ("version", hidden_value(&html, "version")),
        ("category", "tourism".into()),
        ("area", "kubo".into()),
    ]);
    let res = app.client.post(format!("{}{path}/edit", app.address)).form(&edit).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303, "{}", res.text().await.unwrap());
    assert_eq!(app.stored_choice(&public_id), (Some("tourism".into()), Some("窪".into())));

    // The editor's form offers the same lists.
    let s = Session::login(&app, EDITOR).await;
    let (_, html) = s.get(&format!("/admin/review/{public_id}")).await;
    assert!(html.contains("<option value=\"tourism\" selected>観光</option>"), "{html}");
    assert!(html.contains("<option value=\"kubo\" selected>窪</option>"), "{html}");

    app.approve(&public_id);
    let (_, html) = app.page("/jobs?category=tourism&area=kubo").await;
    assert!(html.contains("民宿の朝食スタッフ"), "{html}");
}

#[actix_web::test]
async fn a_signed_tally_dropdown_in_english_lands_under_its_category_and_district() {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let app = app().await;
    let field = |key: &str, label: &str, value: serde_json::Value| serde_json::json!({"key": key, "label": label, "type": "INPUT_TEXT", "value": value});
    let body = serde_json::json!({
        "eventId": "evt-choices-1",
        "eventType": "FORM_RESPONSE",
        "createdAt": "2026-11-25T10:00:05.412Z",
        "data": {
            "responseId": "r1", "submissionId": "r1", "respondentId": "p1", "formId": "f1",
            "formName": "Job ad", "createdAt": "2026-11-25T10:00:05.000Z",
            "fields": [
                field("q1", "Job title", "Home care helper".into()),
                field("q2", "Job description", "Visiting elderly people at home.".into()),
                field("q3", "Employment type", "パート".into()),
                {
                    "key": "q4", "label": "Job category", "type": "DROPDOWN", "value": ["opt-care"],
                    "options": [{"id": "opt-food", "text": "Food & lodging"}, {"id": "opt-care", "text": "Care & welfare"}]
                },
                field("q5", "District", "Kubo".into()),
                field("q6", "Salary", "時給1,100円".into()),
                field("q7", "Company name", "Himi Care".into()),
                field("q8", "Email", "care@example.jp".into()),
                field("q9", "How to apply", "Call us".into()),
            ]
        }
    })
    .to_string();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(TALLY_SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let res = app
        .client
        .post(format!("{}/hooks/tally", app.address))
        .header("content-type", "application/json")
        .header("tally-signature", sig)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let json: serde_json::Value = res.json().await.unwrap();
    let id = json["posting"]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.stored_choice(&id), (Some("care".into()), Some("窪".into())));
    app.approve(&id);
    let (_, html) = app.page("/jobs?category=care&area=kubo").await;
    assert!(html.contains("Home care helper"), "{html}");
}

#[actix_web::test]
async fn postings_stored_with_labels_are_settled_to_their_codes() {
    let app = app().await;
    let mut conn = app.conn();
    let e = yui_db::testing::fixtures::employer(&mut conn, "氷見の施設", "shisetsu@example.jp").unwrap();
    let mut input = yui_db::testing::fixtures::input("訪問介護の仲間", "part_time");
    (input.category, input.area) = ("介護・福祉".into(), "Kubo".into());
    let p = yui_db::testing::fixtures::published(&mut conn, &e, input, yui_db::now()).unwrap();
    let (_, html) = app.page("/jobs?category=care").await;
    assert!(!html.contains("訪問介護の仲間"), "a label escapes the filter before settling");

    let changed = yui_web::intake::settle_stored_choices(&mut conn, &crate::common::test_settings()).unwrap();
    assert_eq!(changed, vec![p.public_id.clone()]);
    assert_eq!(app.stored_choice(&p.public_id), (Some("care".into()), Some("窪".into())));
    let (_, html) = app.page("/jobs?category=care&area=kubo").await;
    assert!(html.contains("訪問介護の仲間"), "{html}");
    let again = yui_web::intake::settle_stored_choices(&mut conn, &crate::common::test_settings()).unwrap();
    assert!(again.is_empty(), "nothing left to settle");
}
