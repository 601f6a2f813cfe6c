//! Feature articles and columns in the database: every editorial step, every refusal (a writer
//! publishing, an author approving their own article, a feature without a placed order, a
//! stale version), the log line each step appends, and what readers may see.

use chrono::Duration;
use diesel::prelude::*;
use yui_db::articles::{self, ArticleContent, Editor, Refused};
use yui_db::editorial_log::{self, Subject};
use yui_db::schema::article_orders;
use yui_db::testing::{fixtures, migrated};
use yui_db::{now, DbConnection};
use yui_domain::articles::{ArticleAction as A, ArticleStatus as S, ArticleStepError};
use yui_domain::StaffRole;

fn staff(conn: &mut DbConnection, email: &str, role: &'static str) -> Editor {
    let user = fixtures::staff(conn, ("desk", "編集部"), email, email, role, fixtures::LOCKED).unwrap();
    Editor { staff_id: user.id, organization_id: user.organization_id, role: user.role }
}

fn content(kind: &str, slug: &str, sponsor: Option<i32>) -> ArticleContent {
    ArticleContent {
        kind: kind.into(),
        slug: slug.into(),
        title: "港の朝を支える人たち".into(),
        lede: "氷見の魚市場で働く三人に聞きました。".into(),
        body_markdown: "## 朝四時\n\n市場は**まだ暗い**。".into(),
        hero_alt: None,
        sponsor_employer_id: sponsor,
        writer_credit: Some("文 山田".into()),
        photographer_credit: None,
        editor_credit: None,
        publish_at: None,
        hero_caption: None,
        interviewees: None,
    }
}

fn actions(conn: &mut DbConnection, id: i32) -> Vec<String> {
    editorial_log::lines(conn, Subject::Article(id)).unwrap().into_iter().map(|l| l.action).collect()
}

#[test]
fn a_feature_goes_from_draft_to_published_and_back_with_a_log_line_per_step() {
    let (_db, mut conn) = migrated();
    let writer = staff(&mut conn, "writer@desk.example", "writer");
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let e = fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("漁師見習い", "full_time"), now()).unwrap();
    let t = now();

    let a =
        articles::create(&mut conn, &content("feature", "hama-2026", Some(e.id)), &[p.id], writer, t).unwrap().unwrap();
    assert_eq!((a.status, a.version), (S::Draft, 1));
    assert_eq!(articles::linked_postings(&mut conn, a.id).unwrap().len(), 1);
    assert!(articles::find_public(&mut conn, a.kind, "hama-2026", t).unwrap().is_none(), "a draft is not public");

    let a = articles::step(&mut conn, a.id, 1, A::Submit, writer, None, true, t).unwrap().unwrap();
    assert_eq!(a.status, S::InReview);
    let a = articles::step(&mut conn, a.id, a.version, A::SendBack, editor, Some("見出しを短く"), true, t)
        .unwrap()
        .unwrap();
    assert_eq!(a.status, S::Draft);
    let a = articles::step(&mut conn, a.id, a.version, A::Submit, writer, None, true, t).unwrap().unwrap();

    // The order is only quoted: no approval yet.
    fixtures::feature_order(&mut conn, e.id, a.id, "quoted", editor.staff_id).unwrap();
    let refused = articles::step(&mut conn, a.id, a.version, A::Approve, editor, None, true, t).unwrap();
    assert_eq!(refused.unwrap_err(), Refused::NoOrder);
    // Without the rule it could go; with the order placed it goes.
    diesel::update(article_orders::table).set(article_orders::status.eq("ordered")).execute(&mut conn).unwrap();
    let a = articles::step(&mut conn, a.id, a.version, A::Approve, editor, None, true, t).unwrap().unwrap();
    assert_eq!((a.status, a.approved_by), (S::Published, Some(editor.staff_id)));
    assert!(articles::find_public(&mut conn, a.kind, "hama-2026", t + Duration::seconds(1)).unwrap().is_some());
    assert_eq!(articles::public_about_posting(&mut conn, p.id, t + Duration::seconds(1)).unwrap().len(), 1);

    let a = articles::step(&mut conn, a.id, a.version, A::Archive, editor, None, true, t).unwrap().unwrap();
    assert_eq!(a.status, S::Archived);
    assert!(articles::find_public(&mut conn, a.kind, "hama-2026", t + Duration::seconds(1)).unwrap().is_none());
    let a = articles::step(&mut conn, a.id, a.version, A::Restore, editor, None, true, t).unwrap().unwrap();
    assert_eq!(a.status, S::Published);

    assert_eq!(actions(&mut conn, a.id), ["create", "submit", "send_back", "submit", "approve", "archive", "restore"]);
    let lines = editorial_log::lines(&mut conn, Subject::Article(a.id)).unwrap();
    assert_eq!(lines[2].note.as_deref(), Some("見出しを短く"));
    assert_eq!(lines[4].actor_id, Some(editor.staff_id));
}

#[test]
fn refusals_change_nothing_and_log_nothing() {
    let (_db, mut conn) = migrated();
    let writer = staff(&mut conn, "writer@desk.example", "writer");
    let other_writer = staff(&mut conn, "writer2@desk.example", "writer");
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let t = now();
    let a = articles::create(&mut conn, &content("column", "umi-no-hanashi", None), &[], writer, t).unwrap().unwrap();

    // Another writer may not submit it.
    let r = articles::step(&mut conn, a.id, 1, A::Submit, other_writer, None, true, t).unwrap();
    assert_eq!(r.unwrap_err(), Refused::Step(ArticleStepError::NotAuthor));
    let a = articles::step(&mut conn, a.id, 1, A::Submit, writer, None, true, t).unwrap().unwrap();
    // A writer may not publish, not even their own.
    let r = articles::step(&mut conn, a.id, a.version, A::Approve, writer, None, true, t).unwrap();
    assert!(matches!(r, Err(Refused::Step(ArticleStepError::Role { role: StaffRole::Writer, .. }))), "{r:?}");
    // A stale version is refused.
    let r = articles::step(&mut conn, a.id, a.version - 1, A::Approve, editor, None, true, t).unwrap();
    assert_eq!(r.unwrap_err(), Refused::Stale);
    // The writer may not edit it while it waits.
    let r = articles::update(&mut conn, a.id, a.version, &content("column", "umi-no-hanashi", None), &[], writer, t)
        .unwrap();
    assert_eq!(r.unwrap_err(), Refused::MayNotEdit);
    let after = articles::find(&mut conn, a.id).unwrap().unwrap();
    assert_eq!((after.status, after.version), (S::InReview, a.version));
    assert_eq!(actions(&mut conn, a.id), ["create", "submit"]);

    // An editor's own article: another editor approves it, they may not.
    let own = articles::create(&mut conn, &content("column", "henshu-no-me", None), &[], editor, t).unwrap().unwrap();
    let own = articles::step(&mut conn, own.id, 1, A::Submit, editor, None, true, t).unwrap().unwrap();
    let r = articles::step(&mut conn, own.id, own.version, A::Approve, editor, None, true, t).unwrap();
    assert_eq!(r.unwrap_err(), Refused::Step(ArticleStepError::OwnArticle));
    // Steps out of order are refused too.
    let r = articles::step(&mut conn, own.id, own.version, A::Archive, editor, None, true, t).unwrap();
    assert!(matches!(r, Err(Refused::Step(ArticleStepError::Transition { .. }))), "{r:?}");
    // A column needs no order.
    let a = articles::step(&mut conn, a.id, a.version, A::Approve, editor, None, true, t).unwrap().unwrap();
    assert_eq!(a.status, S::Published);
}

#[test]
fn slugs_are_unique_and_edits_check_the_version() {
    let (_db, mut conn) = migrated();
    let writer = staff(&mut conn, "writer@desk.example", "writer");
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let t = now();
    let a = articles::create(&mut conn, &content("column", "umi-no-hanashi", None), &[], writer, t).unwrap().unwrap();
    let b = articles::create(&mut conn, &content("column", "yama-no-hanashi", None), &[], writer, t).unwrap().unwrap();
    let r = articles::create(&mut conn, &content("column", "umi-no-hanashi", None), &[], writer, t).unwrap();
    assert_eq!(r.unwrap_err(), Refused::SlugTaken);
    let r = articles::update(&mut conn, b.id, 1, &content("column", "umi-no-hanashi", None), &[], writer, t).unwrap();
    assert_eq!(r.unwrap_err(), Refused::SlugTaken);

    let mut changed = content("column", "umi-no-hanashi", None);
    changed.title = "海の話（改）".into();
    let a2 = articles::update(&mut conn, a.id, 1, &changed, &[], editor, t).unwrap().unwrap();
    assert_eq!((a2.version, a2.title.as_str()), (2, "海の話（改）"));
    // The writer still holds version 1: their save is refused, the editor's text stays.
    let r = articles::update(&mut conn, a.id, 1, &content("column", "umi-no-hanashi", None), &[], writer, t).unwrap();
    assert_eq!(r.unwrap_err(), Refused::Stale);
    assert_eq!(articles::find(&mut conn, a.id).unwrap().unwrap().title, "海の話（改）");
    assert_eq!(actions(&mut conn, a.id), ["create", "edit"]);
}

#[test]
fn a_scheduled_article_appears_from_its_time_on() {
    let (_db, mut conn) = migrated();
    let writer = staff(&mut conn, "writer@desk.example", "writer");
    let editor = staff(&mut conn, "editor@desk.example", "editor");
    let t = now();
    let mut c = content("column", "mirai-no-hanashi", None);
    c.publish_at = Some(t + Duration::days(2));
    let a = articles::create(&mut conn, &c, &[], writer, t).unwrap().unwrap();
    let a = articles::step(&mut conn, a.id, 1, A::Submit, writer, None, true, t).unwrap().unwrap();
    let a = articles::step(&mut conn, a.id, a.version, A::Approve, editor, None, true, t).unwrap().unwrap();
    assert_eq!(a.status, S::Published);
    assert!(articles::find_public(&mut conn, a.kind, &a.slug, t + Duration::days(1)).unwrap().is_none());
    assert!(articles::public_list(&mut conn, None, t + Duration::days(1), 10).unwrap().is_empty());
    assert!(articles::find_public(&mut conn, a.kind, &a.slug, t + Duration::days(3)).unwrap().is_some());
    assert_eq!(articles::public_list(&mut conn, None, t + Duration::days(3), 10).unwrap().len(), 1);
}
