//! Form submissions by webhook, end to end over HTTP, on the backend `YUI_TEST_BACKEND` names:
//! what is stored, what is created, what is mailed, and what each bad input is answered.

use crate::common::{self, TestApp};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use diesel::prelude::*;
use futures_util::future::join_all;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use yui_db::schema::{outbox_emails, postings, submissions};
use yui_db::testing::fixtures;
use yui_ingest::source::{Secrets, Source};
use yui_ingest::standard_webhooks;

const TALLY_SECRET: &str = "tally-signing-secret-0001";
const TYPEFORM_SECRET: &str = "typeform-secret-0000001";
const GOOGLE_SECRET: &str = "google-shared-secret-0001";
const STANDARD_KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
const EDITOR: &str = "editor@npo.example";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../ingest/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn sign(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    for p in parts {
        mac.update(p);
    }
    STANDARD.encode(mac.finalize().into_bytes())
}

fn standard_secret() -> String {
    format!("whsec_{}", STANDARD.encode(STANDARD_KEY))
}

/// An app with Tally, Typeform, Google Forms and Standard Webhooks switched on, and one editor.
async fn app() -> TestApp {
    let app = TestApp::spawn_with(|s| {
        let secrets = &mut s.ingest.secrets;
        secrets.insert(Source::Tally, Secrets::Shared(vec![TALLY_SECRET.into()]));
        secrets.insert(Source::Typeform, Secrets::Shared(vec![TYPEFORM_SECRET.into()]));
        secrets.insert(Source::GoogleForms, Secrets::Shared(vec![GOOGLE_SECRET.into()]));
        let key = standard_webhooks::Secret::parse(&standard_secret()).unwrap();
        secrets.insert(Source::Standard, Secrets::Standard(vec![key]));
        s.ingest.max_body_bytes = 64 * 1024;
    })
    .await;
    fixtures::editor(&mut app.conn(), EDITOR).unwrap();
    app
}

impl TestApp {
    async fn post_hook(&self, path: &str, headers: &[(&str, String)], body: Vec<u8>) -> (u16, serde_json::Value) {
        let mut req = self.client.post(format!("{}{path}", self.address)).body(body);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: not JSON: {text}")))
    }

    async fn tally(&self, body: Vec<u8>) -> (u16, serde_json::Value) {
        let sig = sign(TALLY_SECRET.as_bytes(), &[&body]);
        self.post_hook("/hooks/tally", &[("content-type", "application/json".into()), ("tally-signature", sig)], body)
            .await
    }

    fn counts(&self) -> (i64, i64, i64) {
        let mut conn = self.conn();
        (
            submissions::table.count().get_result(&mut conn).unwrap(),
            postings::table.count().get_result(&mut conn).unwrap(),
            outbox_emails::table.count().get_result(&mut conn).unwrap(),
        )
    }

    fn outbox(&self) -> Vec<(String, String, String)> {
        outbox_emails::table
            .order(outbox_emails::id.asc())
            .select((outbox_emails::recipients, outbox_emails::subject, outbox_emails::body_text))
            .load(&mut self.conn())
            .unwrap()
    }
}

#[actix_web::test]
async fn a_tally_submission_becomes_a_pending_posting_with_two_emails_and_a_manage_link() {
    let app = app().await;
    let body = fixture("tally_japanese.json");
    let (status, json) = app.tally(body.clone()).await;
    assert_eq!(status, 201, "{json}");
    assert_eq!(json["status"], "accepted");
    let public_id = json["posting"]["id"].as_str().unwrap().to_owned();

    let mut conn = app.conn();
    let (title, status, submission_id): (String, String, Option<i32>) = postings::table
        .filter(postings::public_id.eq(&public_id))
        .select((postings::title, postings::status, postings::submission_id))
        .first(&mut conn)
        .unwrap();
    assert_eq!((title.as_str(), status.as_str()), ("定置網漁の乗組員", "pending"));
    let (raw, sub_status): (Vec<u8>, String) = submissions::table
        .find(submission_id.unwrap())
        .select((submissions::raw_body, submissions::status))
        .first(&mut conn)
        .unwrap();
    assert_eq!(raw, body, "the raw bytes are kept exactly");
    assert_eq!(sub_status, "accepted");
    // Pending postings are not public.
    assert_eq!(app.page(&format!("/jobs/{public_id}")).await.0, 404);

    let mail = app.outbox();
    assert_eq!(mail.len(), 2, "{mail:?}");
    let (to, subject, text) = &mail[0];
    assert!(subject.contains("定置網漁の乗組員"), "{subject}");
    assert_ne!(to, EDITOR);
    let manage_url = text.lines().map(str::trim).find(|l| l.contains("/manage/")).unwrap().to_owned();
    assert_eq!(mail[1].0, EDITOR);
    assert!(mail[1].1.contains("審査待ち"), "{}", mail[1].1);

    // The private link shows the status and lets the employer withdraw the submission.
    let path = &manage_url[manage_url.find("/manage/").unwrap()..];
    let (status, html) = app.page(path).await;
    assert_eq!(status, 200);
    assert!(html.contains("定置網漁の乗組員") && html.contains("審査待ち"), "{html}");
    let csrf = common::hidden_value(&html, "csrf");
    let res = app
        .client
        .post(format!("{}{path}", app.address))
        .form(&[("csrf", csrf.as_str()), ("version", "1"), ("action", "close")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let status: String =
        postings::table.filter(postings::public_id.eq(&public_id)).select(postings::status).first(&mut conn).unwrap();
    assert_eq!(status, "closed");
    // A link that was never issued opens nothing.
    assert_eq!(app.page("/manage/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await.0, 404);
}

#[actix_web::test]
async fn a_replayed_delivery_returns_the_same_posting_and_creates_nothing() {
    let app = app().await;
    let body = fixture("tally_japanese.json");
    let (first, json1) = app.tally(body.clone()).await;
    assert_eq!(first, 201);
    let before = app.counts();
    let (again, json2) = app.tally(body).await;
    assert_eq!(again, 200, "{json2}");
    assert_eq!(json2["replay"], true);
    assert_eq!(json1["posting"]["id"], json2["posting"]["id"]);
    assert_eq!(app.counts(), before, "no new submission, posting or email");
}

#[actix_web::test]
async fn bad_or_missing_signatures_are_401_and_store_nothing() {
    let app = app().await;
    let body = fixture("tally_japanese.json");
    let json_ct = ("content-type", "application/json".to_owned());
    let wrong = sign(b"not the secret", &[&body]);
    let (status, json) =
        app.post_hook("/hooks/tally", &[json_ct.clone(), ("tally-signature", wrong)], body.clone()).await;
    assert_eq!(status, 401);
    assert_eq!(json["error"]["code"], "unauthorized");
    assert!(!json["error"]["message"].as_str().unwrap().is_empty());
    let (status, _) = app.post_hook("/hooks/tally", std::slice::from_ref(&json_ct), body.clone()).await;
    assert_eq!(status, 401, "no signature header");
    let (status, _) =
        app.post_hook("/hooks/google-forms", &[json_ct.clone(), ("x-yui-secret", "guess".into())], body).await;
    assert_eq!(status, 401);
    assert_eq!(app.counts(), (0, 0, 0));
}

#[actix_web::test]
async fn standard_webhooks_are_verified_with_their_timestamp() {
    let app = app().await;
    let body = fixture("standard_webhooks.json");
    let now = chrono::Utc::now().timestamp();
    let send = |id: &'static str, ts: i64, body: Vec<u8>| {
        let sig = format!("v1,{}", sign(STANDARD_KEY, &[id.as_bytes(), b".", ts.to_string().as_bytes(), b".", &body]));
        let headers = vec![
            ("content-type", "application/json".to_owned()),
            ("webhook-id", id.to_owned()),
            ("webhook-timestamp", ts.to_string()),
            ("webhook-signature", format!("v1,bm90IGl0 {sig}")),
        ];
        (headers, body)
    };
    let (h, b) = send("msg_stale", now - 600, body.clone());
    let (status, json) = app.post_hook("/hooks/standard", &h, b).await;
    assert_eq!(status, 401, "{json}");
    assert!(json["error"]["message"].as_str().unwrap().contains("timestamp"), "{json}");
    assert_eq!(app.counts().0, 0);

    let (h, b) = send("msg_fresh", now, body.clone());
    let (status, json) = app.post_hook("/hooks/standard", &h, b).await;
    assert!(status == 201 || status == 202, "{status} {json}");
    let (h, b) = send("msg_fresh", now, body);
    let (status, json) = app.post_hook("/hooks/standard", &h, b).await;
    assert!(json["replay"] == true, "{status} {json}");
    assert_eq!(app.counts().0, 1, "the webhook-id is the idempotency key");
}

#[actix_web::test]
async fn google_forms_and_typeform_deliveries_become_postings() {
    let app = app().await;
    // The namedValues example has no 仕事内容 or 応募方法: kept, and the sender told what is missing.
    for (name, want) in [("google_forms_named_values.json", 202), ("google_forms_items.json", 201)] {
        let headers = [("content-type", "application/json".to_owned()), ("x-yui-secret", GOOGLE_SECRET.to_owned())];
        let (status, json) = app.post_hook("/hooks/google-forms", &headers, fixture(name)).await;
        assert_eq!(status, want, "{name}: {json}");
    }
    let body = fixture("typeform_japanese.json");
    let sig = format!("sha256={}", sign(TYPEFORM_SECRET.as_bytes(), &[&body]));
    let headers = [("content-type", "application/json; charset=utf-8".to_owned()), ("typeform-signature", sig)];
    let (status, json) = app.post_hook("/hooks/typeform", &headers, body).await;
    assert_eq!(status, 201, "{json}");
    assert_eq!(app.counts().1, 2);
}

#[actix_web::test]
async fn switched_off_and_unknown_sources_are_404() {
    let app = TestApp::spawn().await; // no secrets at all
    let headers = [("content-type", "application/json".to_owned())];
    for path in ["/hooks/tally", "/hooks/typeform", "/hooks/google-forms", "/hooks/standard", "/hooks/jotform"] {
        let (status, json) = app.post_hook(path, &headers, b"{}".to_vec()).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(json["error"]["code"], "not_found", "{path}");
    }
}

#[actix_web::test]
async fn oversized_bodies_are_413_and_wrong_content_types_415() {
    let app = app().await;
    let big = vec![b' '; 64 * 1024 + 1];
    let sig = sign(TALLY_SECRET.as_bytes(), &[&big]);
    let (status, json) = app
        .post_hook("/hooks/tally", &[("content-type", "application/json".into()), ("tally-signature", sig)], big)
        .await;
    assert_eq!(status, 413, "{json}");
    assert_eq!(json["error"]["code"], "payload_too_large");

    let body = fixture("tally_japanese.json");
    let sig = sign(TALLY_SECRET.as_bytes(), &[&body]);
    let (status, json) =
        app.post_hook("/hooks/tally", &[("content-type", "text/plain".into()), ("tally-signature", sig)], body).await;
    assert_eq!(status, 415, "{json}");
    assert_eq!(json["error"]["code"], "unsupported_media_type");
    assert_eq!(app.counts(), (0, 0, 0));
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_400_and_kept_in_quarantine() {
    let app = app().await;
    let body = b"eventId=1&this-is=not-json".to_vec();
    let (status, json) = app.tally(body.clone()).await;
    assert_eq!(status, 400, "{json}");
    assert_eq!(json["status"], "quarantined");
    let (raw, st): (Vec<u8>, String) =
        submissions::table.select((submissions::raw_body, submissions::status)).first(&mut app.conn()).unwrap();
    assert_eq!((raw, st.as_str()), (body, "quarantined"));
    assert_eq!(app.counts().1, 0);
    let mail = app.outbox();
    assert_eq!(mail.len(), 1, "the editors are told");
    assert!(mail[0].2.contains("yui ingest replay"), "{}", mail[0].2);
}

#[actix_web::test]
async fn json_missing_required_answers_is_202_with_the_list_then_replayable_after_a_mapping_fix() {
    let app = app().await;
    let mut doc: serde_json::Value = serde_json::from_slice(&fixture("tally_japanese.json")).unwrap();
    // The employer's form calls the title question something of its own.
    for f in doc["data"]["fields"].as_array_mut().unwrap() {
        if f["label"] == "求人タイトル" {
            f["label"] = "募集する仕事".into();
        }
        if f["label"] == "事業所名" {
            f["label"] = "お店の名前".into();
        }
    }
    let (status, json) = app.tally(serde_json::to_vec(&doc).unwrap()).await;
    assert_eq!(status, 202, "{json}");
    assert_eq!(json["status"], "quarantined");
    let missing: Vec<&str> = json["missing"].as_array().unwrap().iter().map(|m| m["field"].as_str().unwrap()).collect();
    assert_eq!(missing, ["employer_name", "title"], "{json}");
    assert_eq!(json["missing"][1]["question"], "求人タイトル");
    assert_eq!(app.counts().1, 0);

    // An editor adds the labels to the mapping and re-runs the submission.
    let mut settings = common::test_settings();
    settings.database_url = app.db.url.clone();
    let letters = settings.site.letters().unwrap();
    let submission_id = json["submission_id"].as_i64().unwrap() as i32;
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    let still = yui_web::intake::replay(&mut app.conn(), ctx, submission_id).unwrap();
    assert!(matches!(still, yui_web::intake::Outcome::Quarantined { .. }));
    let dir = tempfile::tempdir().unwrap();
    let test_toml = std::fs::read_to_string(format!("{}/../../config/test.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mapping = "\n[[ingest.mappings]]\nsource = \"tally\"\n[ingest.mappings.fields]\n\
                   title = [\"募集する仕事\"]\nemployer_name = [\"お店の名前\"]\n";
    std::fs::write(dir.path().join("test.toml"), test_toml + mapping).unwrap();
    let mut fixed = yui_web::Settings::load(dir.path(), "test").unwrap();
    fixed.database_url = app.db.url.clone();
    let ctx = yui_web::intake::Context { settings: &fixed, letters: &letters };
    let outcome = yui_web::intake::replay(&mut app.conn(), ctx, submission_id).unwrap();
    assert!(matches!(outcome, yui_web::intake::Outcome::Accepted { .. }), "{outcome:?}");
    assert_eq!(app.counts().1, 1);
    // A second replay changes nothing.
    let again = yui_web::intake::replay(&mut app.conn(), ctx, submission_id).unwrap();
    assert!(matches!(again, yui_web::intake::Outcome::Replayed { .. }));
    assert_eq!(app.counts().1, 1);
}

#[actix_web::test]
async fn concurrent_deliveries_of_one_id_make_one_posting_and_of_many_ids_lose_none() {
    let app = app().await;
    let body = fixture("tally_japanese.json");
    let same: Vec<_> = (0..8).map(|_| app.tally(body.clone())).collect();
    let mut statuses: Vec<u16> = join_all(same).await.into_iter().map(|(s, _)| s).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 200, 201], "one creates, the rest are replays");
    assert_eq!(app.counts(), (1, 1, 2));

    // Twelve first submissions from an employer Yui has not seen yet, all at once.
    let mut doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    for f in doc["data"]["fields"].as_array_mut().unwrap() {
        if f["label"] == "メールアドレス" {
            f["value"] = "new-employer@example.jp".into();
        }
    }
    let distinct: Vec<_> = (0..12)
        .map(|i| {
            doc["eventId"] = format!("evt-{i}").into();
            app.tally(serde_json::to_vec(&doc).unwrap())
        })
        .collect();
    for (status, json) in join_all(distinct).await {
        assert_eq!(status, 201, "{json}");
    }
    assert_eq!(app.counts(), (13, 13, 26));
}
