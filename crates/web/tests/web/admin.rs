//! The review queue over HTTP, on the backend `YUI_TEST_BACKEND` names: logging in, who may open
//! what (the authorization matrix), each decision and each refusal.

use crate::common::{hidden_value, staff, Session, TestApp, PASSWORD};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::schema::{editorial_events, employers, outbox_emails, postings, review_events, staff_users, submissions};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};

/// A pending posting with a complete set of fields; returns its public id.
fn pending(conn: &mut DbConnection, title: &str) -> String {
    let e = fixtures::employer(conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    fixtures::pending(
        conn,
        &e,
        fixtures::input(title, "part_time"),
        now() - Duration::hours(30),
        now() + Duration::days(30),
    )
    .unwrap()
    .public_id
}

fn status_of(conn: &mut DbConnection, public_id: &str) -> String {
    postings::table.filter(postings::public_id.eq(public_id)).select(postings::status).first(conn).unwrap()
}

#[actix_web::test]
async fn the_authorization_matrix_holds_for_every_admin_route() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "admin@city.example", "admin", ("city", "city"));
    staff(&mut conn, "editor@npo.example", "editor", ("npo", "npo"));
    staff(&mut conn, "writer@desk.example", "writer", ("desk", "desk"));
    let posting = pending(&mut conn, "漁師見習い");

    let gets = [
        "/admin",
        "/admin/review",
        "/admin/review?tab=quarantined",
        &format!("/admin/review/{posting}"),
        "/admin/staff",
        "/admin/password",
    ];
    // (role, expected status per GET route above)
    let matrix: [(&str, [u16; 6]); 4] = [
        ("anonymous", [303, 303, 303, 303, 303, 303]),
        ("writer@desk.example", [303, 403, 403, 403, 403, 200]),
        ("editor@npo.example", [303, 200, 200, 200, 403, 200]),
        ("admin@city.example", [303, 200, 200, 200, 200, 200]),
    ];
    for (who, expected) in matrix {
        let s = if who == "anonymous" { Session::anonymous(&app) } else { Session::login(&app, who).await };
        for (path, want) in gets.iter().zip(expected) {
            let (status, body) = s.get(path).await;
            assert_eq!(status, want, "{who} GET {path}");
            if want == 403 {
                assert!(body.contains("権限がありません"), "{who} {path}: a page that says why");
            }
        }
        // State-changing routes: a writer is refused before anything happens.
        if who == "writer@desk.example" {
            let csrf = s.csrf().await;
            for path in [
                format!("/admin/review/{posting}/approve"),
                "/admin/submissions/1/replay".into(),
                "/admin/submissions/1/discard".into(),
                "/admin/staff".into(),
                "/admin/staff/1".into(),
                "/admin/employers/1/organization".into(),
            ] {
                let (status, _) = s.post(&path, &[("csrf", &csrf), ("version", "1"), ("reason", "x")]).await;
                assert_eq!(status, 403, "writer POST {path}");
            }
        }
        if who == "anonymous" {
            let (status, location) = s.post(&format!("/admin/review/{posting}/approve"), &[("version", "1")]).await;
            assert_eq!(status, 303);
            assert!(location.starts_with("/admin/login?next="), "{location}");
        }
    }
    assert_eq!(status_of(&mut conn, &posting), "pending", "nothing was decided by the refused requests");
}

#[actix_web::test]
async fn login_logout_wrong_passwords_and_the_rate_limit() {
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "editor@npo.example", "editor", ("npo", "npo"));
    let s = Session::anonymous(&app);
    let (status, html) = s.try_login("editor@npo.example", "wrong password!!").await;
    assert_eq!(status, 401);
    assert!(html.contains("メールアドレスかパスワードが違います"), "{html}");
    let (status, html) = s.try_login("nobody@npo.example", PASSWORD).await;
    assert_eq!(status, 401, "an unknown address gets the same answer");
    assert!(html.contains("メールアドレスかパスワードが違います"));

    let s = Session::login(&app, "editor@npo.example").await;
    assert_eq!(s.get("/admin/review").await.0, 200);
    let csrf = s.csrf().await;
    let (status, location) = s.post("/admin/logout", &[("csrf", &csrf)]).await;
    assert_eq!((status, location.as_str()), (303, "/admin/login"));
    assert_eq!(s.get("/admin/review").await.0, 303, "the session is gone");

    // Five attempts a minute per address: three were used above, so the sixth is refused.
    let s = Session::anonymous(&app);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(s.try_login("editor@npo.example", "wrong password!!").await.0);
    }
    assert_eq!(statuses, [401, 401, 429], "{statuses:?}");
    let (status, html) = s.try_login("editor@npo.example", PASSWORD).await;
    assert_eq!(status, 429, "even the right password waits");
    assert!(html.contains("1分ほど待って"), "{html}");
}

#[actix_web::test]
async fn login_redirects_only_inside_the_admin_area_and_needs_its_csrf_token() {
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "editor@npo.example", "editor", ("npo", "npo"));
    let s = Session::anonymous(&app);
    let (_, html) = s.get("/admin/login?next=https://evil.example/").await;
    assert!(html.contains("name=\"next\" value=\"/admin\""), "an outside next is dropped");
    let (status, _) =
        s.post("/admin/login", &[("csrf", "forged"), ("email", "editor@npo.example"), ("password", PASSWORD)]).await;
    assert_eq!(status, 403);
}

#[actix_web::test]
async fn staff_emails_are_kept_as_typed_and_matched_whatever_their_case() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let user = staff(&mut conn, "MixedCase@Example.jp", "editor", ("npo", "npo"));
    assert_eq!(user.email, "MixedCase@Example.jp", "stored as typed");
    for typed in ["MixedCase@Example.jp", "mixedcase@example.jp", " MIXEDCASE@EXAMPLE.JP "] {
        let (status, _) = Session::anonymous(&app).try_login(typed, PASSWORD).await;
        assert_eq!(status, 303, "{typed:?} logs in");
    }
    // One address, however capitalised, is one account: refused by the duplicate check, and by
    // the database for anything that bypasses it.
    let again = yui_db::staff::NewStaffUser { email: "mixedcase@EXAMPLE.JP", ..new_staff_user(user.organization_id) };
    let refused = yui_db::staff::create(&mut conn, &again).unwrap_err();
    assert!(matches!(refused, yui_db::DbError::Exists(_)), "{refused}");
    let inserted = diesel::insert_into(staff_users::table).values(&again).execute(&mut conn);
    assert!(inserted.is_err(), "the unique index folds case");
    assert_eq!(staff_users::table.count().get_result::<i64>(&mut conn).unwrap(), 1);
}

fn new_staff_user(organization_id: i32) -> yui_db::staff::NewStaffUser<'static> {
    yui_db::staff::NewStaffUser {
        organization_id,
        email: "",
        display_name: "二人目",
        password_hash: "!locked",
        role: "editor",
        active: true,
        created_at: now(),
        updated_at: now(),
    }
}

#[actix_web::test]
async fn a_staff_forms_token_is_good_for_its_own_session_only() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "one@npo.example", "editor", ("npo", "npo"));
    staff(&mut conn, "two@city.example", "editor", ("city", "city"));
    let p = pending(&mut conn, "求人D");
    let approve = format!("/admin/review/{p}/approve");

    // One browser: the token of the login page, and of a page opened in a session since ended,
    // are both refused once someone signs in again; the page says it expired.
    let s = Session::anonymous(&app);
    let (_, html) = s.get("/admin/login").await;
    let login_token = hidden_value(&html, "csrf");
    let (status, _) =
        s.post("/admin/login", &[("csrf", &login_token), ("email", "one@npo.example"), ("password", PASSWORD)]).await;
    assert_eq!(status, 303);
    let first = s.csrf().await;
    assert_eq!(s.post("/admin/logout", &[("csrf", &first)]).await.0, 303);
    let (status, _) = s.try_login("two@city.example", PASSWORD).await;
    assert_eq!(status, 303);
    for stale in [&login_token, &first] {
        let (status, html) = s.post(&approve, &[("csrf", stale.as_str()), ("version", "1")]).await;
        assert_eq!(status, 403);
        assert!(html.contains("有効期限"), "worded as an expired page: {html}");
        assert_eq!(status_of(&mut conn, &p), "pending");
    }
    // Another person's session's token is refused too; the session's own token works.
    let other = Session::login(&app, "one@npo.example").await;
    let theirs = other.csrf().await;
    assert_eq!(s.post(&approve, &[("csrf", &theirs), ("version", "1")]).await.0, 403);
    let own = s.csrf().await;
    assert_ne!(own, theirs);
    assert_eq!(s.post(&approve, &[("csrf", &own), ("version", "1")]).await.0, 303);
    assert_eq!(status_of(&mut conn, &p), "published");
}

#[actix_web::test]
async fn approving_publishes_logs_and_mails_the_employer() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "editor@npo.example", "editor", ("npo", "npo"));
    let posting = pending(&mut conn, "民宿の朝食スタッフ");
    let s = Session::login(&app, "editor@npo.example").await;
    let (status, html) = s.get(&format!("/admin/review/{posting}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("法律で明示が必要な事項の不足"), "the fixture states every legal item: {html}");
    assert!(html.contains("通算") || html.contains("期間の定めなし"), "the terms are shown to the editor");
    let csrf = hidden_value(&html, "csrf");

    // Without the CSRF token nothing happens.
    let (status, _) = s.post(&format!("/admin/review/{posting}/approve"), &[("version", "1")]).await;
    assert_eq!(status, 403);
    assert_eq!(status_of(&mut conn, &posting), "pending");

    let (status, location) = s
        .post(&format!("/admin/review/{posting}/approve"), &[("csrf", &csrf), ("version", "1"), ("message", "")])
        .await;
    assert_eq!(status, 303, "{location}");
    assert_eq!(status_of(&mut conn, &posting), "published");
    assert_eq!(app.page(&format!("/jobs/{posting}")).await.0, 200, "on the portal now");
    let (action, org): (String, Option<i32>) = review_events::table
        .order(review_events::id.desc())
        .select((review_events::action, review_events::organization_id))
        .first(&mut conn)
        .unwrap();
    assert_eq!(action, "approve");
    assert!(org.is_some(), "the editor's organisation is on record");
    let (to, body): (String, String) = outbox_emails::table
        .order(outbox_emails::id.desc())
        .select((outbox_emails::recipients, outbox_emails::body_text))
        .first(&mut conn)
        .unwrap();
    assert_eq!(to, "hamakaze@example.jp");
    assert!(body.contains("/manage/") && body.contains(&format!("/jobs/{posting}")), "{body}");
}

#[actix_web::test]
async fn asking_for_changes_and_rejecting_need_a_reason_and_a_message() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "editor@npo.example", "editor", ("npo", "npo"));
    let a = pending(&mut conn, "求人A");
    let b = pending(&mut conn, "求人B");
    let s = Session::login(&app, "editor@npo.example").await;
    let csrf = s.csrf().await;

    let (status, html) =
        s.post(&format!("/admin/review/{a}/request_changes"), &[("csrf", &csrf), ("version", "1")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("理由を選んでください"));
    let form = [("csrf", csrf.as_str()), ("version", "1"), ("reason", "missing_conditions"), ("message", "")];
    let (status, html) = s.post(&format!("/admin/review/{a}/request_changes"), &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("メッセージを書いてください"));
    let form = [
        ("csrf", csrf.as_str()),
        ("version", "1"),
        ("reason", "missing_conditions"),
        ("message", "休日を書いてください"),
    ];
    assert_eq!(s.post(&format!("/admin/review/{a}/request_changes"), &form).await.0, 303);
    assert_eq!(status_of(&mut conn, &a), "changes_requested");
    let body: String =
        outbox_emails::table.order(outbox_emails::id.desc()).select(outbox_emails::body_text).first(&mut conn).unwrap();
    assert!(body.contains("休日を書いてください") && body.contains("/manage/"), "{body}");

    let form = [("csrf", csrf.as_str()), ("version", "1"), ("reason", "spam"), ("message", "宣伝のみの内容です")];
    assert_eq!(s.post(&format!("/admin/review/{b}/reject"), &form).await.0, 303);
    assert_eq!(status_of(&mut conn, &b), "rejected");
    let (code, text): (Option<String>, Option<String>) = review_events::table
        .order(review_events::id.desc())
        .select((review_events::reason_code, review_events::reason_text))
        .first(&mut conn)
        .unwrap();
    assert_eq!((code.as_deref(), text.as_deref()), (Some("spam"), Some("宣伝のみの内容です")));

    // The domain forbids deciding again: a clear conflict, nothing changes.
    let form = [("csrf", csrf.as_str()), ("version", "2"), ("message", "")];
    let (status, html) = s.post(&format!("/admin/review/{b}/approve"), &form).await;
    assert_eq!(status, 409);
    assert!(html.contains("ほかの人が操作しました"), "{html}");
    assert_eq!(status_of(&mut conn, &b), "rejected");
}

#[actix_web::test]
async fn two_editors_at_once_the_second_gets_a_conflict_not_an_overwrite() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "one@npo.example", "editor", ("npo", "npo"));
    staff(&mut conn, "two@city.example", "editor", ("city", "city"));
    let p = pending(&mut conn, "求人C");
    let one = Session::login(&app, "one@npo.example").await;
    let two = Session::login(&app, "two@city.example").await;
    let (c1, c2) = (one.csrf().await, two.csrf().await);
    // Both opened the page at version 1.
    assert_eq!(one.post(&format!("/admin/review/{p}/approve"), &[("csrf", &c1), ("version", "1")]).await.0, 303);
    let form = [("csrf", c2.as_str()), ("version", "1"), ("reason", "spam"), ("message", "重複です")];
    let (status, html) = two.post(&format!("/admin/review/{p}/reject"), &form).await;
    assert_eq!(status, 409);
    assert!(html.contains("ほかの人が操作しました"));
    assert_eq!(status_of(&mut conn, &p), "published");
}

#[actix_web::test]
async fn conflict_of_interest_and_four_eyes() {
    let app = TestApp::spawn_with(|s| s.review.four_eyes = true).await;
    let mut conn = app.conn();
    staff(&mut conn, "npo@npo.example", "editor", ("npo", "npo"));
    staff(&mut conn, "city@city.example", "editor", ("city", "city"));
    let p = pending(&mut conn, "NPOの事務局スタッフ");
    // The NPO's editor declares that the employer is linked to their own organisation.
    let npo_editor = Session::login(&app, "npo@npo.example").await;
    let csrf = npo_editor.csrf().await;
    let employer: i32 = employers::table.select(employers::id).first(&mut conn).unwrap();
    let form = [("csrf", csrf.as_str()), ("org", "npo"), ("back", p.as_str())];
    let (status, location) = npo_editor.post(&format!("/admin/employers/{employer}/organization"), &form).await;
    assert_eq!((status, location), (303, format!("/admin/review/{p}")));
    let npo = yui_db::organizations::find_by_slug(&mut conn, "npo").unwrap().unwrap();
    let linked: Option<i32> = employers::table.select(employers::organization_id).first(&mut conn).unwrap();
    assert_eq!(linked, Some(npo.id));

    let (_, html) = npo_editor.get(&format!("/admin/review/{p}")).await;
    assert!(html.contains("所属団体の関係先"), "the page says why approving is not offered");
    let csrf = hidden_value(&html, "csrf");
    let (status, html) =
        npo_editor.post(&format!("/admin/review/{p}/approve"), &[("csrf", &csrf), ("version", "1")]).await;
    assert_eq!(status, 403);
    assert!(html.contains("所属団体の関係先"));
    assert_eq!(status_of(&mut conn, &p), "pending");

    // The city editor corrects the content, so under four eyes must not approve it alone.
    let city = Session::login(&app, "city@city.example").await;
    let (_, html) = city.get(&format!("/admin/review/{p}")).await;
    let csrf = hidden_value(&html, "csrf");
    // The form as the browser sends it: every field, two of them changed.
    let mut edit: Vec<(&str, String)> = [
        ("employment_type", "part_time"),
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
        ("requirements", "普通自動車免許"),
        ("how_to_apply", "電話でご連絡ください。"),
        ("valid_through", ""),
        ("duties_scope", "変更なし"),
        ("workplace_scope", "変更なし"),
        ("contract", "indefinite"),
        ("breaks", "60分"),
        ("overtime", "no"),
        ("fixed_overtime", "no"),
    ]
    .iter()
    .map(|(k, v)| (*k, (*v).to_owned()))
    .collect();
    for name in ["salary_min", "municipality"] {
        let shown = field_value(&html, name);
        assert_eq!(edit.iter().find(|(k, _)| *k == name).unwrap().1, shown, "the form starts from the stored {name}");
    }
    assert!(html.contains("<option value=\"hibi\" selected>"), "the district select starts from 比美町");
    edit.extend([
        ("csrf", csrf.clone()),
        ("version", "1".into()),
        ("title", "NPOの事務局スタッフ（週3日）".into()),
        ("smoking", "敷地内禁煙".into()),
    ]);
    let form: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, location) = city.post(&format!("/admin/review/{p}/edit"), &form).await;
    assert_eq!(status, 303, "{location}");
    let diff: Option<String> = review_events::table
        .filter(review_events::action.eq("edit"))
        .select(review_events::diff)
        .first(&mut conn)
        .unwrap();
    let diff: serde_json::Value = serde_json::from_str(&diff.unwrap()).unwrap();
    assert_eq!(diff["title"]["to"], "NPOの事務局スタッフ（週3日）");
    assert_eq!(diff["smoking"]["to"], "敷地内禁煙");
    assert!(diff.get("description").is_none(), "only what changed: {diff}");
    let (status, html) = city.post(&format!("/admin/review/{p}/approve"), &[("csrf", &csrf), ("version", "2")]).await;
    assert_eq!(status, 403);
    assert!(html.contains("4つの目"));

    // A third editor from another organisation may.
    staff(&mut conn, "desk@desk.example", "editor", ("desk", "desk"));
    let desk = Session::login(&app, "desk@desk.example").await;
    let csrf = desk.csrf().await;
    assert_eq!(desk.post(&format!("/admin/review/{p}/approve"), &[("csrf", &csrf), ("version", "2")]).await.0, 303);
    assert_eq!(status_of(&mut conn, &p), "published");
}

#[actix_web::test]
async fn the_conflicted_cannot_lift_their_own_link_and_every_link_change_is_on_the_record() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "npo@npo.example", "editor", ("npo", "港のNPO"));
    staff(&mut conn, "city@city.example", "editor", ("city", "氷見市役所"));
    let p = pending(&mut conn, "港のNPOの事務局スタッフ");
    let employer: i32 = employers::table.select(employers::id).first(&mut conn).unwrap();
    let link = format!("/admin/employers/{employer}/organization");
    let linked = |conn: &mut DbConnection| -> Option<i32> {
        employers::table.find(employer).select(employers::organization_id).first(conn).unwrap()
    };
    let npo = yui_db::organizations::find_by_slug(&mut conn, "npo").unwrap().unwrap();

    // The NPO's editor declares the link to their own organisation: approving is blocked.
    let a = Session::login(&app, "npo@npo.example").await;
    let csrf = a.csrf().await;
    assert_eq!(a.post(&link, &[("csrf", &csrf), ("org", "npo"), ("back", &p)]).await.0, 303);
    assert_eq!(linked(&mut conn), Some(npo.id));
    let (_, html) = a.get(&format!("/admin/review/{p}")).await;
    assert!(!html.contains(&link) && html.contains("ほかの団体の編集者が行います"), "no form, but why");
    // The attack: clear the link (or move it elsewhere), then approve. Both are refused.
    for org in ["", "city"] {
        let (status, html) = a.post(&link, &[("csrf", &csrf), ("org", org), ("back", &p)]).await;
        assert_eq!(status, 403, "org={org:?}");
        assert!(html.contains("ほかの団体の編集者が行います"), "{html}");
        assert_eq!(linked(&mut conn), Some(npo.id), "org={org:?}: the link stays");
    }
    let (status, _) = a.post(&format!("/admin/review/{p}/approve"), &[("csrf", &csrf), ("version", "1")]).await;
    assert_eq!(status, 403);
    assert_eq!(status_of(&mut conn, &p), "pending");

    // An editor of another organisation may clear it.
    let b = Session::login(&app, "city@city.example").await;
    let csrf = b.csrf().await;
    assert_eq!(b.post(&link, &[("csrf", &csrf), ("org", ""), ("back", &p)]).await.0, 303);
    assert_eq!(linked(&mut conn), None);

    // Both changes are decisions in the editorial log, with who and which organisation.
    let logged: Vec<(String, String, String, Option<i32>)> = editorial_events::table
        .filter(editorial_events::subject.eq("employer"))
        .filter(editorial_events::subject_id.eq(employer))
        .order(editorial_events::id.asc())
        .select((
            editorial_events::action,
            editorial_events::from_status,
            editorial_events::to_status,
            editorial_events::organization_id,
        ))
        .load(&mut conn)
        .unwrap();
    let city = yui_db::organizations::find_by_slug(&mut conn, "city").unwrap().unwrap();
    assert_eq!(
        logged,
        [
            ("employer_link".into(), "".into(), "npo".into(), Some(npo.id)),
            ("employer_unlink".into(), "npo".into(), "".into(), Some(city.id)),
        ]
    );
    // And in the public log, by organisation, naming neither the person nor the employer.
    let (status, html) = app.page("/transparency/log").await;
    assert_eq!(status, 200);
    assert!(html.contains("ある事業者の関係先: なし → 港のNPO"), "{html}");
    assert!(html.contains("ある事業者の関係先: 港のNPO → なし"), "{html}");
    assert!(html.contains("事業者の関係先を解除") && html.contains("氷見市役所"), "{html}");
    assert!(!html.contains("民宿はまかぜ") && !html.contains("city@city.example"), "{html}");
    let (_, json) = app.page("/transparency/log.json").await;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let newest = &json["events"][0];
    assert_eq!(newest["action"], "employer_unlink");
    assert_eq!(newest["employer_link"]["from"], "港のNPO");
    assert_eq!(newest["by"]["name"], "氷見市役所");
    let decisions: i64 = review_events::table.count().get_result(&mut conn).unwrap();
    assert_eq!(json["total"], decisions + 2, "the two link changes count as lines: {json}");
}

/// The value of the text input named `name` in a rendered form.
fn field_value(html: &str, name: &str) -> String {
    hidden_value(html, name)
}

#[actix_web::test]
async fn quarantined_submissions_can_be_rerun_or_discarded_with_a_reason() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "editor@npo.example", "editor", ("npo", "npo"));
    let store = |conn: &mut DbConnection, id: &str, body: &str| {
        let new = yui_db::submissions::NewSubmission {
            source: "native",
            external_id: id,
            received_at: now(),
            headers: "{}",
            raw_body: body.as_bytes(),
            signature_ok: true,
            status: yui_db::submissions::QUARANTINED,
            error: Some("必須の回答が足りません"),
        };
        yui_db::submissions::insert_or_existing(conn, &new).unwrap().unwrap().id
    };
    let good = store(
        &mut conn,
        "good-0000000000001",
        "title=t&description=d&employment_type=part_time&how_to_apply=a&employer_name=e&email=e%40example.jp",
    );
    let junk = store(&mut conn, "junk-0000000000001", "title=%E5%AE%A3%E4%BC%9D");
    let s = Session::login(&app, "editor@npo.example").await;
    let (status, html) = s.get("/admin/review?tab=quarantined").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("/admin/submissions/{good}")) && html.contains(&format!("/admin/submissions/{junk}"))
    );
    let (status, html) = s.get(&format!("/admin/submissions/{junk}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("%E5%AE%A3%E4%BC%9D"), "the raw body is shown as received: {html}");
    let csrf = hidden_value(&html, "csrf");

    let (status, location) = s.post(&format!("/admin/submissions/{good}/replay"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/admin/review/"), "{location}");
    let (status, html) = s.post(&format!("/admin/submissions/{junk}/replay"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 422);
    assert!(html.contains("まだ取り込めません"));

    assert_eq!(s.post(&format!("/admin/submissions/{junk}/discard"), &[("csrf", &csrf), ("reason", "")]).await.0, 422);
    let (status, _) =
        s.post(&format!("/admin/submissions/{junk}/discard"), &[("csrf", &csrf), ("reason", "宣伝")]).await;
    assert_eq!(status, 303);
    let (reason, raw): (Option<String>, Vec<u8>) = submissions::table
        .find(junk)
        .select((submissions::discard_reason, submissions::raw_body))
        .first(&mut conn)
        .unwrap();
    assert_eq!(reason.as_deref(), Some("宣伝"));
    assert!(!raw.is_empty(), "kept on record");
    assert_eq!(yui_db::submissions::count_quarantined(&mut conn).unwrap(), 0);
    // A discarded submission does not come back by a replay.
    assert_eq!(s.post(&format!("/admin/submissions/{junk}/discard"), &[("csrf", &csrf), ("reason", "x")]).await.0, 409);
}

#[actix_web::test]
async fn admins_manage_staff_and_deactivation_ends_sessions_at_once() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "admin@city.example", "admin", ("city", "city"));
    let editor = staff(&mut conn, "editor@npo.example", "editor", ("npo", "npo")).id;
    let admin = Session::login(&app, "admin@city.example").await;
    let ed = Session::login(&app, "editor@npo.example").await;
    let csrf = admin.csrf().await;

    let (status, html) = admin
        .post(
            "/admin/staff",
            &[("csrf", &csrf), ("name", "新人"), ("email", "new@npo.example"), ("role", "writer"), ("org", "npo")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("初期パスワード"), "the generated password is shown once");
    let role: String = staff_users::table
        .filter(staff_users::email.eq("new@npo.example"))
        .select(staff_users::role)
        .first(&mut conn)
        .unwrap();
    assert_eq!(role, "writer");
    let (status, html) = admin
        .post(
            "/admin/staff",
            &[("csrf", &csrf), ("name", "二重"), ("email", "NEW@npo.example"), ("role", "writer"), ("org", "npo")],
        )
        .await;
    assert_eq!(status, 422, "one account per address, whatever its case");
    assert!(html.contains("NEW@npo.example の運営メンバーはすでにいます"), "said in Japanese on the page");

    assert_eq!(admin.post(&format!("/admin/staff/{editor}"), &[("csrf", &csrf), ("role", "admin")]).await.0, 303);
    assert_eq!(ed.get("/admin/staff").await.0, 200, "the new role applies to the running session");
    assert_eq!(admin.post(&format!("/admin/staff/{editor}"), &[("csrf", &csrf), ("active", "0")]).await.0, 303);
    assert_eq!(ed.get("/admin/review").await.0, 303, "signed out at once");
    assert_eq!(Session::anonymous(&app).try_login("editor@npo.example", PASSWORD).await.0, 401);
}

#[actix_web::test]
async fn changing_ones_password_signs_out_other_sessions() {
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "editor@npo.example", "editor", ("npo", "npo"));
    let here = Session::login(&app, "editor@npo.example").await;
    let elsewhere = Session::login(&app, "editor@npo.example").await;
    let csrf = here.csrf().await;
    let new = "a much longer new passphrase";
    let (status, html) =
        here.post("/admin/password", &[("csrf", &csrf), ("current", "wrong"), ("new", new), ("again", new)]).await;
    assert_eq!(status, 422);
    assert!(html.contains("いまのパスワードが違います"));
    let (status, html) = here
        .post("/admin/password", &[("csrf", &csrf), ("current", PASSWORD), ("new", "short"), ("again", "short")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("12文字以上"));
    let (status, _) =
        here.post("/admin/password", &[("csrf", &csrf), ("current", PASSWORD), ("new", new), ("again", new)]).await;
    assert_eq!(status, 303);
    assert_eq!(here.get("/admin/review").await.0, 200, "this session stays");
    assert_eq!(elsewhere.get("/admin/review").await.0, 303, "the other one ends");
    assert_eq!(Session::anonymous(&app).try_login("editor@npo.example", new).await.0, 303);
}
