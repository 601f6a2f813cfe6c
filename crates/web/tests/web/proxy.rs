//! Behind a reverse proxy: the client's address comes from `X-Forwarded-For` / `Forwarded` only
//! when the TCP peer is a trusted proxy, so the per-address limits count visitors, not the proxy,
//! and a header sent straight to Yui changes nothing.

use crate::common::{hidden_value, Session, TestApp};

/// Eight failed logins, each "from" another address as the header says: the statuses.
async fn logins_from_eight_addresses(app: &TestApp, header: &str) -> Vec<u16> {
    let s = Session::anonymous(app);
    let mut statuses = Vec::new();
    for i in 1..=8 {
        let (_, html) = s.get("/admin/login").await;
        let csrf = hidden_value(&html, "csrf");
        let email = format!("nobody{i}@example.jp");
        let form = [("csrf", csrf.as_str()), ("email", email.as_str()), ("password", "wrong password!!")];
        let res = s
            .client
            .post(format!("{}/admin/login", app.address))
            .header(header, format!("198.51.100.{i}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    statuses
}

#[actix_web::test]
async fn through_a_trusted_proxy_each_visitor_has_their_own_allowance() {
    let app =
        TestApp::spawn_with(|s| s.trusted_proxies = yui_web::client::parse_trusted(&["127.0.0.1".into()]).unwrap())
            .await;
    assert_eq!(logins_from_eight_addresses(&app, "x-forwarded-for").await, [401; 8]);
    let forwarded = TestApp::spawn_with(|s| {
        s.trusted_proxies = yui_web::client::parse_trusted(&["127.0.0.0/8".into()]).unwrap();
    })
    .await;
    let s = Session::anonymous(&forwarded);
    let mut statuses = Vec::new();
    for i in 1..=7 {
        let (_, html) = s.get("/admin/login").await;
        let csrf = hidden_value(&html, "csrf");
        let email = format!("someone{i}@example.jp");
        let res = s
            .client
            .post(format!("{}/admin/login", forwarded.address))
            .header("forwarded", format!("for=\"[2001:db8::{i}]:4711\";proto=https"))
            .form(&[("csrf", csrf.as_str()), ("email", email.as_str()), ("password", "wrong password!!")])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, [401; 7], "Forwarded: for= is read too");
}

#[actix_web::test]
async fn a_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    // Nobody trusted (the default), and a proxy range that does not hold the peer: the header is
    // anyone's to write, so all eight attempts count against the one real address.
    let untrusted = TestApp::spawn().await;
    let statuses = logins_from_eight_addresses(&untrusted, "x-forwarded-for").await;
    assert_eq!(statuses[..5], [401; 5], "{statuses:?}");
    assert_eq!(statuses[5..], [429; 3], "{statuses:?}");
    let elsewhere = TestApp::spawn_with(|s| {
        s.trusted_proxies = yui_web::client::parse_trusted(&["10.0.0.0/8".into()]).unwrap();
    })
    .await;
    let statuses = logins_from_eight_addresses(&elsewhere, "x-forwarded-for").await;
    assert_eq!(statuses[5..], [429; 3], "{statuses:?}");
}

#[actix_web::test]
async fn two_instances_on_one_database_share_every_allowance() {
    let first = TestApp::spawn().await;
    let url = first.db.url.clone();
    let second = TestApp::spawn_with(move |s| s.database_url = url).await;
    let mut statuses = Vec::new();
    for i in 1..=8 {
        // Each attempt from the same address, to one instance then the other.
        let app = if i % 2 == 0 { &second } else { &first };
        let s = Session::anonymous(app);
        let (_, html) = s.get("/admin/login").await;
        let csrf = hidden_value(&html, "csrf");
        let email = format!("nobody{i}@example.jp");
        let form = [("csrf", csrf.as_str()), ("email", email.as_str()), ("password", "wrong password!!")];
        statuses.push(s.post("/admin/login", &form).await.0);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429], "five a minute in all, not five each");
}
