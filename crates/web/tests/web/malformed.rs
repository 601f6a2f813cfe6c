//! The malformed-input suite (issue 14): what a sender or a visitor can type — line breaks,
//! NUL, invalid UTF-8, 10,000-deep JSON, wrong JSON types, huge fields, bad percent-encoding —
//! sent to every webhook (signed), every public form and staff login, and the URLs of every
//! public route, on the backend `YUI_TEST_BACKEND` names. It fails on any 5xx, and on a
//! verified webhook whose raw bytes were not stored. Each test collects every failure before
//! it asserts, so one run lists them all.

use crate::common::{hidden_value, TestApp};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU32, Ordering};
use yui_db::schema::{outbox_emails, postings, submissions};
use yui_db::testing::fixtures;
use yui_ingest::source::{Secrets, Source};
use yui_ingest::standard_webhooks;

const TALLY: &str = "tally-signing-secret-0001";
const TYPEFORM: &str = "typeform-secret-0000001";
const GOOGLE: &str = "google-shared-secret-0001";
const STANDARD_KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

/// Text values a person or a form tool can send, with a name for the failure list.
fn nasty_texts() -> Vec<(&'static str, String)> {
    vec![
        ("LF", "鮮魚店の\n販売スタッフ".into()),
        ("CRLF", "鮮魚店の\r\n販売スタッフ".into()),
        ("NUL", "鮮魚店の\0販売スタッフ".into()),
        ("header injection", "x\r\nBcc: victim@example.com".into()),
        ("javascript address", "javascript:alert('x')//@example.jp".into()),
        ("huge", "あ".repeat(30_000)),
        ("control", "\u{1b}[31m\u{7}\u{8}".into()),
    ]
}

/// Form values written as they travel, not encoded again: bad percent-encoding and raw bytes.
const RAW_FORM_VALUES: &[(&str, &str)] =
    &[("%00", "a%00b"), ("invalid UTF-8", "%FF%FE%C3"), ("bad percent", "%ZZ%%4"), ("lone %", "%")];

/// Each request from its own loopback address, so per-address limits never hide a case.
fn fresh_client() -> reqwest::Client {
    static N: AtomicU32 = AtomicU32::new(256);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let ip = Ipv4Addr::new(127, 1, (n / 250) as u8, (n % 250 + 1) as u8);
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .local_address(IpAddr::V4(ip))
        .build()
        .unwrap()
}

/// Failures, each as one line, so a run shows them all.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, what: &str, status: u16, body: &str) {
        if status >= 500 {
            let snippet: String = body.chars().take(200).collect();
            self.0.push(format!("{what}: {status} {snippet}"));
        } else if status >= 400 && body.trim().is_empty() {
            // A refusal must say why: an empty one means an error passed the error pages by.
            self.0.push(format!("{what}: {status} with an empty body"));
        }
    }

    fn assert_none(self) {
        assert!(self.0.is_empty(), "{} failure(s):\n{}", self.0.len(), self.0.join("\n"));
    }
}

async fn app() -> TestApp {
    let app = TestApp::spawn_with(|s| {
        let secrets = &mut s.ingest.secrets;
        secrets.insert(Source::Tally, Secrets::Shared(vec![TALLY.into()]));
        secrets.insert(Source::Typeform, Secrets::Shared(vec![TYPEFORM.into()]));
        secrets.insert(Source::GoogleForms, Secrets::Shared(vec![GOOGLE.into()]));
        let key = standard_webhooks::Secret::parse(&format!("whsec_{}", STANDARD.encode(STANDARD_KEY))).unwrap();
        secrets.insert(Source::Standard, Secrets::Standard(vec![key]));
        s.ingest.max_body_bytes = 1024 * 1024;
        s.ingest.submit_per_hour = 100_000;
        s.following.signup_per_hour = 100_000;
        s.review.login_per_minute = 100_000;
    })
    .await;
    fixtures::editor(&mut app.conn(), "editor@npo.example").unwrap();
    app
}

// ---------------------------------------------------------------------------------------------
// Webhooks

fn sign(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    for p in parts {
        mac.update(p);
    }
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A complete ad, as (question, answer) pairs.
fn answers(title: Value) -> Vec<(String, Value)> {
    [
        ("仕事内容", json!("鮮魚の販売と品出し。未経験歓迎、制服貸与。朝8時から。")),
        ("雇用形態", json!("パート")),
        ("勤務地", json!("富山県氷見市比美町1-1")),
        ("給与", json!("時給1,000円")),
        ("応募方法", json!("お電話ください（0766-00-0000）")),
        ("事業所名", json!("氷見鮮魚店")),
        ("メールアドレス", json!("saiyo@himi-sengyo.example")),
    ]
    .into_iter()
    .map(|(l, v)| (l.to_owned(), v))
    .chain([("求人タイトル".to_owned(), title)])
    .collect()
}

/// One sender's body for `answers`, with `id` as the sender's own delivery id.
fn webhook_body(source: Source, id: &Value, answers: &[(String, Value)]) -> Value {
    match source {
        Source::Standard => {
            let mut body: serde_json::Map<String, Value> = answers.iter().cloned().collect();
            body.insert("form_id".into(), json!("f1"));
            Value::Object(body)
        }
        Source::GoogleForms => json!({
            "responseId": id,
            "formId": "f1",
            "items": answers.iter().map(|(l, v)| json!({"title": l, "response": v})).collect::<Vec<_>>(),
        }),
        Source::Tally => json!({
            "eventId": id,
            "eventType": "FORM_RESPONSE",
            "data": {"formId": "f1", "fields": answers.iter().enumerate()
                .map(|(i, (l, v))| json!({"key": format!("q{i}"), "label": l, "type": "INPUT_TEXT", "value": v}))
                .collect::<Vec<_>>()},
        }),
        Source::Typeform | Source::Native => json!({
            "event_id": id,
            "event_type": "form_response",
            "form_response": {
                "form_id": "f1",
                "definition": {"fields": answers.iter().enumerate()
                    .map(|(i, (l, _))| json!({"id": format!("q{i}"), "title": l, "type": "short_text"}))
                    .collect::<Vec<_>>()},
                "answers": answers.iter().enumerate()
                    .map(|(i, (_, v))| json!({"type": "text", "text": v, "field": {"id": format!("q{i}"), "type": "short_text"}}))
                    .collect::<Vec<_>>(),
            },
        }),
    }
}

impl TestApp {
    /// Posts `body` to the sender's webhook, signed as that sender signs; status and body text.
    async fn deliver(&self, source: Source, id: &str, body: &[u8]) -> (u16, String) {
        let path = format!("/hooks/{}", source.code().replace('_', "-"));
        let mut req = self.client.post(format!("{}{path}", self.address)).header("content-type", "application/json");
        req = match source {
            Source::Standard => {
                let ts = chrono::Utc::now().timestamp().to_string();
                let sig = sign(STANDARD_KEY, &[id.as_bytes(), b".", ts.as_bytes(), b".", body]);
                req.header("webhook-id", id)
                    .header("webhook-timestamp", ts)
                    .header("webhook-signature", format!("v1,{sig}"))
            }
            Source::GoogleForms => req.header("x-yui-secret", GOOGLE),
            Source::Tally => req.header("tally-signature", sign(TALLY.as_bytes(), &[body])),
            Source::Typeform | Source::Native => {
                req.header("typeform-signature", format!("sha256={}", sign(TYPEFORM.as_bytes(), &[body])))
            }
        };
        let res = req.body(body.to_vec()).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    fn stored(&self, body: &[u8]) -> bool {
        let n: i64 =
            submissions::table.filter(submissions::raw_body.eq(body)).count().get_result(&mut self.conn()).unwrap();
        n >= 1
    }
}

/// The bodies each sender is sent: (case, body). Ids are unique per case, so each is new.
fn webhook_cases(source: Source) -> Vec<(String, Vec<u8>)> {
    let n = AtomicU32::new(0);
    let id = || json!(format!("{}-{}", source.code(), n.fetch_add(1, Ordering::SeqCst)));
    let body = |id: Value, answers: Vec<(String, Value)>| webhook_body(source, &id, &answers).to_string().into_bytes();
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, text) in nasty_texts() {
        cases.push((format!("title {name}"), body(id(), answers(json!(text)))));
        let mut employer = answers(json!("鮮魚店の販売スタッフ"));
        employer[5].1 = json!(text);
        cases.push((format!("employer name {name}"), body(id(), employer)));
        let mut label = answers(json!("鮮魚店の販売スタッフ"));
        label.push((format!("社宅の{text}有無"), json!("あり")));
        cases.push((format!("question label {name}"), body(id(), label)));
        let odd_id = json!(format!("{}{text}", id().as_str().unwrap_or_default()));
        cases.push((format!("sender id {name}"), body(odd_id, answers(json!("鮮魚店の販売スタッフ")))));
    }
    for (name, value) in [
        ("title as object", json!({"a": [1, {"b": null}]})),
        ("title as number", json!(1e308)),
        ("title as bool", json!(true)),
        ("title as null", Value::Null),
        ("title as nested list", json!([[["a"]], []])),
    ] {
        cases.push((name.into(), body(id(), answers(value))));
    }
    cases.push(("sender id as object".into(), body(json!({"x": 1}), answers(json!("鮮魚店の販売スタッフ")))));
    // Impossible values: quarantined with the reason (docs/forms.md).
    for (name, label, value) in [
        ("end date 1900", "掲載終了日", "1900-01-01"),
        ("negative pay", "給与", "月給-5000円"),
        ("absurd pay", "給与", "時給 99,999,999円"),
        ("unknown type", "雇用形態", "boss"),
    ] {
        let mut a = answers(json!("鮮魚店の販売スタッフ"));
        a.retain(|(l, _)| l != label);
        a.push((label.into(), json!(value)));
        cases.push((name.into(), body(id(), a)));
    }
    let marker = body(id(), answers(json!("@@TITLE@@")));
    let invalid_utf8: Vec<u8> = String::from_utf8_lossy(&marker)
        .split("@@TITLE@@")
        .collect::<Vec<_>>()
        .join("\u{1}")
        .bytes()
        .map(|b| if b == 1 { 0xff } else { b })
        .collect();
    cases.push(("invalid UTF-8 in a string".into(), invalid_utf8));
    cases.push(("invalid UTF-8 body".into(), vec![0xff, 0xfe, b'{', 0x80]));
    cases.push(("10,000-deep JSON".into(), format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes()));
    cases.push((
        "10,000-deep object".into(),
        format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)).into_bytes(),
    ));
    for (name, raw) in [
        ("empty body", ""),
        ("null", "null"),
        ("a list", "[1,2]"),
        ("a string", "\"x\""),
        ("wrong shape", "{\"data\":\"x\",\"items\":5,\"fields\":{},\"form_response\":[],\"eventType\":1}"),
        ("raw NUL byte", "{\"a\":\"\0\"}"),
        ("lone surrogate", "{\"eventId\":\"\\ud800\",\"event_id\":\"\\udfff\",\"responseId\":\"\\ud800\"}"),
    ] {
        cases.push((name.into(), raw.as_bytes().to_vec()));
    }
    cases
}

#[actix_web::test]
async fn every_signed_webhook_body_is_stored_and_none_answers_5xx() {
    let app = app().await;
    let mut failures = Failures::default();
    for source in Source::WEBHOOKS {
        for (case, body) in webhook_cases(source) {
            // The Standard Webhooks id travels in a header: a fresh one per case.
            let id = format!("msg_{}", submissions_count(&app));
            let what = format!("{} {case}", source.code());
            let (status, text) = app.deliver(source, &id, &body).await;
            failures.check(&what, status, &text);
            if !app.stored(&body) {
                failures.0.push(format!("{what}: {status}, the raw body was not stored"));
            }
        }
    }
    failures.assert_none();
}

fn submissions_count(app: &TestApp) -> i64 {
    submissions::table.count().get_result(&mut app.conn()).unwrap()
}

#[actix_web::test]
async fn a_line_break_in_a_title_or_a_name_still_makes_a_posting_and_one_line_subjects() {
    let app = app().await;
    for (n, source) in Source::WEBHOOKS.into_iter().enumerate() {
        let mut a = answers(json!("鮮魚店の\r\n販売スタッフ"));
        a[5].1 = json!("氷見\n鮮魚店");
        let body = webhook_body(source, &json!(format!("lf-{n}")), &a).to_string().into_bytes();
        let (status, text) = app.deliver(source, &format!("msg_lf_{n}"), &body).await;
        assert_eq!(status, 201, "{}: {text}", source.code());
    }
    let titles: Vec<String> = postings::table.select(postings::title).load(&mut app.conn()).unwrap();
    assert_eq!(titles.len(), 4);
    let subjects: Vec<String> = outbox_emails::table.select(outbox_emails::subject).load(&mut app.conn()).unwrap();
    assert_eq!(subjects.len(), 8, "a receipt and an editors' notice per posting");
    assert!(subjects.iter().all(|s| !s.contains(['\r', '\n'])), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.contains("鮮魚店の 販売スタッフ")), "{subjects:?}");
}

#[actix_web::test]
async fn nul_is_removed_from_webhook_text_and_ids_and_the_raw_bytes_keep_it() {
    let app = app().await;
    let mut a = answers(json!("鮮魚店の\u{0}販売スタッフ"));
    a.push(("社宅の\u{0}有無".into(), json!("あり\u{0}")));
    let body = webhook_body(Source::Tally, &json!("ev\u{0}t-1"), &a).to_string().into_bytes();
    let (status, text) = app.deliver(Source::Tally, "", &body).await;
    assert_eq!(status, 201, "{text}");
    let (title, description): (String, String) =
        postings::table.select((postings::title, postings::description)).first(&mut app.conn()).unwrap();
    assert_eq!(title, "鮮魚店の販売スタッフ");
    assert!(description.contains("■ 社宅の有無\nあり"), "{description}");
    let (external_id, raw): (String, Vec<u8>) =
        submissions::table.select((submissions::external_id, submissions::raw_body)).first(&mut app.conn()).unwrap();
    assert_eq!(external_id, "evt-1");
    assert_eq!(raw, body, "the bytes are kept as sent, escape and all");
}

#[actix_web::test]
async fn impossible_webhook_values_are_quarantined_with_the_reason() {
    let app = app().await;
    for (n, (label, value, reason)) in [
        ("掲載終了日", "1900-01-01", "過ぎています"),
        ("給与", "月給-5000円", "マイナス"),
        ("給与", "時給 250,000円", "大きすぎます"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut a = answers(json!("鮮魚店の販売スタッフ"));
        a.retain(|(l, _)| l != label);
        a.push((label.into(), json!(value)));
        let body = webhook_body(Source::Tally, &json!(format!("imp-{n}")), &a).to_string().into_bytes();
        let (status, text) = app.deliver(Source::Tally, "", &body).await;
        assert_eq!(status, 202, "{value}: {text}");
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["status"], "quarantined", "{text}");
        assert!(json["message"].as_str().unwrap_or_default().contains(reason), "{value}: {text}");
    }
    assert_eq!(postings::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
}

// ---------------------------------------------------------------------------------------------
// Forms for people

/// A form value: text to encode, or a fragment already encoded (sent as it is).
#[derive(Clone)]
enum FormValue {
    Text(String),
    Raw(&'static str),
}

fn form_values() -> Vec<(String, FormValue)> {
    let texts = nasty_texts().into_iter().map(|(n, t)| (n.to_owned(), FormValue::Text(t)));
    texts.chain(RAW_FORM_VALUES.iter().map(|(n, r)| ((*n).to_owned(), FormValue::Raw(r)))).collect()
}

/// An `application/x-www-form-urlencoded` body with `field` (added when missing) set to `value`.
fn encode(fields: &[(&str, String)], field: &str, value: &FormValue) -> String {
    let mut parts: Vec<String> = fields
        .iter()
        .filter(|(k, _)| *k != field)
        .map(|(k, v)| serde_urlencoded::to_string([(k, v)]).unwrap())
        .collect();
    parts.push(match value {
        FormValue::Text(t) => serde_urlencoded::to_string([(field, t)]).unwrap(),
        FormValue::Raw(r) => format!("{field}={r}"),
    });
    parts.join("&")
}

/// GETs `page` with a fresh client (its own address and cookie), then posts to `action` the
/// `fields` (given the page's CSRF token and HTML) with `field` replaced by every bad value.
async fn try_form<F>(app: &TestApp, failures: &mut Failures, page: &str, action: &str, field: &str, fields: F)
where
    F: Fn(&str, &str) -> Vec<(&'static str, String)>,
{
    for (name, value) in form_values() {
        let client = fresh_client();
        let res = client.get(format!("{}{page}", app.address)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "GET {page}");
        let html = res.text().await.unwrap();
        let csrf = hidden_value(&html, "csrf");
        let body = encode(&fields(&csrf, &html), field, &value);
        let res = client
            .post(format!("{}{action}", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        failures.check(&format!("POST {action} {field}={name}"), status, &res.text().await.unwrap());
    }
}

fn submit_form(csrf: &str, _: &str) -> Vec<(&'static str, String)> {
    static KEY: AtomicU32 = AtomicU32::new(0);
    let key = format!("malformed-submission-{:08}", KEY.fetch_add(1, Ordering::SeqCst));
    let mut form = crate::common::complete_submit_form(csrf, &key);
    form.push(("contact_name", "浜田".into()));
    form
}

#[actix_web::test]
async fn submit_and_the_manage_edit_never_answer_5xx() {
    let app = app().await;
    let mut failures = Failures::default();
    for field in submit_form("", "").iter().map(|(k, _)| *k).filter(|k| *k != "csrf") {
        try_form(&app, &mut failures, "/submit", "/submit", field, submit_form).await;
    }
    // The employer's private page for a pending posting of their own.
    let mut conn = app.conn();
    let employer = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    let end = yui_db::now() + chrono::Duration::days(30);
    let posting =
        fixtures::pending(&mut conn, &employer, fixtures::input("朝食スタッフ", "part_time"), yui_db::now(), end)
            .unwrap();
    let token = yui_web::tokens::random_token();
    yui_db::postings::set_manage_token_hash(&mut conn, posting.id, &yui_web::tokens::hash_token(&token)).unwrap();
    let page = format!("/manage/{token}");
    let edit = |csrf: &str, html: &str| -> Vec<(&'static str, String)> {
        let mut f = submit_form(csrf, html);
        f.retain(|(k, _)| !["submission_key", "website_url", "employer_name", "contact_name", "email"].contains(k));
        f.push(("version", hidden_value(html, "version")));
        f
    };
    for field in ["title", "description", "location", "how_to_apply", "salary_min", "valid_through", "version"] {
        try_form(&app, &mut failures, &page, &format!("{page}/edit"), field, edit).await;
    }
    failures.assert_none();
}

#[actix_web::test]
async fn contact_follow_support_and_login_never_answer_5xx() {
    let app = app().await;
    let mut failures = Failures::default();
    let mut conn = app.conn();
    let employer = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let contact = |csrf: &str, _: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("website_url", String::new()),
            ("name", "山田 花子".into()),
            ("email", "hanako@mail.example".into()),
            ("message", "見学はできますか。".into()),
        ]
    };
    // A posting per field: each posting takes a limited number of messages an hour.
    for field in ["name", "email", "message", "csrf"] {
        let p = fixtures::published(&mut conn, &employer, fixtures::input("加工スタッフ", "part_time"), yui_db::now())
            .unwrap();
        let page = format!("/jobs/{}", p.public_id);
        try_form(&app, &mut failures, &page, &format!("{page}/contact"), field, contact).await;
    }
    let follow = |csrf: &str, _: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("website_url", String::new()),
            ("email", "hanako@mail.example".into()),
            ("digest", "1".into()),
            ("alert", "1".into()),
            ("q", "介護".into()),
            ("frequency", "daily".into()),
        ]
    };
    for field in ["email", "q", "frequency", "type", "area"] {
        try_form(&app, &mut failures, "/follow", "/follow", field, follow).await;
    }
    let support = |csrf: &str, _: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("website_url", String::new()),
            ("email", "shien@mail.example".into()),
            ("name", "氷見の応援団".into()),
            ("kind", "business".into()),
            ("support_types", "banner".into()),
            ("message", "いつも見ています".into()),
            ("on_wall", "1".into()),
        ]
    };
    for field in ["email", "name", "kind", "support_types", "message"] {
        try_form(&app, &mut failures, "/support", "/support", field, support).await;
    }
    let login = |csrf: &str, _: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("email", "editor@npo.example".into()),
            ("password", "wrong password".into()),
            ("next", "/admin".into()),
        ]
    };
    for field in ["email", "password", "next"] {
        try_form(&app, &mut failures, "/admin/login", "/admin/login", field, login).await;
    }
    // The forgotten-password forms: the request, and the new password on a live link.
    let forgot = |csrf: &str, _: &str| vec![("csrf", csrf.to_owned()), ("email", "editor@npo.example".into())];
    try_form(&app, &mut failures, "/admin/password/forgot", "/admin/password/forgot", "email", forgot).await;
    let editor = yui_db::staff::find_by_email(&mut conn, "editor@npo.example").unwrap().unwrap();
    let token = yui_web::tokens::os_random_token();
    let hash = yui_web::tokens::hash_token(&token);
    yui_db::password_resets::issue(&mut conn, &hash, editor.id, yui_db::now()).unwrap();
    let reset = |csrf: &str, _: &str| {
        vec![("csrf", csrf.to_owned()), ("new", "a long enough password".into()), ("again", "another one".into())]
    };
    let page = format!("/admin/password/reset/{token}");
    for field in ["new", "again"] {
        try_form(&app, &mut failures, &page, &page, field, reset).await;
    }
    failures.assert_none();
}

#[actix_web::test]
async fn a_nul_in_a_form_is_refused_with_a_message_and_a_line_break_in_a_title_is_kept() {
    let app = app().await;
    let client = fresh_client();
    let html = client.get(format!("{}/submit", app.address)).send().await.unwrap().text().await.unwrap();
    let mut form = submit_form(&hidden_value(&html, "csrf"), &html);
    form.iter_mut().filter(|(k, _)| *k == "title").for_each(|(_, v)| *v = "朝食\0スタッフ".into());
    let res = client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.text().await.unwrap().contains("NUL 文字"));
    assert_eq!(submissions_count(&app), 0, "nothing stored from a refused form");

    let mut form = submit_form(&hidden_value(&html, "csrf"), &html);
    form.iter_mut().filter(|(k, _)| *k == "title").for_each(|(_, v)| *v = "朝食\r\nスタッフ".into());
    let res = client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let subjects: Vec<String> = outbox_emails::table.select(outbox_emails::subject).load(&mut app.conn()).unwrap();
    assert!(!subjects.is_empty() && subjects.iter().all(|s| !s.contains(['\r', '\n'])), "{subjects:?}");
}

/// A form's other fields, as (name, value).
type Fields = Vec<(&'static str, &'static str)>;

#[actix_web::test]
async fn addresses_the_mailer_refuses_are_refused_by_the_contact_follow_and_support_forms() {
    let app = app().await;
    let mut conn = app.conn();
    let employer = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let p =
        fixtures::published(&mut conn, &employer, fixtures::input("加工スタッフ", "part_time"), yui_db::now()).unwrap();
    let forms: [(String, String, Fields); 3] = [
        (
            format!("/jobs/{}", p.public_id),
            format!("/jobs/{}/contact", p.public_id),
            vec![("name", "山田"), ("message", "見学できますか")],
        ),
        ("/follow".into(), "/follow".into(), vec![("digest", "1")]),
        (
            "/support".into(),
            "/support".into(),
            vec![("name", "応援団"), ("kind", "individual"), ("support_types", "banner")],
        ),
    ];
    let send = |page: String, action: String, rest: Vec<(&'static str, &'static str)>, address: &'static str| {
        let app = &app;
        async move {
            let client = fresh_client();
            let html = client.get(format!("{}{page}", app.address)).send().await.unwrap().text().await.unwrap();
            let csrf = hidden_value(&html, "csrf");
            let mut form = vec![("csrf", csrf.as_str()), ("website_url", ""), ("email", address)];
            form.extend(rest);
            let res = client.post(format!("{}{action}", app.address)).form(&form).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    for address in ["x\r\nBcc: victim@example.com", "javascript:alert('x')//@example.jp", "a(b)@example.jp"] {
        for (page, action, rest) in &forms {
            let (status, html) = send(page.clone(), action.clone(), rest.clone(), address).await;
            assert_eq!(status, 422, "{action} {address:?}");
            assert!(html.contains("メールアドレス"), "{action} {address:?}: the message is at the address");
        }
    }
    let sent: i64 = outbox_emails::table.count().get_result(&mut conn).unwrap();
    assert_eq!(sent, 0, "nothing was sent, nor said to be");
    // The same forms with an address the mailer takes go through: the refusals above were the address's.
    for (page, action, rest) in &forms {
        let (status, html) = send(page.clone(), action.clone(), rest.clone(), "hanako@mail.example").await;
        assert!(status < 400, "{action}: {status} {html}");
    }
}

// ---------------------------------------------------------------------------------------------
// URLs

/// Public routes with a segment to fill, and query strings with a value to fill.
const PATHS: &[&str] = &[
    "/jobs/{}",
    "/api/v1/jobs/{}",
    "/features/{}",
    "/columns/{}",
    "/succession/{}",
    "/manage/{}",
    "/manage/{}/edit",
    "/succession/manage/{}",
    "/follow/confirm/{}",
    "/follow/manage/{}",
    "/follow/feeds/{}",
    "/unsubscribe/{}",
    "/support/confirm/{}",
    "/support/leave/{}",
    "/media/{}",
    "/static/{}",
    "/banners/{}.svg",
    "/admin/review/{}",
    "/admin/password/reset/{}",
    "/hooks/{}",
    "/{}",
];

const QUERIES: &[&str] = &[
    "/?lang={}",
    "/jobs?q={}",
    "/jobs?type={}&area={}&remote={}",
    "/jobs?salary_min={}",
    "/jobs?page={}",
    "/jobs?sort={}",
    "/api/v1/jobs?q={}",
    "/api/v1/jobs?category={}&area={}",
    "/api/v1/jobs?page={}&per_page={}",
    "/api/v1/jobs?lang={}",
    "/api/v1/jobs?updated_since={}",
    "/feeds/jobs.atom?q={}",
    "/feeds/jobs.json?q={}",
    "/embed/jobs?q={}&limit={}",
    "/follow?q={}",
    "/columns?page={}",
    "/succession?q={}",
    "/transparency/log?page={}",
    "/transparency/log.json?organization={}",
    "/admin/login?next={}",
];

const SEGMENTS: &[(&str, &str)] = &[
    ("NUL", "a%00b"),
    ("invalid UTF-8", "%FF%FE"),
    ("bad percent", "%ZZ%"),
    ("line break", "a%0D%0Ab"),
    ("control", "%1B%07"),
    ("negative", "-1"),
    ("huge number", "99999999999999999999999"),
    ("dots", "..%2F..%2Fetc%2Fpasswd"),
];

#[actix_web::test]
async fn no_url_answers_5xx_and_a_nul_anywhere_in_it_is_4xx() {
    let app = app().await;
    let mut failures = Failures::default();
    let client = fresh_client();
    let long = "x".repeat(8_000);
    let segments = SEGMENTS.iter().map(|(n, s)| (*n, *s)).chain([("long", long.as_str())]);
    for (name, segment) in segments {
        for template in PATHS.iter().chain(QUERIES) {
            let url = template.replace("{}", segment);
            for method in [reqwest::Method::GET, reqwest::Method::POST] {
                let res = client.request(method.clone(), format!("{}{url}", app.address)).send().await.unwrap();
                let status = res.status().as_u16();
                let what = format!("{method} {template} {name}");
                failures.check(&what, status, &res.text().await.unwrap());
                if name == "NUL" && !(400..500).contains(&status) {
                    failures.0.push(format!("{what}: {status}, not refused"));
                }
            }
        }
    }
    failures.assert_none();
}
