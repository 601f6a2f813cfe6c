//! A paid feature's sponsor: clicks from the feature to its postings counted through a
//! redirect, the report link mailed once when the run ends, and the report page it opens (any
//! other token is a 404).

use super::{spawn, visit, BROWSER};
use chrono::Duration;
use diesel::prelude::*;
use yui_db::now;
use yui_db::outbox::{NewEmail, OutboxEmail};
use yui_db::schema::{article_postings, articles, outbox_emails, sponsor_reports};
use yui_db::testing::fixtures;
use yui_web::reports::build_sponsor_reports;

#[actix_web::test]
async fn the_sponsor_gets_one_private_report_of_views_clicks_and_inquiries() {
    let (app, counter) = spawn().await;
    let mut conn = app.conn();
    let editor = fixtures::editor(&mut conn, "editor@npo.example").unwrap();
    let sponsor = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::published(
        &mut conn,
        &sponsor,
        fixtures::input("定置網漁の乗組員", "full_time"),
        now() - Duration::days(2),
    )
    .unwrap();
    diesel::insert_into(articles::table)
        .values((
            articles::kind.eq("feature"),
            articles::slug.eq("hama-no-asa"),
            articles::title.eq("浜の朝"),
            articles::sponsor_employer_id.eq(Some(sponsor.id)),
            articles::author_id.eq(editor.id),
            articles::status.eq("published"),
            articles::published_at.eq(Some(now() - Duration::days(1))),
            articles::created_at.eq(now() - Duration::days(1)),
            articles::updated_at.eq(now() - Duration::days(1)),
        ))
        .execute(&mut conn)
        .unwrap();
    let article: i32 =
        articles::table.filter(articles::slug.eq("hama-no-asa")).select(articles::id).first(&mut conn).unwrap();
    diesel::insert_into(article_postings::table)
        .values((article_postings::article_id.eq(article), article_postings::posting_id.eq(p.id)))
        .execute(&mut conn)
        .unwrap();
    fixtures::feature_order(&mut conn, sponsor.id, article, "paid", editor.id).unwrap();

    // The feature's postings are linked through the counting redirect.
    let (status, html) = app.page("/features/hama-no-asa").await;
    assert_eq!(status, 200);
    let click = format!("/go/article/{article}/jobs/{}", p.public_id);
    assert!(html.contains(&format!("href=\"{click}\"")), "{html}");
    assert_eq!(visit(&app, "/features/hama-no-asa").await, 200);
    let res = app.client.get(format!("{}{click}", app.address)).header("user-agent", BROWSER).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], format!("/jobs/{}", p.public_id).as_str());
    // A robot's click and a HEAD are not counted; a malformed one is a 404.
    app.client.get(format!("{}{click}", app.address)).header("user-agent", "Googlebot/2.1").send().await.unwrap();
    app.client.head(format!("{}{click}", app.address)).header("user-agent", BROWSER).send().await.unwrap();
    assert_eq!(visit(&app, &format!("/go/article/{article}/jobs/..%2Fadmin")).await, 404);
    counter.flush(&mut conn).unwrap();
    let mail = yui_db::outbox::enqueue(
        &mut conn,
        &NewEmail {
            to: &["saiyo@hama.example"],
            reply_to: None,
            subject: "問い合わせ",
            body_text: "本文",
            body_html: None,
            headers: &[],
        },
    )
    .unwrap();
    yui_db::inquiries::record(&mut conn, p.id, "hash", mail, now()).unwrap();

    // The run (an hour here) has ended: one mail, however often the pass runs.
    let mut settings = crate::common::test_settings();
    settings.statistics.sponsor_report_after = Duration::hours(1);
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    assert_eq!(build_sponsor_reports(&mut conn, ctx, now()).unwrap(), 1);
    assert_eq!(build_sponsor_reports(&mut conn, ctx, now()).unwrap(), 0);
    let mails: Vec<OutboxEmail> = outbox_emails::table
        .filter(outbox_emails::subject.like("%のレポート"))
        .select(OutboxEmail::as_select())
        .load(&mut conn)
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipients, "saiyo@hama.example");
    let body = &mails[0].body_text;
    let at = body.find("/reports/").unwrap() + "/reports/".len();
    let token = &body[at..at + 43];
    let stored: String = sponsor_reports::table.select(sponsor_reports::token_hash).first(&mut conn).unwrap();
    assert_ne!(stored, token, "only the token's hash is kept");

    let res = app.get(&format!("/reports/{token}")).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.unwrap();
    assert!(html.contains("浜の朝"), "{html}");
    let total = html.split("<tr class=\"total\">").nth(1).unwrap();
    assert!(
        total.starts_with(
            "<th scope=\"row\">合計</th><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td>"
        ),
        "one view, one click, one inquiry: {total}"
    );
    let wrong: String = token.chars().rev().collect();
    assert_eq!(app.get(&format!("/reports/{wrong}")).await.status().as_u16(), 404);
    assert_eq!(app.get("/reports/short").await.status().as_u16(), 404);
}
