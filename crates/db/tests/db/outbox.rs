//! The outbox against a real database: SQLite by default, PostgreSQL when
//! `YUI_TEST_BACKEND=postgres` (both run under `make test`).

use chrono::{Duration, NaiveDateTime, SubsecRound};
use std::collections::BTreeSet;
use yui_db::outbox::{self, NewEmail, OutboxStatus, StatusCounts};
use yui_db::testing::migrated;
use yui_db::{now, DbError};

/// A moment just ahead of now, in the microseconds both backends store.
fn soon() -> NaiveDateTime {
    now().trunc_subsecs(6) + Duration::seconds(1)
}

fn email<'a>(to: &'a [&'a str], subject: &'a str) -> NewEmail<'a> {
    NewEmail {
        to,
        reply_to: Some("seeker@mail.example"),
        subject,
        body_text: "応募を受け付けました。\nよろしくお願いします。",
        body_html: Some("<p>応募を受け付けました。</p>"),
        headers: &[],
    }
}

#[test]
fn an_email_is_claimed_leased_retried_and_given_up_on() {
    let (_db, mut conn) = migrated();
    let id = outbox::enqueue(&mut conn, &email(&["saiyo@hama.example"], "【氷見】ご応募がありました")).unwrap();
    let queued = outbox::find_by_id(&mut conn, id).unwrap();
    assert_eq!((queued.status.as_str(), queued.attempts, queued.last_error.as_deref()), ("pending", 0, None));

    let t0 = soon();
    let lease = Duration::minutes(5);
    let first = outbox::claim_due(&mut conn, t0, lease, 10).unwrap();
    assert_eq!(first.iter().map(|e| (e.id, e.attempts)).collect::<Vec<_>>(), [(id, 1)]);
    assert_eq!(first[0].next_attempt_at, t0 + lease);
    assert_eq!(first[0].subject, "【氷見】ご応募がありました");
    assert_eq!(first[0].recipient_list().collect::<Vec<_>>(), ["saiyo@hama.example"]);

    // While the lease runs nobody else gets it.
    assert!(outbox::claim_due(&mut conn, t0 + Duration::minutes(1), lease, 10).unwrap().is_empty());
    // The worker died: the lease expires and the email is claimed again.
    let t1 = t0 + Duration::minutes(6);
    let again = outbox::claim_due(&mut conn, t1, lease, 10).unwrap();
    assert_eq!(again.iter().map(|e| (e.id, e.attempts)).collect::<Vec<_>>(), [(id, 2)]);

    // A failed attempt with a retry: pending, due at the retry time and not before.
    let retry_at = t1 + Duration::seconds(60);
    outbox::mark_failed(&mut conn, id, "connection refused\n(port 25)", Some(retry_at)).unwrap();
    let after = outbox::find_by_id(&mut conn, id).unwrap();
    assert_eq!(
        (after.status.as_str(), after.attempts, after.next_attempt_at, after.last_error.as_deref()),
        ("pending", 2, retry_at, Some("connection refused (port 25)"))
    );
    assert!(outbox::claim_due(&mut conn, retry_at - Duration::seconds(1), lease, 10).unwrap().is_empty());
    let third = outbox::claim_due(&mut conn, retry_at, lease, 10).unwrap();
    assert_eq!(third.iter().map(|e| e.attempts).collect::<Vec<_>>(), [3]);

    // Given up on: failed for good, never claimed again.
    outbox::mark_failed(&mut conn, id, "550 no such user", None).unwrap();
    let failed = outbox::find_by_id(&mut conn, id).unwrap();
    assert_eq!((failed.status.as_str(), failed.last_error.as_deref()), ("failed", Some("550 no such user")));
    assert!(outbox::claim_due(&mut conn, t1 + Duration::days(30), lease, 10).unwrap().is_empty());
    assert_eq!(outbox::count_by_status(&mut conn).unwrap(), StatusCounts { pending: 0, sent: 0, failed: 1 });
}

#[test]
fn a_sent_email_is_done() {
    let (_db, mut conn) = migrated();
    let to = ["a@umi.example", "b@umi.example"];
    let id = outbox::enqueue(&mut conn, &email(&to, "掲載を開始しました")).unwrap();
    let t0 = soon();
    let claimed = outbox::claim_due(&mut conn, t0, Duration::minutes(5), 10).unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].recipients, "a@umi.example, b@umi.example");
    assert_eq!(claimed[0].recipient_list().collect::<Vec<_>>(), to);
    outbox::mark_sent(&mut conn, id, t0).unwrap();

    let sent = outbox::find_by_id(&mut conn, id).unwrap();
    assert_eq!((sent.status.as_str(), sent.sent_at, sent.attempts), ("sent", Some(t0), 1));
    assert_eq!(OutboxStatus::parse(&sent.status), Some(OutboxStatus::Sent));
    // A late failure report (say, from a worker whose lease ran out) does not undo it.
    outbox::mark_failed(&mut conn, id, "timeout", None).unwrap();
    assert_eq!(outbox::find_by_id(&mut conn, id).unwrap().status, "sent");
    assert!(outbox::claim_due(&mut conn, t0 + Duration::days(1), Duration::minutes(5), 10).unwrap().is_empty());
    assert_eq!(outbox::count_by_status(&mut conn).unwrap(), StatusCounts { pending: 0, sent: 1, failed: 0 });
}

#[test]
fn emails_commit_with_the_callers_transaction_or_not_at_all() {
    let (_db, mut conn) = migrated();
    let rolled_back: Result<i32, DbError> = yui_db::transaction(&mut conn, |c| {
        outbox::enqueue(c, &email(&["x@rollback.example"], "届かない"))?;
        Err(DbError::Invalid("the posting was refused".into()))
    });
    assert!(rolled_back.is_err());
    let committed = yui_db::transaction(&mut conn, |c| {
        let a = outbox::enqueue(c, &email(&["a@commit.example"], "一通目"))?;
        let b = outbox::enqueue(c, &email(&["b@commit.example"], "二通目"))?;
        Ok::<_, DbError>((a, b))
    })
    .unwrap();
    assert_ne!(committed.0, committed.1);
    let recent = outbox::list_recent(&mut conn, 10).unwrap();
    assert_eq!(recent.iter().map(|e| e.id).collect::<Vec<_>>(), [committed.1, committed.0]);
    assert_eq!(recent[1].subject, "一通目");
    assert_eq!(outbox::count_by_status(&mut conn).unwrap(), StatusCounts { pending: 2, sent: 0, failed: 0 });
}

#[test]
fn malformed_emails_are_refused_and_bodies_stay_out_of_debug() {
    let (_db, mut conn) = migrated();
    for (to, reply_to, subject) in [
        (&[][..], None, "件名"),
        (&["a@x.example, b@x.example"][..], None, "件名"),
        (&["no-at-sign"][..], None, "件名"),
        (&["a@x.example"][..], Some("bad reply"), "件名"),
        (&["a@x.example"][..], None, "件名\r\nBcc: victim@x.example"),
    ] {
        let e = NewEmail { to, reply_to, subject, body_text: "本文", body_html: None, headers: &[] };
        let err = outbox::enqueue(&mut conn, &e).unwrap_err();
        assert!(matches!(err, DbError::Invalid(_)), "{to:?} {subject:?}: {err:?}");
    }
    assert_eq!(outbox::count_by_status(&mut conn).unwrap(), StatusCounts::default());

    let id = outbox::enqueue(&mut conn, &email(&["a@x.example"], "件名")).unwrap();
    let shown = format!("{:?}", outbox::find_by_id(&mut conn, id).unwrap());
    assert!(shown.contains("a@x.example") && !shown.contains("応募を受け付けました"), "{shown}");
}

#[test]
fn two_claimers_never_get_the_same_email() {
    let (db, mut conn) = migrated();
    for i in 0..40 {
        outbox::enqueue(&mut conn, &email(&["many@x.example"], &format!("通知 {i}"))).unwrap();
    }
    let t0 = soon();

    // Two instances at the same moment: the second finds everything leased.
    let mut other = yui_db::conn::establish(&db.url).unwrap();
    let a = outbox::claim_due(&mut conn, t0, Duration::minutes(5), 5).unwrap();
    let b = outbox::claim_due(&mut other, t0, Duration::minutes(5), 5).unwrap();
    assert_eq!(a.len(), 5);
    let a_ids: BTreeSet<i32> = a.iter().map(|e| e.id).collect();
    assert!(b.iter().all(|e| !a_ids.contains(&e.id)), "{a_ids:?} and {b:?}");

    // Several workers racing over the rest, each with its own connection.
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let url = db.url.clone();
            std::thread::spawn(move || {
                let mut conn = yui_db::conn::establish(&url).unwrap();
                let mut mine = Vec::new();
                loop {
                    let batch = outbox::claim_due(&mut conn, t0, Duration::minutes(5), 3).unwrap();
                    if batch.is_empty() {
                        return mine;
                    }
                    mine.extend(batch.into_iter().map(|e| e.id));
                }
            })
        })
        .collect();
    let mut all: Vec<i32> = a_ids.iter().copied().chain(b.iter().map(|e| e.id)).collect();
    for w in workers {
        all.extend(w.join().unwrap());
    }
    let distinct: BTreeSet<i32> = all.iter().copied().collect();
    assert_eq!((all.len(), distinct.len()), (40, 40), "every email claimed exactly once");
}

#[test]
fn sent_bodies_are_forgotten_a_day_after_delivery() {
    let db = yui_db::testing::TestDatabase::fresh();
    yui_db::migrate::run_pending(&db.url).unwrap();
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    let email = yui_db::outbox::NewEmail {
        to: &["employer@example.jp"],
        reply_to: Some("seeker@example.jp"),
        subject: "お問い合わせ",
        body_text: "はじめまして。応募したいです。",
        body_html: None,
        headers: &[],
    };
    let sent = yui_db::outbox::enqueue(&mut conn, &email).unwrap();
    let pending = yui_db::outbox::enqueue(&mut conn, &email).unwrap();
    let t0 = yui_db::now();
    yui_db::outbox::mark_sent(&mut conn, sent, t0).unwrap();
    assert_eq!(
        yui_db::outbox::forget_sent_bodies(&mut conn, t0 - chrono::Duration::hours(1)).unwrap(),
        0,
        "too recent"
    );
    assert_eq!(yui_db::outbox::forget_sent_bodies(&mut conn, t0 + chrono::Duration::days(1)).unwrap(), 1);
    let row = yui_db::outbox::find_by_id(&mut conn, sent).unwrap();
    assert_eq!((row.body_text.as_str(), row.recipients.as_str()), ("", "employer@example.jp"));
    assert_eq!(
        yui_db::outbox::find_by_id(&mut conn, pending).unwrap().body_text,
        "はじめまして。応募したいです。",
        "undelivered mail keeps its body"
    );
}
