//! `GET /metrics`: off unless `metrics.token` is set, then only for a scrape that presents the
//! token; requests are counted by route pattern (never the raw path), and the outbox and review
//! backlogs are read from the database at each scrape.

use crate::common::TestApp;
use chrono::Duration;
use diesel::prelude::*;
use yui_db::now;
use yui_db::outbox::{self, NewEmail};
use yui_db::schema::outbox_emails;
use yui_db::testing::fixtures;
use yui_web::settings::MetricsToken;

const TOKEN: &str = "metrics-token-0123456789abcdef0123456789";

async fn with_metrics() -> TestApp {
    TestApp::spawn_with(|s| s.metrics_token = MetricsToken::parse(TOKEN).unwrap()).await
}

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut req = app.client.get(format!("{}/metrics", app.address));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The value of the sample whose name and labels are exactly `series`, if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[actix_web::test]
async fn metrics_are_off_unless_a_token_is_set() {
    let app = TestApp::spawn().await;
    let (status, body) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("\"not_found\""), "{body}");
}

#[actix_web::test]
async fn a_missing_or_wrong_token_is_refused() {
    let app = with_metrics().await;
    for token in [None, Some("wrong"), Some(&TOKEN[..TOKEN.len() - 1])] {
        let res = match token {
            Some(t) => app.client.get(format!("{}/metrics", app.address)).bearer_auth(t).send().await.unwrap(),
            None => app.get("/metrics").await,
        };
        assert_eq!(res.status().as_u16(), 401, "{token:?}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"yui-metrics\"");
        let body = res.text().await.unwrap();
        assert!(body.contains("\"unauthorized\"") && !body.contains("yui_http"), "{body}");
    }
    // The token is not a password for Basic authentication, nor a query parameter.
    let basic = app.client.get(format!("{}/metrics", app.address)).basic_auth(TOKEN, None::<&str>).send().await;
    assert_eq!(basic.unwrap().status().as_u16(), 401);
    assert_eq!(app.get(&format!("/metrics?token={TOKEN}")).await.status().as_u16(), 401);
    let (status, body) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, 200, "{body}");
}

#[actix_web::test]
async fn requests_are_counted_by_route_pattern_and_status() {
    let app = with_metrics().await;
    let employer = fixtures::employer(&mut app.conn(), "氷見浜水産", "saiyo@hama.example").unwrap();
    let posting =
        fixtures::published(&mut app.conn(), &employer, fixtures::input("寒ブリの仕分け", "part_time"), now()).unwrap();
    let (_, before) = scrape(&app, Some(TOKEN)).await;
    let ok = "yui_http_requests_total{route=\"/jobs/{id}\",method=\"GET\",status=\"200\"}";
    let missing = "yui_http_requests_total{route=\"/jobs/{id}\",method=\"GET\",status=\"404\"}";
    let unmatched = "yui_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}";
    assert_eq!(sample(&before, ok), None, "{before}");

    for _ in 0..3 {
        assert_eq!(app.get(&format!("/jobs/{}", posting.public_id)).await.status().as_u16(), 200);
    }
    assert_eq!(app.get("/jobs/no-such-posting").await.status().as_u16(), 404);
    for path in ["/no/such/page", "/another-unknown-path", "/%E6%B0%B7%E8%A6%8B"] {
        assert_eq!(app.get(path).await.status().as_u16(), 404);
    }

    let (status, text) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, 200);
    assert_eq!(sample(&text, ok), Some(3.0), "{text}");
    assert_eq!(sample(&text, missing), Some(1.0), "{text}");
    assert_eq!(sample(&text, unmatched), Some(3.0), "{text}");
    // Raw paths never become labels.
    assert!(!text.contains(&posting.public_id) && !text.contains("no-such") && !text.contains("unknown"), "{text}");
    assert!(text.contains("# TYPE yui_http_request_duration_seconds histogram"), "{text}");
    assert_eq!(sample(&text, "yui_http_request_duration_seconds_count{route=\"/jobs/{id}\"}"), Some(4.0), "{text}");
    assert_eq!(sample(&text, "yui_http_request_duration_seconds_bucket{route=\"/jobs/{id}\",le=\"+Inf\"}"), Some(4.0));
    assert_eq!(sample(&text, "yui_database_up"), Some(1.0));
    // The first scrape is counted too.
    assert_eq!(
        sample(&text, "yui_http_requests_total{route=\"/metrics\",method=\"GET\",status=\"200\"}"),
        Some(1.0),
        "{text}"
    );
}

#[actix_web::test]
async fn the_outbox_and_review_backlogs_are_read_at_each_scrape() {
    let app = with_metrics().await;
    let (_, empty) = scrape(&app, Some(TOKEN)).await;
    for (series, value) in [
        ("yui_outbox_pending_emails", 0.0),
        ("yui_outbox_oldest_pending_age_seconds", 0.0),
        ("yui_review_pending_postings", 0.0),
        ("yui_review_oldest_pending_age_seconds", 0.0),
    ] {
        assert_eq!(sample(&empty, series), Some(value), "{series} in {empty}");
    }

    let mut conn = app.conn();
    let email = |subject| NewEmail {
        to: &["saiyo@hama.example"],
        reply_to: None,
        subject,
        body_text: "本文",
        body_html: None,
        headers: &[],
    };
    let old = outbox::enqueue(&mut conn, &email("一通目")).unwrap();
    outbox::enqueue(&mut conn, &email("二通目")).unwrap();
    let sent = outbox::enqueue(&mut conn, &email("送信済み")).unwrap();
    outbox::mark_sent(&mut conn, sent, now()).unwrap();
    diesel::update(outbox_emails::table.find(old))
        .set(outbox_emails::created_at.eq(now() - Duration::hours(1)))
        .execute(&mut conn)
        .unwrap();
    let employer = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let end = now() + Duration::days(30);
    for (title, age) in [("寒ブリの仕分け", Duration::hours(2)), ("定置網の手伝い", Duration::minutes(5))]
    {
        fixtures::pending(&mut conn, &employer, fixtures::input(title, "part_time"), now() - age, end).unwrap();
    }
    fixtures::published(&mut conn, &employer, fixtures::input("公開中", "part_time"), now()).unwrap();

    let (_, text) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(sample(&text, "yui_outbox_pending_emails"), Some(2.0), "{text}");
    assert_eq!(sample(&text, "yui_review_pending_postings"), Some(2.0), "{text}");
    let mail_age = sample(&text, "yui_outbox_oldest_pending_age_seconds").unwrap();
    assert!((3600.0..3700.0).contains(&mail_age), "{mail_age}");
    let posting_age = sample(&text, "yui_review_oldest_pending_age_seconds").unwrap();
    assert!((7200.0..7300.0).contains(&posting_age), "{posting_age}");
    assert!(text.contains("# TYPE yui_outbox_pending_emails gauge"), "{text}");
}
