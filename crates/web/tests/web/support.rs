//! The supporter programme: sign-up confirmed by email (48 h), the wall shows only confirmed
//! supporters who chose to appear, leaving deletes in one click, and bad input is answered
//! with messages. Also the spreading kit: banners (one with the live count), share links,
//! and the embeddable widget, the only page that may be framed.

use crate::common::{hidden_value, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::now;
use yui_db::outbox::OutboxEmail;
use yui_db::schema::{outbox_emails, supporters};
use yui_db::testing::fixtures;

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

async fn csrf_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let res = client.get(format!("{}{path}", app.address)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "{path}");
    hidden_value(&res.text().await.unwrap(), "csrf")
}

fn form(csrf: &str, email: &str, name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("website_url", String::new()),
        ("email", email.to_owned()),
        ("name", name.to_owned()),
        ("kind", "business".into()),
        ("support_types", "banner".into()),
        ("support_types", "money".into()),
        ("message", "いつも見ています".into()),
        ("on_wall", "1".into()),
    ]
}

async fn post(app: &TestApp, client: &reqwest::Client, path: &str, form: &[(&str, String)]) -> (u16, String) {
    let res = client.post(format!("{}{path}", app.address)).form(form).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The confirmation link's path from the newest email to `to`.
fn link_in_mail(app: &TestApp, to: &str, prefix: &str) -> String {
    let mut conn = app.conn();
    let mail: OutboxEmail = outbox_emails::table
        .filter(outbox_emails::recipients.eq(to))
        .order(outbox_emails::id.desc())
        .select(OutboxEmail::as_select())
        .first(&mut conn)
        .unwrap();
    let start = mail.body_text.find(prefix).unwrap();
    let rest = &mail.body_text[start..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    rest[..end].to_owned()
}

#[actix_web::test]
async fn a_supporter_appears_on_the_wall_only_once_confirmed_and_leaves_in_one_click() {
    let app = TestApp::spawn().await;
    let c = client();
    let csrf = csrf_of(&app, &c, "/support").await;
    let (status, body) = post(&app, &c, "/support", &form(&csrf, "shop@hama.example", "ひみ浜食堂")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("確認メールをお送りしました"));
    let (_, wall) = app.page("/supporters").await;
    assert!(!wall.contains("ひみ浜食堂"), "unconfirmed supporters are not on the wall");

    let confirm = link_in_mail(&app, "shop@hama.example", "/support/confirm/");
    let path = confirm.trim_start_matches(&app.address);
    // A GET (a mail scanner opening the link) only shows the button.
    let csrf = csrf_of(&app, &c, path).await;
    let (_, wall) = app.page("/supporters").await;
    assert!(!wall.contains("ひみ浜食堂"));
    let (status, body) = post(&app, &c, path, &[("csrf", csrf)]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("ご登録ありがとうございます"));
    let (_, wall) = app.page("/supporters").await;
    assert!(wall.contains("ひみ浜食堂"), "{wall}");
    assert!(wall.contains("1組"));

    let leave = path.replace("/support/confirm/", "/support/leave/");
    let csrf = csrf_of(&app, &c, &leave).await;
    let (status, _) = post(&app, &c, &leave, &[("csrf", csrf)]).await;
    assert_eq!(status, 200);
    let (_, wall) = app.page("/supporters").await;
    assert!(!wall.contains("ひみ浜食堂"));
    let count: i64 = supporters::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 0, "leaving deletes the row");
    // The link is dead now.
    assert_eq!(app.get(&leave).await.status().as_u16(), 404);
}

#[actix_web::test]
async fn a_sign_up_in_english_is_confirmed_by_an_english_mail() {
    let app = TestApp::spawn().await;
    let c = client();
    let csrf = csrf_of(&app, &c, "/support?lang=en").await;
    let (status, body) = post(&app, &c, "/support?lang=en", &form(&csrf, "friend@tokyo.example", "Hana")).await;
    assert_eq!(status, 200, "{body}");
    let mail: (String, String) = outbox_emails::table
        .filter(outbox_emails::recipients.eq("friend@tokyo.example"))
        .select((outbox_emails::subject, outbox_emails::body_text))
        .first(&mut app.conn())
        .unwrap();
    assert!(mail.0.contains("Please confirm your supporter sign-up"), "{}", mail.0);
    assert!(mail.1.starts_with("Dear Hana,") && mail.1.contains("/support/leave/"), "{}", mail.1);
    assert!(!mail.1.contains("応援団"), "{}", mail.1);
}

#[actix_web::test]
async fn anonymous_and_hidden_supporters_are_counted_but_not_named() {
    let app = TestApp::spawn().await;
    let c = client();
    for (email, name, on_wall, anonymous) in
        [("a@x.example", "", true, true), ("b@x.example", "非公開希望の会社", false, false)]
    {
        let csrf = csrf_of(&app, &c, "/support").await;
        let mut f = form(&csrf, email, name);
        f.retain(|(k, _)| *k != "on_wall");
        if on_wall {
            f.push(("on_wall", "1".into()));
        }
        if anonymous {
            f.push(("anonymous", "1".into()));
        }
        assert_eq!(post(&app, &c, "/support", &f).await.0, 200);
        let path = link_in_mail(&app, email, "/support/confirm/").trim_start_matches(&app.address).to_owned();
        let csrf = csrf_of(&app, &c, &path).await;
        assert_eq!(post(&app, &c, &path, &[("csrf", csrf)]).await.0, 200);
    }
    let (_, wall) = app.page("/supporters").await;
    assert!(wall.contains("匿名"));
    assert!(!wall.contains("非公開希望の会社"));
    assert!(wall.contains("2組"), "both count among businesses");
    assert!(wall.contains("ほか1件（名前非公開）"));
}

#[actix_web::test]
async fn bad_sign_ups_get_messages_and_forged_ones_nothing() {
    let app = TestApp::spawn().await;
    let c = client();
    let csrf = csrf_of(&app, &c, "/support").await;
    let mut f = form(&csrf, "not an address", "");
    f.retain(|(k, _)| *k != "support_types");
    let (status, body) = post(&app, &c, "/support", &f).await;
    assert_eq!(status, 422);
    assert!(body.contains("応援の方法を1つ以上選んでください"));
    assert!(body.contains("匿名を選ぶこともできます"));
    assert!(body.contains("いつも見ています"), "what was typed is kept");

    let (status, _) = post(&app, &c, "/support", &form("forged", "ok@x.example", "名前")).await;
    assert_eq!(status, 403);
    let mut bot = form(&csrf, "bot@x.example", "bot");
    bot[1].1 = "http://spam.example".into();
    let (status, body) = post(&app, &c, "/support", &bot).await;
    assert_eq!(status, 200, "bots see the usual answer");
    assert!(body.contains("確認メールをお送りしました"));
    let count: i64 = supporters::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 0, "neither the forged nor the bot's sign-up is stored");
    // A tampered or unknown link is not found.
    assert_eq!(app.get("/support/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await.status().as_u16(), 404);
    assert_eq!(app.get("/support/confirm/<script>").await.status().as_u16(), 404);
}

#[actix_web::test]
async fn a_confirmation_link_expires_after_48_hours() {
    let app = TestApp::spawn().await;
    let c = client();
    let csrf = csrf_of(&app, &c, "/support").await;
    assert_eq!(post(&app, &c, "/support", &form(&csrf, "late@x.example", "遅れた人")).await.0, 200);
    diesel::update(supporters::table)
        .set(supporters::confirm_expires_at.eq(now() - Duration::minutes(1)))
        .execute(&mut app.conn())
        .unwrap();
    let path = link_in_mail(&app, "late@x.example", "/support/confirm/").trim_start_matches(&app.address).to_owned();
    let csrf = csrf_of(&app, &c, &path).await;
    let (status, body) = post(&app, &c, &path, &[("csrf", csrf)]).await;
    assert_eq!(status, 410);
    assert!(body.contains("有効期限が切れています"));
    let (_, wall) = app.page("/supporters").await;
    assert!(!wall.contains("遅れた人"));
    // The lifecycle pass forgets it.
    assert_eq!(yui_db::supporters::prune_unconfirmed(&mut app.conn(), now()).unwrap(), 1);
    assert_eq!(yui_db::supporters::prune_unconfirmed(&mut app.conn(), now()).unwrap(), 0);
}

#[actix_web::test]
async fn the_widget_may_be_framed_and_shows_the_newest_matching_postings() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "氷見漁港食堂", "shokudo@x.example").unwrap();
    let t = now() - Duration::hours(3);
    fixtures::published(&mut conn, &e, fixtures::input("ホールスタッフ", "part_time"), t).unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("調理師", "full_time"), t + Duration::hours(1)).unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("皿洗い", "part_time"), t + Duration::hours(2)).unwrap();

    let res = app.get("/embed/jobs?type=part_time&limit=1").await;
    assert_eq!(res.status().as_u16(), 200);
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(res.headers().get("x-frame-options").is_none());
    let body = res.text().await.unwrap();
    assert!(body.contains("皿洗い") && !body.contains("ホールスタッフ") && !body.contains("調理師"), "{body}");
    assert!(body.contains("該当する求人 2 件をすべて見る"));
    assert!(body.contains(r#"target="_blank""#));

    // Every other page refuses to be framed.
    let res = app.get("/jobs").await;
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));

    let res = app.get("/embed/jobs?limit=99").await;
    assert_eq!(res.status().as_u16(), 400);
    let res = app.get("/embed/jobs?type=robot").await;
    assert_eq!(res.status().as_u16(), 400);
    let res = app.get("/embed/jobs.js").await;
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert!(res.text().await.unwrap().contains("/embed/jobs"));
}

#[actix_web::test]
async fn banners_show_the_live_count_and_postings_carry_plain_share_links() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "灘浦みかん園", "mikan@x.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("収穫スタッフ", "part_time"), now()).unwrap();
    fixtures::pending(&mut conn, &e, fixtures::input("審査中の求人", "part_time"), now(), now() + Duration::days(9))
        .unwrap();

    let res = app.get("/banners/open-count.svg").await;
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().contains("掲載中の求人 1 件"));
    for name in ["banner-468x60", "badge-200x200", "badge-88x31"] {
        assert_eq!(app.get(&format!("/banners/{name}.svg")).await.status().as_u16(), 200, "{name}");
    }
    assert_eq!(app.get("/banners/nothing.svg").await.status().as_u16(), 404);
    let (status, kit) = app.page("/support/banners").await;
    assert_eq!(status, 200);
    assert!(kit.contains("/banners/open-count.svg") && kit.contains("/embed/jobs.js"));

    let (_, page) = app.page(&format!("/jobs/{}", p.public_id)).await;
    // Handlebars writes `=` as `&#x3D;` in attributes; browsers read it back.
    let page = page.replace("&#x3D;", "=");
    let line = "https://social-plugins.line.me/lineit/share?url=http%3A%2F%2F";
    assert!(page.contains(line) && page.contains(&format!("%2Fjobs%2F{}\"", p.public_id)), "{page}");
    assert!(page.contains("https://twitter.com/intent/tweet?text="));
    assert!(!page.contains("<script src=\"https://"), "no third-party script");
}

#[actix_web::test]
async fn editors_can_take_a_name_off_the_wall_and_writers_cannot() {
    let app = TestApp::spawn().await;
    let c = client();
    let csrf = csrf_of(&app, &c, "/support").await;
    assert_eq!(post(&app, &c, "/support", &form(&csrf, "rude@x.example", "ふさわしくない名前")).await.0, 200);
    let path = link_in_mail(&app, "rude@x.example", "/support/confirm/").trim_start_matches(&app.address).to_owned();
    let csrf = csrf_of(&app, &c, &path).await;
    assert_eq!(post(&app, &c, &path, &[("csrf", csrf)]).await.0, 200);
    let id: i32 = supporters::table.select(supporters::id).first(&mut app.conn()).unwrap();

    let writer = app.login_as(yui_domain::StaffRole::Writer).await;
    let res = writer.get(format!("{}/admin/supporters", app.address)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 403);

    let editor = app.login_as(yui_domain::StaffRole::Editor).await;
    let page = editor.get(format!("{}/admin/supporters", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("ふさわしくない名前") && page.contains("いつも見ています"),
        "the message is shown to editors"
    );
    let csrf = hidden_value(&page, "csrf");
    let res = editor
        .post(format!("{}/admin/supporters/{id}", app.address))
        .form(&[("csrf", csrf.as_str()), ("hidden", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let (_, wall) = app.page("/supporters").await;
    assert!(!wall.contains("ふさわしくない名前"));
    assert!(wall.contains("ほか1件（名前非公開）"), "still counted");
    let res =
        editor.post(format!("{}/admin/supporters/{id}", app.address)).form(&[("hidden", "1")]).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 403, "no CSRF token, no change");
}
