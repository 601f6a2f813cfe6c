//! The bulk open data and the read-only APIs, on the backend `YUI_TEST_BACKEND` names: the
//! export's rows against the database, the files served whole, `/data` in both languages, and
//! `/api/v1/succession` and `/api/v1/articles` (public fields only, JSON errors).

use crate::common::{self, TestApp};
use flate2::read::GzDecoder;
use std::collections::BTreeSet;
use std::io::Read;
use yui_db::now;
use yui_db::postings::{Actor, Reason};
use yui_db::testing::fixtures;
use yui_domain::PostingAction;

const EMPLOYER_EMAIL: &str = "saiyo@hama.example";

pub(crate) fn gunzip(bytes: &[u8]) -> String {
    let mut out = String::new();
    GzDecoder::new(bytes).read_to_string(&mut out).expect("the file is gzip of UTF-8");
    out
}

#[actix_web::test]
async fn every_posting_ever_published_is_exported_once_and_served_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let app = TestApp::spawn_with(|s| s.open_data_dir = path).await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", EMPLOYER_EMAIL).unwrap();
    let t = now() - chrono::Duration::days(2);
    let open = fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), t).unwrap();
    let closed = fixtures::published(&mut conn, &e, fixtures::input("寒ブリの加工", "part_time"), t).unwrap();
    let closed = yui_db::postings::apply_action(
        &mut conn,
        closed.id,
        closed.version,
        PostingAction::Close,
        Actor::default(),
        Reason::default(),
        now(),
    )
    .unwrap();
    let pending = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("審査待ちの求人", "part_time"),
        t,
        now() + chrono::Duration::days(30),
    )
    .unwrap();
    let rejected = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("不掲載の求人", "part_time"),
        t,
        now() + chrono::Duration::days(30),
    )
    .unwrap();
    yui_db::postings::apply_action(
        &mut conn,
        rejected.id,
        rejected.version,
        PostingAction::Reject,
        Actor::default(),
        Reason::default(),
        now(),
    )
    .unwrap();

    let settings = {
        let mut s = common::test_settings();
        s.open_data_dir = dir.path().to_owned();
        s
    };
    let report = yui_web::open_data::export(&mut conn, &settings, dir.path()).unwrap();
    assert_eq!(report.rows, 2);
    assert_eq!(yui_db::open_data::published_ever_count(&mut conn).unwrap(), 2);

    let csv_gz = std::fs::read(dir.path().join("postings.csv.gz")).unwrap();
    let jsonl_gz = std::fs::read(dir.path().join("postings.jsonl.gz")).unwrap();
    let (csv_text, jsonl_text) = (gunzip(&csv_gz), gunzip(&jsonl_gz));
    for text in [&csv_text, &jsonl_text] {
        assert!(!text.contains(EMPLOYER_EMAIL), "no employer email");
        assert!(!text.contains("manage_token") && !text.contains("contact_name"), "no private columns");
        assert!(!text.contains(&pending.public_id) && !text.contains(&rejected.public_id), "never pending or rejected");
    }
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, yui_web::open_data::COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let lines: Vec<serde_json::Value> = jsonl_text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids = |v: Vec<String>| v.into_iter().collect::<BTreeSet<_>>();
    let expected = ids(vec![open.public_id.clone(), closed.public_id.clone()]);
    assert_eq!(ids(rows.iter().map(|r| r[0].to_owned()).collect()), expected);
    assert_eq!(ids(lines.iter().map(|l| l["id"].as_str().unwrap().to_owned()).collect()), expected);
    assert_eq!((rows.len(), lines.len()), (2, 2), "each exactly once");
    // The CSV and the JSON Lines agree, cell for cell.
    for (row, line) in rows.iter().zip(&lines) {
        for (i, c) in yui_web::open_data::COLUMNS.iter().enumerate() {
            let json_cell = match &line[c.name] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) => a.iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>().join(" "),
                other => other.to_string(),
            };
            assert_eq!(row[i], json_cell, "{} of {}", c.name, &row[0]);
        }
    }
    let ended = lines.iter().find(|l| l["id"] == closed.public_id.as_str()).unwrap();
    assert_eq!((ended["status"].as_str(), ended["end_reason"].as_str()), (Some("closed"), Some("closed")));
    assert!(ended["ended_at"].is_string());
    let still = lines.iter().find(|l| l["id"] == open.public_id.as_str()).unwrap();
    assert!(still["ended_at"].is_null() && still["end_reason"].is_null());

    // Served byte for byte, as a download, with validators that give a 304.
    let res = app.get("/data/postings.csv.gz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/gzip");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("postings.csv.gz"));
    let etag = res.headers()["etag"].clone();
    assert!(res.headers().contains_key("last-modified"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), csv_gz.as_slice());
    let again = app
        .client
        .get(format!("{}/data/postings.csv.gz", app.address))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(app.get("/data/postings.jsonl.gz").await.bytes().await.unwrap().as_ref(), jsonl_gz.as_slice());
    assert_eq!(app.page("/data/other.csv.gz").await.0, 404);
    let head = app.client.head(format!("{}/data/postings.jsonl.gz", app.address)).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], jsonl_gz.len().to_string().as_str());

    // The page: both files with their exact sizes, every column, the licence; then in English.
    let (status, html) = app.page("/data").await;
    assert_eq!(status, 200);
    assert!(html.contains("オープンデータ") && html.contains("データ項目の説明"));
    assert!(html.contains(&format!("data-bytes=\"{}\"", csv_gz.len())));
    assert!(html.contains(&format!("data-bytes=\"{}\"", jsonl_gz.len())));
    for c in &yui_web::open_data::COLUMNS {
        assert!(html.contains(&format!("<code>{}</code>", c.name)), "{} in the dictionary", c.name);
    }
    assert!(html.contains(&settings.portal.data_license_url));
    let (_, en) = app.page("/data?lang=en").await;
    assert!(en.contains("Data dictionary") && en.contains("Licence"));
    app.page("/?lang=ja").await;
    assert!(app.page("/").await.1.contains("href=\"/data\""), "linked from the footer");
    assert!(app.page("/sitemap.xml").await.1.contains("/data</loc>"));
}

#[actix_web::test]
async fn before_the_first_export_the_page_says_so_and_the_files_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let app = TestApp::spawn_with(|s| s.open_data_dir = path).await;
    assert!(app.page("/data").await.1.contains("まだ作成されていません"));
    assert_eq!(app.page("/data/postings.jsonl.gz").await.0, 404);
}

/// A succession listing the public pages show, with its owner's details filled in.
pub(crate) fn listed_succession(conn: &mut yui_db::DbConnection) -> yui_db::succession::Listing {
    let coordinator = common::staff(conn, "coord@center.example", "editor", ("center", "事業承継センター"));
    let input = yui_domain::succession::ListingInput {
        public_name: "比美町の鮮魚店".into(),
        industry: "鮮魚小売".into(),
        area: "比美町".into(),
        revenue_band: "10m_50m".into(),
        handover: "premises".into(),
        terms: "transfer".into(),
        description: "朝どれの魚を60年売ってきました。".into(),
        owner_name: "魚住 源一郎".into(),
        owner_email: "genichiro.owner@sakana.example".into(),
        owner_phone: "0766-99-4321".into(),
        ..Default::default()
    };
    let draft = yui_domain::succession::ListingDraft::parse(&input).unwrap();
    let content = yui_db::succession::ListingContent::from_draft(draft, None, coordinator.organization_id);
    let actor = Actor { staff_id: Some(coordinator.id), organization_id: Some(coordinator.organization_id) };
    let l = yui_db::succession::create(conn, &content, actor, now()).unwrap();
    let current = yui_db::succession::find(conn, l.id).unwrap().unwrap();
    if !current.status.is_listed() {
        yui_db::succession::set_status(
            conn,
            l.id,
            current.version,
            yui_domain::SuccessionStatus::Open,
            None,
            actor,
            now(),
        )
        .unwrap();
    }

    l
}

#[actix_web::test]
async fn the_succession_api_shows_public_fields_and_never_the_owner() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let l = listed_succession(&mut conn);

    let (status, list) = app.page("/api/v1/succession").await;
    assert_eq!(status, 200);
    let (_, one) = app.page(&format!("/api/v1/succession/{}", l.public_id)).await;
    for body in [&list, &one] {
        assert!(body.contains("比美町の鮮魚店") && body.contains("license"));
        for private in ["魚住", "genichiro", "0766-99-4321", "manage"] {
            assert!(!body.contains(private), "{private} must never be public");
        }
    }
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], l.public_id.as_str());

    let (status, body) = app.page("/api/v1/succession/Zz9Zz9Zz9Z").await;
    assert_eq!(status, 404);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"]["code"], "not_found");
    let (status, body) = app.page("/api/v1/succession?page=zero").await;
    assert_eq!(status, 400);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"]["code"], "bad_request");
}

#[actix_web::test]
async fn the_articles_api_lists_published_articles_only() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let id = crate::articles::published_column(&mut conn, "ima", None);
    crate::articles::published_column(&mut conn, "mirai", Some(now() + chrono::Duration::days(3)));

    let (status, body) = app.page("/api/v1/articles").await;
    assert_eq!(status, 200);
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(list["total"], 1, "not the scheduled one");
    assert_eq!(list["items"][0]["slug"], "ima");
    assert!(list["items"][0]["url"].as_str().unwrap().ends_with("/columns/ima"));
    assert!(!body.contains("@desk.example"), "no staff addresses");
    for key in ["ima".to_owned(), id.to_string()] {
        let (status, body) = app.page(&format!("/api/v1/articles/{key}")).await;
        assert_eq!(status, 200, "{key}");
        assert!(body.contains("\"slug\":\"ima\""));
    }
    let (status, body) = app.page("/api/v1/articles/mirai").await;
    assert_eq!(status, 404);
    assert!(body.contains("\"not_found\""));
    assert_eq!(app.page("/api/v1/articles?page=0").await.0, 400);
}
