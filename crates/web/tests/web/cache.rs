//! The in-memory page cache: ETags and 304s, a change through the app clears it, and nothing
//! private is ever kept.

use crate::common::{self, TestApp};
use chrono::Duration;
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
        ("employment_type", "volunteer"),
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

#[actix_web::test]
async fn a_posting_page_is_shared_from_the_cache_but_each_visitor_gets_their_own_form_token() {
    let app = TestApp::spawn_with(|s| s.page_cache_secs = 60).await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    let p =
        fixtures::published(&mut conn, &e, fixtures::input("朝食スタッフ", "part_time"), now() - Duration::hours(1))
            .unwrap();
    let path = format!("/jobs/{}", p.public_id);
    let visitor = || reqwest::Client::builder().cookie_store(true).build().unwrap();
    let (a, b) = (visitor(), visitor());
    let mut tokens = Vec::new();
    let mut etags = Vec::new();
    for client in [&a, &b] {
        let res = client.get(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers().get("x-yui-csrf-slot").is_none(), "the internal marker never leaves");
        assert!(res.headers().get("set-cookie").is_some(), "a first visit gets its cookie");
        etags.push(res.headers().get("etag").unwrap().to_str().unwrap().to_owned());
        let html = res.text().await.unwrap();
        assert!(!html.contains("__yui_csrf_slot__"));
        tokens.push(common::hidden_value(&html, "csrf"));
    }
    assert_ne!(tokens[0], tokens[1], "one page in the cache, but a token per visitor");
    assert_ne!(etags[0], etags[1], "and an ETag per visitor, since the page holds their token");
    // Each visitor's own token works for them, and not for the other one.
    let send = |client: &reqwest::Client, token: &str| {
        let form = [
            ("csrf", token.to_owned()),
            ("name", "海野 凪".to_owned()),
            ("email", "nagi@example.jp".to_owned()),
            ("message", "見学できますか。".to_owned()),
        ];
        client.post(format!("{}{path}/contact", app.address)).form(&form).send()
    };
    assert_eq!(send(&b, &tokens[0]).await.unwrap().status().as_u16(), 403);
    assert_eq!(send(&a, &tokens[0]).await.unwrap().status().as_u16(), 200, "sent, and the thanks page");
}

#[actix_web::test]
async fn a_browser_that_lost_its_cookie_gets_the_page_again_with_a_token_that_works_not_a_304() {
    let app = TestApp::spawn_with(|s| s.page_cache_secs = 60).await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    let p =
        fixtures::published(&mut conn, &e, fixtures::input("朝食スタッフ", "part_time"), now() - Duration::hours(1))
            .unwrap();
    let url = format!("{}/jobs/{}", app.address, p.public_id);
    let before = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let first = before.get(&url).send().await.unwrap();
    let etag = first.headers().get("etag").unwrap().to_str().unwrap().to_owned();
    let old_token = common::hidden_value(&first.text().await.unwrap(), "csrf");
    // With its cookie, the browser's copy is still good: 304.
    let again = before.get(&url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 304, "the same visitor, the same page");
    assert_eq!(again.headers().get("etag").unwrap().to_str().unwrap(), etag);

    // After a restart: the same cached copy and its ETag, but no cookie.
    let after = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let res = after.get(&url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "a copy whose token lost its cookie is not confirmed");
    assert!(res.headers().get("set-cookie").is_some(), "the cookie for the new token");
    let token = common::hidden_value(&res.text().await.unwrap(), "csrf");
    let send = |token: &str| {
        let form = [
            ("csrf", token.to_owned()),
            ("name", "海野 凪".to_owned()),
            ("email", "nagi@example.jp".to_owned()),
            ("message", "見学できますか。".to_owned()),
        ];
        after.post(format!("{url}/contact")).form(&form).send()
    };
    assert_eq!(send(&old_token).await.unwrap().status().as_u16(), 403, "the old copy's token is dead");
    let res = send(&token).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.url().path().ends_with("/contact/sent"), "sent, then to the thanks page: {}", res.url());
    assert!(res.text().await.unwrap().contains("contact-sent"));
}
