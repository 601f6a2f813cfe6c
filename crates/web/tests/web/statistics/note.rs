//! The weekly note to operators: asked for on one's own account page, built from the week that
//! ended against the eight before it, and queued once even when two workers race.

use crate::common::{self, Session};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use yui_db::now;
use yui_db::outbox::{NewEmail, OutboxEmail};
use yui_db::postings::{self, Actor, Reason};
use yui_db::schema::outbox_emails;
use yui_db::testing::fixtures;
use yui_domain::PostingAction;
use yui_web::reports::{build_weekly_note, note_week};

/// The UTC instant a Tokyo day begins.
fn start_of(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap() - Duration::hours(9)
}

fn label(day: NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

#[actix_web::test]
async fn the_weekly_note_goes_once_to_those_who_asked_with_the_weeks_figures() {
    let (app, _) = super::spawn().await;
    let mut conn = app.conn();
    common::staff(&mut conn, "wants@npo.example", "editor", ("npo", "NPOセンター"));
    common::staff(&mut conn, "quiet@npo.example", "editor", ("npo", "NPOセンター"));
    let settings = common::test_settings();
    let letters = settings.site.letters().unwrap();
    let ctx = yui_web::intake::Context { settings: &settings, letters: &letters };
    let at = now();

    // Nobody asked yet: nothing is sent, and the week is not used up.
    assert_eq!(build_weekly_note(&mut conn, ctx, at).unwrap(), 0);
    let week = note_week(at, settings.statistics.weekly_note_hour);
    assert!(!yui_db::statistics::week_claimed(&mut conn, week).unwrap());

    // One staff member asks on their account page (the box is off until then).
    let s = Session::login(&app, "wants@npo.example").await;
    let (status, html) = s.get("/admin/password").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"weekly_note\" type=\"checkbox\" value=\"on\">"), "off by default: {html}");
    let csrf = common::hidden_value(&html, "csrf");
    assert_eq!(s.post("/admin/weekly-note", &[("csrf", &csrf), ("weekly_note", "on")]).await.0, 303);
    assert!(s.get("/admin/password").await.1.contains("value=\"on\" checked>"));
    assert_eq!(s.post("/admin/weekly-note", &[("csrf", "wrong"), ("weekly_note", "")]).await.0, 403);

    // The week reported is the one before `week`: three new postings; three weeks before it, one.
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let reported = week - Duration::weeks(1);
    let earliest = start_of(reported - Duration::weeks(2)) + Duration::hours(1);
    fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("いちばん古い求人", "full_time"),
        earliest,
        at + Duration::days(30),
    )
    .unwrap();
    for (i, title) in ["仕分け", "配達"].into_iter().enumerate() {
        let created = start_of(reported) + Duration::hours(i as i64 + 1);
        fixtures::pending(&mut conn, &e, fixtures::input(title, "part_time"), created, at + Duration::days(30))
            .unwrap();
    }
    let ending = fixtures::pending(
        &mut conn,
        &e,
        fixtures::input("まもなく終わる求人", "part_time"),
        start_of(reported) + Duration::hours(3),
        at + Duration::days(5),
    )
    .unwrap();
    postings::apply_action(
        &mut conn,
        ending.id,
        ending.version,
        PostingAction::Approve,
        Actor::default(),
        Reason::default(),
        at,
    )
    .unwrap();
    let failed = yui_db::outbox::enqueue(
        &mut conn,
        &NewEmail {
            to: &["x@example.jp"],
            reply_to: None,
            subject: "件名",
            body_text: "本文",
            body_html: None,
            headers: &[],
        },
    )
    .unwrap();
    yui_db::outbox::mark_failed(&mut conn, failed, "550 no such user", None).unwrap();

    // Two workers at once: one note.
    let url = app.db.url.clone();
    let barrier = std::sync::Barrier::new(2);
    let sent: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (url, barrier, settings, letters) = (&url, &barrier, &settings, &letters);
                scope.spawn(move || {
                    let mut conn = yui_db::conn::establish(url).unwrap();
                    let ctx = yui_web::intake::Context { settings, letters };
                    barrier.wait();
                    build_weekly_note(&mut conn, ctx, at).unwrap()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(sent, 1, "exactly one of the two workers queued the note");
    assert_eq!(build_weekly_note(&mut conn, ctx, at + Duration::hours(1)).unwrap(), 0, "and not again that week");

    let notes: Vec<OutboxEmail> = outbox_emails::table
        .filter(outbox_emails::subject.like("【週報】%"))
        .select(OutboxEmail::as_select())
        .load(&mut conn)
        .unwrap();
    assert_eq!(notes.len(), 1);
    let note = &notes[0];
    assert_eq!(note.recipients, "wants@npo.example", "only to whoever asked");
    assert_eq!(note.subject, format!("【週報】{}からの週: 新しい求人 3件", label(reported)));
    let text = &note.body_text;
    assert!(text.contains("それまでの8週（平均 0.1件）"), "{text}");
    assert!(text.contains(&format!("  {}の週: 0件\n", label(reported - Duration::weeks(1)))), "{text}");
    assert!(text.contains(&format!("  {}の週: 1件\n", label(reported - Duration::weeks(2)))), "{text}");
    assert_eq!(text.matches("日の週: ").count(), 8, "eight earlier weeks: {text}");
    let oldest = format!("いちばん古い求人（{}受付）", label(yui_domain::statistics::tokyo_day(earliest)));
    assert!(text.contains(&oldest), "{text}");
    assert!(text.contains("まもなく終わる求人（"), "{text}");
    assert!(!text.contains("  仕分け（"), "only the oldest pending posting is named: {text}");
    assert!(text.contains("送信をあきらめたメール: 1通"), "{text}");
}
