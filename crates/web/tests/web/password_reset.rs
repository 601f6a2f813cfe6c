//! A forgotten staff password, reset by an emailed link: the whole way through a real SMTP
//! server, and each way a link or a request is refused.

use crate::common::smtp::{self, SmtpServer};
use crate::common::{staff, Session, TestApp, PASSWORD};
use diesel::prelude::*;
use yui_db::schema::{staff_password_resets, staff_users};

const SENT: &str = "入力されたアドレスが運営メンバーのものであれば、パスワード再設定のリンクをお送りしました。";
const NEW_PASSWORD: &str = "a brand new harbour password";

/// Asks for a link for `email` as a visitor would: status and body.
async fn ask(s: &Session, email: &str) -> (u16, String) {
    let csrf = s.csrf_on("/admin/password/forgot").await;
    s.post("/admin/password/forgot", &[("csrf", &csrf), ("email", email)]).await
}

/// The path of the reset link in a letter's text.
fn link_in(text: &str) -> String {
    let start = text.find("/admin/password/reset/").unwrap_or_else(|| panic!("no link in {text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// The reset links queued in the outbox, newest first.
fn queued_links(app: &TestApp) -> Vec<String> {
    let rows = yui_db::outbox::list_recent(&mut app.conn(), 50).unwrap();
    rows.iter().filter(|r| r.body_text.contains("/admin/password/reset/")).map(|r| link_in(&r.body_text)).collect()
}

/// Posts a new password (twice) on a reset page: status and the redirect or body.
async fn set_password(s: &Session, path: &str, new: &str, again: &str) -> (u16, String) {
    let csrf = s.csrf_on("/admin/password/forgot").await;
    s.post(path, &[("csrf", &csrf), ("new", new), ("again", again)]).await
}

#[actix_web::test]
async fn a_staff_member_resets_a_forgotten_password_by_the_mailed_link_and_is_signed_out_everywhere() {
    if !smtp::available("password reset by mail") {
        return;
    }
    let app = TestApp::spawn().await;
    let server = SmtpServer::start();
    staff(&mut app.conn(), "Hana@Npo.example", "editor", ("npo", "NPO"));
    let old = Session::login(&app, "hana@npo.example").await;
    assert_eq!(old.get("/admin/review").await.0, 200);

    let visitor = Session::anonymous(&app);
    let (_, login) = visitor.get("/admin/login").await;
    assert!(login.contains("href=\"/admin/password/forgot\"") && login.contains("パスワードを忘れた場合"));
    let (status, html) = ask(&visitor, " HANA@npo.example ").await;
    assert_eq!(status, 200);
    assert!(html.contains(SENT), "{html}");

    let report = server.deliver_due(app.conn()).await;
    assert_eq!(report.sent, 1, "{report:?} {}", server.log());
    let mail = &server.messages()[0];
    assert_eq!(mail["to"][0], "Hana@Npo.example");
    assert!(mail["subject"].as_str().unwrap().contains("パスワードの再設定"), "{mail}");
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("http://127.0.0.1:8080/admin/password/reset/"), "the site's public address: {text}");
    let path = link_in(text);
    let token = path.rsplit('/').next().unwrap();
    assert_eq!(token.len(), 43, "32 random bytes");
    let stored: Vec<String> =
        staff_password_resets::table.select(staff_password_resets::token_hash).load(&mut app.conn()).unwrap();
    assert_eq!(stored, [yui_web::tokens::hash_token(token)], "only the hash is stored");

    let (status, html) = visitor.get(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"again\""), "{html}");
    let (status, html) = set_password(&visitor, &path, NEW_PASSWORD, "another one entirely").await;
    assert_eq!(status, 422);
    assert!(html.contains("新しいパスワードが確認欄と一致しません"), "{html}");
    let (status, html) = set_password(&visitor, &path, "short", "short").await;
    assert_eq!(status, 422);
    assert!(html.contains("新しいパスワードは12文字以上にしてください"), "{html}");
    let (status, html) =
        visitor.post(&path, &[("csrf", "forged"), ("new", NEW_PASSWORD), ("again", NEW_PASSWORD)]).await;
    assert_eq!(status, 403, "{html}");

    let (status, html) = set_password(&visitor, &path, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, 200);
    assert!(html.contains("新しいパスワードを設定しました") && html.contains("もう一度ログインしてください"), "{html}");

    assert_eq!(old.get("/admin/review").await.0, 303, "the old session ended");
    assert_eq!(Session::anonymous(&app).try_login("hana@npo.example", PASSWORD).await.0, 401);
    assert_eq!(Session::anonymous(&app).try_login("hana@npo.example", NEW_PASSWORD).await.0, 303);

    let (status, html) = visitor.get(&path).await;
    assert_eq!(status, 410, "a link works once");
    assert!(html.contains("このリンクはすでに使われています"), "{html}");
    let (status, html) = set_password(&visitor, &path, "yet another password!", "yet another password!").await;
    assert_eq!(status, 410);
    assert!(html.contains("このリンクはすでに使われています"), "{html}");
    assert_eq!(Session::anonymous(&app).try_login("hana@npo.example", NEW_PASSWORD).await.0, 303);
}

#[actix_web::test]
async fn an_unknown_or_inactive_address_gets_the_same_page_and_no_mail() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "hana@npo.example", "editor", ("npo", "NPO"));
    let gone = staff(&mut conn, "gone@npo.example", "editor", ("npo", "NPO"));
    yui_db::staff::set_active(&mut conn, gone.id, false, yui_db::now()).unwrap();
    let s = Session::anonymous(&app);

    let (status, known) = ask(&s, "hana@npo.example").await;
    assert_eq!(status, 200);
    assert_eq!(queued_links(&app).len(), 1);
    for email in ["nobody@npo.example", "gone@npo.example"] {
        let (status, html) = ask(&s, email).await;
        assert_eq!(status, 200, "{email}");
        assert_eq!(html, known, "{email}: the very same page");
    }
    assert_eq!(queued_links(&app).len(), 1, "no mail for an address without an active account");

    let (status, html) = ask(&s, "not an address").await;
    assert_eq!(status, 422);
    assert!(!html.contains(SENT), "{html}");
    let (status, _) = s.post("/admin/password/forgot", &[("csrf", "forged"), ("email", "hana@npo.example")]).await;
    assert_eq!(status, 403);
    assert_eq!(queued_links(&app).len(), 1);
}

#[actix_web::test]
async fn expired_unknown_and_superseded_links_are_refused_with_a_page_that_says_why() {
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "hana@npo.example", "editor", ("npo", "NPO"));
    let s = Session::anonymous(&app);
    ask(&s, "hana@npo.example").await;
    ask(&s, "hana@npo.example").await;
    let links = queued_links(&app);
    assert_eq!(links.len(), 2);
    let (newer, older) = (&links[0], &links[1]);

    let (status, html) = s.get("/admin/password/reset/no-such-token").await;
    assert_eq!(status, 404);
    assert!(html.contains("このリンクは使えません"), "{html}");

    // The clock set back: the newer link was mailed over an hour ago.
    let hash = yui_web::tokens::hash_token(newer.rsplit('/').next().unwrap());
    diesel::update(staff_password_resets::table.find(&hash))
        .set(staff_password_resets::expires_at.eq(yui_db::now() - chrono::Duration::minutes(1)))
        .execute(&mut app.conn())
        .unwrap();
    let (status, html) = s.get(newer).await;
    assert_eq!(status, 410);
    assert!(html.contains("有効期限（1時間）が切れています"), "{html}");
    let (status, _) = set_password(&s, newer, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, 410, "nor can it be posted to");

    let (status, _) = set_password(&s, older, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, 200, "the older link still works");
    let unused: i64 = staff_password_resets::table
        .filter(staff_password_resets::used_at.is_null())
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(unused, 0, "using one link spends every other of that person");
    let hash: String = staff_users::table.select(staff_users::password_hash).first(&mut app.conn()).unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    // An account deactivated after the link was mailed cannot be opened by it.
    ask(&s, "hana@npo.example").await;
    let fresh = queued_links(&app)[0].clone();
    let id = staff_users::table.select(staff_users::id).first::<i32>(&mut app.conn()).unwrap();
    yui_db::staff::set_active(&mut app.conn(), id, false, yui_db::now()).unwrap();
    assert_eq!(s.get(&fresh).await.0, 404);
}

#[actix_web::test]
async fn reset_requests_are_limited_per_address_asked_and_per_client() {
    let app = TestApp::spawn().await;
    staff(&mut app.conn(), "hana@npo.example", "editor", ("npo", "NPO"));
    let s = Session::anonymous(&app);
    for _ in 0..yui_web::state::RESETS_PER_ACCOUNT_PER_HOUR {
        assert_eq!(ask(&s, "hana@npo.example").await.0, 200);
    }
    let (status, html) = ask(&s, "HANA@npo.example").await;
    assert_eq!(status, 429, "whatever the case of the address");
    assert!(html.contains("再設定の申し込みが多すぎます。1時間ほど待ってから"), "{html}");
    assert_eq!(queued_links(&app).len(), 3);

    // The same client asking about other addresses runs out too.
    let left = yui_web::state::RESETS_PER_IP_PER_HOUR - yui_web::state::RESETS_PER_ACCOUNT_PER_HOUR - 1;
    for n in 0..left {
        assert_eq!(ask(&s, &format!("other{n}@npo.example")).await.0, 200);
    }
    let (status, html) = ask(&s, "someone.else@npo.example").await;
    assert_eq!(status, 429);
    assert!(html.contains("再設定の申し込みが多すぎます"), "{html}");
}
