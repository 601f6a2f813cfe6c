//! Owners' requests for a succession listing (issue 20): the public form, kept private to the
//! chosen organisation's staff (admins see all), confirmed by mail with a withdraw link, turned
//! into a draft listing, and deleted on schedule once closed.

use crate::common::{self, hidden_value, Session, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::outbox::OutboxEmail;
use yui_db::schema::{outbox_emails, succession_requests};
use yui_db::staff::StaffUser;
use yui_db::DbConnection;
use yui_domain::succession::request::{OwnerRequest, RequestForm, RequestStatus};

const OWNER: &str = "owner.sakana@example.jp";
const OWNER_NAME: &str = "氷見 鮮太郎";
const BUSINESS: &str = "MARKER鮮魚店";

fn editor(conn: &mut DbConnection, email: &str, role: &'static str, org: &str) -> StaffUser {
    common::staff(conn, email, role, (org, &format!("{org}の団体")))
}

fn form(csrf: &str, organization: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("website_url", String::new()),
        ("business_name", BUSINESS.into()),
        ("industry", "fishery".into()),
        ("area", "比美町".into()),
        ("years_in_business", "６２".into()),
        ("staff_band", "2_4".into()),
        ("reason", "体力的に続けるのが難しく、来年の春までに引き継ぎたい。".into()),
        ("handover", "店舗、屋号、常連のお客さま".into()),
        ("contact_name", OWNER_NAME.into()),
        ("contact_email", OWNER.into()),
        ("contact_phone", "0766-00-0000".into()),
        ("organization", organization.into()),
        ("consent", "yes".into()),
    ]
}

async fn visit(app: &TestApp) -> (Session, String) {
    let s = Session::anonymous(app);
    let (status, page) = s.get("/succession/request").await;
    assert_eq!(status, 200, "{page}");
    let csrf = hidden_value(&page, "csrf");
    (s, csrf)
}

async fn send(s: &Session, form: &[(&str, String)]) -> (u16, String) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post("/succession/request", &form).await
}

fn outbox(app: &TestApp) -> Vec<OutboxEmail> {
    outbox_emails::table.order(outbox_emails::id.asc()).select(OutboxEmail::as_select()).load(&mut app.conn()).unwrap()
}

fn request_count(app: &TestApp) -> i64 {
    succession_requests::table.count().get_result(&mut app.conn()).unwrap()
}

#[actix_web::test]
async fn a_request_reaches_only_its_organisation_and_the_owner_can_withdraw_it() {
    common::logs::capture();
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    editor(&mut conn, "coord@shoko.example", "editor", "himi-shoko");
    editor(&mut conn, "outsider@other.example", "editor", "other-org");
    editor(&mut conn, "root@yui.example", "admin", "yui-admins");

    let (_, list) = app.page("/succession").await;
    assert!(list.contains("href=\"/succession/request\""), "linked from /succession");
    let (s, csrf) = visit(&app).await;
    let (status, location) = send(&s, &form(&csrf, "himi-shoko")).await;
    assert_eq!((status, location.as_str()), (303, "/succession/request/sent"));
    assert!(s.get("/succession/request/sent").await.1.contains("ご相談を受け付けました"));
    let id: i32 = succession_requests::table.select(succession_requests::id).first(&mut app.conn()).unwrap();

    // The owner's confirmation, and the coordinators' notice that names no one.
    let mails = outbox(&app);
    assert_eq!(mails.len(), 2, "{mails:?}");
    let confirm = mails.iter().find(|m| m.recipients == OWNER).unwrap();
    assert!(confirm.body_text.contains("himi-shokoの団体"), "{}", confirm.body_text);
    let notice = mails.iter().find(|m| m.recipients == "coord@shoko.example").unwrap();
    for private in [OWNER, OWNER_NAME, BUSINESS] {
        assert!(!notice.subject.contains(private) && !notice.body_text.contains(private), "{private} in the notice");
    }
    assert!(notice.body_text.contains("/admin/succession/requests"));

    // The organisation's coordinator and an admin read it; another organisation gets 404.
    let coord = Session::login(&app, "coord@shoko.example").await;
    let (status, page) = coord.get(&format!("/admin/succession/requests/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(OWNER_NAME) && page.contains(OWNER));
    assert!(coord.get("/admin/succession/requests").await.1.contains(BUSINESS));
    let outsider = Session::login(&app, "outsider@other.example").await;
    assert_eq!(outsider.get(&format!("/admin/succession/requests/{id}")).await.0, 404);
    assert_eq!(outsider.get(&format!("/admin/succession/new?from_request={id}")).await.0, 404);
    let csrf_o = outsider.csrf().await;
    let (status, _) = outsider
        .post(&format!("/admin/succession/requests/{id}"), &[("csrf", &csrf_o), ("status", "declined"), ("notes", "x")])
        .await;
    assert_eq!(status, 404);
    assert!(!outsider.get("/admin/succession/requests").await.1.contains(BUSINESS));
    let root = Session::login(&app, "root@yui.example").await;
    assert!(root.get("/admin/succession/requests").await.1.contains(BUSINESS));

    // Status and note; the draft listing form is pre-filled, its public name left to write.
    let csrf_c = coord.csrf().await;
    let path = format!("/admin/succession/requests/{id}");
    let (status, _) =
        coord.post(&path, &[("csrf", &csrf_c), ("status", "in_conversation"), ("notes", "来週訪問")]).await;
    assert_eq!(status, 303);
    assert!(coord.get(&path).await.1.contains("来週訪問"));
    let (status, draft) = coord.get(&format!("/admin/succession/new?from_request={id}")).await;
    assert_eq!(status, 200);
    assert!(draft.contains(OWNER) && draft.contains("水産・漁業") && draft.contains("店舗、屋号、常連のお客さま"));

    // Nothing of the owner on a public page, feed or API.
    for public in ["/succession", "/feeds/succession.atom", "/sitemap.xml", "/api/v1/jobs", "/succession/request"] {
        let (_, body) = app.page(public).await;
        for private in [OWNER, OWNER_NAME, BUSINESS] {
            assert!(!body.contains(private), "{private} on {public}");
        }
    }

    // The withdraw link asks first; the button deletes everything.
    let start = confirm.body_text.find("/succession/request/withdraw/").unwrap();
    let link: String = confirm.body_text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    let w = Session::anonymous(&app);
    let (status, ask) = w.get(&link).await;
    assert_eq!(status, 200);
    assert_eq!(request_count(&app), 1);
    let csrf_w = hidden_value(&ask, "csrf");
    let (_, done) = w.post(&link, &[("csrf", &csrf_w)]).await;
    assert!(done.contains("ご相談を取り下げ、内容を削除しました"), "{done}");
    assert_eq!(request_count(&app), 0);
    assert!(w.get(&link).await.1.contains("このリンクのご相談は見つかりません"));
    let token = link.trim_start_matches("/succession/request/withdraw/");
    for private in [OWNER, OWNER_NAME, BUSINESS, token] {
        assert!(common::logs::lines_with(private).is_empty(), "{private} in the log");
    }
}

#[actix_web::test]
async fn bad_requests_get_japanese_field_messages_and_bots_forgeries_and_floods_are_refused() {
    let app = TestApp::spawn_with(|s| s.succession.requests_per_hour = 2).await;
    editor(&mut app.conn(), "coord@shoko.example", "editor", "himi-shoko");
    editor(&mut app.conn(), "root@yui.example", "admin", "yui-admins");
    let (s, csrf) = visit(&app).await;

    let mut bad = form(&csrf, "no-such-org");
    for (k, v) in bad.iter_mut() {
        match *k {
            "industry" => *v = "mining".into(),
            "reason" | "consent" | "staff_band" => v.clear(),
            "contact_email" => *v = "not an address".into(),
            _ => {}
        }
    }
    let (status, html) = send(&s, &bad).await;
    assert_eq!(status, 422);
    for message in ["一覧から選んでください", "後継者を探す理由を入力してください", "同意が必要です"]
    {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains(OWNER_NAME), "what was typed is kept");
    let (_, en) = s.get("/succession/request?lang=en").await;
    assert!(en.contains("Send the request"));
    s.get("/succession/request?lang=ja").await;

    let mut forged = form("", "auto");
    forged.retain(|(k, _)| *k != "csrf");
    assert_eq!(send(&s, &forged).await.0, 403);
    let mut bot = form(&csrf, "auto");
    bot.iter_mut().find(|(k, _)| *k == "website_url").unwrap().1 = "http://spam.example".into();
    assert_eq!(send(&s, &bot).await.0, 303);
    assert_eq!(request_count(&app), 0);
    assert!(outbox(&app).is_empty());

    let statuses = [
        send(&s, &form(&csrf, "auto")).await.0,
        send(&s, &form(&csrf, "auto")).await.0,
        send(&s, &form(&csrf, "auto")).await.0,
    ];
    assert_eq!(statuses, [303, 303, 429]);
    assert_eq!(request_count(&app), 2);
    // "Let Yui choose": no organisation, so only admins may open it, and only they are told.
    let left: Option<i32> =
        succession_requests::table.select(succession_requests::organization_id).first(&mut app.conn()).unwrap();
    assert_eq!(left, None);
    let told: Vec<String> = outbox(&app).into_iter().map(|m| m.recipients).collect();
    assert!(told.iter().any(|r| r == "root@yui.example"), "{told:?}");
    assert!(!told.iter().any(|r| r.contains("coord@shoko.example")), "{told:?}");
}

#[actix_web::test]
async fn closed_requests_are_deleted_the_retention_period_after_closing() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let settings = common::test_settings();
    let days = i64::from(settings.succession.request_retention_days);
    let typed = RequestForm {
        business_name: BUSINESS.into(),
        industry: "fishery".into(),
        area: "比美町".into(),
        staff_band: "owner_only".into(),
        reason: "高齢のため".into(),
        handover: "店舗".into(),
        contact_name: OWNER_NAME.into(),
        contact_email: OWNER.into(),
        organization: "auto".into(),
        consent: "yes".into(),
        ..RequestForm::default()
    };
    let parsed = OwnerRequest::parse(&typed, &["fishery"], &["比美町"], &[]).unwrap();
    let now = yui_db::now();
    let mut ids = Vec::new();
    for (hash, status, closed) in [
        ("h-old", RequestStatus::Declined, now - Duration::days(days + 1)),
        ("h-recent", RequestStatus::Listed, now - Duration::days(days - 1)),
        ("h-open", RequestStatus::InConversation, now - Duration::days(days + 30)),
    ] {
        let id = yui_db::succession_requests::add(&mut conn, &parsed, hash, closed).unwrap();
        yui_db::succession_requests::set(&mut conn, id, status, "", closed).unwrap();
        ids.push(id);
    }
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    yui_web::lifecycle::run_once(&mut conn, ctx, now).unwrap();
    let left: Vec<i32> = succession_requests::table
        .order(succession_requests::id.asc())
        .select(succession_requests::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(left, ids[1..].to_vec(), "only the request closed over the retention period ago is gone");
}
