//! The outbox: every email Yui sends is first a row here, written in the same transaction as
//! the change it reports (a posting and its notifications commit together, or neither does).
//! A worker (`yui_mail::deliver_due`) claims due rows, sends them and marks them.
//!
//! Claims are leases, safe with several Yui instances on one PostgreSQL: a claim moves
//! `next_attempt_at` to `now + lease` with a compare-and-set, so exactly one claimer wins, and
//! a worker that dies mid-send leaves a claim that simply expires: the mail is retried, never
//! lost. Delivery is therefore at-least-once. Message bodies are never logged.

use crate::schema::outbox_emails;
use crate::{DbConnection, DbError, DbResult};
use chrono::{Duration, NaiveDateTime, SubsecRound};
use diesel::prelude::*;

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
    /// `pending`, `sent` or `failed` (see [`OutboxStatus`]).
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for (another) attempt, or claimed by a worker right now.
    Pending,
    Sent,
    /// Given up on: no more attempts.
    Failed,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 3] = [OutboxStatus::Pending, OutboxStatus::Sent, OutboxStatus::Failed];

    pub fn code(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    #[cfg(feature = "testing")]
    pub fn parse(code: &str) -> Option<OutboxStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// An email to send. Addresses are plain `local@domain` strings (validate them with
/// `yui_domain::EmailAddress` before); the display name of the sender comes from `mail.from`.
#[derive(Debug, Clone, Copy)]
pub struct NewEmail<'a> {
    /// One or more recipients, all shown in To.
    pub to: &'a [&'a str],
    pub reply_to: Option<&'a str>,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    /// Extra headers (name, value), e.g. `List-Unsubscribe`; most emails have none (`&[]`).
    pub headers: &'a [(&'a str, &'a str)],
}

/// The longest `last_error` kept, in characters.
const MAX_ERROR_CHARS: usize = 1000;

fn invalid(message: impl Into<String>) -> DbError {
    DbError::Invalid(format!("outbox: {}", message.into()))
}

fn check_address(address: &str) -> DbResult<()> {
    let bad = address.is_empty()
        || !address.contains('@')
        || address.chars().any(|c| c == ',' || c.is_whitespace() || c.is_control());
    if bad {
        return Err(invalid(format!("{address:?} is not a single mail address")));
    }
    Ok(())
}

/// Adds an email to the outbox, due at once. Call it inside the caller's transaction
/// ([`crate::transaction`]) so the email commits with the change it reports. Returns its id.
pub fn enqueue(conn: &mut DbConnection, email: &NewEmail<'_>) -> DbResult<i32> {
    if email.to.is_empty() {
        return Err(invalid("an email needs at least one recipient"));
    }
    for address in email.to.iter().chain(email.reply_to.iter()) {
        check_address(address)?;
    }
    if email.subject.contains(['\r', '\n']) {
        return Err(invalid("the subject contains a line break"));
    }
    for (name, value) in email.headers {
        let bad_name = name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if bad_name || value.contains(['\r', '\n']) {
            return Err(invalid(format!("the header {name:?} is not a single header line")));
        }
    }
    let headers = (!email.headers.is_empty()).then(|| {
        let map: serde_json::Map<String, serde_json::Value> =
            email.headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).into())).collect();
        serde_json::Value::Object(map).to_string()
    });
    let recipients = email.to.join(", ");
    let now = crate::now().trunc_subsecs(6);
    let row = NewOutboxEmail {
        recipients: &recipients,
        reply_to: email.reply_to,
        subject: email.subject,
        body_text: email.body_text,
        body_html: email.body_html,
        status: OutboxStatus::Pending.code(),
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        headers: headers.as_deref(),
    };
    let id: i32 =
        diesel::insert_into(outbox_emails::table).values(&row).returning(outbox_emails::id).get_result(conn)?;
    log::info!("outbox: email {id} queued for {} recipient(s)", email.to.len());
    Ok(id)
}

/// Claims up to `limit` due pending emails for `lease`: each claimed row gets one more attempt
/// and `next_attempt_at = now + lease`, so no other worker claims it until the lease ends.
/// Claim outside a transaction, so each claim is visible to other workers at once.
///
/// Safe with concurrent claimers: each row is taken with a compare-and-set on the values just
/// read, and only rows this call changed are returned. The lease must outlast sending a batch;
/// if it does not, the email may be sent twice, never lost.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> DbResult<Vec<OutboxEmail>> {
    let due: Vec<OutboxEmail> = outbox_emails::table
        .filter(outbox_emails::status.eq(OutboxStatus::Pending.code()))
        .filter(outbox_emails::next_attempt_at.le(now))
        .order((outbox_emails::next_attempt_at.asc(), outbox_emails::id.asc()))
        .limit(limit)
        .select(OutboxEmail::as_select())
        .load(conn)?;
    // PostgreSQL keeps microseconds: cut here too, so the rows returned match the rows stored.
    let until = (now + lease).trunc_subsecs(6);
    let mut claimed = Vec::with_capacity(due.len());
    for mut email in due {
        let changed = diesel::update(
            outbox_emails::table
                .find(email.id)
                .filter(outbox_emails::status.eq(OutboxStatus::Pending.code()))
                .filter(outbox_emails::next_attempt_at.eq(email.next_attempt_at))
                .filter(outbox_emails::attempts.eq(email.attempts)),
        )
        .set((outbox_emails::next_attempt_at.eq(until), outbox_emails::attempts.eq(outbox_emails::attempts + 1)))
        .execute(conn)?;
        if changed == 1 {
            email.attempts += 1;
            email.next_attempt_at = until;
            claimed.push(email);
        }
    }
    Ok(claimed)
}

/// Records a successful delivery.
pub fn mark_sent(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> DbResult<()> {
    diesel::update(outbox_emails::table.find(id).filter(outbox_emails::status.eq(OutboxStatus::Pending.code())))
        .set((outbox_emails::status.eq(OutboxStatus::Sent.code()), outbox_emails::sent_at.eq(Some(now))))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt: with `retry_at` the email stays pending and is due again then;
/// with `None` it is given up on for good (status `failed`). `error` is kept on one line,
/// shortened; it must not contain the message body.
pub fn mark_failed(conn: &mut DbConnection, id: i32, error: &str, retry_at: Option<NaiveDateTime>) -> DbResult<()> {
    let mut error = error.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = error.char_indices().nth(MAX_ERROR_CHARS) {
        error.truncate(cut);
        error.push('…');
    }
    let target = outbox_emails::table.find(id).filter(outbox_emails::status.eq(OutboxStatus::Pending.code()));
    match retry_at {
        Some(at) => diesel::update(target)
            .set((outbox_emails::last_error.eq(Some(&error)), outbox_emails::next_attempt_at.eq(at)))
            .execute(conn)?,
        None => diesel::update(target)
            .set((outbox_emails::last_error.eq(Some(&error)), outbox_emails::status.eq(OutboxStatus::Failed.code())))
            .execute(conn)?,
    };
    Ok(())
}

#[cfg(feature = "testing")]
pub fn find_by_id(conn: &mut DbConnection, id: i32) -> DbResult<OutboxEmail> {
    Ok(outbox_emails::table.find(id).select(OutboxEmail::as_select()).first(conn)?)
}

/// The newest emails first.
#[cfg(feature = "testing")]
pub fn list_recent(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<OutboxEmail>> {
    Ok(outbox_emails::table
        .order((outbox_emails::created_at.desc(), outbox_emails::id.desc()))
        .limit(limit)
        .select(OutboxEmail::as_select())
        .load(conn)?)
}

#[cfg(feature = "testing")]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

#[cfg(feature = "testing")]
pub fn count_by_status(conn: &mut DbConnection) -> DbResult<StatusCounts> {
    let rows: Vec<(String, i64)> = outbox_emails::table
        .group_by(outbox_emails::status)
        .select((outbox_emails::status, diesel::dsl::count_star()))
        .load(conn)?;
    let mut counts = StatusCounts::default();
    for (status, n) in rows {
        match OutboxStatus::parse(&status) {
            Some(OutboxStatus::Pending) => counts.pending = n,
            Some(OutboxStatus::Sent) => counts.sent = n,
            Some(OutboxStatus::Failed) => counts.failed = n,
            None => {}
        }
    }
    Ok(counts)
}

/// Message bodies are kept only as long as delivery needs them: a day after an email was sent
/// its text and HTML are blanked (a seeker's message to an employer included). Who was written
/// to, when, and whether it arrived stay. Returns how many were blanked.
pub fn forget_sent_bodies(conn: &mut DbConnection, sent_before: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::update(
        outbox_emails::table
            .filter(outbox_emails::status.eq(OutboxStatus::Sent.code()))
            .filter(outbox_emails::sent_at.le(sent_before))
            .filter(outbox_emails::body_text.ne("")),
    )
    .set((outbox_emails::body_text.eq(""), outbox_emails::body_html.eq(None::<String>)))
    .execute(conn)?)
}
