//! Views: counted per day, robots and HEAD left out, pages from the cache counted, flushes
//! adding to one row, nothing about the visitor stored; the employer's weekly numbers.

use super::{spawn, visit, BROWSER};
use chrono::Duration;
use yui_db::now;
use yui_db::statistics::{self, POSTING};
use yui_db::testing::fixtures;

#[actix_web::test]
async fn views_are_counted_per_day_without_robots_or_head_and_two_flushes_add_to_one_row() {
    let (app, counter) = spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::published(
        &mut conn,
        &e,
        fixtures::input("定置網漁の乗組員", "full_time"),
        now() - Duration::hours(2),
    )
    .unwrap();
    let path = format!("/jobs/{}", p.public_id);

    assert_eq!(visit(&app, &path).await, 200);
    // The second answer comes from the page cache, and is counted all the same.
    assert_eq!(visit(&app, &path).await, 200);
    for robot in ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Slackbot 1.0", ""] {
        let res = app.client.get(format!("{}{path}", app.address)).header("user-agent", robot).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }
    let head = app.client.head(format!("{}{path}", app.address)).header("user-agent", BROWSER).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 200);
    // A posting that does not exist is no view of anything.
    assert_eq!(visit(&app, "/jobs/no-such-posting").await, 404);
    // Nothing is written before the flush: the public page costs no database write.
    assert!(statistics::rows(&mut conn, POSTING).unwrap().is_empty());

    assert_eq!(counter.flush(&mut conn).unwrap(), 2);
    let today = yui_domain::today();
    assert_eq!(statistics::rows(&mut conn, POSTING).unwrap(), [(p.id, today, 2)]);

    assert_eq!(visit(&app, &path).await, 200);
    assert_eq!(counter.flush(&mut conn).unwrap(), 1);
    assert_eq!(statistics::rows(&mut conn, POSTING).unwrap(), [(p.id, today, 3)], "added to the same row");
    assert_eq!(counter.flush(&mut conn).unwrap(), 0, "a flush forgets what it wrote");

    // Only what was viewed and when: no address, no user agent, no cookie.
    assert_eq!(statistics::daily_views_columns(&mut conn).unwrap(), ["kind", "subject_id", "day", "views"]);
}

#[actix_web::test]
async fn the_employer_sees_views_and_inquiries_by_week_on_their_private_page() {
    let (app, counter) = spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    let p =
        fixtures::published(&mut conn, &e, fixtures::input("朝食スタッフ", "part_time"), now() - Duration::days(20))
            .unwrap();
    let token = "m".repeat(43);
    yui_db::postings::set_manage_token_hash(&mut conn, p.id, &yui_web::tokens::hash_token(&token)).unwrap();

    // Two weeks ago: 5 views and one inquiry; this week: 3 views (two counted now) and two inquiries.
    let today = yui_domain::today();
    let two_weeks_ago = today - Duration::days(14);
    let subject = statistics::Subject::Posting(p.public_id.clone());
    statistics::add_views(&mut conn, &subject, two_weeks_ago, 5).unwrap();
    statistics::add_views(&mut conn, &subject, today, 1).unwrap();
    for at in [now() - Duration::days(14), now(), now()] {
        let mail = yui_db::outbox::enqueue(
            &mut conn,
            &yui_db::outbox::NewEmail {
                to: &["hamakaze@example.jp"],
                reply_to: None,
                subject: "お問い合わせ",
                body_text: "本文",
                body_html: None,
                headers: &[],
            },
        )
        .unwrap();
        yui_db::inquiries::record(&mut conn, p.id, "hash", mail, at).unwrap();
    }
    visit(&app, &format!("/jobs/{}", p.public_id)).await;
    visit(&app, &format!("/jobs/{}", p.public_id)).await;
    counter.flush(&mut conn).unwrap();

    let (status, html) = app.page(&format!("/manage/{token}")).await;
    assert_eq!(status, 200);
    let rows: Vec<&str> = html.split("<tr><th scope=\"row\">").skip(1).collect();
    assert_eq!(rows.len(), 12, "twelve weeks, newest first");
    let cells = |row: &str| -> Vec<String> {
        row.split("<td>").skip(1).map(|c| c.split('<').next().unwrap().to_owned()).collect()
    };
    assert_eq!(cells(rows[0]), ["3", "2"], "this week: {}", rows[0]);
    assert_eq!(cells(rows[1]), ["0", "0"]);
    assert_eq!(cells(rows[2]), ["5", "1"], "two weeks ago: {}", rows[2]);
    let monday = yui_domain::statistics::monday_of(today);
    assert!(rows[0].starts_with(&format!("{}からの週", monday.format("%Y年%-m月%-d日"))), "{}", rows[0]);
}
