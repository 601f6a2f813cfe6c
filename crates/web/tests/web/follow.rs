//! Following the site: double opt-in, the manage page, one-click unsubscribe, job alerts across
//! runs (only newly published, never twice, never pending, an interrupted run), the weekly
//! digest, signed-link tampering and the private feeds. One test sends the mailings through a
//! real SMTP server (Debian's python3-aiosmtpd) on loopback and checks the list headers arrive.

use crate::common::smtp::{self, SmtpServer};
use crate::common::{hidden_value, test_settings, TestApp};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use yui_db::now;
use yui_db::outbox::OutboxEmail;
use yui_db::postings::Posting;
use yui_db::schema::{follow_alert_items, follow_searches, followers, outbox_emails};
use yui_db::testing::fixtures;
use yui_web::intake::Context;
use yui_web::Settings;

/// The app and the builders run here must sign links with the same key.
const KEY: &str = "follow-tests-secret-key-0123456789abcdef";

async fn spawn() -> TestApp {
    TestApp::spawn_with(|s| s.secret_key = KEY.as_bytes().to_vec()).await
}

fn settings(app: &TestApp) -> Settings {
    let mut s = test_settings();
    s.database_url = app.db.url.clone();
    s.secret_key = KEY.as_bytes().to_vec();
    s
}

fn run_alerts(app: &TestApp, at: NaiveDateTime) -> usize {
    let s = settings(app);
    let letters = s.site.letters().unwrap();
    yui_web::mailings::build_alerts(&mut app.conn(), Context { settings: &s, letters: &letters }, at).unwrap()
}

fn run_digests(app: &TestApp, at: NaiveDateTime) -> usize {
    let s = settings(app);
    let letters = s.site.letters().unwrap();
    yui_web::mailings::build_digests(&mut app.conn(), Context { settings: &s, letters: &letters }, at).unwrap()
}

fn outbox(app: &TestApp) -> Vec<OutboxEmail> {
    outbox_emails::table.order(outbox_emails::id.asc()).select(OutboxEmail::as_select()).load(&mut app.conn()).unwrap()
}

fn mails_to(app: &TestApp, to: &str) -> Vec<OutboxEmail> {
    outbox(app).into_iter().filter(|m| m.recipients == to).collect()
}

/// The path of the first link in `text` that starts with `base/prefix`.
fn link(text: &str, prefix: &str) -> String {
    let base = "http://127.0.0.1:8080";
    let start = text.find(&format!("{base}{prefix}")).unwrap_or_else(|| panic!("no {prefix} link in {text}"));
    let url = text[start..].split_whitespace().next().unwrap();
    url.trim_start_matches(base).to_owned()
}

fn header(m: &OutboxEmail, name: &str) -> String {
    m.header_list().into_iter().find(|(n, _)| n == name).map(|(_, v)| v).unwrap_or_default()
}

async fn follow(app: &TestApp, fields: &[(&str, &str)]) -> (u16, String) {
    let form = app.page("/follow").await.1;
    let csrf = hidden_value(&form, "csrf");
    let mut body: Vec<(&str, &str)> = vec![("csrf", &csrf), ("website_url", "")];
    body.extend_from_slice(fields);
    let res = app.client.post(format!("{}/follow", app.address)).form(&body).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Opens a confirmation link as a person does: the GET shows a button (it confirms nothing,
/// checked here), which posts the page's form. Returns the GET's answer when it has no button.
async fn confirm_link(app: &TestApp, path: &str) -> (u16, String) {
    let confirmed = || -> usize {
        let all: Vec<Option<NaiveDateTime>> =
            followers::table.select(followers::confirmed_at).load(&mut app.conn()).unwrap();
        all.iter().filter(|c| c.is_some()).count()
    };
    let before = confirmed();
    let (status, html) = app.page(path).await;
    assert_eq!(confirmed(), before, "a GET confirms nobody");
    if status != 200 {
        return (status, html);
    }
    let csrf = hidden_value(&html, "csrf");
    let res = app.client.post(format!("{}{path}", app.address)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Signs up with the digest and a daily alert for 介護, and confirms from the mail.
async fn confirmed(app: &TestApp, email: &str, q: &str) -> String {
    let (status, html) =
        follow(app, &[("email", email), ("digest", "1"), ("alert", "1"), ("q", q), ("frequency", "daily")]).await;
    assert_eq!(status, 200, "{html}");
    let mail = mails_to(app, email).pop().unwrap();
    let (status, html) = confirm_link(app, &link(&mail.body_text, "/follow/confirm/")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("フォローを開始しました"), "{html}");
    let start = html.find("href=\"/follow/manage/").unwrap() + "href=\"".len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

fn employer(app: &TestApp) -> yui_db::employers::Employer {
    fixtures::employer(&mut app.conn(), "氷見ケアサービス", "saiyo@care.example").unwrap()
}

fn publish(app: &TestApp, title: &str, at: NaiveDateTime) -> Posting {
    let e = employer(app);
    fixtures::published(&mut app.conn(), &e, fixtures::input(title, "full_time"), at).unwrap()
}

fn alerts_to(app: &TestApp, email: &str) -> Vec<OutboxEmail> {
    mails_to(app, email).into_iter().filter(|m| m.subject.contains("新着求人")).collect()
}

#[actix_web::test]
async fn double_opt_in_unconfirmed_gets_nothing_then_confirming_within_48_hours_starts_it() {
    let app = spawn().await;
    let (status, html) = follow(
        &app,
        &[("email", "Hanako@Mail.Example"), ("digest", "1"), ("alert", "1"), ("q", "介護"), ("frequency", "daily")],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("確認のメールをお送りしました"), "{html}");
    let mails = mails_to(&app, "hanako@mail.example");
    assert_eq!(mails.len(), 1, "one confirmation, to the lower-cased address");
    assert!(mails[0].body_text.contains("48時間"), "{}", mails[0].body_text);
    assert!(mails[0].body_text.contains("キーワード「介護」"), "{}", mails[0].body_text);

    // Unconfirmed: no alert and no digest, however much is new.
    publish(&app, "介護スタッフ", now() + Duration::minutes(1));
    assert_eq!(run_alerts(&app, now() + Duration::hours(2)), 0);
    assert_eq!(run_digests(&app, now() + Duration::days(8)), 0);
    assert_eq!(mails_to(&app, "hanako@mail.example").len(), 1);

    // Sending again at once: the same page, no second mail (rate limit per address).
    let (status, again) = follow(&app, &[("email", "hanako@mail.example"), ("digest", "1")]).await;
    assert_eq!(status, 200);
    assert!(again.contains("確認のメールをお送りしました"));
    assert_eq!(mails_to(&app, "hanako@mail.example").len(), 1);
    // Later: a new confirmation mail; the old link stops working.
    diesel::update(followers::table)
        .set(followers::confirm_sent_at.eq(Some(now() - Duration::minutes(10))))
        .execute(&mut app.conn())
        .unwrap();
    follow(&app, &[("email", "hanako@mail.example"), ("alert", "1"), ("q", "介護"), ("frequency", "daily")]).await;
    let mails = mails_to(&app, "hanako@mail.example");
    assert_eq!(mails.len(), 2);
    assert_eq!(
        confirm_link(&app, &link(&mails[0].body_text, "/follow/confirm/")).await.0,
        404,
        "the first link was replaced"
    );
    let (status, html) = confirm_link(&app, &link(&mails[1].body_text, "/follow/confirm/")).await;
    assert_eq!(status, 200, "{html}");
    let f: (Option<NaiveDateTime>, bool) =
        followers::table.select((followers::confirmed_at, followers::wants_digest)).first(&mut app.conn()).unwrap();
    assert!(f.0.is_some() && !f.1, "confirmed, with the choices of the last form: {f:?}");
    // The link works once.
    assert_eq!(confirm_link(&app, &link(&mails[1].body_text, "/follow/confirm/")).await.0, 404);

    // An address that already follows: the same page; the mail carries the manage link.
    diesel::update(followers::table)
        .set(followers::confirm_sent_at.eq(Some(now() - Duration::minutes(10))))
        .execute(&mut app.conn())
        .unwrap();
    let (_, html) = follow(&app, &[("email", "hanako@mail.example"), ("digest", "1")]).await;
    assert!(html.contains("確認のメールをお送りしました"), "the page does not tell that the address follows");
    let last = mails_to(&app, "hanako@mail.example").pop().unwrap();
    assert!(last.body_text.contains("すでに"), "{}", last.body_text);
    assert_eq!(app.page(&link(&last.body_text, "/follow/manage/")).await.0, 200);
}

#[actix_web::test]
async fn a_confirmation_link_older_than_48_hours_is_refused_with_a_way_to_start_again() {
    let app = spawn().await;
    follow(&app, &[("email", "late@mail.example"), ("digest", "1")]).await;
    let mail = mails_to(&app, "late@mail.example").pop().unwrap();
    diesel::update(followers::table)
        .set(followers::confirm_sent_at.eq(Some(now() - Duration::hours(49))))
        .execute(&mut app.conn())
        .unwrap();
    let (status, html) = confirm_link(&app, &link(&mail.body_text, "/follow/confirm/")).await;
    assert_eq!(status, 410, "{html}");
    assert!(html.contains("有効期限が切れています") && html.contains("href=\"/follow\""), "{html}");
    let confirmed: Option<NaiveDateTime> =
        followers::table.select(followers::confirmed_at).first(&mut app.conn()).unwrap();
    assert_eq!(confirmed, None);
}

#[actix_web::test]
async fn the_form_refuses_bad_input_with_japanese_messages_forged_posts_and_bots() {
    let app = spawn().await;
    let (status, html) = follow(&app, &[("email", "not-an-address"), ("alert", "1"), ("type", "astronaut")]).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("field-error"), "{html}");
    assert!(html.contains("雇用形態「astronaut」はありません"), "{html}");
    assert!(html.contains("value=\"not-an-address\""), "the input is kept");
    let (status, html) = follow(&app, &[("email", "a@mail.example")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("1つ以上選んでください"), "{html}");
    // No CSRF token.
    let res = app
        .client
        .post(format!("{}/follow", app.address))
        .form(&[("email", "a@mail.example"), ("digest", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    // The honeypot: thanked, nothing stored.
    let form = app.page("/follow").await.1;
    let csrf = hidden_value(&form, "csrf");
    let res = app
        .client
        .post(format!("{}/follow", app.address))
        .form(&[
            ("csrf", csrf.as_str()),
            ("website_url", "http://spam"),
            ("email", "bot@mail.example"),
            ("digest", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(outbox(&app).is_empty());
    assert_eq!(followers::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
}

#[actix_web::test]
async fn a_saved_search_keeps_its_conditions_and_its_alert_carries_only_postings_that_offer_them() {
    let app = spawn().await;
    // From /jobs with two conditions chosen: the form starts with them ticked.
    let (_, html) = app.page("/follow?cond=dorm&cond=car&q=%E4%BB%8B%E8%AD%B7").await;
    assert!(html.contains("name=\"cond\" value=\"dorm\" checked") && html.contains("value=\"car\" checked"), "{html}");
    let fields =
        [("email", "ryo@mail.example"), ("alert", "1"), ("frequency", "daily"), ("cond", "car"), ("cond", "dorm")];
    let (status, html) = follow(&app, &fields).await;
    assert_eq!(status, 200, "{html}");
    let stored: String = follow_searches::table.select(follow_searches::query).first(&mut app.conn()).unwrap();
    assert_eq!(stored, "cond=dorm&cond=car", "both kept, in the list's order");
    let mail = mails_to(&app, "ryo@mail.example").pop().unwrap();
    let (status, _) = confirm_link(&app, &link(&mail.body_text, "/follow/confirm/")).await;
    assert_eq!(status, 200);

    let t0 = now();
    let e = employer(&app);
    let offer = |title: &str, codes: &[&str]| {
        let input = yui_domain::PostingInput {
            conditions: codes.iter().map(|c| (*c).to_owned()).collect(),
            ..fixtures::input(title, "full_time")
        };
        fixtures::published(&mut app.conn(), &e, input, t0 + Duration::minutes(1)).unwrap()
    };
    let both = offer("寮つき・車通勤OKの介護職", &["dorm", "car", "parking"]);
    let only_car = offer("車通勤OKの事務", &["car"]);
    let none = offer("寒ブリの仕分け", &[]);
    assert_eq!(run_alerts(&app, t0 + Duration::minutes(5)), 1);
    let alerts = alerts_to(&app, "ryo@mail.example");
    assert_eq!(alerts.len(), 1);
    let text = &alerts[0].body_text;
    assert!(text.contains(&both.title), "{text}");
    for absent in [&only_car.title, &none.title] {
        assert!(!text.contains(absent.as_str()), "{absent} must not be in {text}");
    }
    // A forged code in the form is refused with the reason, nothing saved.
    let (status, html) = follow(&app, &[("email", "x@mail.example"), ("alert", "1"), ("cond", "pool")]).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("こだわり条件"), "{html}");
}

#[actix_web::test]
async fn alerts_carry_only_newly_published_matching_postings_never_twice_and_never_pending() {
    let app = spawn().await;
    confirmed(&app, "kaigo@mail.example", "介護").await;
    let t0 = now();
    // Published before the address followed: never in an alert.
    let before = publish(&app, "介護の夜勤スタッフ（以前から掲載）", t0 - Duration::days(2));
    let first = publish(&app, "介護スタッフ（日勤）", t0 + Duration::minutes(1));
    let e = employer(&app);
    let pending = fixtures::pending(
        &mut app.conn(),
        &e,
        fixtures::input("介護の送迎ドライバー", "part_time"),
        t0,
        t0 + Duration::days(30),
    )
    .unwrap();
    let other = publish(&app, "寒ブリの仕分け", t0 + Duration::minutes(1));

    assert_eq!(run_alerts(&app, t0 + Duration::minutes(5)), 1);
    let alerts = alerts_to(&app, "kaigo@mail.example");
    assert_eq!(alerts.len(), 1);
    let text = &alerts[0].body_text;
    assert!(text.contains(&first.title), "{text}");
    for absent in [&before.title, &pending.title, &other.title] {
        assert!(!text.contains(absent.as_str()), "{absent} must not be in {text}");
    }
    // The same run again, and a later one with nothing new: no mail.
    assert_eq!(run_alerts(&app, t0 + Duration::minutes(6)), 0);
    assert_eq!(run_alerts(&app, t0 + Duration::days(1)), 0);

    // The pending one is approved, one more is published: the next day's alert has exactly those.
    fixtures::published(
        &mut app.conn(),
        &e,
        fixtures::input("介護の送迎ドライバー（承認後）", "part_time"),
        t0 + Duration::days(1),
    )
    .unwrap();
    let second = publish(&app, "介護スタッフ（夜勤）", t0 + Duration::days(1));
    assert_eq!(run_alerts(&app, t0 + Duration::days(2)), 1);
    let alerts = alerts_to(&app, "kaigo@mail.example");
    assert_eq!(alerts.len(), 2);
    let text = &alerts[1].body_text;
    assert!(text.contains(&second.title) && text.contains("送迎ドライバー（承認後）"), "{text}");
    assert!(!text.contains(&first.title), "never twice: {text}");
    assert!(alerts[1].subject.contains("新着求人 2件"), "{}", alerts[1].subject);
    let items: i64 = follow_alert_items::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(items, 3);
}

#[actix_web::test]
async fn an_alert_and_its_feed_find_what_the_portal_finds_readings_and_labels_included() {
    let app = spawn().await;
    let manage = confirmed(&app, "yomi@mail.example", "かいご").await;
    let t0 = now();
    let e = employer(&app);
    // Found by the reading (かいご → 介護), and by the category's name alone: its text never says 介護.
    let by_reading = publish(&app, "介護スタッフ（日勤）", t0 + Duration::minutes(1));
    let input = yui_domain::PostingInput {
        category: "care".into(),
        ..fixtures::input("夜の見守りスタッフ", "part_time")
    };
    let by_label = fixtures::published(&mut app.conn(), &e, input, t0 + Duration::minutes(2)).unwrap();
    let other = publish(&app, "寒ブリの仕分け", t0 + Duration::minutes(3));
    let portal: serde_json::Value = app.get("/api/v1/jobs?q=%E3%81%8B%E3%81%84%E3%81%94").await.json().await.unwrap();
    let mut found: Vec<&str> =
        portal["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    found.sort();
    assert_eq!(found, [by_reading.title.as_str(), by_label.title.as_str()], "the portal finds both");

    assert_eq!(run_alerts(&app, t0 + Duration::minutes(5)), 1);
    let text = alerts_to(&app, "yomi@mail.example").pop().unwrap().body_text;
    assert!(text.contains(&by_reading.title) && text.contains(&by_label.title), "the alert too: {text}");
    assert!(!text.contains(&other.title), "{text}");
    // And the saved search's private feed, newest first.
    let html = app.page(&manage).await.1;
    let feed = link(&html.replace('"', " "), "/follow/feeds/").replace(".atom", ".json");
    let json: serde_json::Value = serde_json::from_str(&app.page(&feed).await.1).unwrap();
    let titles: Vec<&str> = json["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, [by_label.title.as_str(), by_reading.title.as_str()]);
}

#[actix_web::test]
async fn an_interrupted_alert_run_sends_nothing_twice_when_run_again() {
    let app = spawn().await;
    confirmed(&app, "one@mail.example", "介護").await;
    confirmed(&app, "two@mail.example", "介護").await;
    let t0 = now();
    publish(&app, "介護スタッフ", t0 + Duration::minutes(1));
    let s = settings(&app);
    let letters = s.site.letters().unwrap();
    let ctx = Context { settings: &s, letters: &letters };
    // The run fails between the first and the second saved search.
    let mut seen = 0;
    let interrupted =
        yui_web::mailings::build_alerts_with(&mut app.conn(), ctx, t0 + Duration::minutes(5), &mut |_| {
            seen += 1;
            if seen == 2 {
                Err(yui_db::DbError::Invalid("simulated crash".into()))
            } else {
                Ok(())
            }
        });
    assert!(interrupted.is_err());
    assert_eq!((alerts_to(&app, "one@mail.example").len(), alerts_to(&app, "two@mail.example").len()), (1, 0));
    // Restarted: only the second gets its alert.
    assert_eq!(run_alerts(&app, t0 + Duration::minutes(6)), 1);
    assert_eq!(run_alerts(&app, t0 + Duration::minutes(7)), 0);
    assert_eq!((alerts_to(&app, "one@mail.example").len(), alerts_to(&app, "two@mail.example").len()), (1, 1));
}

#[actix_web::test]
async fn one_click_unsubscribe_by_post_without_login_or_csrf() {
    let app = spawn().await;
    confirmed(&app, "stop@mail.example", "介護").await;
    publish(&app, "介護スタッフ", now() + Duration::minutes(1));
    assert_eq!(run_alerts(&app, now() + Duration::minutes(5)), 1);
    let alert = alerts_to(&app, "stop@mail.example").pop().unwrap();
    assert_eq!(header(&alert, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    assert!(header(&alert, "List-Id").ends_with("<alerts.yui.127.0.0.1>"), "{}", header(&alert, "List-Id"));
    let unsubscribe = header(&alert, "List-Unsubscribe");
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    let path = url.trim_start_matches("http://127.0.0.1:8080");
    assert!(path.starts_with("/unsubscribe/"), "{unsubscribe}");
    assert!(alert.body_text.contains(url), "the visible link is the same: {}", alert.body_text);
    assert!(alert.body_text.contains("/follow/manage/"), "every mailing has the manage link");

    // GET only asks.
    let (status, html) = app.page(path).await;
    assert_eq!(status, 200);
    assert!(html.contains("配信を停止しますか") && html.contains("method=\"post\""), "{html}");
    assert_eq!(follow_searches::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 1);
    // The mail client's POST: no cookie, no token.
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(follow_searches::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
    publish(&app, "介護スタッフ（追加）", now() + Duration::minutes(2));
    assert_eq!(run_alerts(&app, now() + Duration::days(1)), 0, "no more alerts");

    // The digest has its own link, which stops only the digest.
    let period = settings(&app).following.schedule.digest_period(now());
    publish(&app, "漁港の事務", period.starts - Duration::days(1));
    assert_eq!(run_digests(&app, now()), 1);
    let digest = mails_to(&app, "stop@mail.example").pop().unwrap();
    assert!(header(&digest, "List-Id").ends_with("<digest.yui.127.0.0.1>"));
    let path = link(&digest.body_text, "/unsubscribe/");
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let wants: bool = followers::table.select(followers::wants_digest).first(&mut app.conn()).unwrap();
    assert!(!wants);
}

#[actix_web::test]
async fn tampered_signed_links_are_refused() {
    let app = spawn().await;
    let manage = confirmed(&app, "sign@mail.example", "介護").await;
    let manage_other = confirmed(&app, "other@mail.example", "事務").await;
    assert_eq!(app.page(&manage).await.0, 200);
    let flip = |path: &str| {
        let last = path.chars().last().unwrap();
        format!("{}{}", &path[..path.len() - 1], if last == 'A' { 'B' } else { 'A' })
    };
    let (status, html) = app.page(&flip(&manage)).await;
    assert_eq!(status, 404);
    assert!(html.contains("このリンクは使えません"), "{html}");
    // Another follower's id with this follower's signature.
    let token = manage.trim_start_matches("/follow/manage/");
    let other_id = manage_other
        .trim_start_matches("/follow/manage/m")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>();
    let forged = format!("/follow/manage/m{other_id}{}", &token[token.len() - 43..]);
    assert_eq!(app.page(&forged).await.0, 404);
    // Unsubscribe and feed links, changed by one character.
    publish(&app, "介護スタッフ", now() + Duration::minutes(1));
    run_alerts(&app, now() + Duration::minutes(5));
    let alert = alerts_to(&app, "sign@mail.example").pop().unwrap();
    let stop = link(&alert.body_text, "/unsubscribe/");
    assert_eq!(app.page(&flip(&stop)).await.0, 404);
    let res = reqwest::Client::new().post(format!("{}{}", app.address, flip(&stop))).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(follow_searches::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 2, "nothing stopped");
    let feed = link(&alert.body_text, "/follow/feeds/");
    assert_eq!(app.page(&feed).await.0, 200);
    assert_eq!(app.page(&feed.replace(".atom", "x.atom")).await.0, 404);
    assert_eq!(app.page(&format!("{}.atom", flip(feed.trim_end_matches(".atom")))).await.0, 404);
    assert_eq!(confirm_link(&app, "/follow/confirm/not-a-token").await.0, 404);
}

#[actix_web::test]
async fn each_saved_search_has_private_atom_and_json_feeds_with_the_alerts_postings() {
    let app = spawn().await;
    let manage = confirmed(&app, "feed@mail.example", "介護").await;
    let t0 = now();
    let hit = publish(&app, "介護スタッフ（フィード）", t0 + Duration::minutes(1));
    let miss = publish(&app, "寒ブリの仕分け", t0 + Duration::minutes(1));
    let html = app.page(&manage).await.1;
    let atom = link(&html.replace('"', " "), "/follow/feeds/");
    assert!(atom.ends_with(".atom"), "{atom}");
    let (status, xml) = app.page(&atom).await;
    assert_eq!(status, 200);
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""), "{xml}");
    assert!(xml.contains(&hit.title) && !xml.contains(&miss.title), "{xml}");
    let (status, json) = app.page(&atom.replace(".atom", ".json")).await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(v["items"][0]["title"], hit.title.as_str());
    assert_eq!(app.page("/follow/feeds/f1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.atom").await.0, 404);
    assert_eq!(app.page("/follow/feeds/nothing.json").await.0, 404);
}

#[actix_web::test]
async fn the_manage_page_changes_what_is_received_and_deletes_everything() {
    let app = spawn().await;
    let manage = confirmed(&app, "manage@mail.example", "介護").await;
    let html = app.page(&manage).await.1;
    assert!(html.contains("manage@mail.example") && html.contains("キーワード「介護」"), "{html}");
    let csrf = hidden_value(&html, "csrf");
    let (status, en) = app.page(&format!("{manage}?lang=en")).await;
    assert_eq!(status, 200);
    assert!(en.contains("What you receive") && en.contains("“介護”"), "{en}");
    assert!(app.page("/follow?lang=en&q=care&type=part_time").await.1.contains("Follow Yui"));
    let post = |fields: Vec<(&'static str, String)>| {
        let client = app.client.clone();
        let url = format!("{}{manage}", app.address);
        async move { client.post(url).form(&fields).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(post(vec![("csrf", csrf.clone()), ("action", "digest_off".into())]).await, 303);
    let wants: bool = followers::table.select(followers::wants_digest).first(&mut app.conn()).unwrap();
    assert!(!wants);
    let added = post(vec![
        ("csrf", csrf.clone()),
        ("action", "add_search".into()),
        ("type", "part_time".into()),
        ("remote", "remote".into()),
        ("frequency", "weekly".into()),
    ])
    .await;
    assert_eq!(added, 303);
    let queries: Vec<(String, String)> = follow_searches::table
        .order(follow_searches::id.asc())
        .select((follow_searches::query, follow_searches::frequency))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(queries[1], ("type=part_time&remote=remote".to_owned(), "weekly".to_owned()));
    let first: i32 = follow_searches::table
        .order(follow_searches::id.asc())
        .select(follow_searches::id)
        .first(&mut app.conn())
        .unwrap();
    let changed = post(vec![
        ("csrf", csrf.clone()),
        ("action", "frequency".into()),
        ("search", first.to_string()),
        ("frequency", "weekly".into()),
    ])
    .await;
    assert_eq!(changed, 303);
    let frequency: String =
        follow_searches::table.find(first).select(follow_searches::frequency).first(&mut app.conn()).unwrap();
    assert_eq!(frequency, "weekly");
    assert_eq!(post(vec![("action", "delete_all".into())]).await, 403, "CSRF checked");
    assert_eq!(post(vec![("csrf", csrf.clone()), ("action", "delete_all".into())]).await, 200);
    for n in [
        followers::table.count().get_result::<i64>(&mut app.conn()).unwrap(),
        follow_searches::table.count().get_result::<i64>(&mut app.conn()).unwrap(),
    ] {
        assert_eq!(n, 0, "the rows are gone");
    }
    assert_eq!(app.page(&manage).await.0, 404);
}

#[actix_web::test]
async fn the_weekly_digest_lists_the_weeks_postings_and_articles_once_per_period() {
    let app = spawn().await;
    confirmed(&app, "digest@mail.example", "介護").await;
    let at = now();
    let period = settings(&app).following.schedule.digest_period(at);
    let in_week = period.starts - Duration::days(2);
    let p = publish(&app, "氷見漁港の競り補助", in_week);
    let old = publish(&app, "去年の求人", period.starts - Duration::days(9));
    let editor = fixtures::editor(&mut app.conn(), "editor@city.example").unwrap();
    let e = employer(&app);
    {
        use yui_db::schema::articles;
        for (kind, slug, title, sponsor) in [
            ("feature", "care-visit", "氷見ケアサービスを訪ねて", Some(e.id)),
            ("column", "spring", "春の氷見で働く", None),
        ] {
            diesel::insert_into(articles::table)
                .values((
                    articles::kind.eq(kind),
                    articles::slug.eq(slug),
                    articles::title.eq(title),
                    articles::lede.eq("リード文"),
                    articles::author_id.eq(editor.id),
                    articles::sponsor_employer_id.eq(sponsor),
                    articles::status.eq("published"),
                    articles::published_at.eq(Some(in_week)),
                    articles::created_at.eq(in_week),
                    articles::updated_at.eq(in_week),
                ))
                .execute(&mut app.conn())
                .unwrap();
        }
    }
    assert_eq!(run_digests(&app, at), 1);
    assert_eq!(run_digests(&app, at + Duration::minutes(5)), 0, "once per period");
    let digest = mails_to(&app, "digest@mail.example").pop().unwrap();
    let text = &digest.body_text;
    assert!(digest.subject.contains("週刊ダイジェスト"), "{}", digest.subject);
    assert!(text.contains(&p.title) && !text.contains(&old.title), "{text}");
    assert!(text.contains("【PR】氷見ケアサービスを訪ねて"), "{text}");
    assert!(text.contains("春の氷見で働く") && !text.contains("【PR】春の氷見"), "{text}");
    assert!(header(&digest, "List-Unsubscribe").starts_with("<http://127.0.0.1:8080/unsubscribe/d"));
    println!("---- sample digest ----\nSubject: {}\n\n{text}", digest.subject);

    publish(&app, "介護スタッフ（サンプル）", at + Duration::minutes(1));
    run_alerts(&app, at + Duration::minutes(5));
    let alert = alerts_to(&app, "digest@mail.example").pop().unwrap();
    println!("---- sample alert ----\nSubject: {}\n\n{}", alert.subject, alert.body_text);
}

#[actix_web::test]
async fn a_follower_who_signed_up_in_english_gets_every_mailing_in_english() {
    let app = spawn().await;
    let form = app.page("/follow?lang=en").await.1;
    let csrf = hidden_value(&form, "csrf");
    let body = [
        ("csrf", csrf.as_str()),
        ("website_url", ""),
        ("email", "visitor@mail.example"),
        ("digest", "1"),
        ("alert", "1"),
        ("q", "介護"),
        ("type", "full_time"),
        ("frequency", "daily"),
    ];
    let res = app.client.post(format!("{}/follow?lang=en", app.address)).form(&body).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
    let confirm = mails_to(&app, "visitor@mail.example").pop().unwrap();
    assert!(confirm.subject.contains("Please confirm your email address"), "{}", confirm.subject);
    let text = &confirm.body_text;
    assert!(text.contains("Job alert (Daily): “介護” · Full-time"), "{text}");
    assert!(!text.contains("フォロー") && !confirm.body_html.as_deref().unwrap().contains("フォロー"), "{text}");
    let (status, html) = confirm_link(&app, &link(text, "/follow/confirm/")).await;
    assert_eq!(status, 200, "{html}");

    // The alert: English words and labels, links that open the site in English.
    let t0 = now();
    let posting = publish(&app, "介護スタッフ（日勤）", t0 + Duration::minutes(1));
    assert_eq!(run_alerts(&app, t0 + Duration::minutes(5)), 1);
    let alert = mails_to(&app, "visitor@mail.example").pop().unwrap();
    assert!(alert.subject.contains("New postings (1): “介護” · Full-time"), "{}", alert.subject);
    let text = &alert.body_text;
    assert!(text.contains(&format!("/jobs/{}?lang=en", posting.public_id)), "{text}");
    assert!(text.contains("/ Full-time") && text.contains("Stop this alert (one click)"), "{text}");
    assert!(text.contains("/jobs?q=%E4%BB%8B%E8%AD%B7&type=full_time&lang=en"), "{text}");
    assert!(!text.contains("正社員") && !text.contains("停止"), "{text}");

    // The digest, with the week written the English way.
    let period = settings(&app).following.schedule.digest_period(t0);
    publish(&app, "氷見漁港の競り補助", period.starts - Duration::days(2));
    assert_eq!(run_digests(&app, t0), 1);
    let digest = mails_to(&app, "visitor@mail.example").pop().unwrap();
    assert!(digest.subject.contains("Weekly digest") && digest.subject.contains(" – "), "{}", digest.subject);
    assert!(!digest.subject.contains('年'), "{}", digest.subject);
    assert!(digest.body_text.contains("== New postings") && !digest.body_text.contains("新着の求人"));
}

// ---- Through a real SMTP server ----

#[actix_web::test]
async fn alerts_and_digests_arrive_over_smtp_with_the_list_unsubscribe_headers() {
    if !smtp::available("alerts_and_digests_arrive_over_smtp_with_the_list_unsubscribe_headers") {
        return;
    }
    let app = spawn().await;
    confirmed(&app, "smtp@mail.example", "介護").await;
    let period = settings(&app).following.schedule.digest_period(now());
    publish(&app, "漁港の事務", period.starts - Duration::days(1));
    publish(&app, "介護スタッフ", now() + Duration::minutes(1));
    assert_eq!(run_alerts(&app, now() + Duration::minutes(5)), 1);
    assert_eq!(run_digests(&app, now()), 1);
    let queued: Vec<OutboxEmail> = mails_to(&app, "smtp@mail.example").into_iter().skip(1).collect();
    assert_eq!(queued.len(), 2);

    let server = SmtpServer::start();
    let report = server.deliver_due(app.conn()).await;
    assert_eq!(report.sent, 3, "{report:?}: {}", server.log());
    let got = server.messages();
    for want in &queued {
        let m = got.iter().find(|m| m["subject"] == want.subject.as_str()).unwrap_or_else(|| panic!("{got:?}"));
        assert_eq!(m["list_unsubscribe"], header(want, "List-Unsubscribe").as_str());
        assert!(m["list_unsubscribe"].as_str().unwrap().starts_with("<http://127.0.0.1:8080/unsubscribe/"), "{m}");
        assert_eq!(m["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
        assert!(m["list_id"].as_str().unwrap().contains(".yui.127.0.0.1>"), "{m}");
    }
}
