//! Fixing a quarantined form delivery in the browser: an editor maps the unknown question on the
//! submission's page, saves the rule for that source and form, and re-runs it; later deliveries
//! of the form follow the rule without a restart, other forms do not, and deleting the rule
//! undoes it.

use crate::common::{self, Session, TestApp};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use yui_db::schema::{ingest_mappings, postings};
use yui_ingest::source::{Secrets, Source};

const TALLY_SECRET: &str = "tally-signing-secret-0001";
const EDITOR: &str = "editor@npo.example";
const WRITER: &str = "writer@npo.example";
const FORM: &str = "mRk8Qa";

async fn app() -> TestApp {
    let app = TestApp::spawn_with(|s| {
        s.ingest.secrets.insert(Source::Tally, Secrets::Shared(vec![TALLY_SECRET.into()]));
    })
    .await;
    let mut conn = app.conn();
    common::named_staff(&mut conn, EDITOR, "編集 花子", "editor", ("npo", "NPO"));
    common::staff(&mut conn, WRITER, "writer", ("npo", "NPO"));
    app
}

/// The Japanese Tally fixture from form `form_id`, whose title question is called
/// 「募集する仕事」, as delivery `event`.
fn delivery(form_id: &str, event: &str) -> Vec<u8> {
    let path = format!("{}/../ingest/testdata/tally_japanese.json", env!("CARGO_MANIFEST_DIR"));
    let mut doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    doc["eventId"] = event.into();
    doc["data"]["formId"] = form_id.into();
    for f in doc["data"]["fields"].as_array_mut().unwrap() {
        if f["label"] == "求人タイトル" {
            f["label"] = "募集する仕事".into();
        }
    }
    serde_json::to_vec(&doc).unwrap()
}

/// Posts a signed Tally delivery: the status and the JSON answer.
async fn deliver(app: &TestApp, body: Vec<u8>) -> (u16, serde_json::Value) {
    let mut mac = Hmac::<Sha256>::new_from_slice(TALLY_SECRET.as_bytes()).unwrap();
    mac.update(&body);
    let res = app
        .client
        .post(format!("{}/hooks/tally", app.address))
        .header("content-type", "application/json")
        .header("tally-signature", STANDARD.encode(mac.finalize().into_bytes()))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

/// A delivery that must be quarantined for its missing title: its submission id.
async fn quarantined(app: &TestApp, body: Vec<u8>) -> i64 {
    let (status, json) = deliver(app, body).await;
    assert_eq!(status, 202, "{json}");
    let missing: Vec<&str> = json["missing"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap()).collect();
    assert_eq!(missing, ["title"], "{json}");
    json["submission_id"].as_i64().unwrap()
}

fn rules(app: &TestApp) -> Vec<(String, String, String, String)> {
    ingest_mappings::table
        .select((ingest_mappings::source, ingest_mappings::form_id, ingest_mappings::label, ingest_mappings::field))
        .load(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn an_editor_maps_an_unknown_question_and_replays_then_the_form_follows_the_rule_until_it_is_deleted() {
    let app = app().await;
    let id = quarantined(&app, delivery(FORM, "evt-1")).await;

    let editor = Session::login(&app, EDITOR).await;
    let page = format!("/admin/submissions/{id}");
    let (status, html) = editor.get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<input type="hidden" name="label" value="募集する仕事">"#), "{html}");
    assert!(html.contains(r#"<option value="title">求人タイトル (title)</option>"#), "{html}");
    assert!(html.contains("保存して再処理"), "{html}");
    let csrf = common::hidden_value(&html, "csrf");

    // The questions that already map are posted as they are (an empty field keeps them).
    let form = [
        ("csrf", csrf.as_str()),
        ("label", "募集する仕事"),
        ("field", "title"),
        ("label", "仕事内容"),
        ("field", ""),
        ("then", "replay"),
    ];
    let (status, location) = editor.post(&format!("{page}/mapping"), &form).await;
    assert_eq!(status, 303, "{location}");
    let public_id = location.strip_prefix("/admin/review/").unwrap_or_else(|| panic!("{location}")).to_owned();
    let (title, state): (String, String) = postings::table
        .filter(postings::public_id.eq(&public_id))
        .select((postings::title, postings::status))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((title.as_str(), state.as_str()), ("定置網漁の乗組員", "pending"));
    assert_eq!(rules(&app), [("tally".into(), FORM.into(), "募集する仕事".into(), "title".into())]);
    let (_, html) = editor.get(&page).await;
    assert!(html.contains(&format!(r#"<a href="/admin/review/{public_id}">"#)), "the submission links its posting");

    // The next delivery of the same form is accepted at once; another form is not.
    let (status, json) = deliver(&app, delivery(FORM, "evt-2")).await;
    assert_eq!(status, 201, "{json}");
    quarantined(&app, delivery("OtherF", "evt-3")).await;

    // The rule is listed, with who added it, and the change is on record.
    let (_, html) = editor.get("/admin/review?tab=quarantined").await;
    assert!(html.contains(r#"<a href="/admin/mappings">"#), "the quarantine links the rules: {html}");
    let (status, html) = editor.get("/admin/mappings").await;
    assert_eq!(status, 200);
    let rule_id: i32 = ingest_mappings::table.select(ingest_mappings::id).first(&mut app.conn()).unwrap();
    assert!(html.contains(&format!(r#"action="/admin/mappings/{rule_id}/delete""#)), "{html}");
    assert!(html.contains("編集 花子 · tally/mRk8Qa: 募集する仕事 · → 求人タイトル (title) に対応づけ"), "{html}");

    let (_, html) = editor.get("/admin/mappings?lang=en").await;
    assert!(html.contains("mapped to title (title)"), "{html}");
    editor.get("/admin/mappings?lang=ja").await;

    let (status, location) = editor.post(&format!("/admin/mappings/{rule_id}/delete"), &[("csrf", &csrf)]).await;
    assert_eq!((status, location.as_str()), (303, "/admin/mappings"));
    assert!(rules(&app).is_empty());
    quarantined(&app, delivery(FORM, "evt-4")).await;
    let (_, html) = editor.get("/admin/mappings").await;
    assert!(html.contains("tally/mRk8Qa: 募集する仕事 · 求人タイトル (title) への対応づけを削除"), "{html}");
}

#[actix_web::test]
async fn a_wrong_field_still_quarantines_and_a_rule_changes_only_when_its_field_does() {
    let app = app().await;
    let id = quarantined(&app, delivery(FORM, "evt-1")).await;
    let editor = Session::login(&app, EDITOR).await;
    let page = format!("/admin/submissions/{id}");
    let csrf = editor.csrf_on(&page).await;
    let save = |field: &'static str| [("csrf", csrf.as_str()), ("label", "募集する仕事"), ("field", field)];

    // Saved and re-run with the wrong field: the page says what is still missing.
    let mut replay = save("description").to_vec();
    replay.push(("then", "replay"));
    let (status, html) = editor.post(&format!("{page}/mapping"), &replay).await;
    assert_eq!(status, 422);
    assert!(html.contains("まだ取り込めません") && html.contains("求人タイトル"), "{html}");
    let (_, html) = editor.get(&page).await;
    assert!(html.contains(r#"<option value="description" selected>"#), "the page shows today's mapping: {html}");
    // Re-pointed to the right field, saved without re-running: still one rule, now for the title.
    let (status, location) = editor.post(&format!("{page}/mapping"), &save("title")).await;
    assert_eq!((status, location.as_str()), (303, page.as_str()));
    let (status, _) = editor.post(&format!("{page}/mapping"), &save("title")).await;
    assert_eq!(status, 303);
    assert_eq!(rules(&app), [("tally".into(), FORM.into(), "募集する仕事".into(), "title".into())]);
    let changes: i64 = yui_db::schema::editorial_events::table
        .filter(yui_db::schema::editorial_events::subject.eq("ingest_mapping"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(changes, 2, "the unchanged save is not a change");
    assert_eq!(postings::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0, "saving alone creates nothing");

    // The replay button now takes it in.
    let (status, location) = editor.post(&format!("{page}/replay"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/admin/review/"), "{location}");
}

#[actix_web::test]
async fn a_mapping_needs_the_form_token_and_an_editor_and_bad_input_gets_a_message() {
    let app = app().await;
    let id = quarantined(&app, delivery(FORM, "evt-1")).await;
    let path = format!("/admin/submissions/{id}/mapping");

    let editor = Session::login(&app, EDITOR).await;
    let (status, _) = editor.post(&path, &[("label", "募集する仕事"), ("field", "title")]).await;
    assert_eq!(status, 403, "no CSRF token");
    let writer = Session::login(&app, WRITER).await;
    let csrf = writer.csrf().await;
    let (status, _) = writer.post(&path, &[("csrf", &csrf), ("label", "募集する仕事"), ("field", "title")]).await;
    assert_eq!(status, 403, "a writer may not map");
    let (status, _) = writer.get("/admin/mappings").await;
    assert_eq!(status, 403);

    let csrf = editor.csrf().await;
    let long = "あ".repeat(201);
    let cases: [(&str, &str, &str); 4] = [
        ("募集する仕事", "salary_maximum", "対応先に選べない項目です"),
        ("  ", "title", "質問名が空です"),
        (&long, "title", "200文字以内"),
        ("募集\nする仕事", "title", "制御文字"),
    ];
    for (label, field, message) in cases {
        let (status, html) = editor.post(&path, &[("csrf", &csrf), ("label", label), ("field", field)]).await;
        assert_eq!(status, 422, "{label:?} {field:?}");
        assert!(html.contains(message), "{label:?} {field:?}: {html}");
    }
    // A NUL is refused for every form before the handler, with its own message.
    let (status, html) = editor.post(&path, &[("csrf", &csrf), ("label", "募集\0する仕事"), ("field", "title")]).await;
    assert_eq!(status, 400);
    assert!(html.contains("NUL 文字"), "{html}");
    let (status, html) = editor.post(&path, &[("csrf", &csrf), ("label", "募集する仕事")]).await;
    assert_eq!(status, 400, "a label without its field: {html}");
    let (status, _) =
        editor.post("/admin/submissions/999999/mapping", &[("csrf", &csrf), ("label", "x"), ("field", "title")]).await;
    assert_eq!(status, 404);
    assert!(rules(&app).is_empty(), "nothing was stored");

    let (status, _) = editor.post("/admin/mappings/1/delete", &[]).await;
    assert_eq!(status, 403, "deleting needs the token too");
}

#[actix_web::test]
async fn a_rule_wins_over_the_configured_label_of_the_same_name() {
    let app = app().await;
    // The form asks for the title as 「仕事の内容」, which the configuration maps to the description.
    let mut doc: serde_json::Value = serde_json::from_slice(&delivery(FORM, "evt-1")).unwrap();
    for f in doc["data"]["fields"].as_array_mut().unwrap() {
        if f["label"] == "募集する仕事" {
            f["label"] = "仕事の内容".into();
        }
    }
    let id = quarantined(&app, serde_json::to_vec(&doc).unwrap()).await;
    let editor = Session::login(&app, EDITOR).await;
    let page = format!("/admin/submissions/{id}");
    let (_, html) = editor.get(&page).await;
    assert!(html.contains(r#"<option value="description" selected>仕事内容 (description)</option>"#), "{html}");
    let csrf = common::hidden_value(&html, "csrf");
    let form = [("csrf", csrf.as_str()), ("label", "仕事の内容"), ("field", "title"), ("then", "replay")];
    let (status, location) = editor.post(&format!("{page}/mapping"), &form).await;
    assert_eq!(status, 303, "{location}");
    let public_id = location.trim_start_matches("/admin/review/");
    let title: String = postings::table
        .filter(postings::public_id.eq(public_id))
        .select(postings::title)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(title, "定置網漁の乗組員");
}

#[actix_web::test]
async fn editors_saving_the_same_label_at_once_leave_one_rule_and_no_server_error() {
    let app = app().await;
    let id = quarantined(&app, delivery(FORM, "evt-1")).await;
    let editor = Session::login(&app, EDITOR).await;
    let path = format!("/admin/submissions/{id}/mapping");
    let csrf = editor.csrf_on(&format!("/admin/submissions/{id}")).await;
    let forms = ["title", "description", "title", "description", "title", "description"]
        .map(|field| [("csrf", csrf.as_str()), ("label", "募集する仕事"), ("field", field)]);
    let saves = forms.iter().map(|form| editor.post(&path, form));
    let statuses: Vec<u16> = futures_util::future::join_all(saves).await.into_iter().map(|(s, _)| s).collect();
    assert!(statuses.iter().all(|s| [303, 409].contains(s)), "{statuses:?}");
    assert!(statuses.contains(&303), "{statuses:?}");
    assert_eq!(rules(&app).len(), 1);
}
