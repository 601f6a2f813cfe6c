//! Succession listings (後継者募集) and the inquiries about them.
//!
//! A listing's owner stays private: their name, address and phone are read by staff pages and
//! the owner's own private page only, and inquiries go to the coordinator organisation, which
//! introduces the two once the owner agrees (staged disclosure). Every change appends a line
//! to the editorial log in the same transaction.

use crate::editorial_log::{self, Step, Subject};
use crate::postings::Actor;
use crate::schema::{articles, organizations, staff_users, succession_inquiries, succession_listings};
use crate::{DbConnection, DbError, DbResult};
use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use yui_domain::code_list;
use yui_domain::succession::{ListingDraft, SuccessionInquiry};
use yui_domain::{HandoverItem, InquiryStatus, PublicId, RevenueBand, SuccessionStatus, SuccessionTerm};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = succession_listings)]
pub struct Listing {
    pub id: i32,
    pub public_id: String,
    pub public_name: String,
    pub industry: String,
    pub area: String,
    pub years_in_business: Option<i32>,
    pub staff_count: Option<i32>,
    pub revenue_band: String,
    pub handover: String,
    pub handover_note: String,
    pub reason: String,
    pub successor_wish: String,
    pub terms: String,
    pub price_text: String,
    pub description: String,
    #[diesel(deserialize_as = String)]
    pub status: SuccessionStatus,
    pub article_id: Option<i32>,
    pub coordinator_organization_id: i32,
    pub owner_name: String,
    pub owner_email: String,
    pub owner_phone: Option<String>,
    pub manage_token_hash: Option<String>,
    pub created_by: i32,
    pub matched_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl Listing {
    pub fn revenue(&self) -> RevenueBand {
        self.revenue_band.parse().unwrap_or(RevenueBand::Undisclosed)
    }

    pub fn handover_items(&self) -> Vec<HandoverItem> {
        yui_domain::parse_code_list(HandoverItem::ALL, HandoverItem::code, &self.handover)
    }

    pub fn term_list(&self) -> Vec<SuccessionTerm> {
        yui_domain::parse_code_list(SuccessionTerm::ALL, SuccessionTerm::code, &self.terms)
    }

    /// Everything the public may read, as one text for the in-memory search (labels of the
    /// coded fields included, so 譲渡 or 店舗 find a listing by its terms and handover items).
    pub fn public_text(&self) -> String {
        let mut parts: Vec<&str> = vec![
            &self.public_name,
            &self.industry,
            &self.area,
            &self.handover_note,
            &self.reason,
            &self.successor_wish,
            &self.price_text,
            &self.description,
        ];
        let handover = self.handover_items();
        let terms = self.term_list();
        parts.extend(handover.iter().map(|h| h.label_ja()));
        parts.extend(terms.iter().map(|t| t.label_ja()));
        parts.join("\n")
    }
}

/// What staff write on a listing (everything but its status, owner link and bookkeeping).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = succession_listings, treat_none_as_null = true)]
pub struct ListingContent {
    pub public_name: String,
    pub industry: String,
    pub area: String,
    pub years_in_business: Option<i32>,
    pub staff_count: Option<i32>,
    pub revenue_band: String,
    pub handover: String,
    pub handover_note: String,
    pub reason: String,
    pub successor_wish: String,
    pub terms: String,
    pub price_text: String,
    pub description: String,
    pub article_id: Option<i32>,
    pub coordinator_organization_id: i32,
    pub owner_name: String,
    pub owner_email: String,
    pub owner_phone: Option<String>,
}

impl ListingContent {
    pub fn from_draft(d: ListingDraft, article_id: Option<i32>, coordinator_organization_id: i32) -> Self {
        ListingContent {
            public_name: d.public_name,
            industry: d.industry,
            area: d.area,
            years_in_business: d.years_in_business,
            staff_count: d.staff_count,
            revenue_band: d.revenue_band.code().to_owned(),
            handover: code_list(&d.handover, HandoverItem::code),
            handover_note: d.handover_note,
            reason: d.reason,
            successor_wish: d.successor_wish,
            terms: code_list(&d.terms, SuccessionTerm::code),
            price_text: d.price_text,
            description: d.description,
            article_id,
            coordinator_organization_id,
            owner_name: d.owner_name,
            owner_email: d.owner_email.as_str().to_owned(),
            owner_phone: d.owner_phone,
        }
    }
}

fn at(now: NaiveDateTime) -> NaiveDateTime {
    now.trunc_subsecs(6)
}

pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<Listing>> {
    Ok(succession_listings::table.find(id).select(Listing::as_select()).first(conn).optional()?)
}

pub fn find_by_public_id(conn: &mut DbConnection, public_id: &str) -> DbResult<Option<Listing>> {
    Ok(succession_listings::table
        .filter(succession_listings::public_id.eq(public_id))
        .select(Listing::as_select())
        .first(conn)
        .optional()?)
}

/// The listing a private owner link opens (only the token's SHA-256 is stored).
pub fn find_by_manage_token_hash(conn: &mut DbConnection, hash: &str) -> DbResult<Option<Listing>> {
    Ok(succession_listings::table
        .filter(succession_listings::manage_token_hash.eq(hash))
        .select(Listing::as_select())
        .first(conn)
        .optional()?)
}

/// A new open listing, logged as created by `actor`.
pub fn create(
    conn: &mut DbConnection,
    content: &ListingContent,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<Listing> {
    let created_by =
        actor.staff_id.ok_or_else(|| DbError::Invalid("a succession listing is created by a staff member".into()))?;
    let now = at(now);
    let public_id = PublicId::generate().to_string();
    crate::transaction(conn, |conn| {
        diesel::insert_into(succession_listings::table)
            .values((
                content,
                succession_listings::public_id.eq(&public_id),
                succession_listings::status.eq(SuccessionStatus::Open.code()),
                succession_listings::created_by.eq(created_by),
                succession_listings::created_at.eq(now),
                succession_listings::updated_at.eq(now),
                succession_listings::version.eq(1),
            ))
            .execute(conn)?;
        let listing = find_by_public_id(conn, &public_id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        let open = SuccessionStatus::Open.code();
        editorial_log::append(
            conn,
            Subject::Succession(listing.id),
            Step { action: "create", from: "", to: open, note: None },
            actor,
            now,
        )?;
        log::info!("succession listing {} created", listing.public_id);
        Ok(listing)
    })
}

/// Bumps the version if it is still `expected`: a second editor's stale form is refused.
fn claim_version(conn: &mut DbConnection, id: i32, expected: i32, now: NaiveDateTime) -> DbResult<()> {
    let changed = diesel::update(succession_listings::table.find(id).filter(succession_listings::version.eq(expected)))
        .set((succession_listings::version.eq(expected + 1), succession_listings::updated_at.eq(now)))
        .execute(conn)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(DbError::Conflict("the succession listing"))
    }
}

pub fn update(
    conn: &mut DbConnection,
    id: i32,
    expected_version: i32,
    content: &ListingContent,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<Listing> {
    let now = at(now);
    crate::transaction(conn, |conn| {
        claim_version(conn, id, expected_version, now)?;
        diesel::update(succession_listings::table.find(id)).set(content).execute(conn)?;
        let listing = find(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        let status = listing.status.code();
        editorial_log::append(
            conn,
            Subject::Succession(id),
            Step { action: "edit", from: status, to: status, note: None },
            actor,
            now,
        )?;
        Ok(listing)
    })
}

/// Moves a listing along `open → in_talks → matched | closed` (talks may fall through back to
/// open); a match records when. `note` goes to the log.
pub fn set_status(
    conn: &mut DbConnection,
    id: i32,
    expected_version: i32,
    to: SuccessionStatus,
    note: Option<&str>,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<Listing> {
    let now = at(now);
    crate::transaction(conn, |conn| {
        // The version first: a form older than the status it offers a step from is a conflict.
        claim_version(conn, id, expected_version, now)?;
        let listing = find(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        let to = listing.status.move_to(to).map_err(|e| DbError::Invalid(e.to_string()))?;
        let matched_at = (to == SuccessionStatus::Matched).then_some(now);
        diesel::update(succession_listings::table.find(id))
            .set((succession_listings::status.eq(to.code()), succession_listings::matched_at.eq(matched_at)))
            .execute(conn)?;
        editorial_log::append(
            conn,
            Subject::Succession(id),
            Step { action: "status", from: listing.status.code(), to: to.code(), note },
            actor,
            now,
        )?;
        log::info!("succession listing {} {} -> {}", listing.public_id, listing.status, to);
        find(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))
    })
}

/// Stores the hash of a fresh owner link (older links stop working) and logs it. The caller
/// queues the mail that carries the link in the same transaction.
pub fn set_owner_link(
    conn: &mut DbConnection,
    id: i32,
    token_hash: &str,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<()> {
    let now = at(now);
    crate::transaction(conn, |conn| {
        let listing = find(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        diesel::update(succession_listings::table.find(id))
            .set(succession_listings::manage_token_hash.eq(token_hash))
            .execute(conn)?;
        let status = listing.status.code();
        editorial_log::append(
            conn,
            Subject::Succession(id),
            Step { action: "owner_link", from: status, to: status, note: None },
            actor,
            now,
        )?;
        Ok(())
    })
}

/// The owner asked (from their private page) for changes: the log line. The caller queues the
/// mail to the coordinator in the same transaction. The owner has no staff account: the actor
/// is empty.
pub fn request_changes(conn: &mut DbConnection, listing: &Listing, request: &str, now: NaiveDateTime) -> DbResult<()> {
    let status = listing.status.code();
    editorial_log::append(
        conn,
        Subject::Succession(listing.id),
        Step { action: "owner_request", from: status, to: status, note: Some(request) },
        Actor::default(),
        at(now),
    )
}

/// Every listing, newest first, for staff.
pub fn list_all(conn: &mut DbConnection) -> DbResult<Vec<Listing>> {
    Ok(succession_listings::table
        .order((succession_listings::updated_at.desc(), succession_listings::id.desc()))
        .select(Listing::as_select())
        .load(conn)?)
}

/// What the public list shows, with each coordinator's name: open and in talks first (most
/// recently changed first), then the matched ones (most recent match first); closed never.
/// Listings are few (dozens in a town), so the public search matches these rows in memory
/// with `yui_domain::search` instead of keeping a full-text table of its own.
pub fn listed(conn: &mut DbConnection) -> DbResult<Vec<(Listing, String)>> {
    let mut rows: Vec<(Listing, String)> = succession_listings::table
        .inner_join(organizations::table)
        .filter(succession_listings::status.ne(SuccessionStatus::Closed.code()))
        .select((Listing::as_select(), organizations::name))
        .load(conn)?;
    rows.sort_by(|(a, _), (b, _)| {
        let matched = |l: &Listing| l.status == SuccessionStatus::Matched;
        matched(a)
            .cmp(&matched(b))
            .then_with(|| b.matched_at.cmp(&a.matched_at))
            .then_with(|| b.updated_at.cmp(&a.updated_at))
            .then_with(|| b.id.cmp(&a.id))
    });
    Ok(rows)
}

/// Listings per status, for the staff list.
pub fn counts_by_status(conn: &mut DbConnection) -> DbResult<Vec<(SuccessionStatus, i64)>> {
    let rows: Vec<(String, i64)> = succession_listings::table
        .group_by(succession_listings::status)
        .select((succession_listings::status, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(SuccessionStatus::ALL
        .iter()
        .map(|s| (*s, rows.iter().find(|(code, _)| code == s.code()).map_or(0, |(_, n)| *n)))
        .collect())
}

/// A published article a listing may link to.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ArticleLink {
    pub id: i32,
    pub kind: String,
    pub slug: String,
    pub title: String,
}

impl ArticleLink {
    pub fn path(&self) -> String {
        let section = if self.kind == "feature" { "features" } else { "columns" };
        format!("/{section}/{}", self.slug)
    }
}

/// Articles readers can open now, newest first: the choices for a listing's linked article.
pub fn published_articles(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<Vec<ArticleLink>> {
    Ok(articles::table
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.le(now))
        .order(articles::published_at.desc())
        .select((articles::id, articles::kind, articles::slug, articles::title))
        .load(conn)?)
}

/// The linked article, if readers can open it now.
pub fn published_article(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> DbResult<Option<ArticleLink>> {
    Ok(articles::table
        .find(id)
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.le(now))
        .select((articles::id, articles::kind, articles::slug, articles::title))
        .first(conn)
        .optional()?)
}

/// Where the coordinator's mail goes: the active editors and admins of the coordinating
/// organisation, or, when it has none, every active editor and admin.
pub fn coordinator_emails(conn: &mut DbConnection, organization_id: i32) -> DbResult<Vec<String>> {
    let own: Vec<String> = staff_users::table
        .filter(staff_users::organization_id.eq(organization_id))
        .filter(staff_users::active.eq(true))
        .filter(staff_users::role.eq_any(["editor", "admin"]))
        .order(staff_users::id.asc())
        .select(staff_users::email)
        .load(conn)?;
    if own.is_empty() {
        crate::staff::reviewer_emails(conn)
    } else {
        Ok(own)
    }
}

pub fn organization_name(conn: &mut DbConnection, id: i32) -> DbResult<String> {
    Ok(organizations::table.find(id).select(organizations::name).first(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = succession_inquiries)]
pub struct Inquiry {
    pub id: i32,
    pub listing_id: i32,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub about: String,
    pub consent_at: NaiveDateTime,
    #[diesel(deserialize_as = String)]
    pub status: InquiryStatus,
    pub coordinator_note: String,
    pub outbox_email_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Stores an inquiry (the consent given now) whose mail to the coordinator, `coordinator_mail`,
/// was just queued in the caller's transaction (with the inquirer's acknowledgement), and logs
/// it. Returns the inquiry's id.
pub fn receive_inquiry(
    conn: &mut DbConnection,
    listing_id: i32,
    inquiry: &SuccessionInquiry,
    coordinator_mail: i32,
    now: NaiveDateTime,
) -> DbResult<i32> {
    let now = at(now);
    crate::transaction(conn, |conn| {
        let id: i32 = diesel::insert_into(succession_inquiries::table)
            .values((
                succession_inquiries::listing_id.eq(listing_id),
                succession_inquiries::name.eq(&inquiry.name),
                succession_inquiries::email.eq(inquiry.email.as_str()),
                succession_inquiries::phone.eq(inquiry.phone.as_deref()),
                succession_inquiries::about.eq(&inquiry.about),
                succession_inquiries::consent_at.eq(now),
                succession_inquiries::status.eq(InquiryStatus::Received.code()),
                succession_inquiries::outbox_email_id.eq(Some(coordinator_mail)),
                succession_inquiries::created_at.eq(now),
                succession_inquiries::updated_at.eq(now),
            ))
            .returning(succession_inquiries::id)
            .get_result(conn)?;
        editorial_log::append(
            conn,
            Subject::SuccessionInquiry(id),
            Step { action: "receive", from: "", to: InquiryStatus::Received.code(), note: None },
            Actor::default(),
            now,
        )?;
        log::info!("succession inquiry {id} about listing {listing_id} received (outbox {coordinator_mail})");
        Ok(id)
    })
}

pub fn inquiries(conn: &mut DbConnection, listing_id: i32) -> DbResult<Vec<Inquiry>> {
    Ok(succession_inquiries::table
        .filter(succession_inquiries::listing_id.eq(listing_id))
        .order((succession_inquiries::created_at.asc(), succession_inquiries::id.asc()))
        .select(Inquiry::as_select())
        .load(conn)?)
}

pub fn find_inquiry(conn: &mut DbConnection, id: i32) -> DbResult<Option<Inquiry>> {
    Ok(succession_inquiries::table.find(id).select(Inquiry::as_select()).first(conn).optional()?)
}

/// How many inquiries a listing has had: all its owner is told about them.
pub fn inquiry_count(conn: &mut DbConnection, listing_id: i32) -> DbResult<i64> {
    Ok(succession_inquiries::table.filter(succession_inquiries::listing_id.eq(listing_id)).count().get_result(conn)?)
}

/// Inquiries per listing id, for the staff list.
pub fn inquiry_counts(conn: &mut DbConnection) -> DbResult<Vec<(i32, i64)>> {
    Ok(succession_inquiries::table
        .group_by(succession_inquiries::listing_id)
        .select((succession_inquiries::listing_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// The coordinator's progress on an inquiry: a new status (`None` keeps it) and their note.
pub fn update_inquiry(
    conn: &mut DbConnection,
    id: i32,
    to: Option<InquiryStatus>,
    note: &str,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<Inquiry> {
    let now = at(now);
    crate::transaction(conn, |conn| {
        let inquiry = find_inquiry(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        let to = match to {
            // The handler checked the step against the status it read: a refusal here means
            // another coordinator moved the inquiry in between.
            Some(to) if to != inquiry.status => {
                inquiry.status.move_to(to).map_err(|_| DbError::Conflict("the succession inquiry"))?
            }
            _ => inquiry.status,
        };
        diesel::update(succession_inquiries::table.find(id))
            .set((
                succession_inquiries::status.eq(to.code()),
                succession_inquiries::coordinator_note.eq(note),
                succession_inquiries::updated_at.eq(now),
            ))
            .execute(conn)?;
        let action = if to == inquiry.status { "note" } else { "status" };
        editorial_log::append(
            conn,
            Subject::SuccessionInquiry(id),
            Step { action, from: inquiry.status.code(), to: to.code(), note: Some(note).filter(|n| !n.is_empty()) },
            actor,
            now,
        )?;
        find_inquiry(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))
    })
}
