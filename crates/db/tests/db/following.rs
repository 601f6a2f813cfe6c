//! Followers' storage against a real database (SQLite, or PostgreSQL under `make test`):
//! double opt-in states, periods claimed once, alert items never recorded twice, the alert
//! query's selection, extra outbox headers, and deleting everything for an address.

use chrono::{Duration, NaiveDateTime, SubsecRound};
use yui_db::following::{self, Confirmation, Follower, SignUp, SignUpOutcome};
use yui_db::outbox::{self, NewEmail};
use yui_db::search_feed;
use yui_db::testing::{fixtures, migrated};
use yui_db::{now, DbConnection};
use yui_domain::following::Frequency;

fn sign_up<'a>(email: &'a str, hash: &'a str, alert: Option<(&'a str, Frequency)>) -> SignUp<'a> {
    SignUp { email, lang: "ja", digest: true, alert, confirm_token_hash: hash, link_salt: "salt" }
}

/// A follower of `email` with a daily alert for `query`, signed up and confirmed at `at`.
fn confirmed(conn: &mut DbConnection, email: &str, query: &str, at: NaiveDateTime) -> Follower {
    following::sign_up(conn, &sign_up(email, "h", Some((query, Frequency::Daily))), at, Duration::minutes(5)).unwrap();
    let Confirmation::Confirmed(f) = following::confirm(conn, "h", at, Duration::hours(48)).unwrap() else {
        panic!("{email} is confirmed")
    };
    f
}

/// An email to b@mail.example with `headers`.
fn email_with<'a>(headers: &'a [(&'a str, &'a str)]) -> NewEmail<'a> {
    NewEmail {
        to: &["b@mail.example"], reply_to: None, subject: "件名", body_text: "本文", body_html: None, headers
    }
}

#[test]
fn double_opt_in_confirms_within_the_validity_only_and_once() {
    let (_db, mut conn) = migrated();
    let t0 = now().trunc_subsecs(6);
    let valid = Duration::hours(48);
    let SignUpOutcome::Confirm(f) = following::sign_up(
        &mut conn,
        &sign_up("a@mail.example", "hash-a", Some(("q=介護", Frequency::Daily))),
        t0,
        Duration::minutes(5),
    )
    .unwrap() else {
        panic!("a new address is asked to confirm");
    };
    assert!(f.confirmed_at.is_none());
    // Unconfirmed: in no mailing.
    assert!(following::digest_due(&mut conn, "digest-x").unwrap().is_empty());
    assert!(following::confirmed_searches(&mut conn).unwrap().is_empty());
    // Again at once: too soon; later: a new token replaces the old one.
    let again = following::sign_up(
        &mut conn,
        &sign_up("a@mail.example", "hash-b", None),
        t0 + Duration::minutes(1),
        Duration::minutes(5),
    );
    assert!(matches!(again.unwrap(), SignUpOutcome::TooSoon));
    let later = t0 + Duration::minutes(10);
    assert!(matches!(
        following::sign_up(
            &mut conn,
            &sign_up("a@mail.example", "hash-b", Some(("q=事務", Frequency::Weekly))),
            later,
            Duration::minutes(5)
        )
        .unwrap(),
        SignUpOutcome::Confirm(_)
    ));
    assert!(matches!(following::confirm(&mut conn, "hash-a", later, valid).unwrap(), Confirmation::Unknown));
    // After 48 hours: refused, nothing changes.
    assert!(matches!(
        following::confirm(&mut conn, "hash-b", later + Duration::hours(49), valid).unwrap(),
        Confirmation::Expired
    ));
    assert!(following::find(&mut conn, f.id).unwrap().unwrap().confirmed_at.is_none());
    // Within: confirmed, alerts start now, and the token works once.
    let at = later + Duration::hours(47);
    let Confirmation::Confirmed(f) = following::confirm(&mut conn, "hash-b", at, valid).unwrap() else {
        panic!("confirmed within 48 hours");
    };
    assert!(f.confirmed_at.is_some());
    assert!(matches!(following::confirm(&mut conn, "hash-b", at, valid).unwrap(), Confirmation::Unknown));
    let searches = following::confirmed_searches(&mut conn).unwrap();
    assert_eq!(searches.len(), 1, "the last form's search replaced the first");
    assert_eq!((searches[0].0.query.as_str(), searches[0].0.frequency()), ("q=事務", Frequency::Weekly));
    assert_eq!(searches[0].0.alert_after, at);
    // A confirmed address signing up again changes nothing: it is sent its manage link.
    let out = following::sign_up(
        &mut conn,
        &sign_up("a@mail.example", "hash-c", None),
        at + Duration::hours(1),
        Duration::minutes(5),
    );
    assert!(matches!(out.unwrap(), SignUpOutcome::AlreadyFollowing(_)));
    assert_eq!(following::searches(&mut conn, f.id).unwrap().len(), 1);
}

#[test]
fn periods_are_claimed_once_and_alert_items_are_never_recorded_twice() {
    let (_db, mut conn) = migrated();
    let t0 = now().trunc_subsecs(6);
    let f = confirmed(&mut conn, "b@mail.example", "", t0);
    assert_eq!(following::digest_due(&mut conn, "digest-1").unwrap().len(), 1);
    assert!(following::claim_digest(&mut conn, f.id, "digest-1").unwrap());
    assert!(!following::claim_digest(&mut conn, f.id, "digest-1").unwrap(), "a second claimer gets nothing");
    assert!(following::digest_due(&mut conn, "digest-1").unwrap().is_empty());
    assert!(following::claim_digest(&mut conn, f.id, "digest-2").unwrap());

    let search = following::searches(&mut conn, f.id).unwrap().remove(0);
    let e = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let p =
        fixtures::published(&mut conn, &e, fixtures::input("寒ブリの仕分け", "part_time"), t0 + Duration::minutes(1))
            .unwrap();
    let mail = outbox::enqueue(&mut conn, &email_with(&[("List-Id", "alerts <alerts.yui.example>")])).unwrap();
    assert!(following::claim_alert(&mut conn, search.id, "daily-1", Some(t0 + Duration::minutes(2))).unwrap());
    assert!(!following::claim_alert(&mut conn, search.id, "daily-1", None).unwrap());
    following::record_alert_items(&mut conn, search.id, &[p.id], mail, t0).unwrap();
    let twice =
        yui_db::transaction(&mut conn, |conn| following::record_alert_items(conn, search.id, &[p.id], mail, t0));
    assert!(twice.as_ref().is_err_and(following::is_duplicate), "{twice:?}");
    assert_eq!(following::alerted_posting_ids(&mut conn, search.id).unwrap(), vec![p.id]);
    assert_eq!(
        outbox::find_by_id(&mut conn, mail).unwrap().header_list(),
        vec![("List-Id".to_owned(), "alerts <alerts.yui.example>".to_owned())]
    );
    // A header that would start a new line is refused.
    let bad = outbox::enqueue(&mut conn, &email_with(&[("List-Id", "x\r\nBcc: y@z")]));
    assert!(bad.is_err());
}

#[test]
fn the_alert_window_takes_only_open_postings_published_in_it_less_those_sent() {
    let (_db, mut conn) = migrated();
    let t0 = now().trunc_subsecs(6);
    let e = fixtures::employer(&mut conn, "氷見ケア", "saiyo@care.example").unwrap();
    let publish = |conn: &mut DbConnection, title: &str, at: NaiveDateTime| {
        fixtures::published(conn, &e, fixtures::input(title, "full_time"), at).unwrap()
    };
    let old = publish(&mut conn, "介護スタッフ（前）", t0 - Duration::days(1));
    let first = publish(&mut conn, "介護スタッフ（新）", t0 + Duration::minutes(1));
    let sent = publish(&mut conn, "介護スタッフ（送信済み）", t0 + Duration::minutes(1));
    let _pending = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("介護の送迎", "full_time"),
        t0 + Duration::minutes(1),
        t0 + Duration::days(30),
    )
    .unwrap();
    let second = publish(&mut conn, "漁港の事務", t0 + Duration::minutes(2));
    let late = publish(&mut conn, "漁港の事務（後）", t0 + Duration::minutes(30));
    let at = t0 + Duration::hours(1);
    let ids = |conn: &mut DbConnection, before: Option<NaiveDateTime>, page: (i64, i64)| -> Vec<i32> {
        search_feed::published_between(conn, at, (t0, before), &[sent.id], page)
            .unwrap()
            .iter()
            .map(|s| s.posting.id)
            .collect()
    };
    assert_eq!(ids(&mut conn, None, (0, 30)), [first.id, second.id, late.id], "oldest first");
    assert_eq!(ids(&mut conn, Some(t0 + Duration::minutes(10)), (0, 30)), [first.id, second.id]);
    assert_eq!(ids(&mut conn, None, (1, 1)), [second.id], "a page after an offset");
    assert!(!ids(&mut conn, None, (0, 30)).contains(&old.id));
    // Ended by the time of asking: not in any window.
    let after_end = search_feed::published_between(&mut conn, t0 + Duration::days(400), (t0, None), &[], (0, 30));
    assert!(after_end.unwrap().is_empty());
}

#[test]
fn deleting_a_follower_removes_every_row() {
    let (_db, mut conn) = migrated();
    let t0 = now().trunc_subsecs(6);
    let f = confirmed(&mut conn, "c@mail.example", "q=介護", t0);
    following::add_search(&mut conn, f.id, "type=part_time", Frequency::Weekly, t0).unwrap();
    let searches = following::searches(&mut conn, f.id).unwrap();
    assert_eq!(searches.len(), 2);
    assert!(!following::delete_search(&mut conn, f.id + 1, searches[0].id).unwrap(), "only the owner's");
    assert!(following::delete_search(&mut conn, f.id, searches[0].id).unwrap());
    following::delete_follower(&mut conn, f.id).unwrap();
    assert!(following::find(&mut conn, f.id).unwrap().is_none());
    assert!(following::find_by_email(&mut conn, "c@mail.example").unwrap().is_none());
    assert!(following::searches(&mut conn, f.id).unwrap().is_empty());
}
