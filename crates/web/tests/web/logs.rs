//! Keys never reach the log: a server error on any private link is logged, the link's key is not.

use crate::common::{logs, TestApp};
use diesel::RunQueryDsl;
use std::net::IpAddr;
use std::time::{Duration, Instant};

#[actix_web::test]
async fn a_server_error_on_every_keyed_route_is_logged_without_its_key() {
    logs::capture();
    let app = TestApp::spawn().await;
    // Every table a keyed route reads first goes away, so each of them fails with a 500.
    let mut conn = app.conn();
    for table in ["postings", "succession_listings", "supporters", "followers", "follow_searches"] {
        diesel::sql_query(format!("ALTER TABLE {table} RENAME TO {table}_gone")).execute(&mut conn).unwrap();
    }
    // This test's requests come from an address of its own, which names its lines in the log.
    let peer = IpAddr::from([127, rand::random_range(100..=250), rand::random(), rand::random_range(1..=250)]);
    let client =
        reqwest::Client::builder().local_address(peer).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let key = yui_web::tokens::random_token;
    // Every keyed route, by the method that reads the database before anything else refuses
    // (a GET of `/manage/{token}/edit` only redirects; the other links' POSTs check the form's
    // CSRF token first).
    let routes = [
        ("GET", format!("/manage/{}", key()), "/manage/…"),
        ("POST", format!("/manage/{}", key()), "/manage/…"),
        ("POST", format!("/manage/{}/edit", key()), "/manage/…/edit"),
        ("GET", format!("/succession/manage/{}", key()), "/succession/manage/…"),
        ("POST", format!("/succession/manage/{}", key()), "/succession/manage/…"),
        ("GET", format!("/follow/manage/m9{}", key()), "/follow/manage/…"),
        ("POST", format!("/follow/manage/m9{}", key()), "/follow/manage/…"),
        ("GET", format!("/follow/confirm/{}", key()), "/follow/confirm/…"),
        ("GET", format!("/follow/feeds/f9{}.atom", key()), "/follow/feeds/…"),
        ("GET", format!("/unsubscribe/d9{}", key()), "/unsubscribe/…"),
        ("POST", format!("/unsubscribe/d9{}", key()), "/unsubscribe/…"),
        ("GET", format!("/support/confirm/{}", key()), "/support/confirm/…"),
        ("GET", format!("/support/leave/{}", key()), "/support/leave/…"),
    ];
    for (method, path, _) in &routes {
        let res = client
            .request(method.parse().unwrap(), format!("{}{path}", app.address))
            .form(&[("action", "close")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 500, "{method} {path}");
        res.text().await.unwrap();
    }

    // The access log writes its line once the answer has gone out: wait for all of them.
    let mine = || logs::lines_with(&format!("{peer} \""));
    let deadline = Instant::now() + Duration::from_secs(30);
    while mine().len() < 2 * routes.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let lines = mine();
    for (method, path, logged) in &routes {
        let request = format!("{peer} \"{method} {logged}\"");
        let error = format!("{request} failed: database query failed: ");
        assert!(lines.iter().any(|l| l.starts_with("ERROR") && l.contains(&error)), "{method} {path}: {lines:#?}");
        assert!(lines.iter().any(|l| l.contains(&format!("{request} 500 "))), "{method} {path}: {lines:#?}");
        let key = path.trim_end_matches(".atom").rsplit('/').find(|s| s.len() >= 43).unwrap();
        assert_eq!(logs::lines_with(&key[key.len() - 43..]), Vec::<String>::new(), "{method} {path}");
    }
}
