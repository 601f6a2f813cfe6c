//! /transparency and its JSON: the site's views and inquiries, postings filled through Yui and
//! successions matched, month by month.

use super::{spawn, visit};
use chrono::Duration;
use yui_db::now;
use yui_db::postings::{self, Actor, Reason};
use yui_db::testing::fixtures;
use yui_domain::succession::{ListingDraft, ListingInput};
use yui_domain::{PostingAction, SuccessionStatus};

#[actix_web::test]
async fn transparency_shows_views_inquiries_and_outcomes_by_month_and_in_its_json() {
    let (app, counter) = spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let filled =
        fixtures::published(&mut conn, &e, fixtures::input("定置網漁の乗組員", "full_time"), now() - Duration::days(3))
            .unwrap();
    let filled = postings::apply_action(
        &mut conn,
        filled.id,
        filled.version,
        PostingAction::MarkFilled,
        Actor::default(),
        Reason::default(),
        now(),
    )
    .unwrap();
    assert!(postings::set_hired_via_yui(&mut conn, filled.id, true).unwrap());
    // Filled but not through Yui: not counted.
    let other =
        fixtures::published(&mut conn, &e, fixtures::input("加工スタッフ", "part_time"), now() - Duration::days(3))
            .unwrap();
    let other = postings::apply_action(
        &mut conn,
        other.id,
        other.version,
        PostingAction::MarkFilled,
        Actor::default(),
        Reason::default(),
        now(),
    )
    .unwrap();
    assert!(postings::set_hired_via_yui(&mut conn, other.id, false).unwrap());
    let open = fixtures::published(
        &mut conn,
        &e,
        fixtures::input("民宿の朝食スタッフ", "part_time"),
        now() - Duration::days(1),
    )
    .unwrap();
    for _ in 0..3 {
        assert_eq!(visit(&app, &format!("/jobs/{}", open.public_id)).await, 200);
    }
    counter.flush(&mut conn).unwrap();

    let coordinator = crate::common::staff(&mut conn, "coord@npo.example", "editor", ("npo", "NPOセンター"));
    let input = ListingInput {
        public_name: "比美町の鮮魚店".into(),
        industry: "鮮魚小売".into(),
        area: "比美町".into(),
        years_in_business: "62".into(),
        staff_count: "3".into(),
        revenue_band: "10m_50m".into(),
        handover: "premises equipment customers".into(),
        reason: "店主が高齢になったため。".into(),
        successor_wish: "魚が好きな方。".into(),
        terms: "transfer".into(),
        description: "朝どれの魚を60年売ってきました。".into(),
        owner_name: "魚屋 一郎".into(),
        owner_email: "owner@sakana.example".into(),
        ..ListingInput::default()
    };
    let content = yui_db::succession::ListingContent::from_draft(
        ListingDraft::parse(&input).unwrap(),
        None,
        coordinator.organization_id,
    );
    let actor = Actor { staff_id: Some(coordinator.id), organization_id: Some(coordinator.organization_id) };
    let l = yui_db::succession::create(&mut conn, &content, actor, now()).unwrap();
    for to in [SuccessionStatus::InTalks, SuccessionStatus::Matched] {
        let current = yui_db::succession::find(&mut conn, l.id).unwrap().unwrap();
        yui_db::succession::set_status(&mut conn, l.id, current.version, to, None, actor, now()).unwrap();
    }

    let this_month = yui_domain::today().format("%Y-%m").to_string();
    let json: serde_json::Value = app.get("/transparency.json").await.json().await.unwrap();
    let months = json["by_month"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    let last = &months[11];
    assert_eq!(last["month"], this_month.as_str(), "oldest first, this month last: {json}");
    assert_eq!(
        (&last["views"], &last["contacts"], &last["filled_via_yui"], &last["successions_matched"]),
        (&3.into(), &0.into(), &1.into(), &1.into()),
        "{last}"
    );
    assert!(months[..11].iter().all(|m| m["views"] == 0 && m["filled_via_yui"] == 0), "{json}");
    let text = json.to_string();
    assert!(!text.contains("owner@sakana.example") && !text.contains("saiyo@hama.example"), "nothing personal");

    let (status, html) = app.page("/transparency").await;
    assert_eq!(status, 200);
    let label = yui_domain::today().format("%Y年%-m月").to_string();
    let row = html.split("<table class=\"record by-month\">").nth(1).unwrap();
    let expected = format!(
        "<tr><th scope=\"row\">{label}</th><td class=\"num\">3</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td></tr>"
    );
    assert!(row.contains(&expected), "{row}");
}
