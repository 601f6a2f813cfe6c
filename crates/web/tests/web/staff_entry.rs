//! Postings entered by staff (`/admin/postings/new`): for a new employer with no email or one
//! found by name, pending, logged as staff's entry (by organisation in public), the manage
//! link mailed, and the four-eyes rule applied to whoever entered it.

use crate::common::{complete_terms, hidden_value, named_staff, staff, Session, TestApp};
use diesel::prelude::*;
use yui_db::schema::{employer_mail_holders, employers, outbox_emails, postings, review_events};
use yui_db::testing::fixtures;
use yui_db::DbConnection;

const NPO: (&str, &str) = ("npo", "NPO法人ひみ暮らし");
const CITY: (&str, &str) = ("city", "氷見市役所");

/// The form as an editor fills it for a job told on the phone; `employer` is `new` or an id.
fn entry_form(csrf: &str, employer: &str, employer_name: &str, email: &str) -> Vec<(&'static str, String)> {
    [
        ("csrf", csrf),
        ("q", ""),
        ("employer", employer),
        ("employer_name", employer_name),
        ("contact_name", "浜田"),
        ("email", email),
        ("phone", "0766-00-1111"),
        ("website", ""),
        ("title", "定置網の水揚げスタッフ"),
        ("employment_type", "part_time"),
        ("description", "朝の水揚げと選別。未経験でも先輩が教えます。"),
        ("category", ""),
        ("prefecture", "富山県"),
        ("municipality", "氷見市"),
        ("area", ""),
        ("address", "富山県氷見市比美町1-2"),
        ("remote", "onsite"),
        ("salary_unit", "hour"),
        ("salary_min", "1100"),
        ("salary_max", ""),
        ("requirements", ""),
        ("how_to_apply", "漁協（0766-00-1111）へお電話ください。"),
        ("valid_through", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .chain(complete_terms())
    .collect()
}

async fn post(session: &Session, form: &[(&'static str, String)]) -> (u16, String) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    session.post("/admin/postings/new", &pairs).await
}

/// The public id of the posting a successful entry redirected to.
fn entered_id(location: &str) -> String {
    let rest = location.strip_prefix("/admin/review/").unwrap_or_else(|| panic!("not a review page: {location}"));
    rest.strip_suffix("?done=staff_entry").unwrap_or_else(|| panic!("no done marker: {location}")).to_owned()
}

fn posting_of(conn: &mut DbConnection, public_id: &str) -> (i32, String, i32) {
    postings::table
        .filter(postings::public_id.eq(public_id))
        .select((postings::id, postings::status, postings::employer_id))
        .first(conn)
        .unwrap()
}

fn events(conn: &mut DbConnection, posting_id: i32) -> Vec<(String, Option<i32>)> {
    review_events::table
        .filter(review_events::posting_id.eq(posting_id))
        .order(review_events::id.asc())
        .select((review_events::action, review_events::actor_id))
        .load(conn)
        .unwrap()
}

fn mails_to(conn: &mut DbConnection, address: &str) -> Vec<String> {
    let rows: Vec<(String, String)> =
        outbox_emails::table.select((outbox_emails::recipients, outbox_emails::body_text)).load(conn).unwrap();
    rows.into_iter().filter(|(to, _)| to.contains(address)).map(|(_, body)| body).collect()
}

#[actix_web::test]
async fn an_editor_enters_a_posting_for_a_new_employer_without_email() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let editor = named_staff(&mut conn, "yamada@npo.example", "山田 花子", "editor", NPO);
    let session = Session::login(&app, "yamada@npo.example").await;
    let (status, html) = session.get("/admin/review").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/admin/postings/new\""), "the queue links to the form");
    let (status, html) = session.get("/admin/postings/new").await;
    assert_eq!(status, 200);
    assert!(html.contains("yamada@npo.example"), "the page says the link comes to the editor");
    let csrf = hidden_value(&html, "csrf");

    // The workplace was not told on the phone: staff may still enter it.
    let mut form = entry_form(&csrf, "new", "ひみ漁協テスト部", "");
    form.retain(|(k, _)| *k != "address");
    let (status, location) = post(&session, &form).await;
    assert_eq!(status, 303, "{location}");
    let public_id = entered_id(&location);
    let (posting_id, posting_status, employer_id) = posting_of(&mut conn, &public_id);
    assert_eq!(posting_status, "pending");
    assert_eq!(events(&mut conn, posting_id), vec![("staff_entry".to_owned(), Some(editor.id))]);
    let email: String = employers::table.find(employer_id).select(employers::email).first(&mut conn).unwrap();
    assert!(email.ends_with("@no-email.invalid"), "{email}");
    let holder: i32 = employer_mail_holders::table
        .find(employer_id)
        .select(employer_mail_holders::staff_id)
        .first(&mut conn)
        .unwrap();
    assert_eq!(holder, editor.id);
    let receipts = mails_to(&mut conn, "yamada@npo.example");
    assert!(receipts.iter().any(|body| body.contains("/manage/")), "the manage link goes to the editor: {receipts:?}");
    assert!(mails_to(&mut conn, "no-email.invalid").is_empty(), "nothing is addressed to the stand-in");
    // The link the editor hands over opens the employer's page, without the stand-in address.
    let body = receipts.iter().find(|body| body.contains("/manage/")).unwrap();
    let start = body.find("/manage/").unwrap();
    let token: String = body[start + "/manage/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let (status, html) = app.page(&format!("/manage/{token}")).await;
    assert_eq!(status, 200, "/manage/{token}");
    assert!(html.contains("定置網の水揚げスタッフ"));
    assert!(!html.contains("no-email.invalid"), "the stand-in address is not shown to the employer");

    let (status, html) = session.get(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("代理で登録しました"));
    assert!(html.contains("編集部が代理で登録"), "the log names the entry");
    assert!(html.contains("法律で明示が必要な事項の不足"), "the missing workplace is named for review");
    assert!(!html.contains("no-email.invalid"), "the stand-in address is not shown");
    assert!(html.contains("メールなし（yamada@npo.example に届きます）"));
    assert!(html.contains("· 編集部が代理で登録 ·"), "the page names how it came in");

    // The public log names the organisation, never the person.
    let (status, html) = app.page("/transparency/log").await;
    assert_eq!(status, 200);
    assert!(html.contains("編集部が代理で登録"));
    assert!(html.contains(NPO.1));
    assert!(!html.contains("山田"), "no person in the public log");
}

#[actix_web::test]
async fn an_editor_enters_a_posting_for_an_employer_found_by_name() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "editor@npo.example", "editor", NPO);
    let known = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    fixtures::employer(&mut conn, "喫茶うみ", "umi@example.jp").unwrap();
    let session = Session::login(&app, "editor@npo.example").await;

    let (status, html) = session.get("/admin/employers/search?q=%E3%81%AF%E3%81%BE").await; // 「はま」
    assert_eq!(status, 200);
    let radio = format!("name=\"employer\" value=\"{}\"", known.id);
    assert!(html.contains(&radio), "the match is a choice");
    assert!(!html.contains("喫茶うみ"), "only names containing the query");
    let (_, none) = session.get("/admin/employers/search?q=%25").await;
    assert!(!none.contains("name=\"employer\" value=\"1\"") && none.contains("id=\"no-match\""), "% is no wildcard");

    let csrf = hidden_value(&html, "csrf");
    // What is typed in the new-employer fields does not change the chosen employer.
    let id = known.id.to_string();
    let (status, location) = post(&session, &entry_form(&csrf, &id, "別の名前", "other@example.jp")).await;
    assert_eq!(status, 303, "{location}");
    let (_, posting_status, employer_id) = posting_of(&mut conn, &entered_id(&location));
    assert_eq!((posting_status.as_str(), employer_id), ("pending", known.id));
    let name: String = employers::table.find(known.id).select(employers::name).first(&mut conn).unwrap();
    assert_eq!(name, "民宿はまかぜ");
    assert_eq!(employers::table.count().get_result::<i64>(&mut conn).unwrap(), 2, "no employer added");
    assert!(mails_to(&mut conn, "hamakaze@example.jp").iter().any(|b| b.contains("/manage/")));
    assert!(mails_to(&mut conn, "other@example.jp").is_empty());
}

#[actix_web::test]
async fn bad_entries_are_refused_with_field_messages_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "editor@npo.example", "editor", NPO);
    staff(&mut conn, "writer@npo.example", "writer", NPO);
    let session = Session::login(&app, "editor@npo.example").await;
    let csrf = session.csrf_on("/admin/postings/new").await;
    let (status, html) = session.get("/admin/postings/new?lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Enter a posting for an employer") && html.contains("The email is optional"));
    assert_eq!(session.get("/admin/postings/new?lang=ja").await.0, 200);

    let mut form = entry_form(&csrf, "new", "", "not-an-address");
    form.retain(|(k, _)| *k != "title");
    let (status, html) = post(&session, &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"err-employer_name\""), "the employer's name is asked for");
    assert!(html.contains("id=\"err-email\""), "a wrong address is named");
    assert!(html.contains("id=\"err-title\""), "the title is asked for");
    assert!(html.contains("メールアドレスの形式"), "in Japanese");
    assert!(html.contains("error-summary"));
    assert!(html.contains("value=\"浜田\""), "what was typed stays in the form");

    let (status, html) = post(&session, &entry_form(&csrf, "999999", "", "")).await;
    assert_eq!(status, 422);
    assert!(html.contains("選んだ事業者が見つかりません"));
    let (status, _) = post(&session, &entry_form(&csrf, "abc", "", "")).await;
    assert_eq!(status, 422);

    // No CSRF token: refused before anything is read.
    let mut form = entry_form(&csrf, "new", "ひみ漁協テスト部", "");
    form.retain(|(k, _)| *k != "csrf");
    let (status, _) = post(&session, &form).await;
    assert_eq!(status, 403);

    // A writer may not review, so may not enter postings either.
    let writer = Session::login(&app, "writer@npo.example").await;
    assert_eq!(writer.get("/admin/postings/new").await.0, 403);
    assert_eq!(writer.get("/admin/employers/search?q=a").await.0, 403);
    let writer_csrf = writer.csrf().await;
    let (status, _) = post(&writer, &entry_form(&writer_csrf, "new", "ひみ漁協テスト部", "")).await;
    assert_eq!(status, 403);

    assert_eq!(postings::table.count().get_result::<i64>(&mut conn).unwrap(), 0);
    assert_eq!(employers::table.count().get_result::<i64>(&mut conn).unwrap(), 0);
    assert_eq!(outbox_emails::table.count().get_result::<i64>(&mut conn).unwrap(), 0);
}

#[actix_web::test]
async fn whoever_entered_a_posting_cannot_approve_it_with_four_eyes() {
    let app = TestApp::spawn_with(|s| s.review.four_eyes = true).await;
    let mut conn = app.conn();
    staff(&mut conn, "npo@npo.example", "editor", NPO);
    let city_editor = staff(&mut conn, "city@city.example", "editor", CITY);
    let npo = Session::login(&app, "npo@npo.example").await;
    let csrf = npo.csrf_on("/admin/postings/new").await;
    let (status, location) = post(&npo, &entry_form(&csrf, "new", "ひみ漁協テスト部", "gyokyo@example.jp")).await;
    assert_eq!(status, 303, "{location}");
    let public_id = entered_id(&location);
    let (posting_id, _, _) = posting_of(&mut conn, &public_id);

    let approve = format!("/admin/review/{public_id}/approve");
    let (status, html) = npo.post(&approve, &[("csrf", &csrf), ("version", "1")]).await;
    assert_eq!(status, 403);
    assert!(html.contains("代理で登録したのがあなた"), "the block page says why");
    assert_eq!(posting_of(&mut conn, &public_id).1, "pending");

    let city = Session::login(&app, "city@city.example").await;
    let csrf = city.csrf_on(&format!("/admin/review/{public_id}")).await;
    let (status, location) = city.post(&approve, &[("csrf", &csrf), ("version", "1")]).await;
    assert_eq!((status, location), (303, format!("/admin/review/{public_id}?done=approve")));
    assert_eq!(posting_of(&mut conn, &public_id).1, "published");
    let logged = events(&mut conn, posting_id);
    assert_eq!(logged.last(), Some(&("approve".to_owned(), Some(city_editor.id))));
    assert!(mails_to(&mut conn, "gyokyo@example.jp").len() >= 2, "receipt and publication reach the employer");
}
