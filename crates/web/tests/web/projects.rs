//! Project-style side jobs (issue 20): hours a month, months, visits, remote share, travel,
//! reward and the coordinating organisation, on the backend `YUI_TEST_BACKEND` names. Set from
//! Yui's form and a form tool's words, corrected by an editor with a diff, shown on cards and
//! pages, and filtered alike by `/jobs`, the API, and a saved search's SQL.

use crate::common::{complete_submit_form, hidden_value, staff, Session, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::schema::{postings, review_events};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};
use yui_domain::{PostingInput, ProjectInput};
use yui_web::search_model::{published_between, Window};

const GOOGLE_SECRET: &str = "google-shared-secret-projects";

fn project_of(conn: &mut DbConnection, public_id: &str) -> yui_db::postings::ProjectContent {
    let id: i32 = postings::table.filter(postings::public_id.eq(public_id)).select(postings::id).first(conn).unwrap();
    yui_db::postings::project_of(conn, id).unwrap()
}

fn project(title: &str, kind: &str, p: ProjectInput) -> PostingInput {
    PostingInput { project: p, ..fixtures::input(title, kind) }
}

fn terms(hours: i64, months: i64, remote: i64, reward: &str) -> ProjectInput {
    ProjectInput {
        hours_per_month: Some(hours),
        duration_months: Some(months),
        remote_share: Some(remote),
        reward: reward.into(),
        ..ProjectInput::default()
    }
}

#[actix_web::test]
async fn yuis_form_asks_the_project_terms_and_refuses_a_number_out_of_range() {
    let app = TestApp::spawn().await;
    let (status, html) = app.page("/submit").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"hours_per_month\"") && html.contains("副業・プロジェクトの条件"), "the fieldset");
    let (csrf, key) = (hidden_value(&html, "csrf"), hidden_value(&html, "submission_key"));

    let mut form = complete_submit_form(&csrf, &key);
    form.extend([("hours_per_month", "0".to_owned()), ("remote_share", "120".to_owned())]);
    let res = app.client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("1〜744 の数字で入力してください"), "{html}");
    assert!(html.contains("0〜100 の数字で入力してください"), "{html}");
    assert!(html.contains("href=\"#t-hours_per_month\""), "the summary links to the field");
    assert_eq!(postings::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);

    let mut form = complete_submit_form(&csrf, &key);
    form.extend(
        [
            ("hours_per_month", "10"),
            ("duration_months", "3"),
            ("visits", "few"),
            ("remote_share", "80"),
            ("travel_support", "full"),
            ("reward", "paid"),
            ("coordinator", "氷見市移住・交流センター"),
        ]
        .map(|(k, v)| (k, v.to_owned())),
    );
    let res = app.client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let mut conn = app.conn();
    let id: String = postings::table.order(postings::id.desc()).select(postings::public_id).first(&mut conn).unwrap();
    let stored = project_of(&mut conn, &id);
    assert_eq!((stored.hours_per_month, stored.duration_months, stored.remote_share), (Some(10), Some(3), Some(80)));
    assert_eq!((stored.visits.as_deref(), stored.travel_support.as_deref()), (Some("few"), Some("full")));
    assert_eq!(stored.coordinator.as_deref(), Some("氷見市移住・交流センター"));
}

#[actix_web::test]
async fn a_form_tools_words_become_project_terms() {
    let app = TestApp::spawn_with(|s| {
        use yui_ingest::source::{Secrets, Source};
        s.ingest.secrets.insert(Source::GoogleForms, Secrets::Shared(vec![GOOGLE_SECRET.into()]));
    })
    .await;
    fixtures::editor(&mut app.conn(), "editor@npo.example").unwrap();
    let body = serde_json::json!({
        "responseId": "r-project-1",
        "formId": "f1",
        "timestamp": "2026-11-25T10:00:00.000Z",
        "items": [
            {"title": "求人タイトル", "response": "観光協会のSNS運用"},
            {"title": "仕事内容", "response": "Instagramの投稿を月8本。"},
            {"title": "雇用形態", "response": "副業"},
            {"title": "月の稼働時間", "response": "月10時間程度"},
            {"title": "プロジェクト期間", "response": "半年"},
            {"title": "リモートの割合", "response": "8割"},
            {"title": "現地訪問", "response": "月1回程度"},
            {"title": "報酬の形", "response": "プロボノ（無償）"},
            {"title": "交通費・宿泊費の支給", "response": "気持ちで"},
            {"title": "応募方法", "response": "メールでご連絡ください"},
            {"title": "事業所名", "response": "氷見市観光協会"},
            {"title": "メールアドレス", "response": "kanko@example.jp"}
        ]
    });
    let res = app
        .client
        .post(format!("{}/hooks/google-forms", app.address))
        .header("content-type", "application/json")
        .header("x-yui-secret", GOOGLE_SECRET)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let json: serde_json::Value = res.json().await.unwrap();
    assert!(status == 201 || status == 202, "{status}: {json}");
    let public_id = json["posting"]["id"].as_str().unwrap().to_owned();
    let mut conn = app.conn();
    let stored = project_of(&mut conn, &public_id);
    assert_eq!((stored.hours_per_month, stored.duration_months, stored.remote_share), (Some(10), Some(6), Some(80)));
    assert_eq!((stored.visits.as_deref(), stored.reward.as_deref()), (Some("monthly"), Some("unpaid")));
    assert_eq!(stored.travel_support, None, "words Yui cannot read are not guessed");
    let description: String = postings::table
        .filter(postings::public_id.eq(&public_id))
        .select(postings::description)
        .first(&mut conn)
        .unwrap();
    assert!(description.contains("■ 交通費・宿泊費の支給") && description.contains("気持ちで"), "kept: {description}");
}

/// Three published postings: a short remote paid project, a longer pro-bono one with its
/// coordinator, and a job that states no project terms.
fn three(conn: &mut DbConnection) -> [String; 3] {
    let e = fixtures::employer(conn, "氷見市観光協会", "kanko@example.jp").unwrap();
    let t = now() - Duration::hours(3);
    let short = project("ECサイトの商品ページ改善", "side_job", terms(10, 3, 100, "paid"));
    let long = project(
        "NPOの会計サポート",
        "volunteer",
        ProjectInput { coordinator: "NPO法人ひみ暮らし研究所".into(), ..terms(20, 6, 50, "unpaid") },
    );
    let job = fixtures::input("旅館の調理補助", "part_time");
    [short, long, job].map(|input| fixtures::published(conn, &e, input, t).unwrap().public_id)
}

fn titles(html: &str) -> Vec<String> {
    let mut out: Vec<String> =
        html.split("class=\"card-title\">").skip(1).map(|s| s[..s.find("</strong>").unwrap()].to_owned()).collect();
    out.sort();
    out
}

#[actix_web::test]
async fn the_project_filters_find_the_same_postings_on_the_page_the_api_and_a_saved_search() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let [short, long, _job] = three(&mut conn);

    let cases: &[(&str, &[&str])] = &[
        ("hours_max=10", &["ECサイトの商品ページ改善"]),
        ("hours_max=20", &["ECサイトの商品ページ改善", "NPOの会計サポート"]),
        ("remote_min=80&months_max=3", &["ECサイトの商品ページ改善"]),
        ("months_max=6&remote_min=50", &["ECサイトの商品ページ改善", "NPOの会計サポート"]),
        ("reward=unpaid", &["NPOの会計サポート"]),
        ("reward=paid&hours_max=5", &[]),
        ("hours_max=5", &[]),
        ("q=プロボノ", &["NPOの会計サポート"]),
    ];
    let settings = crate::common::test_settings();
    for (query, want) in cases {
        let (status, html) = app.page(&format!("/jobs?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(titles(&html), *want, "/jobs?{query}");
        let json: serde_json::Value = app.get(&format!("/api/v1/jobs?{query}")).await.json().await.unwrap();
        let mut api: Vec<String> =
            json["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_owned()).collect();
        api.sort();
        assert_eq!(api, *want, "API ?{query}");
        // A saved search's alert matches as the portal does, labels and readings included.
        let filter = yui_web::mailings::search_filter(&settings, query).unwrap();
        let window = Window { after: now() - Duration::days(1), before: None, exclude: &[] };
        let mut alert: Vec<String> = published_between(&mut conn, &settings, now(), &filter, window, 50)
            .unwrap()
            .into_iter()
            .map(|(p, _)| p.title)
            .collect();
        alert.sort();
        assert_eq!(alert, *want, "saved search ?{query}");
    }
    assert!(yui_web::mailings::describe(&settings, "hours_max=10&reward=paid", "ja").contains("月10時間まで・有償"));

    // The card says it in short; the page says it all; the API gives codes and numbers.
    let (_, html) = app.page("/jobs?hours_max=10").await;
    assert!(html.contains("<span class=\"chip project\">月10時間</span>"), "{html}");
    assert!(html.contains("<span class=\"chip project\">3か月</span>"));
    assert!(
        html.contains("name=\"hours_max\"") && html.contains("<option value=\"10\" selected>"),
        "the form keeps it"
    );
    let (status, html) = app.page(&format!("/jobs/{long}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<dt>伴走する団体</dt><dd>NPO法人ひみ暮らし研究所</dd>"), "{html}");
    assert!(html.contains("<dt>報酬の形</dt><dd>無償（プロボノ）</dd>"));
    let json: serde_json::Value = app.get(&format!("/api/v1/jobs/{short}")).await.json().await.unwrap();
    assert_eq!(json["project"]["hours_per_month"], 10);
    assert_eq!(json["project"]["reward"], "paid");
    assert_eq!(json["project"]["coordinator"], serde_json::Value::Null);
    let json: serde_json::Value = app.get("/api/v1/jobs?q=旅館").await.json().await.unwrap();
    assert_eq!(json["items"][0]["project"], serde_json::Value::Null, "no terms stated: null");

    // The daily open data carries the terms too, in the API's codes.
    let dir = tempfile::tempdir().unwrap();
    yui_web::open_data::export(&mut conn, &settings, dir.path()).unwrap();
    let jsonl = crate::open_data::gunzip(&std::fs::read(dir.path().join("postings.jsonl.gz")).unwrap());
    let line: serde_json::Value = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .find(|l: &serde_json::Value| l["id"] == long.as_str())
        .unwrap();
    assert_eq!((line["hours_per_month"].as_i64(), line["reward"].as_str()), (Some(20), Some("unpaid")));
    assert_eq!(line["coordinator"], "NPO法人ひみ暮らし研究所");

    // Nothing found: the chosen filter is named in words, with how many taking it away gives.
    let (_, html) = app.page("/jobs?hours_max=5").await;
    assert!(html.contains("月5時間まで"), "{html}");

    // Bad values are a 400 with the reason, on the page and the API.
    let (status, html) = app.page("/jobs?hours_max=abc").await;
    assert_eq!(status, 400);
    assert!(html.contains("月の稼働時間の上限「abc」は正しくありません（1〜744の半角数字）"), "{html}");
    for query in ["hours_max=0", "months_max=121", "remote_min=101", "reward=beer", "hours_max=-1"] {
        let res = app.get(&format!("/api/v1/jobs?{query}")).await;
        assert_eq!(res.status().as_u16(), 400, "{query}");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "bad_request", "{query}");
    }
}

#[actix_web::test]
async fn an_editors_correction_changes_the_terms_and_the_log_shows_it() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "desk@npo.example", "editor", ("npo", "npo"));
    let e = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let input = project("ECサイトの商品ページ改善", "side_job", terms(10, 3, 100, "paid"));
    let p = fixtures::pending(&mut conn, &e, input, now(), now() + Duration::days(30)).unwrap();
    let editor = Session::login(&app, "desk@npo.example").await;
    let path = format!("/admin/review/{}", p.public_id);
    let (status, html) = editor.get(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"hours_per_month\" value=\"10\""), "the staff form starts from the stored terms");
    assert!(html.contains("<dt>月の稼働時間（時間）</dt><dd>月10時間</dd>"), "the review page shows them");

    // The staff form as the browser sends it, the hours changed.
    let csrf = hidden_value(&html, "csrf");
    let form: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("version", "1"),
        ("title", "ECサイトの商品ページ改善"),
        ("employment_type", "side_job"),
        ("description", "商品ページの写真と文章を見直します。"),
        ("prefecture", "富山県"),
        ("municipality", "氷見市"),
        ("remote", "remote"),
        ("how_to_apply", "メールでご連絡ください。"),
        ("valid_through", ""),
        ("hours_per_month", "12"),
        ("duration_months", "3"),
        ("remote_share", "100"),
        ("reward", "paid"),
    ];
    let (status, location) = editor.post(&format!("{path}/edit"), &form).await;
    assert_eq!(status, 303, "{location}");
    assert_eq!(project_of(&mut conn, &p.public_id).hours_per_month, Some(12));
    let diff: Option<String> = review_events::table
        .filter(review_events::action.eq("edit"))
        .select(review_events::diff)
        .first(&mut conn)
        .unwrap();
    let diff: serde_json::Value = serde_json::from_str(&diff.unwrap()).unwrap();
    assert_eq!(diff["hours_per_month"], serde_json::json!({"from": 10, "to": 12}), "{diff}");
    assert!(diff.get("reward").is_none(), "only what changed: {diff}");
}
