//! `/admin/organizations`: admins add and edit the member organisations `/about` names; every
//! change is in the editorial log; bad input comes back with the field's message; others are
//! refused.

use crate::common::{staff, Session, TestApp};
use diesel::prelude::*;
use yui_db::schema::editorial_events;

fn org_form<'a>(csrf: &'a str, slug: &'a str, name: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("slug", slug),
        ("name", name),
        ("name_en", "Himi Fishermen's Cooperative"),
        ("kind", "business"),
        ("description", "漁港の求人をまとめています"),
        ("contact", "0766-00-1111"),
    ]
}

/// (action, note) of every log line about organisations, oldest first.
fn log(conn: &mut yui_db::DbConnection) -> Vec<(String, Option<String>, Option<i32>)> {
    editorial_events::table
        .filter(editorial_events::subject.eq("organization"))
        .order(editorial_events::id.asc())
        .select((editorial_events::action, editorial_events::note, editorial_events::actor_id))
        .load(conn)
        .unwrap()
}

#[actix_web::test]
async fn an_admin_creates_and_edits_an_organisation_and_about_shows_it() {
    let app = TestApp::spawn().await;
    let admin = staff(&mut app.conn(), "admin@city.example", "admin", ("city", "氷見市役所"));
    let s = Session::login(&app, "admin@city.example").await;

    let (status, html) = s.get("/admin/organizations").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/admin/organizations\""), "linked from the admin navigation");
    assert!(html.contains("氷見市役所") && html.contains(">1</td>"), "the existing one with its one member: {html}");
    let csrf = crate::common::hidden_value(&html, "csrf");

    let (status, to) = s.post("/admin/organizations", &org_form(&csrf, "himi-gyokyo", "氷見漁協")).await;
    assert_eq!((status, to.as_str()), (303, "/admin/organizations"));
    let (_, html) = s.get("/admin/organizations").await;
    assert!(html.contains("/admin/organizations/himi-gyokyo") && html.contains("氷見漁協"), "{html}");
    assert!(html.contains("事業者団体") && html.contains("0766-00-1111"), "{html}");

    let (_, about) = app.page("/about").await;
    assert!(about.contains("氷見漁協") && about.contains("漁港の求人をまとめています"), "{about}");

    let mut edit = org_form(&csrf, "renamed-slug", "氷見市漁業協同組合");
    edit.retain(|(k, _)| *k != "contact");
    edit.push(("contact", ""));
    let (status, to) = s.post("/admin/organizations/himi-gyokyo", &edit).await;
    assert_eq!((status, to.as_str()), (303, "/admin/organizations/himi-gyokyo?saved=1"));
    let (status, html) = s.get("/admin/organizations/himi-gyokyo?saved=1").await;
    assert_eq!(status, 200);
    assert!(html.contains("保存しました") && html.contains("value=\"氷見市漁業協同組合\""), "{html}");
    let org = yui_db::organizations::find_by_slug(&mut app.conn(), "himi-gyokyo").unwrap().unwrap();
    assert_eq!(org.name, "氷見市漁業協同組合");
    assert_eq!(org.contact, None, "an emptied field is cleared");
    assert!(
        yui_db::organizations::find_by_slug(&mut app.conn(), "renamed-slug").unwrap().is_none(),
        "the slug is fixed"
    );

    let (_, about) = app.page("/about?lang=en").await;
    assert!(about.contains("Himi Fishermen&#x27;s Cooperative") || about.contains("Himi Fishermen's Cooperative"));
    app.page("/about?lang=ja").await;

    let lines = log(&mut app.conn());
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!((lines[0].0.as_str(), lines[0].2), ("create", Some(admin.id)));
    assert_eq!((lines[1].0.as_str(), lines[1].2), ("edit", Some(admin.id)));
    assert!(lines[1].1.as_deref().unwrap().contains("name: 氷見市漁業協同組合"), "{lines:?}");
    assert!(html.contains("name: 氷見漁協") && html.contains("（作成）"), "the edit page shows the history: {html}");
}

#[actix_web::test]
async fn bad_input_comes_back_with_each_fields_message() {
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "admin@city.example", "admin", ("city", "氷見市役所"));
    let s = Session::login(&app, "admin@city.example").await;
    let csrf = s.csrf_on("/admin/organizations").await;

    let mut bad = org_form(&csrf, "氷見 漁協", "");
    bad.retain(|(k, _)| *k != "kind");
    bad.push(("kind", "club"));
    let (status, html) = s.post("/admin/organizations", &bad).await;
    assert_eq!(status, 422);
    assert!(html.contains("識別子は半角英数字と - _ で40文字以内にしてください"), "{html}");
    assert!(html.contains("種類を一覧から選んでください") && html.contains("入力してください"), "{html}");
    assert!(html.contains("value=\"氷見 漁協\""), "what was typed is kept");

    let (status, html) = s.post("/admin/organizations", &org_form(&csrf, "city", "別の市役所")).await;
    assert_eq!(status, 422);
    assert!(html.contains("この識別子はすでに使われています"), "{html}");

    let long = "あ".repeat(101);
    let (status, html) = s.post("/admin/organizations/city", &org_form(&csrf, "city", &long)).await;
    assert_eq!(status, 422);
    assert!(html.contains("100文字以内で入力してください"), "{html}");
    assert_eq!(log_len(&app), 0, "nothing refused is logged");

    let (status, _) = s.post("/admin/organizations/nowhere", &org_form(&csrf, "x", "x")).await;
    assert_eq!(status, 404);
    let (status, _) = s.get("/admin/organizations/nowhere").await;
    assert_eq!(status, 404);

    let (status, html) = s.post("/admin/organizations?lang=en", &org_form(&csrf, "", "x")).await;
    assert_eq!(status, 422);
    assert!(html.contains("Enter a short id (slug)"), "{html}");
    s.get("/admin/organizations?lang=ja").await;
}

fn log_len(app: &TestApp) -> usize {
    log(&mut app.conn()).len()
}

#[actix_web::test]
async fn only_admins_may_see_or_change_organisations_and_every_form_needs_its_token() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "admin@city.example", "admin", ("city", "氷見市役所"));
    staff(&mut conn, "editor@npo.example", "editor", ("npo", "NPO"));
    let editor = Session::login(&app, "editor@npo.example").await;
    let csrf = editor.csrf().await;
    let (_, page) = editor.get("/admin/password").await;
    assert!(!page.contains("/admin/organizations"), "no link for editors");
    for path in ["/admin/organizations", "/admin/organizations/city"] {
        assert_eq!(editor.get(path).await.0, 403, "GET {path}");
        assert_eq!(editor.post(path, &org_form(&csrf, "npo2", "x")).await.0, 403, "POST {path}");
    }
    let anonymous = Session::anonymous(&app);
    assert_eq!(anonymous.get("/admin/organizations").await.0, 303);

    let admin = Session::login(&app, "admin@city.example").await;
    let (status, _) = admin.post("/admin/organizations", &org_form("forged", "npo2", "x")).await;
    assert_eq!(status, 403, "a form without this session's token");
    assert_eq!(log_len(&app), 0);
    assert!(yui_db::organizations::find_by_slug(&mut conn, "npo2").unwrap().is_none());
}
