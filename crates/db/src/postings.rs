use crate::employers::Employer;
use crate::schema::{employers, posting_conditions, posting_projects, posting_terms, postings, review_events};
use crate::{DbConnection, DbError, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;
use yui_domain::Conditions;
use yui_domain::{
    end_of_day_utc, EmploymentType, PageNumber, PostingAction, PostingDraft, PostingStatus, ProjectInput, ProjectTerms,
    PublicId, RemoteMode, Salary, SalaryUnit, TermsInput, WorkingTerms, Yen,
};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = postings)]
pub struct Posting {
    pub id: i32,
    pub public_id: String,
    pub employer_id: i32,
    pub submission_id: Option<i32>,
    pub title: String,
    pub description: String,
    #[diesel(deserialize_as = String)]
    pub employment_type: EmploymentType,
    pub category: Option<String>,
    pub prefecture: String,
    pub municipality: String,
    pub area: Option<String>,
    pub address: Option<String>,
    #[diesel(deserialize_as = String)]
    pub remote: RemoteMode,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_unit: Option<String>,
    pub hours: Option<String>,
    pub holidays: Option<String>,
    pub insurance: Option<String>,
    pub trial_period: Option<String>,
    pub smoking: Option<String>,
    pub requirements: Option<String>,
    pub how_to_apply: String,
    pub valid_through: NaiveDateTime,
    #[diesel(deserialize_as = String)]
    pub status: PostingStatus,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub manage_token_hash: Option<String>,
    /// When the employer was last reminded that the listing ends soon (cleared on renewal).
    pub reminder_sent_at: Option<NaiveDateTime>,
    /// The employer's answer, after filling or closing, to "did the hire come through Yui?".
    pub hired_via_yui: Option<bool>,
}

impl Posting {
    /// The pay range, if the stored columns make one; a broken row shows no salary rather than a wrong one.
    pub fn salary(&self) -> Option<Salary> {
        let unit = self.salary_unit.as_deref()?.parse::<SalaryUnit>().ok()?;
        Salary::new(self.salary_min.and_then(Yen::new), self.salary_max.and_then(Yen::new), unit).ok()
    }

    /// Published and not past its end: what seekers may see.
    pub fn is_public_at(&self, now: NaiveDateTime) -> bool {
        self.status.is_public() && self.valid_through > now
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = postings)]
pub struct NewPosting {
    pub public_id: String,
    pub employer_id: i32,
    pub submission_id: Option<i32>,
    /// What an editor or the employer may later change, converted from the draft once.
    #[diesel(embed)]
    pub content: PostingContent,
    pub status: &'static str,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub manage_token_hash: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = review_events)]
pub struct ReviewEvent {
    pub id: i32,
    pub posting_id: i32,
    pub actor_id: Option<i32>,
    pub organization_id: Option<i32>,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub diff: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = review_events)]
pub struct NewReviewEvent<'a> {
    pub posting_id: i32,
    pub actor_id: Option<i32>,
    pub organization_id: Option<i32>,
    pub action: &'static str,
    pub from_status: &'static str,
    pub to_status: &'static str,
    pub reason_code: Option<&'a str>,
    pub reason_text: Option<&'a str>,
    pub diff: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

/// Builds the row for a new posting awaiting review. `default_end` is used when the
/// employer named no end date.
pub fn new_pending(
    draft: PostingDraft,
    employer_id: i32,
    submission_id: Option<i32>,
    now: NaiveDateTime,
    default_end: NaiveDateTime,
) -> NewPosting {
    NewPosting {
        public_id: PublicId::generate().to_string(),
        employer_id,
        submission_id,
        content: PostingContent::from_draft(draft, default_end),
        status: PostingStatus::Pending.code(),
        published_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
        manage_token_hash: None,
    }
}

pub fn insert(conn: &mut DbConnection, new: &NewPosting) -> DbResult<Posting> {
    // RETURNING through DbConnection gives columns, not a Selectable row: read it back by its unique key.
    diesel::insert_into(postings::table).values(new).execute(conn)?;
    let posting: Posting =
        postings::table.filter(postings::public_id.eq(&new.public_id)).select(Posting::as_select()).first(conn)?;
    replace_terms(conn, posting.id, &new.content.terms)?;
    replace_project(conn, posting.id, &new.content.project)?;
    replace_conditions(conn, posting.id, &new.content.conditions)?;
    Ok(posting)
}

/// The one definition of "seekers may see this": published and not past its end.
pub(crate) fn public_at(
    now: NaiveDateTime,
) -> diesel::dsl::And<
    diesel::dsl::Eq<postings::status, &'static str>,
    diesel::dsl::Gt<postings::valid_through, NaiveDateTime>,
> {
    postings::status.eq(PostingStatus::Published.code()).and(postings::valid_through.gt(now))
}

#[derive(Debug)]
pub struct Page {
    pub items: Vec<(Posting, Employer)>,
    pub total: i64,
}

/// Public postings, newest first, optionally of one employment type.
pub fn public_page(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    employment_type: Option<EmploymentType>,
    page: PageNumber,
    per_page: u32,
) -> DbResult<Page> {
    let filtered = || {
        let mut q = postings::table.inner_join(employers::table).filter(public_at(now)).into_boxed();
        if let Some(t) = employment_type {
            q = q.filter(postings::employment_type.eq(t.code()));
        }
        q
    };
    // Counted from the index alone: every posting has its employer (a foreign key), and
    // joining here would read every public row from the table.
    let mut count = postings::table.filter(public_at(now)).into_boxed();
    if let Some(t) = employment_type {
        count = count.filter(postings::employment_type.eq(t.code()));
    }
    let total = count.count().get_result(conn)?;
    let items = filtered()
        .order((postings::published_at.desc(), postings::id.desc()))
        .limit(i64::from(per_page))
        .offset(page.offset(per_page))
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?;
    Ok(Page { items, total })
}

/// How many public postings each employment type has, in the order of [`EmploymentType::ALL`].
pub fn public_counts_by_type(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<Vec<(EmploymentType, i64)>> {
    let rows: Vec<(String, i64)> = postings::table
        .filter(public_at(now))
        .group_by(postings::employment_type)
        .select((postings::employment_type, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(EmploymentType::ALL
        .iter()
        .map(|t| (*t, rows.iter().find(|(code, _)| code == t.code()).map_or(0, |(_, n)| *n)))
        .collect())
}

pub fn find_public(
    conn: &mut DbConnection,
    public_id: &PublicId,
    now: NaiveDateTime,
) -> DbResult<Option<(Posting, Employer)>> {
    Ok(postings::table
        .inner_join(employers::table)
        .filter(postings::public_id.eq(public_id.as_str()))
        .filter(public_at(now))
        .select((Posting::as_select(), Employer::as_select()))
        .first(conn)
        .optional()?)
}

/// Any posting by its public id, whatever its status, with its employer: the posting page
/// decides what to show (an ended posting stays at its address with a notice).
pub fn find_with_employer(conn: &mut DbConnection, public_id: &PublicId) -> DbResult<Option<(Posting, Employer)>> {
    Ok(postings::table
        .inner_join(employers::table)
        .filter(postings::public_id.eq(public_id.as_str()))
        .select((Posting::as_select(), Employer::as_select()))
        .first(conn)
        .optional()?)
}

/// An employer's other public postings, newest first, at most `limit`.
pub fn public_by_employer(
    conn: &mut DbConnection,
    employer_id: i32,
    except_posting_id: i32,
    now: NaiveDateTime,
    limit: i64,
) -> DbResult<Vec<Posting>> {
    Ok(postings::table
        .filter(public_at(now))
        .filter(postings::employer_id.eq(employer_id))
        .filter(postings::id.ne(except_posting_id))
        .order((postings::published_at.desc(), postings::id.desc()))
        .limit(limit)
        .select(Posting::as_select())
        .load(conn)?)
}

/// Public ids and last changes of public postings, most recently changed first, at most
/// `limit` (for the sitemap).
pub fn public_ids_updated(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> DbResult<Vec<(String, NaiveDateTime)>> {
    Ok(postings::table
        .filter(public_at(now))
        .order((postings::updated_at.desc(), postings::id.desc()))
        .limit(limit)
        .select((postings::public_id, postings::updated_at))
        .load(conn)?)
}

/// Who did something: a staff member of an organization, or Yui itself (`None`s).
#[derive(Debug, Clone, Copy, Default)]
pub struct Actor {
    pub staff_id: Option<i32>,
    pub organization_id: Option<i32>,
}

#[derive(Debug, Default)]
pub struct Reason<'a> {
    pub code: Option<&'a str>,
    pub text: Option<&'a str>,
}

/// Moves a posting through its status machine and writes the decision to the review log,
/// both or neither. `expected_version` is the version the actor saw: if someone else acted
/// in between, nothing changes and the caller gets [`DbError::Conflict`].
pub fn apply_action(
    conn: &mut DbConnection,
    posting_id: i32,
    expected_version: i32,
    action: PostingAction,
    actor: Actor,
    reason: Reason<'_>,
    now: NaiveDateTime,
) -> DbResult<Posting> {
    crate::transaction(conn, |conn| {
        let current: Posting = postings::table.find(posting_id).select(Posting::as_select()).first(conn)?;
        if current.version != expected_version {
            return Err(DbError::Conflict("the posting"));
        }
        let next = current.status.apply(action)?;
        let published_at = match next {
            PostingStatus::Published => Some(current.published_at.unwrap_or(now)),
            _ => current.published_at,
        };
        let changed = diesel::update(postings::table.find(posting_id).filter(postings::version.eq(expected_version)))
            .set((
                postings::status.eq(next.code()),
                postings::published_at.eq(published_at),
                postings::updated_at.eq(now),
                postings::version.eq(expected_version + 1),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Err(DbError::Conflict("the posting"));
        }
        let updated: Posting = postings::table.find(posting_id).select(Posting::as_select()).first(conn)?;
        diesel::insert_into(review_events::table)
            .values(NewReviewEvent {
                posting_id,
                actor_id: actor.staff_id,
                organization_id: actor.organization_id,
                action: action.code(),
                from_status: current.status.code(),
                to_status: next.code(),
                reason_code: reason.code,
                reason_text: reason.text,
                diff: None,
                created_at: now,
            })
            .execute(conn)?;
        Ok(updated)
    })
}

/// The review log of one posting, oldest first.
pub fn review_log(conn: &mut DbConnection, posting_id: i32) -> DbResult<Vec<ReviewEvent>> {
    Ok(review_events::table
        .filter(review_events::posting_id.eq(posting_id))
        .order((review_events::created_at.asc(), review_events::id.asc()))
        .select(ReviewEvent::as_select())
        .load(conn)?)
}

/// Postings seekers can see now (published, end not reached): the live count on banners.
pub fn count_public(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<i64> {
    Ok(postings::table
        .filter(postings::status.eq(PostingStatus::Published.code()))
        .filter(postings::valid_through.gt(now))
        .count()
        .get_result(conn)?)
}

pub fn count_all(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(postings::table.count().get_result(conn)?)
}

/// A posting's id, version, category and district.
pub type ChoiceValues = (i32, i32, Option<String>, Option<String>);

/// Every posting's [`ChoiceValues`], oldest first: what settling stored values to the
/// configured choices reads.
pub fn choice_values(conn: &mut DbConnection) -> DbResult<Vec<ChoiceValues>> {
    Ok(postings::table
        .order(postings::id.asc())
        .select((postings::id, postings::version, postings::category, postings::area))
        .load(conn)?)
}

pub fn find_by_id(conn: &mut DbConnection, id: i32) -> DbResult<Posting> {
    Ok(postings::table.find(id).select(Posting::as_select()).first(conn)?)
}

/// Moves a posting's end, so that tests can let time pass.
#[cfg(feature = "testing")]
pub fn set_valid_through(conn: &mut DbConnection, id: i32, end: NaiveDateTime) -> DbResult<()> {
    diesel::update(postings::table.find(id)).set(postings::valid_through.eq(end)).execute(conn)?;
    Ok(())
}

/// The employer's private manage link carries a token; only its SHA-256 is stored.
pub fn find_by_manage_token_hash(conn: &mut DbConnection, hash: &str) -> DbResult<Option<(Posting, Employer)>> {
    Ok(postings::table
        .inner_join(employers::table)
        .filter(postings::manage_token_hash.eq(hash))
        .select((Posting::as_select(), Employer::as_select()))
        .first(conn)
        .optional()?)
}

/// The working conditions stored beside a posting (`posting_terms`), in the form's codes, so
/// that a diff and a form read them like the posting's other fields.
#[derive(Debug, Clone, Default, PartialEq, Insertable, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = posting_terms)]
pub struct TermsContent {
    pub duties_scope: Option<String>,
    pub workplace_scope: Option<String>,
    pub contract: Option<String>,
    pub contract_length: Option<String>,
    pub renewal: Option<String>,
    pub renewal_limit: Option<String>,
    pub trial: Option<String>,
    pub trial_conditions: Option<String>,
    pub breaks: Option<String>,
    pub overtime: Option<String>,
    pub overtime_hours: Option<i32>,
    pub fixed_overtime: Option<String>,
    pub fixed_overtime_pay: Option<i64>,
    pub fixed_overtime_hours: Option<i32>,
}

impl TermsContent {
    pub fn from_terms(t: &WorkingTerms) -> Self {
        let TermsInput {
            duties_scope,
            workplace_scope,
            contract,
            contract_length,
            renewal,
            renewal_limit,
            trial,
            trial_conditions,
            breaks,
            overtime,
            overtime_hours,
            fixed_overtime,
            fixed_overtime_pay,
            fixed_overtime_hours,
        } = t.to_input();
        let text = |s: String| (!s.is_empty()).then_some(s);
        let hours = |h: Option<i64>| h.and_then(|h| i32::try_from(h).ok());
        TermsContent {
            duties_scope: text(duties_scope),
            workplace_scope: text(workplace_scope),
            contract: text(contract),
            contract_length: text(contract_length),
            renewal: text(renewal),
            renewal_limit: text(renewal_limit),
            trial: text(trial),
            trial_conditions: text(trial_conditions),
            breaks: text(breaks),
            overtime: text(overtime),
            overtime_hours: hours(overtime_hours),
            fixed_overtime: text(fixed_overtime),
            fixed_overtime_pay,
            fixed_overtime_hours: hours(fixed_overtime_hours),
        }
    }

    /// The stored terms as the domain reads them; a value that no longer parses (a code since
    /// retired) reads as not stated, so the check names it rather than the page failing.
    pub fn terms(&self) -> WorkingTerms {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let input = TermsInput {
            duties_scope: text(&self.duties_scope),
            workplace_scope: text(&self.workplace_scope),
            contract: text(&self.contract),
            contract_length: text(&self.contract_length),
            renewal: text(&self.renewal),
            renewal_limit: text(&self.renewal_limit),
            trial: text(&self.trial),
            trial_conditions: text(&self.trial_conditions),
            breaks: text(&self.breaks),
            overtime: text(&self.overtime),
            overtime_hours: self.overtime_hours.map(i64::from),
            fixed_overtime: text(&self.fixed_overtime),
            fixed_overtime_pay: self.fixed_overtime_pay,
            fixed_overtime_hours: self.fixed_overtime_hours.map(i64::from),
        };
        WorkingTerms::parse(&input).unwrap_or_default()
    }
}

#[derive(Insertable)]
#[diesel(table_name = posting_terms)]
struct TermsRow {
    posting_id: i32,
    #[diesel(embed)]
    terms: TermsContent,
}

/// A posting's working conditions (all unstated when it has no row: postings from before).
pub fn terms_of(conn: &mut DbConnection, posting_id: i32) -> DbResult<TermsContent> {
    Ok(posting_terms::table
        .find(posting_id)
        .select(TermsContent::as_select())
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

/// Writes a posting's working conditions; the row goes when nothing is stated. Delete and
/// insert rather than an upsert: the caller's transaction makes it one change on both backends.
fn replace_terms(conn: &mut DbConnection, posting_id: i32, terms: &TermsContent) -> DbResult<()> {
    diesel::delete(posting_terms::table.find(posting_id)).execute(conn)?;
    if *terms != TermsContent::default() {
        diesel::insert_into(posting_terms::table)
            .values(TermsRow { posting_id, terms: terms.clone() })
            .execute(conn)?;
    }
    Ok(())
}

/// A side job's or project's terms as stored beside the posting (`posting_projects`), in the
/// form's codes, so that a diff and a form read them like the posting's other fields.
#[derive(Debug, Clone, Default, PartialEq, Insertable, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = posting_projects)]
pub struct ProjectContent {
    pub hours_per_month: Option<i32>,
    pub duration_months: Option<i32>,
    pub visits: Option<String>,
    pub remote_share: Option<i32>,
    pub travel_support: Option<String>,
    pub reward: Option<String>,
    pub coordinator: Option<String>,
}

impl ProjectContent {
    pub fn from_terms(t: &ProjectTerms) -> Self {
        let i = t.to_input();
        let text = |s: String| (!s.is_empty()).then_some(s);
        let number = |n: Option<i64>| n.and_then(|n| i32::try_from(n).ok());
        ProjectContent {
            hours_per_month: number(i.hours_per_month),
            duration_months: number(i.duration_months),
            visits: text(i.visits),
            remote_share: number(i.remote_share),
            travel_support: text(i.travel_support),
            reward: text(i.reward),
            coordinator: text(i.coordinator),
        }
    }

    /// The stored terms as the domain reads them; a value that no longer parses reads as none.
    pub fn terms(&self) -> ProjectTerms {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let input = ProjectInput {
            hours_per_month: self.hours_per_month.map(i64::from),
            duration_months: self.duration_months.map(i64::from),
            visits: text(&self.visits),
            remote_share: self.remote_share.map(i64::from),
            travel_support: text(&self.travel_support),
            reward: text(&self.reward),
            coordinator: text(&self.coordinator),
        };
        ProjectTerms::parse(&input).unwrap_or_default()
    }
}

#[derive(Insertable)]
#[diesel(table_name = posting_projects)]
struct ProjectRow {
    posting_id: i32,
    #[diesel(embed)]
    project: ProjectContent,
}

/// A posting's project terms (none stated when it has no row).
pub fn project_of(conn: &mut DbConnection, posting_id: i32) -> DbResult<ProjectContent> {
    Ok(posting_projects::table
        .find(posting_id)
        .select(ProjectContent::as_select())
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

/// The project terms of many postings at once (a page of cards); postings without are absent.
pub fn projects_by_posting(conn: &mut DbConnection, ids: &[i32]) -> DbResult<HashMap<i32, ProjectTerms>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, ProjectContent)> = posting_projects::table
        .filter(posting_projects::posting_id.eq_any(ids))
        .select((posting_projects::posting_id, ProjectContent::as_select()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, c)| (id, c.terms())).filter(|(_, t)| !t.is_empty()).collect())
}

/// Writes a posting's project terms; the row goes when nothing is stated.
fn replace_project(conn: &mut DbConnection, posting_id: i32, project: &ProjectContent) -> DbResult<()> {
    diesel::delete(posting_projects::table.find(posting_id)).execute(conn)?;
    if *project != ProjectContent::default() {
        diesel::insert_into(posting_projects::table)
            .values(ProjectRow { posting_id, project: project.clone() })
            .execute(conn)?;
    }
    Ok(())
}

/// A posting's conditions ([`yui_domain::Condition`] codes) in the list's order; codes no longer
/// on the list are left out.
pub fn conditions_of(conn: &mut DbConnection, posting_id: i32) -> DbResult<Vec<String>> {
    let codes: Vec<String> = posting_conditions::table
        .filter(posting_conditions::posting_id.eq(posting_id))
        .select(posting_conditions::code)
        .load(conn)?;
    Ok(Conditions::lenient(&codes).codes())
}

/// The conditions of many postings at once (a page of cards), each in the list's order.
pub fn conditions_by_posting(conn: &mut DbConnection, ids: &[i32]) -> DbResult<HashMap<i32, Vec<String>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String)> = posting_conditions::table
        .filter(posting_conditions::posting_id.eq_any(ids))
        .select((posting_conditions::posting_id, posting_conditions::code))
        .load(conn)?;
    let mut by_id: HashMap<i32, Vec<String>> = HashMap::new();
    for (id, code) in rows {
        by_id.entry(id).or_default().push(code);
    }
    Ok(by_id.into_iter().map(|(id, codes)| (id, Conditions::lenient(&codes).codes())).collect())
}

/// Writes a posting's conditions: delete and insert, one change in the caller's transaction.
fn replace_conditions(conn: &mut DbConnection, posting_id: i32, codes: &[String]) -> DbResult<()> {
    diesel::delete(posting_conditions::table.filter(posting_conditions::posting_id.eq(posting_id))).execute(conn)?;
    // One row at a time: a batch insert does not compile through the two-backend connection.
    for code in codes {
        diesel::insert_into(posting_conditions::table)
            .values((posting_conditions::posting_id.eq(posting_id), posting_conditions::code.eq(code.as_str())))
            .execute(conn)?;
    }
    Ok(())
}

/// A posting's content: what an editor or the employer may change. Compared field by field
/// for the review log's diff.
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, serde::Serialize)]
#[diesel(table_name = postings, treat_none_as_null = true)]
pub struct PostingContent {
    pub title: String,
    pub description: String,
    pub employment_type: String,
    pub category: Option<String>,
    pub prefecture: String,
    pub municipality: String,
    pub area: Option<String>,
    pub address: Option<String>,
    pub remote: String,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_unit: Option<String>,
    pub hours: Option<String>,
    pub holidays: Option<String>,
    pub insurance: Option<String>,
    pub trial_period: Option<String>,
    pub smoking: Option<String>,
    pub requirements: Option<String>,
    pub how_to_apply: String,
    pub valid_through: NaiveDateTime,
    /// Kept in `posting_terms`; written by [`insert`] and [`update_content`].
    #[serde(flatten)]
    #[diesel(skip_insertion, skip_update)]
    pub terms: TermsContent,
    /// Kept in `posting_projects`; written like the terms.
    #[serde(flatten)]
    #[diesel(skip_insertion, skip_update)]
    pub project: ProjectContent,
    /// Condition codes, kept in `posting_conditions`; in the review log's diff like any field.
    #[diesel(skip_insertion, skip_update)]
    pub conditions: Vec<String>,
}

impl PostingContent {
    /// `default_end` stands in when the draft names no last day.
    pub fn from_draft(draft: PostingDraft, default_end: NaiveDateTime) -> Self {
        let salary = draft.salary;
        PostingContent {
            title: draft.title.into_string(),
            description: draft.description.into_string(),
            employment_type: draft.employment_type.code().to_owned(),
            category: draft.category,
            prefecture: draft.prefecture,
            municipality: draft.municipality,
            area: draft.area,
            address: draft.address,
            remote: draft.remote.code().to_owned(),
            salary_min: salary.and_then(|s| s.min()).map(|y| y.get()),
            salary_max: salary.and_then(|s| s.max()).map(|y| y.get()),
            salary_unit: salary.map(|s| s.unit().code().to_owned()),
            hours: draft.hours,
            holidays: draft.holidays,
            insurance: draft.insurance,
            trial_period: draft.trial_period,
            smoking: draft.smoking,
            requirements: draft.requirements,
            how_to_apply: draft.how_to_apply.into_string(),
            valid_through: draft.valid_through.map(end_of_day_utc).unwrap_or(default_end),
            terms: TermsContent::from_terms(&draft.terms),
            project: ProjectContent::from_terms(&draft.project),
            conditions: draft.conditions.codes(),
        }
    }

    /// A stored posting's content, its working conditions included.
    pub fn load(conn: &mut DbConnection, p: &Posting) -> DbResult<Self> {
        Ok(PostingContent::of(p, terms_of(conn, p.id)?, project_of(conn, p.id)?, conditions_of(conn, p.id)?))
    }

    pub fn of(p: &Posting, terms: TermsContent, project: ProjectContent, conditions: Vec<String>) -> Self {
        PostingContent {
            title: p.title.clone(),
            description: p.description.clone(),
            employment_type: p.employment_type.code().to_owned(),
            category: p.category.clone(),
            prefecture: p.prefecture.clone(),
            municipality: p.municipality.clone(),
            area: p.area.clone(),
            address: p.address.clone(),
            remote: p.remote.code().to_owned(),
            salary_min: p.salary_min,
            salary_max: p.salary_max,
            salary_unit: p.salary_unit.clone(),
            hours: p.hours.clone(),
            holidays: p.holidays.clone(),
            insurance: p.insurance.clone(),
            trial_period: p.trial_period.clone(),
            smoking: p.smoking.clone(),
            requirements: p.requirements.clone(),
            how_to_apply: p.how_to_apply.clone(),
            valid_through: p.valid_through,
            terms,
            project,
            conditions,
        }
    }

    /// `{"field": {"from": old, "to": new}}` for every field that differs.
    pub fn diff(&self, new: &PostingContent) -> serde_json::Map<String, serde_json::Value> {
        let (old, new) =
            (serde_json::to_value(self).unwrap_or_default(), serde_json::to_value(new).unwrap_or_default());
        let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
            return serde_json::Map::new();
        };
        old.iter()
            .filter(|(k, v)| new.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), serde_json::json!({"from": v, "to": new.get(k)})))
            .collect()
    }
}

/// Replaces a posting's content (an editor's edit, or the employer's through their link) if
/// nobody changed it since `expected_version`, and appends an event `action` ("edit" or
/// "employer_edit") with the field diff. The status does not change. Returns the posting and
/// the diff (empty when nothing changed: then nothing is written).
pub fn update_content(
    conn: &mut DbConnection,
    posting_id: i32,
    expected_version: i32,
    content: &PostingContent,
    action: &'static str,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<(Posting, serde_json::Map<String, serde_json::Value>)> {
    crate::transaction(conn, |conn| {
        let current: Posting = postings::table.find(posting_id).select(Posting::as_select()).first(conn)?;
        if current.version != expected_version {
            return Err(DbError::Conflict("the posting"));
        }
        let diff = PostingContent::load(conn, &current)?.diff(content);
        if diff.is_empty() {
            return Ok((current, diff));
        }
        let changed = diesel::update(postings::table.find(posting_id).filter(postings::version.eq(expected_version)))
            .set((content, postings::updated_at.eq(now), postings::version.eq(expected_version + 1)))
            .execute(conn)?;
        if changed == 0 {
            return Err(DbError::Conflict("the posting"));
        }
        replace_terms(conn, posting_id, &content.terms)?;
        replace_project(conn, posting_id, &content.project)?;
        replace_conditions(conn, posting_id, &content.conditions)?;
        let diff_text = serde_json::Value::Object(diff.clone()).to_string();
        diesel::insert_into(review_events::table)
            .values(NewReviewEvent {
                posting_id,
                actor_id: actor.staff_id,
                organization_id: actor.organization_id,
                action,
                from_status: current.status.code(),
                to_status: current.status.code(),
                reason_code: None,
                reason_text: None,
                diff: Some(&diff_text),
                created_at: now,
            })
            .execute(conn)?;
        let updated: Posting = postings::table.find(posting_id).select(Posting::as_select()).first(conn)?;
        Ok((updated, diff))
    })
}

/// A new private link for the employer: only the hash is kept, so each mail that carries the
/// link carries a fresh one, and the older links stop working.
pub fn set_manage_token_hash(conn: &mut DbConnection, posting_id: i32, hash: &str) -> DbResult<()> {
    diesel::update(postings::table.find(posting_id)).set(postings::manage_token_hash.eq(hash)).execute(conn)?;
    Ok(())
}

/// Extends a published posting to `new_end` (the caller computes it), if nobody changed it
/// since `expected_version`: the version goes up, the reminder is cleared so the next period
/// gets its own, and an event "renew" with the old and new end is appended. Both or neither.
pub fn renew(
    conn: &mut DbConnection,
    posting_id: i32,
    expected_version: i32,
    new_end: NaiveDateTime,
    now: NaiveDateTime,
) -> DbResult<Posting> {
    crate::transaction(conn, |conn| {
        let current: Posting = postings::table.find(posting_id).select(Posting::as_select()).first(conn)?;
        if current.version != expected_version {
            return Err(DbError::Conflict("the posting"));
        }
        if current.status != PostingStatus::Published {
            return Err(DbError::Invalid(format!("a posting that is {} cannot be renewed", current.status)));
        }
        let changed = diesel::update(postings::table.find(posting_id).filter(postings::version.eq(expected_version)))
            .set((
                postings::valid_through.eq(new_end),
                postings::reminder_sent_at.eq(None::<NaiveDateTime>),
                postings::updated_at.eq(now),
                postings::version.eq(expected_version + 1),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Err(DbError::Conflict("the posting"));
        }
        let diff = serde_json::json!({"valid_through": {"from": current.valid_through, "to": new_end}}).to_string();
        diesel::insert_into(review_events::table)
            .values(NewReviewEvent {
                posting_id,
                actor_id: None,
                organization_id: None,
                action: "renew",
                from_status: current.status.code(),
                to_status: current.status.code(),
                reason_code: None,
                reason_text: None,
                diff: Some(&diff),
                created_at: now,
            })
            .execute(conn)?;
        Ok(postings::table.find(posting_id).select(Posting::as_select()).first(conn)?)
    })
}

/// Expires every published posting whose end has come (`valid_through <= now`), each with its
/// own version check and review event (Yui itself, no reason). A posting someone changed in
/// the meantime is skipped: the next run sees it again. Returns the public ids expired.
pub fn expire_due(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<Vec<String>> {
    let due: Vec<(i32, i32, String)> = postings::table
        .filter(postings::status.eq(PostingStatus::Published.code()))
        .filter(postings::valid_through.le(now))
        .order(postings::id.asc())
        .select((postings::id, postings::version, postings::public_id))
        .load(conn)?;
    let mut expired = Vec::with_capacity(due.len());
    for (id, version, public_id) in due {
        match apply_action(conn, id, version, PostingAction::Expire, Actor::default(), Reason::default(), now) {
            Ok(_) => expired.push(public_id),
            Err(DbError::Conflict(_) | DbError::Transition(_)) => {
                log::info!("posting {public_id} changed while expiring it; left for the next run");
            }
            Err(e) => return Err(e),
        }
    }
    Ok(expired)
}

/// How long before its end a published posting's employer is reminded.
pub const REMINDER_DAYS: i64 = 7;

/// Published postings that end within [`REMINDER_DAYS`] (and have not ended yet) whose
/// employer was not reminded in this period, soonest end first.
pub fn due_for_reminder(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<Vec<(Posting, Employer)>> {
    Ok(postings::table
        .inner_join(employers::table)
        .filter(public_at(now))
        .filter(postings::valid_through.le(now + chrono::Duration::days(REMINDER_DAYS)))
        .filter(postings::reminder_sent_at.is_null())
        .order((postings::valid_through.asc(), postings::id.asc()))
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?)
}

/// Records the reminder as sent, unless it already was: false when another run got there
/// first (call it first in the transaction that queues the mail, so one mail goes out).
pub fn mark_reminded(conn: &mut DbConnection, posting_id: i32, now: NaiveDateTime) -> DbResult<bool> {
    let changed = diesel::update(postings::table.find(posting_id).filter(postings::reminder_sent_at.is_null()))
        .set(postings::reminder_sent_at.eq(Some(now)))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The employer's answer to "did the hire come through Yui?". Only a filled or closed
/// posting takes one; returns false (and changes nothing) for any other.
pub fn set_hired_via_yui(conn: &mut DbConnection, posting_id: i32, hired: bool) -> DbResult<bool> {
    let changed = diesel::update(
        postings::table
            .find(posting_id)
            .filter(postings::status.eq_any([PostingStatus::Filled.code(), PostingStatus::Closed.code()])),
    )
    .set(postings::hired_via_yui.eq(Some(hired)))
    .execute(conn)?;
    Ok(changed == 1)
}
