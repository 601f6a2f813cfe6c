//! Posting storage against a real database: SQLite by default, PostgreSQL when
//! `YUI_TEST_BACKEND=postgres` (both run under `make test`).

use chrono::Duration;
use yui_db::postings::{self, Actor, Reason};
use yui_db::testing::{fixtures, migrated, TestDatabase};
use yui_db::{now, DbError};
use yui_domain::{EmploymentType, PageNumber, PostingAction, PostingStatus, PublicId};

#[test]
fn migrations_apply_once_and_are_counted() {
    let db = TestDatabase::fresh();
    let first = yui_db::migrate::run_pending(&db.url).unwrap();
    assert!(!first.is_empty());
    assert!(yui_db::migrate::run_pending(&db.url).unwrap().is_empty(), "second run applies nothing");
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    assert_eq!(yui_db::health::migrations_applied(&mut conn).unwrap(), first.len() as i64);
}

#[test]
fn only_published_unexpired_postings_are_public() {
    let (_db, mut conn) = migrated();
    let e = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let t0 = now() - Duration::days(3);
    let open = fixtures::published(&mut conn, &e, fixtures::input("公開中", "full_time"), t0).unwrap();
    let _pending =
        fixtures::pending(&mut conn, &e, fixtures::input("審査待ち", "full_time"), t0, now() + Duration::days(9))
            .unwrap();
    let past = fixtures::published(&mut conn, &e, fixtures::input("期限切れ", "part_time"), t0).unwrap();
    // Time passes: its last day is over.
    postings::set_valid_through(&mut conn, past.id, now() - Duration::minutes(1)).unwrap();

    let page = postings::public_page(&mut conn, now(), None, PageNumber::FIRST, 10).unwrap();
    let titles: Vec<_> = page.items.iter().map(|(p, _)| p.title.as_str()).collect();
    assert_eq!((titles, page.total), (vec!["公開中"], 1));
    let id = PublicId::parse(&open.public_id).unwrap();
    assert!(postings::find_public(&mut conn, &id, now()).unwrap().is_some());
    let past_id = PublicId::parse(&past.public_id).unwrap();
    assert!(postings::find_public(&mut conn, &past_id, now()).unwrap().is_none());
}

#[test]
fn newest_first_with_type_filter_counts_and_pages() {
    let (_db, mut conn) = migrated();
    let e = fixtures::employer(&mut conn, "海あかり", "recruit@umi.example").unwrap();
    let base = now() - Duration::days(10);
    for i in 0..5 {
        let ty = if i % 2 == 0 { "part_time" } else { "side_job" };
        fixtures::published(&mut conn, &e, fixtures::input(&format!("求人{i}"), ty), base + Duration::hours(i))
            .unwrap();
    }
    let all = postings::public_page(&mut conn, now(), None, PageNumber::FIRST, 2).unwrap();
    assert_eq!(all.total, 5);
    assert_eq!(all.items.iter().map(|(p, _)| p.title.clone()).collect::<Vec<_>>(), ["求人4", "求人3"]);
    let third = postings::public_page(&mut conn, now(), None, PageNumber::parse(Some("3")).unwrap(), 2).unwrap();
    assert_eq!(third.items.iter().map(|(p, _)| p.title.clone()).collect::<Vec<_>>(), ["求人0"]);

    let part = postings::public_page(&mut conn, now(), Some(EmploymentType::PartTime), PageNumber::FIRST, 10).unwrap();
    assert_eq!(part.items.iter().map(|(p, _)| p.title.clone()).collect::<Vec<_>>(), ["求人4", "求人2", "求人0"]);

    let counts = postings::public_counts_by_type(&mut conn, now()).unwrap();
    assert_eq!(counts.len(), EmploymentType::ALL.len());
    let count_of = |t| counts.iter().find(|(ty, _)| *ty == t).unwrap().1;
    assert_eq!(
        (count_of(EmploymentType::PartTime), count_of(EmploymentType::SideJob), count_of(EmploymentType::FullTime)),
        (3, 2, 0)
    );
}

#[test]
fn actions_follow_the_status_machine_and_are_logged() {
    let (_db, mut conn) = migrated();
    let e = fixtures::employer(&mut conn, "あおい会", "jinji@aoi.example").unwrap();
    let p =
        fixtures::pending(&mut conn, &e, fixtures::input("介護職員", "full_time"), now(), now() + Duration::days(30))
            .unwrap();
    assert_eq!((p.status, p.version, p.published_at), (PostingStatus::Pending, 1, None));

    let editor = Actor { staff_id: None, organization_id: None };
    let asked = postings::apply_action(
        &mut conn,
        p.id,
        1,
        PostingAction::RequestChanges,
        editor,
        Reason { code: Some("incomplete"), text: Some("給与を書いてください") },
        now(),
    )
    .unwrap();
    assert_eq!((asked.status, asked.version), (PostingStatus::ChangesRequested, 2));
    let back =
        postings::apply_action(&mut conn, p.id, 2, PostingAction::Resubmit, editor, Reason::default(), now()).unwrap();
    let live =
        postings::apply_action(&mut conn, p.id, back.version, PostingAction::Approve, editor, Reason::default(), now())
            .unwrap();
    assert_eq!(live.status, PostingStatus::Published);
    assert!(live.published_at.is_some());

    let refused =
        postings::apply_action(&mut conn, p.id, live.version, PostingAction::Reject, editor, Reason::default(), now());
    assert!(matches!(refused, Err(DbError::Transition(_))), "{refused:?}");

    let log = postings::review_log(&mut conn, p.id).unwrap();
    let steps: Vec<_> =
        log.iter().map(|ev| (ev.action.as_str(), ev.from_status.as_str(), ev.to_status.as_str())).collect();
    assert_eq!(
        steps,
        [
            ("request_changes", "pending", "changes_requested"),
            ("resubmit", "changes_requested", "pending"),
            ("approve", "pending", "published")
        ]
    );
    assert_eq!(log[0].reason_text.as_deref(), Some("給与を書いてください"));
}

#[test]
fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let (_db, mut conn) = migrated();
    let e = fixtures::employer(&mut conn, "上庄ファーム", "info@farm.example").unwrap();
    let p = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("農作業スタッフ", "part_time"),
        now(),
        now() + Duration::days(30),
    )
    .unwrap();
    // Two editors opened version 1; the first approves, the second tries to reject.
    postings::apply_action(&mut conn, p.id, 1, PostingAction::Approve, Actor::default(), Reason::default(), now())
        .unwrap();
    let second =
        postings::apply_action(&mut conn, p.id, 1, PostingAction::Reject, Actor::default(), Reason::default(), now());
    assert!(matches!(second, Err(DbError::Conflict(_))), "{second:?}");
    let after = postings::find_by_id(&mut conn, p.id).unwrap();
    assert_eq!((after.status, after.version), (PostingStatus::Published, 2));
    assert_eq!(postings::review_log(&mut conn, p.id).unwrap().len(), 1);
}

#[test]
fn employers_are_matched_by_email() {
    let (_db, mut conn) = migrated();
    let first = fixtures::employer(&mut conn, "旧社名", "hr@same.example").unwrap();
    let second = fixtures::employer(&mut conn, "新社名", "hr@same.example").unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(second.name, "新社名");
}

#[test]
fn japanese_text_and_binary_bodies_round_trip() {
    let (_db, mut conn) = migrated();
    let e = fixtures::employer(&mut conn, "株式会社𠮷野家具", "info@kagu.example").unwrap();
    assert_eq!(e.name, "株式会社𠮷野家具");
    let p = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("「寒ブリ」の仕分け・梱包 ①", "part_time"),
        now(),
        now() + Duration::days(1),
    )
    .unwrap();
    assert_eq!(p.title, "「寒ブリ」の仕分け・梱包 ①");
    assert_eq!(p.salary().unwrap().to_japanese(), "時給 1,000円〜1,200円");
}

#[test]
fn an_employer_is_matched_by_email_and_keeps_what_a_new_submission_leaves_out() {
    let (_db, mut conn) = migrated();
    let first = fixtures::employer(&mut conn, "民宿はまかぜ", "hamakaze@example.jp").unwrap();
    assert_eq!(first.phone.as_deref(), Some("0766-00-1234"));
    let later = yui_db::employers::upsert_by_email(
        &mut conn,
        &yui_db::employers::NewEmployer {
            name: "民宿はまかぜ（新館）",
            contact_name: Some("浜 風子"),
            email: "hamakaze@example.jp",
            phone: None,
            address: None,
            website: None,
            industry: None,
            organization_id: None,
            created_at: yui_db::now(),
            updated_at: yui_db::now(),
        },
    )
    .unwrap();
    assert_eq!(later.id, first.id, "the same employer, not a second one");
    assert_eq!(later.name, "民宿はまかぜ（新館）");
    assert_eq!(later.contact_name.as_deref(), Some("浜 風子"));
    assert_eq!(later.phone.as_deref(), Some("0766-00-1234"), "not retyped, so kept");
}
