//! The search read model on several instances of one database: what one instance changes, the
//! others find; and a model kept current change by change answers exactly as one built afresh
//! (which is also what an instance that crashed mid-update builds when it starts again).

use crate::common::{self, TestApp};
use chrono::Duration;
use diesel::RunQueryDsl;
use yui_db::now;
use yui_db::testing::fixtures;
use yui_domain::PostingInput;

async fn instance(first: &TestApp) -> String {
    let mut settings = common::test_settings();
    settings.database_url = first.db.url.clone();
    settings.pool_size = 2;
    let app = yui_web::Application::build(settings).expect("another instance builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    address
}

/// Ids and total of the API's answer for `query` on the instance at `base`.
async fn ids(client: &reqwest::Client, base: &str, query: &str) -> (Vec<String>, i64) {
    let json: serde_json::Value =
        client.get(format!("{base}/api/v1/jobs?{query}")).send().await.unwrap().json().await.unwrap();
    let items = json["items"].as_array().unwrap_or_else(|| panic!("{query}: {json}"));
    (items.iter().map(|i| i["id"].to_string()).collect(), json["total"].as_i64().unwrap_or(-1))
}

fn sql(conn: &mut yui_db::DbConnection, statement: &str) {
    diesel::sql_query(statement).execute(conn).unwrap_or_else(|e| panic!("{statement}: {e}"));
}

const QUERIES: &[&str] = &[
    "",
    "q=%E4%BB%8B%E8%AD%B7",          // 介護
    "q=%E3%81%8B%E3%81%84%E3%81%94", // かいご
    "q=%E6%BC%81%E6%A5%AD",          // 漁業
    "q=%E5%A4%9C%E5%8B%A4",          // 夜勤
    "type=part_time",
    "cond=car",
    "q=%E4%BB%8B%E8%AD%B7&cond=parking",
    "category=care&page=2",
];

#[actix_web::test]
async fn a_posting_published_on_one_instance_is_found_on_another_at_once() {
    let app = TestApp::spawn().await;
    let other = instance(&app).await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "定置網の会", "ami@example.jp").unwrap();
    assert_eq!(ids(&app.client, &other, "q=%E6%BC%81%E6%A5%AD").await.1, 0);
    let p = fixtures::published(&mut conn, &e, fixtures::input("漁業の乗組員", "full_time"), now()).unwrap();
    let started = std::time::Instant::now();
    let (found, total) = ids(&app.client, &other, "q=%E6%BC%81%E6%A5%AD").await;
    assert_eq!((found, total), (vec![format!("{:?}", p.public_id)], 1));
    println!("found on the other instance {} ms after the commit", started.elapsed().as_millis());
    // Closed on the first: gone from the second's results and counts.
    sql(&mut conn, &format!("UPDATE postings SET status = 'closed' WHERE id = {}", p.id));
    assert_eq!(ids(&app.client, &other, "q=%E6%BC%81%E6%A5%AD").await.1, 0);
}

#[actix_web::test]
async fn a_model_kept_by_changes_answers_as_one_built_afresh() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let care = fixtures::employer(&mut conn, "ケアの森", "mori@example.jp").unwrap();
    let sea = fixtures::employer(&mut conn, "灘浦水産", "nada@example.jp").unwrap();
    let t = now() - Duration::days(2);
    let mut made = Vec::new();
    for i in 0..24 {
        let (emp, title, ty) = match i % 3 {
            0 => (&care, format!("介護職員 {i}"), "full_time"),
            1 => (&care, format!("夜勤スタッフ {i}"), "part_time"),
            _ => (&sea, format!("漁業の乗組員 {i}"), "full_time"),
        };
        let input = PostingInput {
            category: if i % 3 == 2 { "fishery".into() } else { "care".into() },
            conditions: if i % 2 == 0 { vec!["car".into(), "parking".into()] } else { vec![] },
            ..fixtures::input(&title, ty)
        };
        made.push(fixtures::published(&mut conn, emp, input, t + Duration::minutes(i)).unwrap());
    }
    // The first instance's model is built now and then follows every change below.
    assert_eq!(ids(&app.client, &app.address, "").await.1, 24);
    sql(&mut conn, &format!("UPDATE postings SET title = '漁業の見習い' WHERE id = {}", made[0].id));
    sql(&mut conn, &format!("UPDATE postings SET status = 'closed' WHERE id = {}", made[1].id));
    sql(&mut conn, &format!("UPDATE postings SET valid_through = '2000-01-01 00:00:00' WHERE id = {}", made[3].id));
    sql(&mut conn, &format!("DELETE FROM posting_conditions WHERE posting_id = {}", made[4].id));
    sql(&mut conn, &format!("INSERT INTO posting_conditions (posting_id, code) VALUES ({}, 'car')", made[5].id));
    sql(&mut conn, &format!("UPDATE employers SET name = '介護の灘浦' WHERE id = {}", sea.id));
    sql(&mut conn, &format!("UPDATE postings SET status = 'pending' WHERE id = {}", made[6].id));
    fixtures::published(&mut conn, &sea, fixtures::input("かいご送迎", "part_time"), now()).unwrap();

    let fresh = instance(&app).await;
    for q in QUERIES {
        let kept = ids(&app.client, &app.address, q).await;
        let built = ids(&app.client, &fresh, q).await;
        assert_eq!(kept, built, "{q}");
    }
    // And the changes took: the renamed employer's postings are found by its new name.
    assert_eq!(ids(&app.client, &app.address, "q=%E4%BB%8B%E8%AD%B7").await.1, 24 - 2 - 1 + 1);
}
