//! Limits on forms that send mail, store data or check passwords (`/submit`, `/admin/login`,
//! contact forms, sign-ups), per key: a client address, an account, a posting. Counted in the
//! database (`yui_db::rate_limits`), so several instances behind a load balancer share one
//! allowance instead of each granting its own. Only a key's SHA-256 is stored.
//!
//! A database that does not answer lets the attempt through (and says so in the log): the
//! form's own work needs the database too and fails with its own clear answer, and a limit
//! must not turn a short outage into refusals.

use sha2::{Digest, Sha256};
use std::fmt::Display;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::time::Duration;
use yui_db::rate_limits::Limit;
use yui_db::DbPool;

#[derive(Debug)]
pub struct RateLimiter<K = IpAddr> {
    limit: Limit,
    key: PhantomData<fn(K)>,
}

impl<K: Display> RateLimiter<K> {
    /// `bucket` names the limit in the database: unique per limit.
    pub fn new(bucket: &'static str, max: u32, window: Duration) -> Self {
        let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::hours(1));
        RateLimiter { limit: Limit { bucket, max: i32::try_from(max).unwrap_or(i32::MAX), window }, key: PhantomData }
    }

    /// Counts one attempt; `false` once the key used up its window.
    pub async fn allow(&self, pool: &DbPool, key: K) -> bool {
        let (limit, hash, pool) = (self.limit, key_hash(&key), pool.clone());
        let answer = actix_web::web::block(move || {
            let mut conn = pool.get().map_err(yui_db::DbError::from)?;
            yui_db::rate_limits::allow(&mut conn, limit, &hash, yui_db::now())
        })
        .await;
        settle(limit, answer, true)
    }

    /// Whether the key used up its window, without counting anything: forms look first and
    /// count ([`allow`](Self::allow)) only a send that passed their checks.
    pub async fn exhausted(&self, pool: &DbPool, key: &K) -> bool {
        let (limit, hash, pool) = (self.limit, key_hash(key), pool.clone());
        let answer = actix_web::web::block(move || {
            let mut conn = pool.get().map_err(yui_db::DbError::from)?;
            yui_db::rate_limits::exhausted(&mut conn, limit, &hash, yui_db::now())
        })
        .await;
        settle(limit, answer, false)
    }
}

fn settle(
    limit: Limit,
    answer: Result<Result<bool, yui_db::DbError>, actix_web::error::BlockingError>,
    open: bool,
) -> bool {
    match answer {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => {
            log::error!("rate limit {}: the database did not answer ({e}); the attempt is let through", limit.bucket);
            open
        }
        Err(e) => {
            log::error!("rate limit {}: {e}; the attempt is let through", limit.bucket);
            open
        }
    }
}

fn key_hash(key: &impl Display) -> String {
    Sha256::digest(key.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
