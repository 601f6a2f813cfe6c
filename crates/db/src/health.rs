use crate::schema::__diesel_schema_migrations;
use crate::{DbConnection, DbResult};
use diesel::prelude::*;

/// How many migrations the database has applied: also proves the database answers.
pub fn migrations_applied(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(__diesel_schema_migrations::table.count().get_result(conn)?)
}

/// What waits for someone, for the metrics: read at each scrape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Emails in the outbox not yet sent nor given up on.
    pub outbox_pending: i64,
    /// When the oldest of them was queued.
    pub oldest_pending_mail: Option<chrono::NaiveDateTime>,
    /// Postings waiting for an editor's decision.
    pub review_pending: i64,
    /// When the oldest of them was created (the queue serves the oldest first).
    pub oldest_pending_posting: Option<chrono::NaiveDateTime>,
}

pub fn backlog(conn: &mut DbConnection) -> DbResult<Backlog> {
    use crate::outbox::OutboxStatus;
    use crate::schema::{outbox_emails, postings};
    use diesel::dsl::{count_star, min};
    let (outbox_pending, oldest_pending_mail) = outbox_emails::table
        .filter(outbox_emails::status.eq(OutboxStatus::Pending.code()))
        .select((count_star(), min(outbox_emails::created_at)))
        .get_result(conn)?;
    let (review_pending, oldest_pending_posting) = postings::table
        .filter(postings::status.eq(yui_domain::PostingStatus::Pending.code()))
        .select((count_star(), min(postings::created_at)))
        .get_result(conn)?;
    Ok(Backlog { outbox_pending, oldest_pending_mail, review_pending, oldest_pending_posting })
}
