#![allow(clippy::unwrap_used)]
//! The in-memory page cache: ETags and 304s, a change through the app clears it, and nothing
//! private is ever kept.

mod common;

use chrono::Duration;
use common::TestApp;
use yui_db::now;
use yui_db::testing::fixtures;

#[actix_web::test]
async fn public_pages_get_etags_and_304s_and_a_change_through_the_app_clears_them() {
    let app = TestApp::spawn_with(|s| s.page_cache_secs = 60).await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), now() - Duration::hours(2))
        .unwrap();

    let first = app.get("/jobs").await;
    let etag = first.headers().get("etag").unwrap().to_str().unwrap().to_owned();
    assert!(first.text().await.unwrap().contains("定置網漁の乗組員"));
    let again = app.client.get(format!("{}/jobs", app.address)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 304);
    assert!(again.headers().get("content-security-policy").is_some(), "security headers on cached answers too");

    // A change straight in the database is not seen while the page is cached…
    fixtures::published(
        &mut conn,
        &e,
        fixtures::input("寒ブリの加工スタッフ", "part_time"),
        now() - Duration::hours(1),
    )
    .unwrap();
    assert!(!app.page("/jobs").await.1.contains("寒ブリの加工スタッフ"), "served from memory");
    // …but any state-changing request through the app clears the cache.
    let res = app.client.post(format!("{}/submit", app.address)).form(&[("title", "x")]).send().await.unwrap();
    assert!(res.status().is_client_error(), "a refused form changes nothing and clears nothing");
    assert!(!app.page("/jobs").await.1.contains("寒ブリの加工スタッフ"));
    let (status, html) = app.page("/submit").await;
    assert_eq!(status, 200);
    let csrf = common::hidden_value(&html, "csrf");
    let form = [
        ("csrf", csrf.as_str()),
        ("submission_key", "cache-test-key-000001"),
        ("title", "民宿の朝食スタッフ"),
        ("employment_type", "part_time"),
        ("description", "朝食の準備"),
        ("how_to_apply", "電話"),
        ("employer_name", "民宿はまかぜ"),
        ("email", "hamakaze@example.jp"),
    ];
    assert_eq!(
        app.client.post(format!("{}/submit", app.address)).form(&form).send().await.unwrap().status().as_u16(),
        200
    );
    let (_, html) = app.page("/jobs").await;
    assert!(html.contains("寒ブリの加工スタッフ"), "fresh after the change");
}

#[actix_web::test]
async fn forms_admin_pages_and_language_switches_are_never_cached() {
    let app = TestApp::spawn_with(|s| s.page_cache_secs = 60).await;
    for path in ["/submit", "/admin/login", "/jobs?lang=en"] {
        let res = app.get(path).await;
        assert!(res.headers().get("etag").is_none(), "{path} is not cached");
    }
    let res = app.get("/").await;
    assert!(res.headers().get("etag").is_some());
}
