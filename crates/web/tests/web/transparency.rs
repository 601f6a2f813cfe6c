//! The public record of review decisions (/transparency) through HTTP, on the backend
//! `YUI_TEST_BACKEND` names: organisations and actions are shown, people and private content never.

use crate::common::TestApp;
use chrono::{Duration, NaiveDateTime};
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_db::postings::{self, Actor, Reason};
use yui_db::testing::fixtures;
use yui_db::{now, DbConnection};
use yui_domain::PostingAction;

const SECRET: &str = "SECRET-REASON-7f3a";
const EDITOR_EMAIL: &str = "hanako.shinsa@npo.example";
const EDITOR_NAME: &str = "審査 花子";
const EMPLOYER_EMAIL: &str = "saiyo@hama.example";

struct World {
    approved: Posting,
    rejected: Posting,
    changes: Posting,
    org_name: String,
    /// When the three postings were submitted (the earliest) and decided.
    earliest: NaiveDateTime,
}

fn act(
    conn: &mut DbConnection,
    p: &Posting,
    action: PostingAction,
    actor: Actor,
    reason: Reason<'_>,
    at: NaiveDateTime,
) -> Posting {
    postings::apply_action(conn, p.id, p.version, action, actor, reason, at).unwrap()
}

fn pending(conn: &mut DbConnection, e: &Employer, title: &str, created: NaiveDateTime) -> Posting {
    fixtures::pending(conn, e, fixtures::input(title, "full_time"), created, now() + Duration::days(30)).unwrap()
}

/// Three submissions: one approved after 5 hours, one rejected as spam after 3, one sent back
/// for changes after 1, all by an editor of テストNPO.
fn build(conn: &mut DbConnection) -> World {
    let editor = fixtures::editor(conn, EDITOR_EMAIL).unwrap();
    let org = yui_db::organizations::find_by_slug(conn, "test-npo").unwrap().unwrap();
    assert_eq!(editor.organization_id, org.id, "the editor belongs to the test organisation");
    let actor = Actor { staff_id: Some(editor.id), organization_id: Some(editor.organization_id) };
    let e = fixtures::employer(conn, "株式会社氷見浜水産", EMPLOYER_EMAIL).unwrap();
    let t = now();
    let approved = pending(conn, &e, "定置網漁の乗組員", t - Duration::hours(5));
    let rejected = pending(conn, &e, "在宅で月収百万円の副業", t - Duration::hours(3));
    let changes = pending(conn, &e, "条件未記入の事務スタッフ", t - Duration::hours(1));
    let approved = act(conn, &approved, PostingAction::Approve, actor, Reason::default(), t);
    let rejected = act(
        conn,
        &rejected,
        PostingAction::Reject,
        actor,
        Reason { code: Some("spam"), text: Some(&format!("{SECRET} 同じ内容が何度も届いた")) },
        t,
    );
    let changes = act(
        conn,
        &changes,
        PostingAction::RequestChanges,
        actor,
        Reason { code: Some("missing_conditions"), text: Some(&format!("{SECRET} 給与を書いてください")) },
        t,
    );
    World { approved, rejected, changes, org_name: org.name, earliest: t - Duration::hours(5) }
}

fn assert_private(body: &str, w: &World, what: &str) {
    for secret in [
        w.rejected.title.as_str(),
        w.changes.title.as_str(),
        SECRET,
        EDITOR_NAME,
        EDITOR_EMAIL,
        EMPLOYER_EMAIL,
        "担当 太郎",
        "0766-00-1234",
    ] {
        assert!(!body.contains(secret), "{what} shows {secret:?}");
    }
}

#[actix_web::test]
async fn the_log_names_organisations_and_actions_but_never_people_or_private_content() {
    let app = TestApp::spawn().await;
    let w = build(&mut app.conn());

    let (status, html) = app.page("/transparency/log").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"ja\">"));
    for expected in [w.org_name.as_str(), "承認・掲載", "不掲載", "修正依頼", "スパム", "労働条件の明示が不足"]
    {
        assert!(html.contains(expected), "the log shows {expected}");
    }
    assert!(html.contains(&w.approved.title), "a published posting's title is shown");
    assert!(
        html.contains(&format!("<a href=\"/jobs/{}\">{}</a>", w.approved.public_id, w.approved.title)),
        "and linked while it is public"
    );
    assert!(html.contains(&w.rejected.public_id), "a rejected posting appears by its id only");
    assert!(!html.contains(&format!("/jobs/{}", w.rejected.public_id)), "never linked");
    assert_private(&html, &w, "/transparency/log");

    let res = app.get("/transparency/log.json").await;
    assert_eq!(res.status().as_u16(), 200);
    let text = res.text().await.unwrap();
    assert_private(&text, &w, "/transparency/log.json");
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["total"], 3);
    assert_eq!((body["page"].as_u64(), body["last_page"].as_u64()), (Some(1), Some(1)));
    let events = body["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    let of = |id: &str| events.iter().find(|ev| ev["posting"]["id"] == id).unwrap();
    let approved = of(&w.approved.public_id);
    assert_eq!(approved["action"], "approve");
    assert_eq!(approved["posting"]["title"], w.approved.title.as_str());
    assert_eq!(approved["posting"]["url"], format!("/jobs/{}", w.approved.public_id));
    assert_eq!(approved["by"], serde_json::json!({"kind": "organization", "name": w.org_name}));
    assert!(approved["reason"].is_null());
    assert!(approved["at"].as_str().unwrap().ends_with("+09:00"), "Japan time: {approved}");
    let rejected = of(&w.rejected.public_id);
    assert_eq!(rejected["action_label"], "不掲載");
    assert_eq!(rejected["reason"], serde_json::json!({"code": "spam", "label": "スパム"}));
    assert!(rejected["posting"]["title"].is_null() && rejected["posting"]["url"].is_null(), "{rejected}");
    let changes = of(&w.changes.public_id);
    assert_eq!(changes["reason"]["code"], "missing_conditions");
    assert!(changes["posting"]["title"].is_null());
}

#[actix_web::test]
async fn the_summary_counts_decisions_this_month_and_all_time() {
    let app = TestApp::spawn().await;
    let w = build(&mut app.conn());

    let res = app.get("/transparency.json").await;
    assert_eq!(res.status().as_u16(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let mut periods = vec!["all_time"];
    // The postings were submitted up to five hours ago: in the first hours of a month in Japan,
    // some of them belong to last month.
    let (month_start, _) = yui_db::transparency::tokyo_month(now());
    if w.earliest >= month_start {
        periods.push("this_month");
    }
    for period in periods {
        let p = &body[period];
        assert_eq!(p["submitted"], 3, "{period}: {p}");
        assert_eq!(p["published"], 1, "{period}");
        assert_eq!(p["changes_requested"], 1, "{period}");
        assert_eq!(p["rejected"], serde_json::json!({"spam": 1}), "{period}");
        assert_eq!(p["rejected_total"], 1, "{period}");
        assert_eq!(p["decided"], 2, "{period}");
        // First decisions after 5 and 3 hours: nearest-rank median 3, 90th percentile 5.
        assert!(p["median_hours_to_first_decision"].is_number(), "{period}: {p}");
        assert_eq!(p["median_hours_to_first_decision"].as_f64(), Some(3.0), "{period}");
        assert_eq!(p["p90_hours_to_first_decision"].as_f64(), Some(5.0), "{period}");
        assert_eq!(
            p["decisions_by_organization"],
            serde_json::json!([{"organization": w.org_name, "decisions": 3}]),
            "{period}"
        );
    }
    assert!(body["this_month"]["from"].as_str().unwrap().ends_with("T00:00:00+09:00"), "{body}");
    assert!(body["all_time"]["from"].is_null());
    assert_eq!(body["reject_reasons"]["spam"], "スパム");

    let (status, html) = app.page("/transparency").await;
    assert_eq!(status, 200);
    assert!(html.contains("審査の記録"));
    assert!(html.contains(&w.org_name));
    assert!(html.contains("スパム"));
    assert!(html.contains("5.0時間"), "the 90th percentile in hours");
    assert_private(&html, &w, "/transparency");
}

#[actix_web::test]
async fn an_empty_record_shows_dashes_and_nulls() {
    let app = TestApp::spawn().await;
    let body: serde_json::Value = app.get("/transparency.json").await.json().await.unwrap();
    assert_eq!(body["all_time"]["submitted"], 0);
    assert!(body["all_time"]["median_hours_to_first_decision"].is_null());
    assert!(body["this_month"]["p90_hours_to_first_decision"].is_null());
    assert_eq!(body["all_time"]["rejected"], serde_json::json!({}));
    let (status, html) = app.page("/transparency").await;
    assert_eq!(status, 200);
    assert!(html.contains("—"));
    let (status, html) = app.page("/transparency/log").await;
    assert_eq!(status, 200);
    assert!(html.contains("まだ記録はありません。"));
    let body: serde_json::Value = app.get("/transparency/log.json").await.json().await.unwrap();
    assert_eq!((body["total"].as_i64(), body["events"].as_array().map(Vec::len)), (Some(0), Some(0)));
}

#[actix_web::test]
async fn employer_and_system_actions_are_named_so_and_titles_follow_what_seekers_saw() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "旅館 海あかり", "recruit@umi.example").unwrap();
    let t = now() - Duration::hours(2);
    // Published by Yui itself (no organisation), then closed by the employer through their link.
    let seen = fixtures::published(&mut conn, &e, fixtures::input("仲居さん（終了）", "part_time"), t).unwrap();
    act(&mut conn, &seen, PostingAction::Close, Actor::default(), Reason { code: Some("employer"), text: None }, now());
    // Withdrawn by the employer before anyone reviewed it: never public.
    let withdrawn = pending(&mut conn, &e, "取り下げた求人", t);
    act(
        &mut conn,
        &withdrawn,
        PostingAction::Close,
        Actor::default(),
        Reason { code: Some("employer"), text: None },
        now(),
    );

    let body: serde_json::Value = app.get("/transparency/log.json").await.json().await.unwrap();
    let events = body["events"].as_array().unwrap();
    let by: Vec<_> = events.iter().map(|ev| ev["by"]["kind"].as_str().unwrap()).collect();
    assert_eq!(by, ["employer", "employer", "system"], "newest first: {body}");
    assert_eq!(events[2]["by"]["name"], "システム");
    assert_eq!(events[0]["by"]["name"], "事業者");
    assert!(events.iter().all(|ev| ev["reason"].is_null()), "the employer marker is not a reason");
    let of = |id: &str| events.iter().filter(|ev| ev["posting"]["id"] == id).collect::<Vec<_>>();
    for ev in of(&seen.public_id) {
        assert_eq!(ev["posting"]["title"], "仲居さん（終了）", "it was public once");
        assert!(ev["posting"]["url"].is_null(), "but is not any more");
    }
    for ev in of(&withdrawn.public_id) {
        assert!(ev["posting"]["title"].is_null(), "{ev}");
    }
    let (_, html) = app.page("/transparency/log").await;
    assert!(html.contains("仲居さん（終了）") && !html.contains("取り下げた求人"));
    assert!(html.contains("事業者") && html.contains("システム"));
}

#[actix_web::test]
async fn english_pages_and_labels() {
    let app = TestApp::spawn().await;
    let w = build(&mut app.conn());
    let (status, html) = app.page("/transparency?lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Review record") && html.contains("Spam"), "{html}");
    let (status, html) = app.page("/transparency/log?lang=en").await;
    assert_eq!(status, 200);
    for expected in ["Approved", "Rejected", "Changes requested", "Spam", "Working conditions missing"] {
        assert!(html.contains(expected), "{expected}");
    }
    assert_private(&html, &w, "/transparency/log?lang=en");
    let body: serde_json::Value = app.get("/transparency/log.json?lang=en").await.json().await.unwrap();
    assert_eq!(body["lang"], "en");
    assert!(body["events"].as_array().unwrap().iter().any(|ev| ev["action_label"] == "Rejected"));
}

#[actix_web::test]
async fn pages_are_checked_like_the_portals() {
    let app = TestApp::spawn().await;
    build(&mut app.conn());
    for (path, status) in [
        ("/transparency/log?page=0", 400),
        ("/transparency/log?page=abc", 400),
        ("/transparency/log?page=-1", 400),
        ("/transparency/log?page=9999", 404),
        ("/transparency/log?page=2", 404),
        ("/transparency/log.json?page=0", 400),
        ("/transparency/log.json?page=9999", 404),
        ("/transparency/log?page=1", 200),
    ] {
        let (got, _) = app.page(path).await;
        assert_eq!(got, status, "{path}");
    }
    let (_, html) = app.page("/transparency/log?page=0").await;
    assert!(html.contains("ページ番号「0」は正しくありません"), "a real error page");
}

#[actix_web::test]
async fn the_log_pages_fifty_at_a_time() {
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "旅館 海あかり", "recruit@umi.example").unwrap();
    let t = now() - Duration::days(1);
    for i in 0..51 {
        fixtures::published(&mut conn, &e, fixtures::input(&format!("求人{i}"), "part_time"), t + Duration::minutes(i))
            .unwrap();
    }
    let first: serde_json::Value = app.get("/transparency/log.json").await.json().await.unwrap();
    assert_eq!((first["total"].as_i64(), first["last_page"].as_i64()), (Some(51), Some(2)));
    assert_eq!(first["events"].as_array().unwrap().len(), 50);
    assert_eq!(first["events"][0]["posting"]["title"], "求人50", "newest first");
    assert_eq!(first["next"], "/transparency/log.json?page=2");
    let second: serde_json::Value = app.get("/transparency/log.json?page=2").await.json().await.unwrap();
    assert_eq!(second["events"].as_array().unwrap().len(), 1);
    assert_eq!(second["events"][0]["posting"]["title"], "求人0");
    assert_eq!(second["prev"], "/transparency/log.json");
    let (status, html) = app.page("/transparency/log?page=2").await;
    assert_eq!(status, 200);
    assert!(html.contains("2 / 2 ページ"));
}
