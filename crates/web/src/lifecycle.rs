//! A posting's life after publication, as Yui runs it by itself: postings whose end has come
//! are expired, and a week before the end the employer gets a reminder with a fresh private
//! link, where one click on 「掲載を延長する」 renews the listing. `yui serve` runs
//! [`run_once`] every few minutes; `yui expire` runs the expiry once.

use crate::intake::{self, Context};
use chrono::{Duration, NaiveDateTime};
use yui_db::{DbConnection, DbResult};
use yui_mail::letters::employer::ExpiryReminder;
use yui_mail::letters::succession_pool::PoolReminder;
use yui_mail::MailError;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Public ids of the postings expired.
    pub expired: Vec<String>,
    /// Public ids of the postings whose employer was reminded.
    pub reminded: Vec<String>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.expired.is_empty() && self.reminded.is_empty()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} expired, {} reminded", self.expired.len(), self.reminded.len())
    }
}

/// One pass: expire what has ended, then remind the employers of what ends within a week.
pub fn run_once(conn: &mut DbConnection, ctx: Context<'_>, now: NaiveDateTime) -> DbResult<Report> {
    let expired = yui_db::postings::expire_due(conn, now)?;
    let reminded = send_reminders(conn, ctx, now)?;
    yui_db::sessions::prune(conn, now)?;
    yui_db::rate_limits::prune(conn, now)?;
    yui_db::password_resets::prune(conn, now)?;
    yui_db::outbox::forget_sent_bodies(conn, now - Duration::days(1))?;
    let purged = yui_db::campaigns::purge_ended(conn, ctx.settings.campaigns.retention_days, now)?;
    if purged > 0 {
        log::info!("campaigns: {purged} entries deleted, their campaigns ended over the retention period ago");
    }
    let closed = yui_db::succession_requests::purge_closed(conn, ctx.settings.succession.request_retention_days, now)?;
    if closed > 0 {
        log::info!("succession: {closed} closed owners' requests deleted after the retention period");
    }
    let succession = &ctx.settings.succession;
    let unconfirmed = yui_db::succession_pool::purge_unconfirmed(conn, succession.pool_unconfirmed_hours, now)?;
    let expired_entries = yui_db::succession_pool::purge_expired(conn, now)?;
    if unconfirmed + expired_entries > 0 {
        log::info!("succession pool: {unconfirmed} unconfirmed and {expired_entries} expired entries deleted");
    }
    remind_pool_entries(conn, ctx, now)?;
    Ok(Report { expired, reminded })
}

/// Mails every takeover-pool entry's author whose entry ends within two weeks and who was not
/// reminded since confirming or renewing: per entry, one transaction records the reminder with
/// fresh renew and withdraw links and queues the mail. An entry whose mail cannot be queued is
/// logged by number and tried again on the next pass. Returns how many were reminded.
pub fn remind_pool_entries(conn: &mut DbConnection, ctx: Context<'_>, now: NaiveDateTime) -> DbResult<usize> {
    let base = &ctx.settings.site.base_url;
    let mut reminded = 0;
    for entry in yui_db::succession_pool::due_for_reminder(conn, now)? {
        let sent = yui_db::transaction(conn, |conn| {
            let (renew, withdraw) = (crate::tokens::random_token(), crate::tokens::random_token());
            let (renew_hash, withdraw_hash) = (crate::tokens::hash_token(&renew), crate::tokens::hash_token(&withdraw));
            if !yui_db::succession_pool::mark_reminded(conn, entry.id, &renew_hash, &withdraw_hash, now)? {
                return Ok(false);
            }
            let last_day = entry.expires_at.unwrap_or(now) - Duration::seconds(1);
            let reminder = PoolReminder {
                name: &entry.name,
                last_day: &crate::views::date(last_day, crate::i18n::Lang::from_code(&entry.lang)),
                renew_url: &format!("{base}/succession/pool/renew/{renew}"),
                withdraw_url: &format!("{base}/succession/pool/withdraw/{withdraw}"),
                pool_days: ctx.settings.succession.pool_days,
            };
            let lang = yui_mail::Lang::from_code(&entry.lang);
            ctx.letters.succession_pool_reminder(conn, &entry.email, lang, &reminder)?;
            Ok::<_, MailError>(true)
        });
        match sent {
            Ok(true) => reminded += 1,
            Ok(false) => {}
            Err(e) => log::error!("succession pool entry {}: the reminder could not be queued: {e}", entry.id),
        }
    }
    if reminded > 0 {
        log::info!("succession pool: {reminded} entries end soon, their authors were reminded");
    }
    Ok(reminded)
}

/// Mails every employer whose listing ends within a week and who was not reminded in this
/// period: per posting, one transaction records the reminder, issues a fresh private link
/// (older links stop working) and queues the mail. A posting whose mail cannot be queued is
/// logged and tried again on the next pass; the others go on.
pub fn send_reminders(conn: &mut DbConnection, ctx: Context<'_>, now: NaiveDateTime) -> DbResult<Vec<String>> {
    let due = yui_db::postings::due_for_reminder(conn, now)?;
    let mut reminded = Vec::with_capacity(due.len());
    for (posting, employer) in due {
        let sent = yui_db::transaction(conn, |conn| {
            // Hello Work's offices have no address to write to: their postings end with the export.
            let Some(to) = yui_db::employers::mail_address(conn, &employer)? else {
                return Ok(false);
            };
            if !yui_db::postings::mark_reminded(conn, posting.id, now)? {
                return Ok(false);
            }
            let manage_url = intake::new_manage_link(conn, ctx, posting.id)?;
            let last_day = crate::views::date(posting.valid_through - Duration::seconds(1), crate::i18n::Lang::Ja);
            let reminder = ExpiryReminder {
                employer_name: &employer.name,
                contact_name: employer.contact_name.as_deref(),
                title: &posting.title,
                last_day: &last_day,
                manage_url: &manage_url,
                renew_days: ctx.settings.default_valid_days,
            };
            ctx.letters.expiry_reminder(conn, &to, &reminder)?;
            Ok::<_, MailError>(true)
        });
        match sent {
            Ok(true) => {
                log::info!("posting {} ends soon: its employer was reminded", posting.public_id);
                reminded.push(posting.public_id);
            }
            Ok(false) => {}
            Err(e) => log::error!("posting {}: the expiry reminder could not be queued: {e}", posting.public_id),
        }
    }
    Ok(reminded)
}
