//! Row structs as the database returns them, with `New*` structs beside them for inserts.
use crate::schema::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use yui_domain::{EmploymentType, PostingStatus, RemoteMode, Salary, SalaryUnit, StaffRole, Yen};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = organizations)]
pub struct NewOrganization<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = staff_users)]
pub struct StaffUser {
    pub id: i32,
    pub organization_id: i32,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    #[diesel(deserialize_as = String)]
    pub role: StaffRole,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = staff_users)]
pub struct NewStaffUser<'a> {
    pub organization_id: i32,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'static str,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = employers)]
pub struct Employer {
    pub id: i32,
    pub name: String,
    pub contact_name: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub organization_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = employers)]
pub struct NewEmployer<'a> {
    pub name: &'a str,
    pub contact_name: Option<&'a str>,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub website: Option<&'a str>,
    pub industry: Option<&'a str>,
    pub organization_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

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
    pub content: crate::postings::PostingContent,
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

/// One email in the outbox. `Debug` leaves the bodies out, so a stray `{:?}` never logs them.
#[derive(Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = outbox_emails)]
pub struct OutboxEmail {
    pub id: i32,
    /// Comma-separated addresses, all shown in To.
    pub recipients: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// `pending`, `sent` or `failed` (see `yui_db::outbox::OutboxStatus`).
    pub status: String,
    /// Claims so far, the current one included.
    pub attempts: i32,
    /// When it is due; while a worker holds it, when that worker's claim expires.
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// Extra headers as a JSON object of name → value (see [`OutboxEmail::header_list`]).
    pub headers: Option<String>,
}

impl OutboxEmail {
    /// The extra headers, in name order; an unreadable value gives none (the worker never fails on it).
    pub fn header_list(&self) -> Vec<(String, String)> {
        self.headers
            .as_deref()
            .and_then(|h| serde_json::from_str::<std::collections::BTreeMap<String, String>>(h).ok())
            .map(|m| m.into_iter().collect())
            .unwrap_or_default()
    }

    /// The addresses of `recipients`, trimmed, empty entries dropped.
    pub fn recipient_list(&self) -> impl Iterator<Item = &str> {
        self.recipients.split(',').map(str::trim).filter(|a| !a.is_empty())
    }
}

impl std::fmt::Debug for OutboxEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxEmail")
            .field("id", &self.id)
            .field("recipients", &self.recipients)
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("last_error", &self.last_error)
            .field("created_at", &self.created_at)
            .field("sent_at", &self.sent_at)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox_emails)]
pub struct NewOutboxEmail<'a> {
    pub recipients: &'a str,
    pub reply_to: Option<&'a str>,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    pub status: &'static str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub headers: Option<&'a str>,
}
