//! A fixed-window counter per key (a visitor address, an account), for forms that send mail,
//! store data or check passwords (`/submit`, `/admin/login`, contact forms). Per instance: behind several instances each
//! allows the limit, which still bounds abuse.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimiter<K = IpAddr> {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter { limit, window, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts one attempt; `false` once the address used up its window.
    pub fn allow(&self, key: K) -> bool {
        self.allow_at(key, Instant::now())
    }

    /// Whether the key used up its window, without counting anything: forms look first and
    /// count ([`allow`](Self::allow)) only a send that passed their checks.
    pub fn exhausted(&self, key: &K) -> bool {
        self.exhausted_at(key, Instant::now())
    }

    fn exhausted_at(&self, key: &K, now: Instant) -> bool {
        let seen = self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.get(key).is_some_and(|(start, n)| now.duration_since(*start) < self.window && *n >= self.limit)
    }

    fn allow_at(&self, key: K, now: Instant) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Forget finished windows now and then, so the map stays as small as the current traffic.
        if seen.len() > 10_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = seen.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_gets_its_limit_per_window() {
        let limiter: RateLimiter = RateLimiter::new(2, Duration::from_secs(60));
        let (a, b): (IpAddr, IpAddr) = ([192, 0, 2, 1].into(), [192, 0, 2, 2].into());
        let t0 = Instant::now();
        assert!(limiter.allow_at(a, t0));
        assert!(limiter.allow_at(a, t0));
        assert!(!limiter.allow_at(a, t0 + Duration::from_secs(1)));
        assert!(limiter.allow_at(b, t0 + Duration::from_secs(1)), "another address is not affected");
        assert!(limiter.allow_at(a, t0 + Duration::from_secs(61)), "a new window starts afresh");
    }

    #[test]
    fn looking_counts_nothing() {
        let limiter: RateLimiter = RateLimiter::new(1, Duration::from_secs(60));
        let a: IpAddr = [192, 0, 2, 1].into();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(!limiter.exhausted_at(&a, t0));
        }
        assert!(limiter.allow_at(a, t0));
        assert!(limiter.exhausted_at(&a, t0 + Duration::from_secs(1)));
        assert!(!limiter.exhausted_at(&a, t0 + Duration::from_secs(61)), "the window ended");
    }
}
