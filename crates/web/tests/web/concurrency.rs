//! Many clients at once, on the backend `YUI_TEST_BACKEND` names; the point is SQLite, where a
//! transaction that read before it wrote used to be refused with "database is locked" (500)
//! instead of waiting its turn. Each test repeats its round a few times, so that a lock error,
//! if the write lock were taken late again, is all but certain to show.

use crate::common::{hidden_value, new_client, staff, Session, TestApp};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::schema::{article_orders, articles, postings};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};

const CLIENTS: usize = 16;
const ROUNDS: usize = 4;

/// An app whose pool lets every client hold a connection at once, as in production.
async fn spawn() -> TestApp {
    TestApp::spawn_with(|s| {
        s.pool_size = CLIENTS as u32;
        s.following.signup_per_hour = 10_000;
        s.review.login_per_minute = 1_000;
    })
    .await
}

/// Sends every request at once and returns the statuses, in the order given.
async fn all_at_once(requests: Vec<reqwest::RequestBuilder>) -> Vec<u16> {
    let handles: Vec<_> = requests
        .into_iter()
        .map(|r| actix_web::rt::spawn(async move { r.send().await.unwrap().status().as_u16() }))
        .collect();
    let mut statuses = Vec::with_capacity(handles.len());
    for h in handles {
        statuses.push(h.await.unwrap());
    }
    statuses
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

fn server_errors(statuses: &[u16]) -> usize {
    statuses.iter().filter(|s| **s >= 500).count()
}

fn pending(conn: &mut DbConnection, title: &str) -> String {
    let e = fixtures::employer(conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    let at = now() - Duration::hours(30);
    fixtures::pending(conn, &e, fixtures::input(title, "part_time"), at, now() + Duration::days(30)).unwrap().public_id
}

/// `CLIENTS` editors signed in, each with their CSRF token.
async fn editors(app: &TestApp, conn: &mut DbConnection) -> Vec<(Session, String)> {
    let mut signed_in = Vec::new();
    for i in 0..CLIENTS {
        let email = format!("editor{i}@npo.example");
        staff(conn, &email, "editor", ("npo", "npo"));
        let s = Session::login(app, &email).await;
        let csrf = s.csrf().await;
        signed_in.push((s, csrf));
    }
    signed_in
}

#[actix_web::test]
async fn sixteen_editors_deciding_one_posting_at_once_one_wins_the_others_get_409() {
    let app = spawn().await;
    let mut conn = app.conn();
    let editors = editors(&app, &mut conn).await;
    for round in 0..ROUNDS {
        let p = pending(&mut conn, &format!("朝市の販売スタッフ{round}"));
        let requests = editors
            .iter()
            .enumerate()
            .map(|(i, (s, csrf))| {
                let (action, reason) = if i % 2 == 0 { ("approve", "") } else { ("reject", "spam") };
                let form = [("csrf", csrf.as_str()), ("version", "1"), ("reason", reason), ("message", "重複です")];
                s.client.post(format!("{}/admin/review/{p}/{action}", app.address)).form(&form)
            })
            .collect();
        let statuses = all_at_once(requests).await;
        assert_eq!(server_errors(&statuses), 0, "round {round}: {statuses:?}");
        assert_eq!(count(&statuses, 303), 1, "round {round}: exactly one decides: {statuses:?}");
        assert_eq!(count(&statuses, 409), CLIENTS - 1, "round {round}: the others are told: {statuses:?}");
        let version: i32 =
            postings::table.filter(postings::public_id.eq(&p)).select(postings::version).first(&mut conn).unwrap();
        assert_eq!(version, 2, "one decision was applied");
    }
}

#[actix_web::test]
async fn sixteen_simultaneous_follow_sign_ups_all_get_the_check_your_mail_page() {
    let app = spawn().await;
    for round in 0..ROUNDS {
        let mut requests = Vec::new();
        for i in 0..CLIENTS {
            let client = new_client();
            let form = client.get(format!("{}/follow", app.address)).send().await.unwrap().text().await.unwrap();
            let csrf = hidden_value(&form, "csrf");
            let fields = [
                ("csrf", csrf),
                ("website_url", String::new()),
                ("email", format!("seeker{round}-{i}@example.jp")),
                ("digest", "1".into()),
                ("alert", "1".into()),
                ("q", "介護".into()),
                ("frequency", "daily".into()),
            ];
            requests.push(client.post(format!("{}/follow", app.address)).form(&fields));
        }
        let statuses = all_at_once(requests).await;
        assert_eq!(server_errors(&statuses), 0, "round {round}: {statuses:?}");
        assert_eq!(count(&statuses, 200), CLIENTS, "round {round}: {statuses:?}");
    }
}

/// Queues `n` emails for the mail worker, in one transaction.
fn queue_mail(conn: &mut DbConnection, n: usize) {
    let email = yui_db::outbox::NewEmail {
        to: &["someone@example.jp"],
        reply_to: None,
        subject: "お知らせ",
        body_text: "本文",
        body_html: None,
        headers: &[],
    };
    yui_db::transaction(conn, |conn| (0..n).try_for_each(|_| yui_db::outbox::enqueue(conn, &email).map(|_| ())))
        .unwrap();
}

#[actix_web::test]
async fn writing_articles_while_the_mail_worker_sends_never_fails() {
    let app = spawn().await;
    let mut conn = app.conn();
    staff(&mut conn, "writer@desk.example", "writer", ("desk", "編集部"));
    let writer = Session::login(&app, "writer@desk.example").await;
    let csrf = writer.csrf_on("/admin/articles").await;
    // The worker as `yui serve` runs it, beside the app, with a stock of mail to send.
    queue_mail(&mut conn, 5_000);
    let pool = yui_db::conn::pool(&app.db.url, 2).unwrap();
    let mailer = yui_mail::Mailer::new(&crate::common::test_settings().mail);
    actix_web::rt::spawn(yui_mail::run_worker(pool, mailer, std::time::Duration::from_millis(100)));
    let mut statuses = Vec::new();
    for i in 0..CLIENTS * ROUNDS {
        let slug = format!("column-{i}");
        let form = [
            ("csrf", csrf.as_str()),
            ("kind", "column"),
            ("slug", slug.as_str()),
            ("title", "港の朝"),
            ("lede", "氷見の魚市場から。"),
            ("body", "市場はまだ暗い。"),
            ("writer_credit", "山田 太郎"),
        ];
        statuses.push(writer.post("/admin/articles", &form).await.0);
    }
    let sent = yui_db::outbox::count_by_status(&mut conn).unwrap().sent;
    assert!(sent > 0, "the worker was sending meanwhile");
    assert_eq!(server_errors(&statuses), 0, "{statuses:?}");
    assert_eq!(count(&statuses, 303), CLIENTS * ROUNDS, "{statuses:?}");
    let created: i64 = articles::table.count().get_result(&mut conn).unwrap();
    assert_eq!(created, (CLIENTS * ROUNDS) as i64);
}

#[actix_web::test]
async fn sixteen_editors_moving_one_order_at_once_one_moves_it_the_others_get_409() {
    let app = spawn().await;
    let mut conn = app.conn();
    let editors = editors(&app, &mut conn).await;
    let employer = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    for round in 0..ROUNDS {
        let (s, csrf) = &editors[0];
        let form = [
            ("csrf", csrf.as_str()),
            ("employer_id", &employer.id.to_string()),
            ("plan", "standard"),
            ("price_yen", ""),
            ("quoted_on", "2026-11-02"),
            ("notes", ""),
        ];
        let (status, location) = s.post("/admin/orders", &form).await;
        assert_eq!(status, 303, "{location}");
        let id: i32 = location.rsplit('/').next().unwrap().parse().unwrap();
        let requests = editors
            .iter()
            .map(|(s, csrf)| {
                let form = [("csrf", csrf.as_str()), ("to", "ordered")];
                s.client.post(format!("{}/admin/orders/{id}/status", app.address)).form(&form)
            })
            .collect();
        let statuses = all_at_once(requests).await;
        assert_eq!(server_errors(&statuses), 0, "round {round}: {statuses:?}");
        assert_eq!(count(&statuses, 303), 1, "round {round}: exactly one moves it: {statuses:?}");
        assert_eq!(count(&statuses, 409), CLIENTS - 1, "round {round}: {statuses:?}");
        let status: String = article_orders::table.find(id).select(article_orders::status).first(&mut conn).unwrap();
        assert_eq!(status, "ordered");
    }
}
