//! The review log is a public record: the database itself refuses to change or delete its rows,
//! on SQLite (triggers that abort) and on PostgreSQL (a trigger that raises), whatever code runs.

use chrono::Duration;
use diesel::RunQueryDsl;
use yui_db::now;
use yui_db::postings::{self, Actor, Reason};
use yui_db::testing::{fixtures, migrated};
use yui_domain::PostingAction;

#[test]
fn review_events_cannot_be_updated_or_deleted() {
    let (_db, mut conn) = migrated();
    let editor = fixtures::editor(&mut conn, "shinsa@npo.example").unwrap();
    let e = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let t = now();
    let p = fixtures::pending(&mut conn, &e, fixtures::input("怪しい求人", "full_time"), t, t + Duration::days(30))
        .unwrap();
    postings::apply_action(
        &mut conn,
        p.id,
        p.version,
        PostingAction::Reject,
        Actor { staff_id: Some(editor.id), organization_id: Some(editor.organization_id) },
        Reason { code: Some("spam"), text: Some("同じ内容が何度も届いた") },
        t,
    )
    .unwrap();
    let before = postings::review_log(&mut conn, p.id).unwrap();
    assert_eq!(before.len(), 1);

    for statement in [
        "UPDATE review_events SET reason_text = 'x'",
        "UPDATE review_events SET organization_id = NULL, actor_id = NULL",
        "DELETE FROM review_events",
    ] {
        let err = diesel::sql_query(statement).execute(&mut conn).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{statement}: {err}");
    }

    let after = postings::review_log(&mut conn, p.id).unwrap();
    assert_eq!(after.len(), 1, "the row is still there");
    let (b, a) = (&before[0], &after[0]);
    assert_eq!(
        (a.id, &a.action, &a.reason_code, &a.reason_text, a.actor_id, a.organization_id, a.created_at),
        (b.id, &b.action, &b.reason_code, &b.reason_text, b.actor_id, b.organization_id, b.created_at),
        "the row is unchanged"
    );
    assert_eq!(a.reason_text.as_deref(), Some("同じ内容が何度も届いた"));
}

#[test]
fn appending_still_works_after_a_refused_change() {
    let (_db, mut conn) = migrated();
    let e = fixtures::employer(&mut conn, "旅館 海あかり", "recruit@umi.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("仲居さん", "part_time"), now()).unwrap();
    assert!(diesel::sql_query("DELETE FROM review_events").execute(&mut conn).is_err());
    postings::apply_action(
        &mut conn,
        p.id,
        p.version,
        PostingAction::Close,
        Actor::default(),
        Reason { code: Some("employer"), text: None },
        now(),
    )
    .unwrap();
    let log = postings::review_log(&mut conn, p.id).unwrap();
    let actions: Vec<_> = log.iter().map(|ev| ev.action.as_str()).collect();
    assert_eq!(actions, ["approve", "close"]);
}
