//! The working conditions a job ad must state (労働条件の明示): asked on Yui's own form and
//! read from every form tool's labels in Japanese and English; each missing item named on the
//! review page with its rule; approving with an item missing takes an editor's written reason,
//! which the public log shows as an override under the organisation.

use crate::common::{complete_submit_form, complete_terms, hidden_value, staff, Session, TestApp};
use base64::Engine;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use yui_db::schema::{postings, review_events};
use yui_ingest::source::{Secrets, Source};

const GOOGLE_SECRET: &str = "google-shared-secret-0001";
const TALLY_SECRET: &str = "tally-signing-secret-0001";
const TYPEFORM_SECRET: &str = "typeform-secret-0000001";
const EDITOR: &str = "editor@npo.example";

async fn app() -> TestApp {
    let app = TestApp::spawn_with(|s| {
        s.ingest.secrets.insert(Source::GoogleForms, Secrets::Shared(vec![GOOGLE_SECRET.into()]));
        s.ingest.secrets.insert(Source::Tally, Secrets::Shared(vec![TALLY_SECRET.into()]));
        s.ingest.secrets.insert(Source::Typeform, Secrets::Shared(vec![TYPEFORM_SECRET.into()]));
    })
    .await;
    staff(&mut app.conn(), EDITOR, "editor", ("npo", "NPOひみ"));
    app
}

/// A part-time job's answers under the default Japanese labels of docs/forms.md, every legal
/// item included.
fn japanese_answers(title: &str) -> Vec<(&'static str, String)> {
    [
        ("求人タイトル", title),
        ("仕事内容", "朝の仕込みと接客、閉店後の片付けをお願いします。未経験の方も歓迎します。"),
        ("雇用形態", "パート・アルバイト"),
        ("勤務地", "富山県氷見市中央町1-1"),
        ("給与", "時給1,050円"),
        ("業務内容の変更の範囲", "変更なし"),
        ("就業場所の変更の範囲", "変更なし"),
        ("契約期間の定め", "期間の定めあり"),
        ("契約期間", "6か月"),
        ("契約更新の有無", "更新する場合あり"),
        ("更新上限", "通算3年まで"),
        ("試用期間の有無", "なし"),
        ("勤務時間", "10:00〜15:00"),
        ("休憩時間", "45分"),
        ("時間外労働の有無", "なし"),
        ("休日", "水曜・日曜"),
        ("固定残業代の有無", "なし"),
        ("社会保険", "雇用保険・労災保険"),
        ("受動喫煙対策", "屋内禁煙"),
        ("応募方法", "お電話ください（0766-00-0000）"),
        ("事業所名", "氷見の食堂"),
        ("メールアドレス", "shokudo@example.jp"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

/// The same job under the English default labels.
fn english_answers(title: &str) -> Vec<(&'static str, String)> {
    [
        ("Job title", title),
        ("Job description", "Prepare lunches and serve guests, tidy up after closing. Beginners welcome."),
        ("Employment type", "Part-time"),
        ("Work location", "富山県氷見市中央町1-1"),
        ("Salary", "1050 per hour"),
        ("Scope of change of duties", "No change"),
        ("Scope of change of workplace", "No change"),
        ("Fixed term", "Fixed term"),
        ("Contract length", "6 months"),
        ("Contract renewal", "May be renewed"),
        ("Renewal limit", "Up to 3 years in total"),
        ("Probation", "No"),
        ("Working hours", "10:00-15:00"),
        ("Break time", "45 minutes"),
        ("Overtime", "Yes"),
        ("Overtime hours", "5"),
        ("Holidays", "Wednesdays and Sundays"),
        ("Fixed overtime pay", "No"),
        ("Insurance", "Employment and accident insurance"),
        ("Smoking", "No smoking indoors"),
        ("How to apply", "Call 0766-00-0000"),
        ("Company name", "Himi Kitchen"),
        ("Email", "kitchen@example.jp"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[derive(Debug, Clone, Copy)]
enum Sender {
    GoogleForms,
    Tally,
    Typeform,
}

impl TestApp {
    /// Delivers the answers as `sender` sends them, signed; the new posting's public id.
    async fn deliver_answers(&self, sender: Sender, id: &str, answers: &[(&str, String)]) -> String {
        let (path, body, headers) = match sender {
            Sender::GoogleForms => {
                let items: Vec<_> =
                    answers.iter().map(|(l, v)| serde_json::json!({"title": l, "response": v})).collect();
                let body = serde_json::json!({"responseId": id, "formId": "1FAIpQLSeTerms", "items": items});
                ("/hooks/google-forms", body.to_string(), vec![("x-yui-secret", GOOGLE_SECRET.to_owned())])
            }
            Sender::Tally => {
                let fields: Vec<_> = answers
                    .iter()
                    .enumerate()
                    .map(|(i, (l, v))| serde_json::json!({"key": format!("q{i}"), "label": l, "type": "INPUT_TEXT", "value": v}))
                    .collect();
                let body = serde_json::json!({
                    "eventId": id, "eventType": "FORM_RESPONSE", "createdAt": "2026-12-01T10:00:05.412Z",
                    "data": {"responseId": id, "submissionId": id, "respondentId": "p1", "formId": "f1",
                             "formName": "求人", "createdAt": "2026-12-01T10:00:05.000Z", "fields": fields}
                })
                .to_string();
                let sig = signature(TALLY_SECRET, body.as_bytes());
                ("/hooks/tally", body, vec![("tally-signature", sig)])
            }
            Sender::Typeform => {
                let fields: Vec<_> = answers
                    .iter()
                    .enumerate()
                    .map(|(i, (l, _))| serde_json::json!({"id": format!("f{i}"), "title": l, "type": "short_text", "ref": format!("r{i}")}))
                    .collect();
                let given: Vec<_> = answers
                    .iter()
                    .enumerate()
                    .map(|(i, (_, v))| serde_json::json!({"type": "text", "text": v, "field": {"id": format!("f{i}"), "type": "short_text", "ref": format!("r{i}")}}))
                    .collect();
                let body = serde_json::json!({
                    "event_id": id, "event_type": "form_response",
                    "form_response": {"form_id": "tf1", "token": id, "landed_at": "2026-12-01T10:00:00Z",
                        "submitted_at": "2026-12-01T10:03:00Z", "hidden": {},
                        "definition": {"id": "tf1", "title": "求人", "fields": fields}, "answers": given}
                })
                .to_string();
                let sig = format!("sha256={}", signature(TYPEFORM_SECRET, body.as_bytes()));
                ("/hooks/typeform", body, vec![("typeform-signature", sig)])
            }
        };
        let mut req = self.client.post(format!("{}{path}", self.address)).header("content-type", "application/json");
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let res = req.body(body).send().await.unwrap();
        let status = res.status().as_u16();
        let json: serde_json::Value = res.json().await.unwrap();
        assert_eq!(status, 201, "{sender:?}: {json}");
        json["posting"]["id"].as_str().unwrap().to_owned()
    }

    fn status_of(&self, public_id: &str) -> String {
        postings::table
            .filter(postings::public_id.eq(public_id))
            .select(postings::status)
            .first(&mut self.conn())
            .unwrap()
    }
}

async fn approve(editor: &Session, public_id: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let (_, html) = editor.get(&format!("/admin/review/{public_id}")).await;
    let (csrf, version) = (hidden_value(&html, "csrf"), hidden_value(&html, "version"));
    let mut form = vec![("csrf", csrf.as_str()), ("version", version.as_str())];
    form.extend_from_slice(fields);
    editor.post(&format!("/admin/review/{public_id}/approve"), &form).await
}

#[actix_web::test]
async fn every_sender_with_the_default_labels_in_either_language_reaches_review_with_no_legal_gap() {
    let app = app().await;
    let editor = Session::login(&app, EDITOR).await;
    for (i, sender) in [Sender::GoogleForms, Sender::Tally, Sender::Typeform].into_iter().enumerate() {
        for (lang, answers) in [("ja", japanese_answers("食堂のホール")), ("en", english_answers("Kitchen help"))]
        {
            let id = app.deliver_answers(sender, &format!("terms-{i}-{lang}"), &answers).await;
            let (status, html) = editor.get(&format!("/admin/review/{id}")).await;
            assert_eq!(status, 200);
            assert!(!html.contains("法律で明示が必要な事項の不足"), "{sender:?} {lang}: {html}");
            assert!(!html.contains("name=\"override\""), "{sender:?} {lang}");
            let (status, location) = approve(&editor, &id, &[]).await;
            assert_eq!(status, 303, "{sender:?} {lang}: approved without a reason: {location}");
            assert_eq!(app.status_of(&id), "published");
            let (_, page) = app.page(&format!("/jobs/{id}")).await;
            assert!(page.contains("通算3年まで") || page.contains("Up to 3 years in total"), "{page}");
        }
    }
}

#[actix_web::test]
async fn a_delivery_missing_items_is_pending_with_each_gap_and_its_rule_and_approved_only_with_a_reason() {
    let app = app().await;
    let editor = Session::login(&app, EDITOR).await;
    let legal = [
        "業務内容の変更の範囲",
        "就業場所の変更の範囲",
        "契約期間の定め",
        "契約期間",
        "契約更新の有無",
        "更新上限",
        "休憩時間",
    ];
    let answers: Vec<_> = japanese_answers("鮮魚店の販売").into_iter().filter(|(l, _)| !legal.contains(l)).collect();
    let id = app.deliver_answers(Sender::Tally, "terms-gaps", &answers).await;
    assert_eq!(app.status_of(&id), "pending", "a missing legal item is the editor's call, not a quarantine");

    let (_, html) = editor.get(&format!("/admin/review/{id}")).await;
    for item in ["業務内容の変更の範囲", "就業場所の変更の範囲", "契約期間（期間の定めの有無）", "休憩時間"]
    {
        assert!(html.contains(&format!("<li>{item}<br>")), "{item} named: {html}");
    }
    assert!(html.contains("2024年4月1日施行の改正"), "the scope items cite the amendment");
    assert!(html.contains("職業安定法第5条の3"), "the others cite the disclosure rule");

    let (status, body) = approve(&editor, &id, &[("override", "  ")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("理由を書いてください"), "{body}");
    assert_eq!(app.status_of(&id), "pending");

    let (status, _) = approve(&editor, &id, &[("override", "市の臨時募集で、条件は窓口で口頭説明済み")]).await;
    assert_eq!(status, 303);
    assert_eq!(app.status_of(&id), "published");
    let (code, text): (Option<String>, Option<String>) = review_events::table
        .inner_join(postings::table)
        .filter(postings::public_id.eq(&id))
        .filter(review_events::action.eq("approve"))
        .select((review_events::reason_code, review_events::reason_text))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(code.as_deref(), Some("legal_override"));
    let text = text.unwrap();
    assert!(text.starts_with("市の臨時募集で") && text.contains("休憩時間"), "{text}");

    let (_, log) = app.page("/transparency/log").await;
    assert!(log.contains("明示事項の不足を確認のうえ承認"), "{log}");
    assert!(log.contains("NPOひみ"), "by organisation");
    assert!(!log.contains("口頭説明済み"), "the reason itself stays in the staff log");
    let (_, staff_log) = editor.get(&format!("/admin/review/{id}")).await;
    assert!(staff_log.contains("口頭説明済み"), "{staff_log}");
}

#[actix_web::test]
async fn yuis_form_names_each_missing_item_next_to_its_field_and_takes_the_complete_ad() {
    let app = app().await;
    let visitor = Session::anonymous(&app);
    let (_, html) = visitor.get("/submit").await;
    let (csrf, key) = (hidden_value(&html, "csrf"), hidden_value(&html, "submission_key"));
    for id in [
        "t-duties_scope",
        "t-contract",
        "t-renewal",
        "t-trial",
        "t-breaks",
        "t-overtime",
        "t-fixed_overtime_pay",
        "t-smoking",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} asked");
    }
    let terms: Vec<&str> = complete_terms().iter().map(|(k, _)| *k).collect();
    let without: Vec<(&str, String)> =
        complete_submit_form(&csrf, &key).into_iter().filter(|(k, _)| !terms.contains(k)).collect();
    let form: Vec<(&str, &str)> = without.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html) = visitor.post("/submit", &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("業務内容の変更の範囲を書いてください"), "{html}");
    assert!(html.contains("href=\"#t-duties_scope\""), "the summary links to the field");
    assert!(html.contains("id=\"err-breaks\""), "each message tied to its field");
    assert!(html.contains("aria-describedby=\"h-duties_scope err-duties_scope\""), "{html}");

    let (status, html) = visitor.post("/submit?lang=en", &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("Please state: scope of change of duties."), "{html}");
    visitor.get("/?lang=ja").await;

    // A volunteer job states none of them.
    let volunteer: Vec<(&str, &str)> =
        form.iter().map(|(k, v)| if *k == "employment_type" { (*k, "volunteer") } else { (*k, *v) }).collect();
    let (status, _) = visitor.post("/submit", &volunteer).await;
    assert_eq!(status, 200, "accepted without the labour items");

    let (_, html) = visitor.get("/submit").await;
    let (csrf, key) = (hidden_value(&html, "csrf"), hidden_value(&html, "submission_key"));
    let full = complete_submit_form(&csrf, &key);
    let form: Vec<(&str, &str)> = full.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, html) = visitor.post("/submit", &form).await;
    assert_eq!(status, 200, "{html}");
    let id: String = postings::table
        .filter(postings::title.eq("民宿の朝食スタッフ"))
        .filter(postings::employment_type.eq("part_time"))
        .select(postings::public_id)
        .first(&mut app.conn())
        .unwrap();
    let editor = Session::login(&app, EDITOR).await;
    let (status, _) = approve(&editor, &id, &[]).await;
    assert_eq!(status, 303, "the complete ad is approved with no reason asked");
}

#[actix_web::test]
async fn an_editor_fills_in_the_missing_items_and_the_gaps_go() {
    let app = app().await;
    let editor = Session::login(&app, EDITOR).await;
    let answers: Vec<_> = japanese_answers("漁具の手入れ")
        .into_iter()
        .filter(|(l, _)| *l != "休憩時間" && *l != "受動喫煙対策")
        .collect();
    let id = app.deliver_answers(Sender::GoogleForms, "terms-edit", &answers).await;
    let (_, html) = editor.get(&format!("/admin/review/{id}")).await;
    assert!(html.contains("<li>休憩時間<br>") && html.contains("<li>受動喫煙防止措置<br>"), "{html}");
    // The staff form shows the stored terms: the chosen radio is checked.
    assert!(html.contains("value=\"fixed\" id=\"t-contract-fixed\" checked"), "{html}");

    let mut form: Vec<(String, String)> = Vec::new();
    for name in [
        "title",
        "employment_type",
        "description",
        "municipality",
        "prefecture",
        "address",
        "remote",
        "salary_unit",
        "salary_min",
        "how_to_apply",
        "hours",
        "holidays",
        "insurance",
    ] {
        form.push((name.into(), field_value(&html, name)));
    }
    form.extend(
        complete_terms()
            .into_iter()
            .filter(|(k, _)| !["hours", "holidays", "insurance"].contains(k))
            .map(|(k, v)| (k.to_owned(), v)),
    );
    form.push(("csrf".into(), hidden_value(&html, "csrf")));
    form.push(("version".into(), hidden_value(&html, "version")));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, location) = editor.post(&format!("/admin/review/{id}/edit"), &pairs).await;
    assert_eq!(status, 303, "{location}");
    let (_, html) = editor.get(&format!("/admin/review/{id}")).await;
    assert!(!html.contains("法律で明示が必要な事項の不足"), "{html}");
    assert!(html.contains("屋内禁煙"));
}

/// The value of the input or the selected option named `name` in a form.
fn field_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\"");
    // In the page's body: the head has `<meta name="description">` too.
    let body = html.find("<body").unwrap_or(0);
    let Some(at) = html[body..].find(&marker).map(|at| body + at) else { return String::new() };
    let tag_end = html[at..].find('>').map_or(html.len(), |e| at + e);
    let tag = &html[at..tag_end];
    if let Some(v) = tag.find("value=\"") {
        let rest = &tag[v + 7..];
        return rest[..rest.find('"').unwrap_or(0)].to_owned();
    }
    let after = &html[tag_end..];
    if html[..at].rfind('<').is_some_and(|s| html[s..].starts_with("<textarea")) {
        return after[1..after.find("</textarea>").unwrap_or(1)].to_owned();
    }
    // A select: the option marked selected.
    let select = &after[..after.find("</select>").unwrap_or(after.len())];
    select
        .split("<option")
        .find(|o| o.contains(" selected"))
        .and_then(|o| o.split("value=\"").nth(1))
        .map(|v| v[..v.find('"').unwrap_or(0)].to_owned())
        .unwrap_or_default()
}
