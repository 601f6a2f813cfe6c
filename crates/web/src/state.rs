//! What every handler and middleware shares: the pool, the templates, the letters, the settings and the
//! per-instance limits. Lives below the routes so that error pages, extractors and the page
//! cache can reach it without importing a route.

use crate::settings::Settings;
use yui_db::{Backend, DbPool};

/// Contact messages per visitor address and hour.
pub const CONTACT_PER_IP_PER_HOUR: u32 = 5;
/// Contact messages per posting (or succession listing) and hour, whoever sends them.
pub const CONTACT_PER_POSTING_PER_HOUR: u32 = 20;
/// Supporter sign-ups per visitor address and hour.
pub const SIGNUPS_PER_IP_PER_HOUR: u32 = 5;

/// Password reset requests per visitor address, and per address asked about, and hour: enough
/// for someone who mistyped, too few to mail-bomb a colleague or to probe for accounts.
pub const RESETS_PER_IP_PER_HOUR: u32 = 5;
pub const RESETS_PER_ACCOUNT_PER_HOUR: u32 = 3;

pub struct AppState {
    pub pool: DbPool,
    pub backend: Backend,
    pub templates: handlebars::Handlebars<'static>,
    /// The email templates (`yui_mail::Letters`): every mail is written through them.
    pub letters: yui_mail::Letters,
    pub settings: Settings,
    /// Per visitor address: submissions of Yui's own form in the current hour.
    pub submit_limit: crate::rate_limit::RateLimiter,
    /// Rendered public pages for a few seconds (see `cache.rs`).
    pub page_cache: crate::cache::PageCache,
    /// Login attempts per visitor address and per account (the lower-cased email).
    pub login_limit_ip: crate::rate_limit::RateLimiter,
    pub login_limit_account: crate::rate_limit::RateLimiter<String>,
    /// Contact-form messages per visitor address, and per posting (its id), in the current hour.
    pub contact_limit_ip: crate::rate_limit::RateLimiter,
    pub contact_limit_posting: crate::rate_limit::RateLimiter<i32>,
    /// Succession inquiries per listing (its id) in the current hour, on the same budget.
    pub inquiry_limit_listing: crate::rate_limit::RateLimiter<i32>,
    /// Supporter sign-ups, and follow sign-ups, per visitor address in the current hour.
    pub signup_limit_ip: crate::rate_limit::RateLimiter,
    pub follow_limit_ip: crate::rate_limit::RateLimiter,
    /// Requests and latencies for `/metrics`, counted since this process started.
    pub metrics: crate::metrics::Metrics,
    /// Password reset requests per visitor address, and per address asked about (lower-cased).
    pub reset_limit_ip: crate::rate_limit::RateLimiter,
    pub reset_limit_account: crate::rate_limit::RateLimiter<String>,
    /// The search read model (see `search_model.rs`).
    pub search: crate::search_model::SearchModel,
    /// Campaign entries per visitor address in the current hour (`campaigns.entries_per_hour`).
    pub campaign_limit_ip: crate::rate_limit::RateLimiter,
    pub succession_request_limit_ip: crate::rate_limit::RateLimiter,
    /// Takeover pool entries per visitor address in the current hour (`succession.pool_per_hour`).
    pub succession_pool_limit_ip: crate::rate_limit::RateLimiter,
    /// Views counted since the last flush (see `page_views.rs`).
    pub page_views: std::sync::Arc<crate::page_views::ViewCounter>,
}
