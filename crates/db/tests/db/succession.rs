//! Succession listings in the database, on the backend `YUI_TEST_BACKEND` names: status steps
//! (and refusals), stale versions, an inquiry stored with its mail to the coordinator, the
//! editorial log written with every change, and the owner's link found by its hash only.

use diesel::prelude::*;
use yui_db::editorial_log::{self, Subject};
use yui_db::outbox::{self, NewEmail, OutboxEmail};
use yui_db::postings::Actor;
use yui_db::schema::outbox_emails;
use yui_db::succession::{self, ListingContent};
use yui_db::testing::{fixtures, migrated};
use yui_db::{now, DbConnection, DbError};
use yui_domain::succession::{ListingDraft, ListingInput, SuccessionInquiry};
use yui_domain::{InquiryStatus, SuccessionStatus};

fn content(org: i32) -> ListingContent {
    let draft = ListingDraft::parse(&ListingInput {
        public_name: "市内の老舗鮮魚店".into(),
        industry: "鮮魚小売".into(),
        area: "比美町".into(),
        years_in_business: "62".into(),
        revenue_band: "10m_50m".into(),
        handover: "premises customers".into(),
        terms: "transfer".into(),
        description: "朝どれの魚を60年。".into(),
        owner_name: "氷見 太郎".into(),
        owner_email: "owner@sakana.example".into(),
        ..ListingInput::default()
    })
    .unwrap();
    ListingContent::from_draft(draft, None, org)
}

fn actor(staff: &yui_db::staff::StaffUser) -> Actor {
    Actor { staff_id: Some(staff.id), organization_id: Some(staff.organization_id) }
}

fn outbox(conn: &mut DbConnection) -> Vec<OutboxEmail> {
    outbox_emails::table.order(outbox_emails::id.asc()).select(OutboxEmail::as_select()).load(conn).unwrap()
}

#[test]
fn statuses_follow_the_rules_and_every_change_is_logged() {
    let (_db, mut conn) = migrated();
    let editor = fixtures::editor(&mut conn, "coord@npo.example").unwrap();
    let l = succession::create(&mut conn, &content(editor.organization_id), actor(&editor), now()).unwrap();
    assert_eq!(l.status, SuccessionStatus::Open);
    assert_eq!(l.version, 1);

    let l =
        succession::set_status(&mut conn, l.id, 1, SuccessionStatus::InTalks, Some("面談あり"), actor(&editor), now())
            .unwrap();
    assert_eq!((l.status, l.version, l.matched_at), (SuccessionStatus::InTalks, 2, None));
    // A stale form (version 1) is refused, and so is a step the rules do not have.
    assert!(matches!(
        succession::set_status(&mut conn, l.id, 1, SuccessionStatus::Open, None, actor(&editor), now()),
        Err(DbError::Conflict(_))
    ));
    let l = succession::set_status(&mut conn, l.id, 2, SuccessionStatus::Matched, None, actor(&editor), now()).unwrap();
    assert_eq!(l.status, SuccessionStatus::Matched);
    assert!(l.matched_at.is_some(), "a match records when");
    assert!(succession::set_status(&mut conn, l.id, 3, SuccessionStatus::Open, None, actor(&editor), now()).is_err());
    let after = succession::find(&mut conn, l.id).unwrap().unwrap();
    assert_eq!((after.status, after.version), (SuccessionStatus::Matched, 3), "a refused step changes nothing");

    let edited =
        succession::update(&mut conn, l.id, 3, &content(editor.organization_id), actor(&editor), now()).unwrap();
    assert_eq!(edited.version, 4);
    assert!(matches!(
        succession::update(&mut conn, l.id, 3, &content(editor.organization_id), actor(&editor), now()),
        Err(DbError::Conflict(_))
    ));

    let log = editorial_log::lines(&mut conn, Subject::Succession(l.id)).unwrap();
    let steps: Vec<(&str, &str, &str)> =
        log.iter().map(|s| (s.action.as_str(), s.from_status.as_str(), s.to_status.as_str())).collect();
    assert_eq!(
        steps,
        [
            ("create", "", "open"),
            ("status", "open", "in_talks"),
            ("status", "in_talks", "matched"),
            ("edit", "matched", "matched")
        ]
    );
    assert_eq!(log[1].note.as_deref(), Some("面談あり"));
    assert_eq!(log[0].actor_name.as_deref(), Some("審査 花子"));
}

#[test]
fn the_public_list_hides_closed_listings_and_puts_matched_ones_last() {
    let (_db, mut conn) = migrated();
    let editor = fixtures::editor(&mut conn, "coord@npo.example").unwrap();
    let org = editor.organization_id;
    let matched = succession::create(&mut conn, &content(org), actor(&editor), now()).unwrap();
    succession::set_status(&mut conn, matched.id, 1, SuccessionStatus::InTalks, None, actor(&editor), now()).unwrap();
    succession::set_status(&mut conn, matched.id, 2, SuccessionStatus::Matched, None, actor(&editor), now()).unwrap();
    let closed = succession::create(&mut conn, &content(org), actor(&editor), now()).unwrap();
    succession::set_status(&mut conn, closed.id, 1, SuccessionStatus::Closed, None, actor(&editor), now()).unwrap();
    let open = succession::create(&mut conn, &content(org), actor(&editor), now()).unwrap();

    let listed: Vec<i32> = succession::listed(&mut conn).unwrap().into_iter().map(|(l, _)| l.id).collect();
    assert_eq!(listed, [open.id, matched.id]);
    let counts = yui_db::transparency::succession_counts(&mut conn).unwrap();
    assert_eq!((counts.open, counts.in_talks, counts.matched), (1, 0, 1));
}

#[test]
fn an_inquiry_is_stored_with_its_mail_to_the_coordinator_and_logged() {
    let (_db, mut conn) = migrated();
    let editor = fixtures::editor(&mut conn, "coord@npo.example").unwrap();
    // Another organisation's editor is not this listing's coordinator.
    fixtures::staff(&mut conn, ("other", "ほかの団体"), "other@npo.example", "ほか", "editor", fixtures::LOCKED)
        .unwrap();
    let l = succession::create(&mut conn, &content(editor.organization_id), actor(&editor), now()).unwrap();
    let to = succession::coordinator_emails(&mut conn, l.coordinator_organization_id).unwrap();
    assert_eq!(to, ["coord@npo.example"]);
    // An organisation without editors falls back to every editor.
    assert_eq!(succession::coordinator_emails(&mut conn, 9999).unwrap().len(), 2);

    let inquiry =
        SuccessionInquiry::parse("山田 花子", "hanako@mail.example", "", "魚屋を継ぎたいです。", "yes").unwrap();
    let to_coordinator = outbox::enqueue(
        &mut conn,
        &NewEmail {
            to: &["coord@npo.example"],
            reply_to: Some("hanako@mail.example"),
            subject: "問い合わせ",
            body_text: "本文",
            body_html: None,
            headers: &[],
        },
    )
    .unwrap();
    let copy = NewEmail {
        to: &["hanako@mail.example"],
        reply_to: None,
        subject: "控え",
        body_text: "控え",
        body_html: None,
        headers: &[],
    };
    outbox::enqueue(&mut conn, &copy).unwrap();
    let id = succession::receive_inquiry(&mut conn, l.id, &inquiry, to_coordinator, now()).unwrap();
    let stored = succession::find_inquiry(&mut conn, id).unwrap().unwrap();
    assert_eq!((stored.name.as_str(), stored.status), ("山田 花子", InquiryStatus::Received));
    assert_eq!(stored.phone, None);
    let mails = outbox(&mut conn);
    assert_eq!(mails.len(), 2);
    assert_eq!(stored.outbox_email_id, Some(mails[0].id), "the inquiry points at the coordinator's mail");
    assert_eq!(mails[0].recipients, "coord@npo.example");
    assert_eq!(mails[0].reply_to.as_deref(), Some("hanako@mail.example"));
    assert_eq!(succession::inquiry_count(&mut conn, l.id).unwrap(), 1);

    let updated = succession::update_inquiry(
        &mut conn,
        id,
        Some(InquiryStatus::InProgress),
        "所有者に確認中",
        actor(&editor),
        now(),
    )
    .unwrap();
    assert_eq!((updated.status, updated.coordinator_note.as_str()), (InquiryStatus::InProgress, "所有者に確認中"));
    assert!(
        succession::update_inquiry(&mut conn, id, Some(InquiryStatus::Received), "", actor(&editor), now()).is_err()
    );
    let log = editorial_log::lines(&mut conn, Subject::SuccessionInquiry(id)).unwrap();
    let steps: Vec<(&str, &str)> = log.iter().map(|s| (s.action.as_str(), s.to_status.as_str())).collect();
    assert_eq!(steps, [("receive", "received"), ("status", "in_progress")]);
    assert_eq!(log[0].actor_id, None, "the inquirer has no account");
}

#[test]
fn the_owner_link_is_found_by_its_hash_and_a_new_link_replaces_the_old() {
    let (_db, mut conn) = migrated();
    let editor = fixtures::editor(&mut conn, "coord@npo.example").unwrap();
    let l = succession::create(&mut conn, &content(editor.organization_id), actor(&editor), now()).unwrap();
    succession::set_owner_link(&mut conn, l.id, "hash-one", actor(&editor), now()).unwrap();
    assert_eq!(succession::find_by_manage_token_hash(&mut conn, "hash-one").unwrap().unwrap().id, l.id);
    succession::set_owner_link(&mut conn, l.id, "hash-two", actor(&editor), now()).unwrap();
    assert!(succession::find_by_manage_token_hash(&mut conn, "hash-one").unwrap().is_none(), "the old link stops");
    assert_eq!(succession::find_by_manage_token_hash(&mut conn, "hash-two").unwrap().unwrap().id, l.id);

    let listing = succession::find(&mut conn, l.id).unwrap().unwrap();
    succession::request_changes(&mut conn, &listing, "写真を差し替えたい", now()).unwrap();
    let log = editorial_log::lines(&mut conn, Subject::Succession(l.id)).unwrap();
    let actions: Vec<&str> = log.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(actions, ["create", "owner_link", "owner_link", "owner_request"]);
    assert_eq!(log[3].note.as_deref(), Some("写真を差し替えたい"));
}
