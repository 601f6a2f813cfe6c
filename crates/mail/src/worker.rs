//! The outbox worker: claims due emails, sends them, records the outcome, and retries failures
//! with exponential back-off. Several Yui instances may run it against one database.

use crate::mailer::Mailer;
use chrono::{Duration, NaiveDateTime};
use std::sync::Arc;
use std::time::Instant;
use yui_db::{outbox, DbConnection, DbPool, DbResult};

/// How long a claim keeps other workers off an email. One email is claimed at a time, so this
/// only has to outlast one delivery (an SMTP conversation is bounded by `SMTP_TIMEOUT` per command).
pub const LEASE: Duration = Duration::minutes(10);

/// The most emails one pass sends; the next pass carries on.
pub const BATCH: u32 = 50;

const FIRST_RETRY_SECS: i64 = 30;
const MAX_RETRY_SECS: i64 = 6 * 60 * 60;

/// The wait before the next attempt after `attempts` failed ones:
/// 30 s × 2^(attempts − 1), at most 6 hours.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    Duration::seconds((FIRST_RETRY_SECS << doublings).min(MAX_RETRY_SECS))
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: u32,
    /// Failed this time, to be tried again later.
    pub retried: u32,
    /// Given up on for good.
    pub failed: u32,
}

impl DeliveryReport {
    pub fn is_empty(&self) -> bool {
        *self == DeliveryReport::default()
    }
}

impl std::fmt::Display for DeliveryReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} sent, {} to retry, {} failed", self.sent, self.retried, self.failed)
    }
}

/// One pass: claims due emails one at a time (up to [`BATCH`]), sends each and records the
/// outcome. A failed attempt is retried after [`backoff`]; after `max_attempts` attempts, or
/// when the email cannot become a message at all, it is marked failed. `now` is the time the
/// pass starts; the time spent sending is added to it.
///
/// Blocking (SMTP is synchronous): call it on a blocking thread. A database error ends the pass;
/// an email claimed then is retried once its lease runs out. Delivery is at-least-once: if
/// recording a sent email fails, it is sent again later.
pub fn deliver_due(
    conn: &mut DbConnection,
    mailer: &Mailer,
    now: NaiveDateTime,
    max_attempts: u32,
) -> DbResult<DeliveryReport> {
    let started = Instant::now();
    let clock = || now + Duration::from_std(started.elapsed()).unwrap_or(Duration::zero());
    let max_attempts = i32::try_from(max_attempts).unwrap_or(i32::MAX);
    let mut report = DeliveryReport::default();
    for _ in 0..BATCH {
        let Some(email) = outbox::claim_due(conn, clock(), LEASE, 1)?.pop() else {
            break;
        };
        match mailer.send(&email) {
            Ok(()) => {
                outbox::mark_sent(conn, email.id, clock())?;
                report.sent += 1;
            }
            Err(e) => {
                let error = e.to_string();
                // A mail server's answer often quotes the address it refused.
                let logged = yui_domain::redact::masked(&error);
                let retry_at =
                    (!e.is_permanent() && email.attempts < max_attempts).then(|| clock() + backoff(email.attempts));
                outbox::mark_failed(conn, email.id, &error, retry_at)?;
                match retry_at {
                    Some(at) => {
                        report.retried += 1;
                        log::warn!(
                            "mail: email {} attempt {} failed, retrying at {} UTC: {logged}",
                            email.id,
                            email.attempts,
                            at.format("%F %T")
                        );
                    }
                    None => {
                        report.failed += 1;
                        log::error!("mail: email {} given up after {} attempt(s): {logged}", email.id, email.attempts);
                    }
                }
            }
        }
    }
    Ok(report)
}

/// Delivers the outbox forever: every `interval` one [`deliver_due`] pass on a blocking thread,
/// with a connection from `pool`. Logs one line per pass that did something; database errors
/// (and even a panicking pass) are logged and the loop goes on. Spawn it beside the server.
pub async fn run_worker(pool: DbPool, mailer: Mailer, interval: std::time::Duration) {
    let interval = interval.max(std::time::Duration::from_millis(100));
    log::info!("mail worker: delivering through {} every {:?}", mailer.describe(), interval);
    let mailer = Arc::new(mailer);
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let (pool, mailer) = (pool.clone(), Arc::clone(&mailer));
        let pass = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            deliver_due(&mut conn, &mailer, yui_db::now(), mailer.max_attempts())
        })
        .await;
        match pass {
            Ok(Ok(report)) if report.is_empty() => {}
            Ok(Ok(report)) => log::info!("mail worker: {report}"),
            Ok(Err(e)) => log::error!("mail worker: {e}"),
            Err(e) => log::error!("mail worker: the delivery pass ended abnormally: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_six_hours() {
        let secs: Vec<i64> = (0..=12).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, [30, 30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600]);
        assert_eq!(backoff(i32::MAX).num_seconds(), 21600);
        assert_eq!(backoff(i32::MIN).num_seconds(), 30);
    }

    #[test]
    fn reports_read_as_one_line() {
        assert!(DeliveryReport::default().is_empty());
        assert_eq!(DeliveryReport { sent: 3, retried: 1, failed: 0 }.to_string(), "3 sent, 1 to retry, 0 failed");
    }
}
