//! Hello Work's job data (issue 16 items 3-4), on the backend `YUI_TEST_BACKEND` names: files
//! made up here (fictional offices, numbers of office 99999), in UTF-8 with BOM and in
//! Shift_JIS; import, re-import, updates, a full export, quarantine, the upload page and the
//! public page of a Hello Work posting.

use crate::common::{test_settings, Session, TestApp};
use diesel::prelude::*;
use yui_db::schema::{outbox_emails, postings, review_events};
use yui_domain::StaffRole;

const HEADER: &str = "求人番号,事業所名,職種,仕事の内容,雇用形態,就業場所,賃金,就業時間,休日,加入保険,試用期間,受付年月日,紹介期限日,必要な経験等,事業所所在地,電話番号";

/// One job sheet row of a fictional office; `n` makes the number 99999-0000000n.
pub fn row(n: u32, title: &str, description: &str) -> String {
    format!(
        "99999-{n:08},架空浜水産株式会社,{title},\"{description}\",パート労働者,富山県氷見市架空町1-{n},時給 1000円～1200円,8:00～17:00,日曜日,雇用 労災,なし,2026/11/20,2099/1/31,不問,富山県氷見市架空町1-1,0766-00-0000"
    )
}

/// A file in UTF-8 with a BOM, as spreadsheets save it.
pub fn utf8_bom(rows: &[String]) -> Vec<u8> {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(format!("{HEADER}\r\n{}\r\n", rows.join("\r\n")).as_bytes());
    bytes
}

/// The same in Shift_JIS, as Hello Work's own exports come.
fn shift_jis(rows: &[String]) -> Vec<u8> {
    let text = format!("{HEADER}\r\n{}\r\n", rows.join("\r\n"));
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable, "the fixture is Shift_JIS text");
    bytes.into_owned()
}

fn import(app: &TestApp, bytes: &[u8], full: bool) -> yui_db::hellowork::ImportRun {
    let settings = test_settings();
    yui_web::hellowork::import(&mut app.conn(), &settings, bytes, "test.csv", full, Default::default())
        .expect("the database answers")
        .expect("the file reads")
}

fn counts(run: &yui_db::hellowork::ImportRun) -> [i32; 5] {
    [run.created, run.updated, run.unchanged, run.ended, run.quarantined]
}

/// The posting of a job number: its public id, status and title.
fn posting_of(app: &TestApp, number: &str) -> (String, String, String, i32) {
    use yui_db::schema::posting_origins;
    posting_origins::table
        .inner_join(postings::table)
        .filter(posting_origins::external_id.eq(number))
        .select((postings::public_id, postings::status, postings::title, postings::version))
        .first(&mut app.conn())
        .unwrap()
}

/// A multipart form as a browser sends it: text fields and one file.
pub fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> (String, Vec<u8>) {
    let boundary = "----yuitestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some(file) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hw.csv\"\r\nContent-Type: text/csv\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(session: &Session, fields: &[(&str, &str)], file: Option<&[u8]>) -> (u16, String) {
    let (content_type, body) = multipart(fields, file);
    let res = session
        .client
        .post(format!("{}/admin/hellowork", session.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, location.unwrap_or(res.text().await.unwrap()))
}

async fn editor(app: &TestApp) -> Session {
    Session { client: app.login_as(StaffRole::Editor).await, base: app.address.clone() }
}

#[actix_web::test]
async fn both_encodings_import_and_the_same_file_again_changes_nothing() {
    let app = TestApp::spawn().await;
    let rows = vec![row(1, "水産加工スタッフ", "魚をさばく仕事です。"), row(2, "配送ドライバー", "市内の配送です。")];
    assert_eq!(counts(&import(&app, &shift_jis(&rows), false)), [2, 0, 0, 0, 0]);
    let (_, status, title, version) = posting_of(&app, "99999-00000001");
    assert_eq!((status.as_str(), title.as_str()), ("pending", "水産加工スタッフ"));
    // The same rows in the other encoding are the same rows.
    assert_eq!(counts(&import(&app, &utf8_bom(&rows), false)), [0, 0, 2, 0, 0]);
    assert_eq!(posting_of(&app, "99999-00000001").3, version, "an unchanged row is not written");
    let events: i64 = review_events::table
        .filter(review_events::action.eq("hellowork_import"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(events, 2);
}

#[actix_web::test]
async fn a_changed_row_updates_a_pending_posting_and_waits_for_review_when_published() {
    let app = TestApp::spawn().await;
    import(&app, &utf8_bom(&[row(1, "水産加工スタッフ", "旧い説明"), row(2, "配送ドライバー", "旧い説明")]), false);
    // Number 2 is published by an editor.
    let (public_id, _, _, version) = posting_of(&app, "99999-00000002");
    let session = editor(&app).await;
    let csrf = session.csrf_on(&format!("/admin/review/{public_id}")).await;
    let (status, _) = session
        .post(&format!("/admin/review/{public_id}/approve"), &[("csrf", &csrf), ("version", &version.to_string())])
        .await;
    assert_eq!(status, 303, "a Hello Work posting is approved without the override reason");

    let run = import(
        &app,
        &utf8_bom(&[row(1, "水産加工スタッフ", "新しい説明"), row(2, "配送ドライバー", "新しい説明")]),
        false,
    );
    assert_eq!(counts(&run), [0, 2, 0, 0, 0]);
    let description = |id: &str| -> String {
        postings::table.filter(postings::public_id.eq(id)).select(postings::description).first(&mut app.conn()).unwrap()
    };
    let pending_id = posting_of(&app, "99999-00000001").0;
    assert!(description(&pending_id).starts_with("新しい説明"), "the pending posting took the new row");
    assert!(description(&public_id).starts_with("旧い説明"), "the public text stays until an editor applies");
    let (_, public_page) = app.page(&format!("/jobs/{public_id}")).await;
    assert!(public_page.contains("旧い説明") && !public_page.contains("新しい説明"));
    // The editors see the change as a correction with its diff, and can apply it.
    let (_, review) = session.get(&format!("/admin/review/{public_id}")).await;
    assert!(review.contains("新しい説明"), "the review page shows the proposed text");
    let version = posting_of(&app, "99999-00000002").3.to_string();
    let (status, _) = session
        .post(&format!("/admin/review/{public_id}/apply_revision"), &[("csrf", &csrf), ("version", &version)])
        .await;
    assert_eq!(status, 303, "a Hello Work update is applied despite its legal gaps");
    assert!(description(&public_id).starts_with("新しい説明"));
    let mails: i64 = outbox_emails::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(mails, 0, "no mail goes to an office without an address");
}

#[actix_web::test]
async fn a_full_export_ends_the_numbers_it_lacks_and_a_partial_one_does_not() {
    let app = TestApp::spawn().await;
    let all = [row(1, "一", "説明"), row(2, "二", "説明"), row(3, "三", "説明")];
    import(&app, &utf8_bom(&all), true);
    assert_eq!(counts(&import(&app, &utf8_bom(&all[..1]), false)), [0, 0, 1, 0, 0], "a partial file ends nothing");
    assert_eq!(counts(&import(&app, &utf8_bom(&all[..1]), true)), [0, 0, 1, 2, 0]);
    assert_eq!(posting_of(&app, "99999-00000002").1, "closed");
    assert_eq!(posting_of(&app, "99999-00000001").1, "pending");
    let reason: Option<String> = review_events::table
        .filter(review_events::action.eq("close"))
        .select(review_events::reason_code)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(reason.as_deref(), Some(yui_db::hellowork::MISSING_FROM_EXPORT));
}

#[actix_web::test]
async fn the_upload_page_imports_and_reports_quarantined_rows_by_line() {
    let app = TestApp::spawn().await;
    let session = editor(&app).await;
    let csrf = session.csrf_on("/admin/hellowork").await;
    let rows = vec![
        row(1, "水産加工スタッフ", "魚をさばく仕事です。"),
        "99999-00000002,短い行".to_owned(),
        row(3, "事務", "=HYPERLINK(\"\"http://example.jp\"\",\"\"x\"\") <b>太字</b>"),
        row(4, "", "職種がない"),
    ];
    let (status, location) = upload(&session, &[("csrf", &csrf)], Some(&shift_jis(&rows))).await;
    assert_eq!(status, 303, "{location}");
    let (status, page) = session.get(&location).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"<dd class="created">2</dd>"#), "{page}");
    assert!(page.contains(r#"<dd class="quarantined">2</dd>"#));
    assert!(
        page.contains("<td>3</td><td>99999-00000002</td><td>列の数が見出し行と違います"),
        "line 3 is the ragged row"
    );
    assert!(page.contains("<td>5</td><td>99999-00000004</td><td>求人に必要な項目"), "line 5 lacks a title");
    // The formula and the HTML are text, escaped on the page.
    let (public_id, ..) = posting_of(&app, "99999-00000003");
    let (_, review) = session.get(&format!("/admin/review/{public_id}")).await;
    assert!(review.contains("&#x3D;HYPERLINK(&quot;http://example.jp&quot;"), "the formula is kept as text");
    assert!(review.contains("&lt;b&gt;太字&lt;/b&gt;") && !review.contains("<b>太字</b>"));
    // The queue filter shows Hello Work's postings only.
    let mut conn = app.conn();
    let cafe = yui_db::testing::fixtures::employer(&mut conn, "架空カフェ", "cafe@example.jp").unwrap();
    let input = yui_db::testing::fixtures::input("カフェの店員", "part_time");
    let (now, end) = (yui_db::now(), yui_db::now() + chrono::Duration::days(30));
    yui_db::testing::fixtures::pending(&mut conn, &cafe, input, now, end).unwrap();
    let (_, queue) = session.get("/admin/review?source=hellowork").await;
    assert!(queue.contains("水産加工スタッフ") && queue.contains("ハローワーク求人"));
    assert!(!queue.contains("カフェの店員"), "the filter leaves out the employers' own postings");
    let (_, all) = session.get("/admin/review").await;
    assert!(all.contains("カフェの店員") && all.contains("水産加工スタッフ"));
}

#[actix_web::test]
async fn files_that_cannot_be_read_are_refused_whole_with_a_message() {
    let app = TestApp::spawn().await;
    let session = editor(&app).await;
    let csrf = session.csrf_on("/admin/hellowork").await;
    let cases: [(&[u8], &str); 3] = [
        (b"%PDF-1.4\n\xff\xfe\xfd binary", "文字コードを読み取れません"),
        ("事業所名,職種\n架空,事務\n".as_bytes(), "「求人番号」の列がありません"),
        ("ただの文章です\n二行目\n".as_bytes(), "CSVファイルではありません"),
    ];
    for (file, message) in cases {
        let (status, page) = upload(&session, &[("csrf", &csrf)], Some(file)).await;
        assert_eq!(status, 422);
        assert!(page.contains(message), "{message}: {page}");
    }
    let (status, page) = upload(&session, &[("csrf", &csrf)], None).await;
    assert_eq!(status, 422);
    assert!(page.contains("ファイルを選んでください"));
    let too_large = vec![b'a'; yui_ingest::hellowork::MAX_BYTES + 1];
    let (status, page) = upload(&session, &[("csrf", &csrf)], Some(&too_large)).await;
    assert_eq!(status, 413);
    assert!(page.contains("20MBまで"));
    let stored: i64 = postings::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(stored, 0);
}

#[actix_web::test]
async fn the_upload_needs_the_session_token_and_the_review_permission() {
    let app = TestApp::spawn().await;
    let file = utf8_bom(&[row(1, "水産加工スタッフ", "説明")]);
    let session = editor(&app).await;
    let (status, _) = upload(&session, &[("csrf", "forged")], Some(&file)).await;
    assert_eq!(status, 403);
    let writer = Session { client: app.login_as(StaffRole::Writer).await, base: app.address.clone() };
    let csrf = writer.csrf().await;
    let (status, _) = upload(&writer, &[("csrf", &csrf)], Some(&file)).await;
    assert_eq!(status, 403);
    assert_eq!(writer.get("/admin/hellowork").await.0, 403);
    let stored: i64 = postings::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(stored, 0);
}

#[actix_web::test]
async fn the_public_page_sends_seekers_to_hello_work_and_relays_nothing() {
    let app = TestApp::spawn().await;
    import(&app, &utf8_bom(&[row(1, "水産加工スタッフ", "魚をさばく仕事です。")]), false);
    let (public_id, _, _, version) = posting_of(&app, "99999-00000001");
    let session = editor(&app).await;
    let csrf = session.csrf_on(&format!("/admin/review/{public_id}")).await;
    let note = "朝が早い分、**昼過ぎには終わります**。<script>alert(1)</script>";
    let (status, _) = session
        .post(
            &format!("/admin/review/{public_id}/note"),
            &[("csrf", &csrf), ("version", &version.to_string()), ("note", note)],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _) = session
        .post(&format!("/admin/review/{public_id}/approve"), &[("csrf", &csrf), ("version", &version.to_string())])
        .await;
    assert_eq!(status, 303);

    let (status, page) = app.page(&format!("/jobs/{public_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("ハローワーク求人") && page.contains("99999-00000001"));
    assert!(page.contains("紹介状"), "how to apply: through a Hello Work referral");
    assert!(page.contains("https://www.hellowork.mhlw.go.jp/"));
    assert!(!page.contains("contact-form"), "no contact form");
    assert!(page.contains("<strong>昼過ぎには終わります</strong>") && !page.contains("<script>alert"));
    let form = [("name", "架空 太郎"), ("email", "taro@example.jp"), ("message", "応募したいです。")];
    let res = app.client.post(format!("{}/jobs/{public_id}/contact", app.address)).form(&form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 409);
    assert!(res.text().await.unwrap().contains("ハローワークの紹介"));
    let mails: i64 = outbox_emails::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(mails, 0);
}

#[actix_web::test]
async fn lists_the_api_and_feeds_filter_by_source_and_cards_show_it() {
    let app = TestApp::spawn().await;
    import(&app, &utf8_bom(&[row(1, "水産加工スタッフ", "魚をさばく仕事です。")]), false);
    let mut conn = app.conn();
    let (public_id, _, _, version) = posting_of(&app, "99999-00000001");
    let id: i32 =
        postings::table.filter(postings::public_id.eq(&public_id)).select(postings::id).first(&mut conn).unwrap();
    let approve = yui_domain::PostingAction::Approve;
    yui_db::postings::apply_action(
        &mut conn,
        id,
        version,
        approve,
        Default::default(),
        Default::default(),
        yui_db::now(),
    )
    .unwrap();
    let cafe = yui_db::testing::fixtures::employer(&mut conn, "架空カフェ", "cafe@example.jp").unwrap();
    let input = yui_db::testing::fixtures::input("カフェの店員", "part_time");
    yui_db::testing::fixtures::published(&mut conn, &cafe, input, yui_db::now()).unwrap();

    let (_, all) = app.page("/jobs").await;
    assert!(all.contains("カフェの店員") && all.contains("水産加工スタッフ"));
    assert_eq!(all.matches(r#"class="badge source-hellowork""#).count(), 1, "only the Hello Work card has the badge");
    let (_, home) = app.page("/").await;
    assert_eq!(home.matches(r#"class="badge source-hellowork""#).count(), 1, "the home page's cards too");
    let (_, hw) = app.page("/jobs?source=hellowork").await;
    assert!(hw.contains("水産加工スタッフ") && !hw.contains("カフェの店員"));
    let (_, own) = app.page("/jobs?source=yui").await;
    assert!(own.contains("カフェの店員") && !own.contains("水産加工スタッフ"));
    assert_eq!(app.page("/jobs?source=elsewhere").await.0, 400);

    let api: serde_json::Value = app.get("/api/v1/jobs?source=hellowork").await.json().await.unwrap();
    assert_eq!(api["total"], 1);
    assert_eq!(api["items"][0]["source"], "hellowork");
    assert_eq!(api["items"][0]["hellowork_number"], "99999-00000001");
    let api: serde_json::Value = app.get("/api/v1/jobs?source=yui").await.json().await.unwrap();
    assert_eq!((api["total"].clone(), api["items"][0]["source"].clone()), (1.into(), "yui".into()));
    let (_, feed) = app.page("/feeds/jobs.atom?source=hellowork").await;
    assert!(feed.contains("水産加工スタッフ") && !feed.contains("カフェの店員"));
}
