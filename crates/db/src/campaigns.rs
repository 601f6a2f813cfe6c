//! Joint campaigns: drafting and publication (a second editor publishes), what the public page
//! reads, and the entries' pool. Entries hold names, addresses and messages: they are read only
//! by the co-issuing organisations' staff (checked by the caller with [`is_coordinator`]),
//! never written to the editorial log, and deleted by [`purge_ended`] once the campaign has
//! been over for the retention period.

use crate::editorial_log::{self, Step, Subject};
use crate::employers::Employer;
use crate::organizations::Organization;
use crate::postings::{Actor, Posting};
use crate::schema::{
    campaign_entries, campaign_entry_records, campaign_organizations, campaign_postings, campaigns, employers,
    organizations, postings,
};
use crate::{DbConnection, DbResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use yui_domain::campaigns::{may_publish, CampaignStatus, EntryStatus, EntryWay, PublishError};
use yui_domain::StaffRole;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = campaigns)]
pub struct Campaign {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub story_markdown: String,
    pub starts_on: NaiveDateTime,
    pub ends_on: NaiveDateTime,
    #[diesel(deserialize_as = String)]
    pub status: CampaignStatus,
    pub author_id: i32,
    pub published_by: Option<i32>,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl Campaign {
    pub fn starts(&self) -> NaiveDate {
        self.starts_on.date()
    }

    pub fn ends(&self) -> NaiveDate {
        self.ends_on.date()
    }

    pub fn is_public(&self) -> bool {
        self.status == CampaignStatus::Published
    }

    /// Entries are taken from the first to the last day of the period (Japan's calendar).
    pub fn is_open_on(&self, today: NaiveDate) -> bool {
        self.is_public() && self.starts() <= today && today <= self.ends()
    }
}

/// What an editor types.
#[derive(Debug, Clone)]
pub struct CampaignContent {
    pub slug: String,
    pub title: String,
    pub story_markdown: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub organizations: Vec<i32>,
    /// Posting ids (internal), in order.
    pub postings: Vec<i32>,
}

/// Who acts.
#[derive(Debug, Clone, Copy)]
pub struct Editor {
    pub staff_id: i32,
    pub organization_id: i32,
    pub role: StaffRole,
}

impl Editor {
    fn actor(self) -> Actor {
        Actor { staff_id: Some(self.staff_id), organization_id: Some(self.organization_id) }
    }
}

/// Why a save or a publication was not made. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    SlugTaken,
    Publish(PublishError),
    Stale,
    /// Some picked postings are not published and open.
    NotPublic(Vec<String>),
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(chrono::NaiveTime::MIN)
}

pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<Campaign>> {
    Ok(campaigns::table.find(id).select(Campaign::as_select()).first(conn).optional()?)
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> DbResult<Option<Campaign>> {
    Ok(campaigns::table.filter(campaigns::slug.eq(slug)).select(Campaign::as_select()).first(conn).optional()?)
}

/// Every campaign, newest period first (staff).
pub fn list_all(conn: &mut DbConnection) -> DbResult<Vec<Campaign>> {
    Ok(campaigns::table
        .order((campaigns::starts_on.desc(), campaigns::id.desc()))
        .select(Campaign::as_select())
        .load(conn)?)
}

/// Published campaigns, newest period first, with their entry counts.
pub fn list_public(conn: &mut DbConnection) -> DbResult<Vec<(Campaign, i64)>> {
    let list: Vec<Campaign> = campaigns::table
        .filter(campaigns::status.eq(CampaignStatus::Published.code()))
        .order((campaigns::starts_on.desc(), campaigns::id.desc()))
        .select(Campaign::as_select())
        .load(conn)?;
    let ids: Vec<i32> = list.iter().map(|c| c.id).collect();
    let held: Vec<(i32, i64)> = campaign_entries::table
        .filter(campaign_entries::campaign_id.eq_any(&ids))
        .group_by(campaign_entries::campaign_id)
        .select((campaign_entries::campaign_id, diesel::dsl::count_star()))
        .load(conn)?;
    let recorded: Vec<(i32, i64)> = campaign_entry_records::table
        .filter(campaign_entry_records::campaign_id.eq_any(&ids))
        .group_by(campaign_entry_records::campaign_id)
        .select((campaign_entry_records::campaign_id, diesel::dsl::count_star()))
        .load(conn)?;
    let count = |id| held.iter().chain(&recorded).filter(|(c, _)| *c == id).map(|(_, n)| *n).sum::<i64>();
    Ok(list
        .into_iter()
        .map(|c| {
            let n = count(c.id);
            (c, n)
        })
        .collect())
}

/// The co-issuing organisations, in order, with their logo's file name.
pub fn organizations_of(conn: &mut DbConnection, id: i32) -> DbResult<Vec<(Organization, Option<String>)>> {
    Ok(campaign_organizations::table
        .inner_join(organizations::table)
        .filter(campaign_organizations::campaign_id.eq(id))
        .order(campaign_organizations::position.asc())
        .select((Organization::as_select(), campaign_organizations::logo))
        .load(conn)?)
}

/// The postings the campaign gathers, in order, with their employers (the caller shows only
/// those still public).
pub fn postings_of(conn: &mut DbConnection, id: i32) -> DbResult<Vec<(Posting, Employer)>> {
    Ok(campaign_postings::table
        .inner_join(postings::table.inner_join(employers::table))
        .filter(campaign_postings::campaign_id.eq(id))
        .order(campaign_postings::position.asc())
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?)
}

/// Public ids among `public_ids` that are not published and open now.
pub fn not_public(conn: &mut DbConnection, public_ids: &[String], now: NaiveDateTime) -> DbResult<Vec<String>> {
    let open: Vec<String> = postings::table
        .filter(postings::public_id.eq_any(public_ids))
        .filter(postings::status.eq(yui_domain::PostingStatus::Published.code()))
        .filter(postings::valid_through.gt(now))
        .select(postings::public_id)
        .load(conn)?;
    Ok(public_ids.iter().filter(|p| !open.contains(p)).cloned().collect())
}

/// Internal ids of postings by public id, in the order given.
pub fn posting_ids(conn: &mut DbConnection, public_ids: &[String]) -> DbResult<Vec<i32>> {
    let found: Vec<(i32, String)> = postings::table
        .filter(postings::public_id.eq_any(public_ids))
        .select((postings::id, postings::public_id))
        .load(conn)?;
    Ok(public_ids.iter().filter_map(|p| found.iter().find(|(_, f)| f == p).map(|(id, _)| *id)).collect())
}

fn slug_taken(conn: &mut DbConnection, slug: &str, except: Option<i32>) -> DbResult<bool> {
    let mut q = campaigns::table.filter(campaigns::slug.eq(slug)).into_boxed();
    if let Some(id) = except {
        q = q.filter(campaigns::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

fn set_links(conn: &mut DbConnection, id: i32, content: &CampaignContent) -> DbResult<()> {
    // Logos stay with an organisation that is still named.
    diesel::delete(
        campaign_organizations::table
            .filter(campaign_organizations::campaign_id.eq(id))
            .filter(campaign_organizations::organization_id.ne_all(&content.organizations)),
    )
    .execute(conn)?;
    for (i, org) in content.organizations.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(i32::MAX);
        let row = campaign_organizations::table.find((id, *org));
        let updated = diesel::update(row).set(campaign_organizations::position.eq(position)).execute(conn)?;
        if updated == 0 {
            diesel::insert_into(campaign_organizations::table)
                .values((
                    campaign_organizations::campaign_id.eq(id),
                    campaign_organizations::organization_id.eq(*org),
                    campaign_organizations::position.eq(position),
                ))
                .execute(conn)?;
        }
    }
    diesel::delete(campaign_postings::table.filter(campaign_postings::campaign_id.eq(id))).execute(conn)?;
    for (i, p) in content.postings.iter().enumerate() {
        diesel::insert_into(campaign_postings::table)
            .values((
                campaign_postings::campaign_id.eq(id),
                campaign_postings::posting_id.eq(*p),
                campaign_postings::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A new draft.
pub fn create(
    conn: &mut DbConnection,
    content: &CampaignContent,
    me: Editor,
    now: NaiveDateTime,
) -> DbResult<Result<Campaign, Refused>> {
    crate::transaction(conn, |conn| {
        if slug_taken(conn, &content.slug, None)? {
            return Ok(Err(Refused::SlugTaken));
        }
        diesel::insert_into(campaigns::table)
            .values((
                campaigns::slug.eq(&content.slug),
                campaigns::title.eq(&content.title),
                campaigns::story_markdown.eq(&content.story_markdown),
                campaigns::starts_on.eq(midnight(content.starts_on)),
                campaigns::ends_on.eq(midnight(content.ends_on)),
                campaigns::status.eq(CampaignStatus::Draft.code()),
                campaigns::author_id.eq(me.staff_id),
                campaigns::created_at.eq(now),
                campaigns::updated_at.eq(now),
                campaigns::version.eq(1),
            ))
            .execute(conn)?;
        let c: Campaign =
            campaigns::table.filter(campaigns::slug.eq(&content.slug)).select(Campaign::as_select()).first(conn)?;
        set_links(conn, c.id, content)?;
        let draft = CampaignStatus::Draft.code();
        let step = Step { action: "create", from: draft, to: draft, note: None };
        editorial_log::append(conn, Subject::Campaign(c.id), step, me.actor(), now)?;
        Ok(Ok(c))
    })
}

/// An edit, if nobody saved it since `version`.
pub fn update(
    conn: &mut DbConnection,
    id: i32,
    version: i32,
    content: &CampaignContent,
    me: Editor,
    now: NaiveDateTime,
) -> DbResult<Result<Campaign, Refused>> {
    crate::transaction(conn, |conn| {
        if slug_taken(conn, &content.slug, Some(id))? {
            return Ok(Err(Refused::SlugTaken));
        }
        let changed = diesel::update(campaigns::table.find(id).filter(campaigns::version.eq(version)))
            .set((
                campaigns::slug.eq(&content.slug),
                campaigns::title.eq(&content.title),
                campaigns::story_markdown.eq(&content.story_markdown),
                campaigns::starts_on.eq(midnight(content.starts_on)),
                campaigns::ends_on.eq(midnight(content.ends_on)),
                campaigns::updated_at.eq(now),
                campaigns::version.eq(version + 1),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Ok(Err(Refused::Stale));
        }
        set_links(conn, id, content)?;
        let c: Campaign = campaigns::table.find(id).select(Campaign::as_select()).first(conn)?;
        let status = c.status.code();
        let step = Step { action: "edit", from: status, to: status, note: None };
        editorial_log::append(conn, Subject::Campaign(id), step, me.actor(), now)?;
        Ok(Ok(c))
    })
}

/// Publishes a draft: a second editor, never its author.
pub fn publish(
    conn: &mut DbConnection,
    id: i32,
    me: Editor,
    now: NaiveDateTime,
) -> DbResult<Option<Result<Campaign, Refused>>> {
    crate::transaction(conn, |conn| {
        let Some(c) = find(conn, id)? else { return Ok(None) };
        if let Err(e) = may_publish(c.status, me.role, me.staff_id, c.author_id) {
            return Ok(Some(Err(Refused::Publish(e))));
        }
        let changed = diesel::update(campaigns::table.find(id).filter(campaigns::version.eq(c.version)))
            .set((
                campaigns::status.eq(CampaignStatus::Published.code()),
                campaigns::published_by.eq(me.staff_id),
                campaigns::published_at.eq(now),
                campaigns::updated_at.eq(now),
                campaigns::version.eq(c.version + 1),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Ok(Some(Err(Refused::Stale)));
        }
        let step = Step {
            action: "publish",
            from: CampaignStatus::Draft.code(),
            to: CampaignStatus::Published.code(),
            note: None,
        };
        editorial_log::append(conn, Subject::Campaign(id), step, me.actor(), now)?;
        Ok(find(conn, id)?.map(Ok))
    })
}

/// Sets an organisation's logo on a campaign (a media file name); false when it is not named.
pub fn set_logo(
    conn: &mut DbConnection,
    id: i32,
    org: i32,
    logo: &str,
    me: Editor,
    now: NaiveDateTime,
) -> DbResult<bool> {
    crate::transaction(conn, |conn| {
        let changed = diesel::update(campaign_organizations::table.find((id, org)))
            .set(campaign_organizations::logo.eq(logo))
            .execute(conn)?;
        if changed == 1 {
            let step = Step { action: "logo", from: "", to: "", note: None };
            editorial_log::append(conn, Subject::Campaign(id), step, me.actor(), now)?;
        }
        Ok(changed == 1)
    })
}

/// Whether staff of `organization_id` coordinate the campaign (see its entries).
pub fn is_coordinator(conn: &mut DbConnection, id: i32, organization_id: i32) -> DbResult<bool> {
    let n: i64 = campaign_organizations::table
        .filter(campaign_organizations::campaign_id.eq(id))
        .filter(campaign_organizations::organization_id.eq(organization_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The campaigns whose pools staff of `organization_id` see.
pub fn coordinated_by(conn: &mut DbConnection, organization_id: i32) -> DbResult<Vec<i32>> {
    Ok(campaign_organizations::table
        .filter(campaign_organizations::organization_id.eq(organization_id))
        .select(campaign_organizations::campaign_id)
        .load(conn)?)
}

/// Every entry the campaign has had: those held, and those deleted after the retention period
/// (see [`purge_ended`]). A withdrawn entry is not counted: its author took it back.
pub fn entry_count(conn: &mut DbConnection, id: i32) -> DbResult<i64> {
    let held: i64 = campaign_entries::table.filter(campaign_entries::campaign_id.eq(id)).count().get_result(conn)?;
    let recorded: i64 =
        campaign_entry_records::table.filter(campaign_entry_records::campaign_id.eq(id)).count().get_result(conn)?;
    Ok(held + recorded)
}

/// One entry, as the pool shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaign_entries)]
pub struct Entry {
    pub id: i32,
    pub campaign_id: i32,
    pub name: String,
    pub email: String,
    pub offer: String,
    pub interests: String,
    #[diesel(deserialize_as = String)]
    pub way: EntryWay,
    #[diesel(deserialize_as = String)]
    pub status: EntryStatus,
    pub notes: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a person sent, checked.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub offer: &'a str,
    pub interests: &'a [String],
    pub way: EntryWay,
    /// The SHA-256 of the withdraw link's token.
    pub withdraw_hash: &'a str,
}

pub fn add_entry(conn: &mut DbConnection, campaign_id: i32, e: &NewEntry<'_>, now: NaiveDateTime) -> DbResult<i32> {
    diesel::insert_into(campaign_entries::table)
        .values((
            campaign_entries::campaign_id.eq(campaign_id),
            campaign_entries::name.eq(e.name),
            campaign_entries::email.eq(e.email),
            campaign_entries::offer.eq(e.offer),
            campaign_entries::interests.eq(e.interests.join(" ")),
            campaign_entries::way.eq(e.way.code()),
            campaign_entries::status.eq(EntryStatus::New.code()),
            campaign_entries::notes.eq(""),
            campaign_entries::withdraw_hash.eq(e.withdraw_hash),
            campaign_entries::created_at.eq(now),
            campaign_entries::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(campaign_entries::table
        .filter(campaign_entries::withdraw_hash.eq(e.withdraw_hash))
        .select(campaign_entries::id)
        .first(conn)?)
}

/// The campaign an unused withdraw link belongs to.
pub fn campaign_of_withdraw(conn: &mut DbConnection, hash: &str) -> DbResult<Option<Campaign>> {
    Ok(campaign_entries::table
        .inner_join(campaigns::table)
        .filter(campaign_entries::withdraw_hash.eq(hash))
        .select(Campaign::as_select())
        .first(conn)
        .optional()?)
}

/// Deletes the entry the link belongs to; false when there is none (already withdrawn or deleted).
pub fn withdraw(conn: &mut DbConnection, hash: &str) -> DbResult<bool> {
    Ok(diesel::delete(campaign_entries::table.filter(campaign_entries::withdraw_hash.eq(hash))).execute(conn)? > 0)
}

/// The pool, newest first.
pub fn entries(conn: &mut DbConnection, campaign_id: i32) -> DbResult<Vec<Entry>> {
    Ok(campaign_entries::table
        .filter(campaign_entries::campaign_id.eq(campaign_id))
        .order((campaign_entries::created_at.desc(), campaign_entries::id.desc()))
        .select(Entry::as_select())
        .load(conn)?)
}

pub fn find_entry(conn: &mut DbConnection, campaign_id: i32, entry_id: i32) -> DbResult<Option<Entry>> {
    Ok(campaign_entries::table
        .filter(campaign_entries::campaign_id.eq(campaign_id))
        .filter(campaign_entries::id.eq(entry_id))
        .select(Entry::as_select())
        .first(conn)
        .optional()?)
}

/// A coordinator sets an entry's status and notes. The log line holds the status only: the
/// notes may speak of the person.
pub fn set_entry(
    conn: &mut DbConnection,
    entry: &Entry,
    status: EntryStatus,
    notes: &str,
    me: Editor,
    now: NaiveDateTime,
) -> DbResult<()> {
    crate::transaction(conn, |conn| {
        diesel::update(campaign_entries::table.find(entry.id))
            .set((
                campaign_entries::status.eq(status.code()),
                campaign_entries::notes.eq(notes),
                campaign_entries::updated_at.eq(now),
            ))
            .execute(conn)?;
        // The match's own time: kept while it stays matched, gone if it is undone.
        let matched_at = match (entry.status, status) {
            (EntryStatus::Matched, EntryStatus::Matched) => None,
            (_, EntryStatus::Matched) => Some(Some(now)),
            _ => Some(None),
        };
        if let Some(at) = matched_at {
            diesel::update(campaign_entries::table.find(entry.id))
                .set(campaign_entries::matched_at.eq(at))
                .execute(conn)?;
        }
        let step = Step { action: "entry_status", from: entry.status.code(), to: status.code(), note: None };
        editorial_log::append(conn, Subject::CampaignEntry(entry.id), step, me.actor(), now)?;
        Ok(())
    })
}

/// Logs a staff action on the pool that changes no row (an export, a mail), without personal data.
pub fn log_pool_action(
    conn: &mut DbConnection,
    subject: Subject,
    action: &str,
    me: Editor,
    now: NaiveDateTime,
) -> DbResult<()> {
    editorial_log::append(conn, subject, Step { action, from: "", to: "", note: None }, me.actor(), now)
}

/// Deletes the entries of campaigns whose last day ended more than `retention_days` ago, and
/// keeps of each only a record of when it came in and when it was matched (to the hour), so the
/// campaign's count and the outcomes stay; returns how many were deleted.
pub fn purge_ended(conn: &mut DbConnection, retention_days: u32, now: NaiveDateTime) -> DbResult<usize> {
    // A campaign's last day ends at the next midnight: `ends_on + 1 day + retention <= now`.
    // `ends_on` is a day in Japan and `now` is UTC, so deletion comes up to nine hours late, never early.
    let cutoff = now - chrono::Duration::days(i64::from(retention_days) + 1);
    crate::transaction(conn, |conn| {
        let ended: Vec<i32> =
            campaigns::table.filter(campaigns::ends_on.le(cutoff)).select(campaigns::id).load(conn)?;
        let gone = || campaign_entries::table.filter(campaign_entries::campaign_id.eq_any(&ended));
        let times: Vec<(i32, NaiveDateTime, Option<NaiveDateTime>)> = gone()
            .select((campaign_entries::campaign_id, campaign_entries::created_at, campaign_entries::matched_at))
            .load(conn)?;
        // One row at a time: the backends share no batch insert, and a campaign has hundreds.
        for (campaign, entered, matched) in times {
            diesel::insert_into(campaign_entry_records::table)
                .values((
                    campaign_entry_records::campaign_id.eq(campaign),
                    campaign_entry_records::entered_at.eq(to_the_hour(entered)),
                    campaign_entry_records::matched_at.eq(matched.map(to_the_hour)),
                ))
                .execute(conn)?;
        }
        Ok(diesel::delete(gone()).execute(conn)?)
    })
}

/// `t` without its minutes and seconds: enough for counts by month in any time zone a whole
/// number of hours from UTC, as Japan is, and no finer than that.
fn to_the_hour(t: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    t.with_minute(0).and_then(|t| t.with_second(0)).and_then(|t| t.with_nanosecond(0)).unwrap_or(t)
}
