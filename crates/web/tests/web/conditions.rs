//! The conditions people filter on (寮・社宅あり, マイカー通勤可…), on the backend
//! `YUI_TEST_BACKEND` names: set from every way in (Yui's form, a form tool's checkboxes, an
//! editor's correction, the employer's own page), shown as chips with the hours on cards and
//! postings, and filtered on `/jobs` and the API with counts that agree.

use crate::common::{complete_submit_form, hidden_value, staff, Session, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::schema::{postings, review_events};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};
use yui_domain::PostingInput;

const GOOGLE_SECRET: &str = "google-shared-secret-conditions";

fn conditions_of(conn: &mut DbConnection, public_id: &str) -> Vec<String> {
    let id: i32 = postings::table.filter(postings::public_id.eq(public_id)).select(postings::id).first(conn).unwrap();
    yui_db::postings::conditions_of(conn, id).unwrap()
}

fn newest_public_id(conn: &mut DbConnection) -> String {
    postings::table.order(postings::id.desc()).select(postings::public_id).first(conn).unwrap()
}

fn with_conditions(title: &str, employment_type: &str, codes: &[&str]) -> PostingInput {
    PostingInput {
        conditions: codes.iter().map(|c| (*c).to_owned()).collect(),
        ..fixtures::input(title, employment_type)
    }
}

#[actix_web::test]
async fn yuis_form_sets_the_ticked_conditions_and_refuses_a_code_not_on_the_list() {
    let app = TestApp::spawn().await;
    let (status, html) = app.page("/submit").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"conditions\" value=\"dorm\"") && html.contains("寮・社宅あり"), "the checkboxes");
    let (csrf, key) = (hidden_value(&html, "csrf"), hidden_value(&html, "submission_key"));

    // A forged code: the form comes back with the message next to the group, the ticks kept.
    let mut form = complete_submit_form(&csrf, &key);
    form.extend([("conditions", "car".to_owned()), ("conditions", "pool".to_owned())]);
    let res = app.client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("こだわり条件に、一覧にない値があります"), "{html}");
    assert!(html.contains("value=\"car\" checked"), "the ticked box stays ticked");
    let count: i64 = postings::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 0);

    let mut form = complete_submit_form(&csrf, &key);
    form.extend([("conditions", "relocation".to_owned()), ("conditions", "dorm".to_owned())]);
    let res = app.client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let mut conn = app.conn();
    let id = newest_public_id(&mut conn);
    assert_eq!(conditions_of(&mut conn, &id), ["dorm", "relocation"], "stored in the list's order");
}

#[actix_web::test]
async fn a_form_tools_checkbox_answers_become_conditions() {
    let app = TestApp::spawn_with(|s| {
        use yui_ingest::source::{Secrets, Source};
        s.ingest.secrets.insert(Source::GoogleForms, Secrets::Shared(vec![GOOGLE_SECRET.into()]));
    })
    .await;
    fixtures::editor(&mut app.conn(), "editor@npo.example").unwrap();
    let body = serde_json::json!({
        "responseId": "r-conditions-1",
        "formId": "f1",
        "timestamp": "2026-11-25T10:00:00.000Z",
        "items": [
            {"title": "求人タイトル", "response": "旅館の調理補助"},
            {"title": "仕事内容", "response": "朝食と夕食の仕込み。"},
            {"title": "雇用形態", "response": "パート・アルバイト"},
            {"title": "こだわり条件", "response": ["寮・社宅あり", "駐車場あり", "まかないあり"]},
            {"title": "応募方法", "response": "お電話ください"},
            {"title": "事業所名", "response": "旅館ひみ"},
            {"title": "メールアドレス", "response": "ryokan@example.jp"}
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
    assert_eq!(conditions_of(&mut conn, &public_id), ["dorm", "parking"]);
    // The choice Yui does not know is kept for the editors, not dropped.
    let description: String = postings::table
        .filter(postings::public_id.eq(&public_id))
        .select(postings::description)
        .first(&mut conn)
        .unwrap();
    assert!(description.contains("■ こだわり条件") && description.contains("まかないあり"), "{description}");
}

/// The staff form as the browser sends it for the fixture's posting, with `conditions` ticked.
fn staff_form<'a>(csrf: &'a str, version: &'a str, conditions: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", csrf),
        ("version", version),
        ("title", "NPOの事務局スタッフ"),
        ("employment_type", "full_time"),
        ("description", "朝の水揚げから加工まで。\n\n未経験でも先輩が教えます。"),
        ("category", "fishery"),
        ("prefecture", "富山県"),
        ("municipality", "氷見市"),
        ("area", "比美町"),
        ("address", "富山県氷見市比美町1-2"),
        ("remote", "onsite"),
        ("salary_unit", "hour"),
        ("salary_min", "1000"),
        ("salary_max", "1200"),
        ("hours", "8:00〜17:00"),
        ("holidays", "日曜・祝日"),
        ("insurance", "雇用保険・労災保険"),
        ("trial_period", "なし"),
        ("smoking", "屋内禁煙"),
        ("requirements", "普通自動車免許"),
        ("how_to_apply", "電話でご連絡ください。"),
        ("valid_through", ""),
        ("duties_scope", "変更なし"),
        ("workplace_scope", "変更なし"),
        ("contract", "indefinite"),
        ("breaks", "60分"),
        ("overtime", "no"),
        ("fixed_overtime", "no"),
    ];
    form.extend(conditions.iter().map(|c| ("conditions", *c)));
    form
}

#[actix_web::test]
async fn an_editor_and_the_employer_change_the_conditions_and_the_log_shows_it() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "desk@npo.example", "editor", ("npo", "npo"));
    let e = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::pending(
        &mut conn,
        &e,
        with_conditions("NPOの事務局スタッフ", "full_time", &["car"]),
        now(),
        now() + Duration::days(30),
    )
    .unwrap();
    let editor = Session::login(&app, "desk@npo.example").await;
    let (status, html) = editor.get(&format!("/admin/review/{}", p.public_id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"car\" checked"), "the staff form starts from the stored conditions");
    assert!(html.contains("class=\"chip cond-car\">マイカー通勤可"), "the preview shows the chip");
    let csrf = hidden_value(&html, "csrf");

    // A forged code is refused next to the group; nothing changes.
    let form = staff_form(&csrf, "1", &["car", "helicopter"]);
    let (status, html) = editor.post(&format!("/admin/review/{}/edit", p.public_id), &form).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("こだわり条件に、一覧にない値があります"), "{html}");
    assert_eq!(conditions_of(&mut conn, &p.public_id), ["car"]);

    let form = staff_form(&csrf, "1", &["car", "childcare"]);
    let (status, location) = editor.post(&format!("/admin/review/{}/edit", p.public_id), &form).await;
    assert_eq!(status, 303, "{location}");
    assert_eq!(conditions_of(&mut conn, &p.public_id), ["car", "childcare"]);
    let diff: Option<String> = review_events::table
        .filter(review_events::action.eq("edit"))
        .select(review_events::diff)
        .first(&mut conn)
        .unwrap();
    let diff: serde_json::Value = serde_json::from_str(&diff.unwrap()).unwrap();
    assert_eq!(diff["conditions"], serde_json::json!({"from": ["car"], "to": ["car", "childcare"]}), "{diff}");
    assert!(diff.get("title").is_none(), "only what changed: {diff}");

    // The employer, through their private link, unticks both and ticks 駐車場あり.
    let settings = crate::common::test_settings();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    let url = yui_web::intake::new_manage_link(&mut conn, ctx, p.id).unwrap();
    let path = url[url.find("/manage/").unwrap()..].to_owned();
    let (status, html) = app.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"childcare\" checked"), "the employer's form starts from the stored conditions");
    let (csrf, version) = (hidden_value(&html, "csrf"), hidden_value(&html, "version"));
    let mut form: Vec<(&str, String)> = [
        ("title", "NPOの事務局スタッフ"),
        ("employment_type", "full_time"),
        ("description", "朝の水揚げから加工まで。\n\n未経験でも先輩が教えます。"),
        ("category", "fishery"),
        ("location", "富山県氷見市比美町1-2"),
        ("area", "hibi"),
        ("remote", "onsite"),
        ("salary_unit", "hour"),
        ("salary_min", "1000"),
        ("salary_max", "1200"),
        ("hours", "8:00〜17:00"),
        ("holidays", "日曜・祝日"),
        ("insurance", "雇用保険・労災保険"),
        ("trial_period", "なし"),
        ("smoking", "屋内禁煙"),
        ("requirements", "普通自動車免許"),
        ("how_to_apply", "電話でご連絡ください。"),
        ("valid_through", ""),
        ("duties_scope", "変更なし"),
        ("workplace_scope", "変更なし"),
        ("contract", "indefinite"),
        ("breaks", "60分"),
        ("overtime", "no"),
        ("fixed_overtime", "no"),
        ("conditions", "parking"),
    ]
    .iter()
    .map(|(k, v)| (*k, (*v).to_owned()))
    .collect();
    form.extend([("csrf", csrf), ("version", version)]);
    let res = app.client.post(format!("{}{path}/edit", app.address)).form(&form).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}: {}", res.status(), res.text().await.unwrap());
    assert_eq!(conditions_of(&mut conn, &p.public_id), ["parking"]);
}

/// Four public postings: 介護 (dorm, car, parking), 事務 (car, parking), IT (parking), 漁 (none).
async fn app_with_postings() -> TestApp {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "社会福祉法人あおい会", "jinji@aoi.example").unwrap();
    let t = now() - Duration::days(2);
    let rows = [
        with_conditions("介護職員（パート）", "part_time", &["dorm", "car", "parking"]),
        with_conditions("営業事務スタッフ", "full_time", &["car", "parking"]),
        with_conditions("ITエンジニア", "full_time", &["parking"]),
        with_conditions("定置網漁の乗組員", "full_time", &[]),
    ];
    for (i, input) in rows.into_iter().enumerate() {
        fixtures::published(&mut conn, &e, input, t + Duration::hours(i as i64)).unwrap();
    }
    app
}

fn titles(html: &str) -> Vec<String> {
    let html = html.replace("<mark>", "").replace("</mark>", "");
    html.split("class=\"card-title\">").skip(1).map(|s| s[..s.find('<').unwrap()].to_owned()).collect()
}

/// The count the conditions facet shows next to `label`, if it lists it.
fn facet_count(html: &str, label: &str) -> Option<i64> {
    let facet = &html[html.find("facet-cond")?..];
    let facet = &facet[..facet.find("</nav>")?];
    let at = facet.find(&format!("{label} <span class=\"count\">"))? + label.len() + " <span class=\"count\">".len();
    facet[at..at + facet[at..].find('<')?].parse().ok()
}

#[actix_web::test]
async fn chips_and_the_hours_show_on_cards_and_on_the_posting() {
    let app = app_with_postings().await;
    let (status, html) = app.page("/jobs").await;
    assert_eq!(status, 200);
    let card = &html[html.find("介護職員（パート）").unwrap()..];
    let card = &card[..card.find("</li>").unwrap()];
    assert!(card.contains("card-hours\">勤務時間 8:00〜17:00"), "{card}");
    let chips: Vec<&str> = card.split("class=\"chip cond-").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert_eq!(chips, ["dorm", "car", "parking"], "in the list's order");
    let id: String = postings::table
        .filter(postings::title.eq("介護職員（パート）"))
        .select(postings::public_id)
        .first(&mut app.conn())
        .unwrap();
    let (_, page) = app.page(&format!("/jobs/{id}")).await;
    assert!(page.contains("class=\"chip cond-dorm\">寮・社宅あり</span>"), "{page}");
    let (_, en) = app.page(&format!("/jobs/{id}?lang=en")).await;
    assert!(en.contains("class=\"chip cond-car\">Commuting by car allowed</span>"), "English labels");
    app.page("/jobs?lang=ja").await;
}

#[actix_web::test]
async fn the_conditions_filter_combines_with_and_and_its_counts_match_the_results() {
    let app = app_with_postings().await;
    let (_, all) = app.page("/jobs").await;
    assert_eq!(facet_count(&all, "寮・社宅あり"), Some(1));
    assert_eq!(facet_count(&all, "マイカー通勤可"), Some(2));
    assert_eq!(facet_count(&all, "駐車場あり"), Some(3));
    assert_eq!(facet_count(&all, "移住歓迎"), None, "a condition nobody offers is not listed");

    for (query, want, counts) in [
        ("cond=parking", &["ITエンジニア", "営業事務スタッフ", "介護職員（パート）"][..], [1, 2, 3]),
        ("cond=car&cond=parking", &["営業事務スタッフ", "介護職員（パート）"], [1, 2, 2]),
        ("cond=parking&cond=car", &["営業事務スタッフ", "介護職員（パート）"], [1, 2, 2]),
        ("cond=dorm&cond=car", &["介護職員（パート）"], [1, 1, 1]),
        // The text search path (the index, then filters in memory) agrees with plain listing.
        ("q=%E4%BB%8B%E8%AD%B7&cond=car", &["介護職員（パート）"], [1, 1, 1]),
        ("q=%E4%BA%8B%E5%8B%99&cond=dorm", &[], [0, 0, 0]),
    ] {
        let (status, html) = app.page(&format!("/jobs?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(titles(&html), want, "{query}");
        let got: Vec<i64> = ["寮・社宅あり", "マイカー通勤可", "駐車場あり"]
            .iter()
            .map(|l| facet_count(&html, l).unwrap_or(0))
            .collect();
        assert_eq!(got, counts, "{query}");
    }
    // The "any" link of the group counts what is left with no condition chosen.
    let (_, html) = app.page("/jobs?cond=dorm&cond=car").await;
    let facet = &html[html.find("facet-cond").unwrap()..];
    assert!(facet.contains("<span class=\"count\">4</span>"), "{facet}");
    assert!(facet.contains("href=\"/jobs?cond&#x3D;car\""), "unticking 寮・社宅あり keeps マイカー通勤可");

    // Unknown codes are a 400 with a message, on the page and the API; an empty one is no filter.
    let (status, html) = app.page("/jobs?cond=pool").await;
    assert_eq!(status, 400);
    assert!(html.contains("こだわり条件") && html.contains("pool"), "{html}");
    assert_eq!(app.page("/jobs?cond=").await.0, 200);
    // The API's cond is a list of codes: an empty item is no code (schemathesis sends `cond=`
    // for a list mutated into a string, and counts a 200 as accepting bad data).
    assert_eq!(app.get("/api/v1/jobs?cond=").await.status().as_u16(), 400);
    assert_eq!(app.get("/api/v1/jobs?cond=dorm&cond=+").await.status().as_u16(), 400);
    let res = app.get("/api/v1/jobs?cond=dorm&cond=pool").await;
    assert_eq!(res.status().as_u16(), 400);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "bad_request");

    // The API returns each posting's conditions and filters by them.
    let json: serde_json::Value = app.get("/api/v1/jobs?cond=car&cond=parking").await.json().await.unwrap();
    assert_eq!(json["total"], 2);
    let kaigo = json["items"].as_array().unwrap().iter().find(|i| i["title"] == "介護職員（パート）").unwrap();
    assert_eq!(
        kaigo["conditions"],
        serde_json::json!([
            {"code": "dorm", "label": "寮・社宅あり"},
            {"code": "car", "label": "マイカー通勤可"},
            {"code": "parking", "label": "駐車場あり"}
        ])
    );
    assert!(json["self"].as_str().unwrap().ends_with("/api/v1/jobs?cond=car&cond=parking"), "{}", json["self"]);
    let one: serde_json::Value =
        app.get(&format!("/api/v1/jobs/{}", kaigo["id"].as_str().unwrap())).await.json().await.unwrap();
    assert_eq!(one["conditions"][0]["code"], "dorm");
    let none: serde_json::Value = app.get("/api/v1/jobs?q=%E6%BC%81").await.json().await.unwrap();
    assert_eq!(none["items"][0]["conditions"], serde_json::json!([]));

    // The feeds filter the same way and carry the conditions as categories and tags.
    let atom = app.get("/feeds/jobs.atom?cond=dorm").await.text().await.unwrap();
    assert_eq!(atom.matches("<entry>").count(), 1, "{atom}");
    assert!(atom.contains("/jobs?cond=\" term=\"dorm\" label=\"寮・社宅あり\"/>"), "{atom}");
    let feed: serde_json::Value = app.get("/feeds/jobs.json?cond=car").await.json().await.unwrap();
    assert_eq!(feed["items"].as_array().unwrap().len(), 2);
    assert!(feed["items"][0]["tags"].as_array().unwrap().iter().any(|t| t == "マイカー通勤可"), "{feed}");
}

#[actix_web::test]
async fn hello_works_car_parking_and_housing_columns_set_conditions_and_a_new_file_changes_them() {
    let app = TestApp::spawn().await;
    let header = "求人番号,事業所名,職種,仕事の内容,雇用形態,就業場所,賃金,就業時間,休日,加入保険,試用期間,受付年月日,紹介期限日,必要な経験等,事業所所在地,電話番号,マイカー通勤,駐車場,入居可能住宅";
    let file = |car: &str, housing: &str| {
        format!(
            "{header}\r\n99999-00000001,架空浜水産株式会社,水産加工スタッフ,\"魚をさばく仕事です。\",パート労働者,富山県氷見市架空町1-1,時給 1000円～1200円,8:00～17:00,日曜日,雇用 労災,なし,2026/11/20,2099/1/31,経験者,富山県氷見市架空町1-1,0766-00-0000,{car},あり,{housing}\r\n"
        )
    };
    let settings = crate::common::test_settings();
    let import = |text: String| {
        yui_web::hellowork::import(&mut app.conn(), &settings, text.as_bytes(), "hw.csv", false, Default::default())
            .expect("the database answers")
            .expect("the file reads")
    };
    assert_eq!(import(file("可", "単身用あり")).created, 1);
    let mut conn = app.conn();
    let id = newest_public_id(&mut conn);
    assert_eq!(conditions_of(&mut conn, &id), ["dorm", "car", "parking"]);
    // The next file says マイカー通勤 不可 and no housing: the pending posting follows, logged.
    assert_eq!(import(file("不可", "なし")).updated, 1);
    assert_eq!(conditions_of(&mut conn, &id), ["parking"]);
    let diff: Option<String> = review_events::table
        .filter(review_events::action.eq("hellowork_update"))
        .select(review_events::diff)
        .first(&mut conn)
        .unwrap();
    assert!(diff.unwrap().contains("\"conditions\""), "the log shows the change");
}

#[actix_web::test]
async fn a_posting_entered_by_staff_keeps_its_ticked_conditions() {
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "yamada@npo.example", "editor", ("npo", "npo"));
    let session = Session::login(&app, "yamada@npo.example").await;
    let (status, html) = session.get("/admin/postings/new").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"conditions\" value=\"few_days\""), "the staff form has the checkboxes");
    let csrf = hidden_value(&html, "csrf");
    let form: Vec<(&str, String)> = [
        ("csrf", csrf.as_str()),
        ("employer", "new"),
        ("employer_name", "ひみ漁協テスト部"),
        ("email", "gyokyo@example.jp"),
        ("title", "定置網の水揚げスタッフ"),
        ("employment_type", "part_time"),
        ("description", "朝の水揚げと選別。"),
        ("prefecture", "富山県"),
        ("municipality", "氷見市"),
        ("address", "富山県氷見市比美町1-2"),
        ("remote", "onsite"),
        ("salary_unit", "hour"),
        ("salary_min", "1100"),
        ("how_to_apply", "お電話ください。"),
        ("conditions", "few_days"),
        ("conditions", "beginner"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .chain(crate::common::complete_terms())
    .collect();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, location) = session.post("/admin/postings/new", &pairs).await;
    assert_eq!(status, 303, "{location}");
    let id = location.trim_start_matches("/admin/review/").split('?').next().unwrap().to_owned();
    assert_eq!(conditions_of(&mut app.conn(), &id), ["beginner", "few_days"]);
}
