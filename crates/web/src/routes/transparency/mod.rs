//! The public record of review decisions (`/transparency`): what the commons decided and which
//! member organisation decided it. Never the person, never the free-text reason or the field
//! diff, and never the title of a posting seekers did not see. The queries, and the rule about
//! which titles may be shown, live in [`yui_db::transparency`]; this module only shapes views.
//!
//! ## `GET /transparency/log.json?page=N`
//!
//! Newest first, 50 per page (`?page=0` or garbage is a 400, a page past the end a 404):
//!
//! ```json
//! {
//!   "lang": "ja",
//!   "page": 1, "last_page": 1, "per_page": 50, "total": 3,
//!   "prev": null, "next": "/transparency/log.json?page=2",
//!   "events": [{
//!     "at": "2026-11-25T14:05:00+09:00",          // Japan time, RFC 3339
//!     "date": "2026年11月25日 14:05",              // the same, for people
//!     "posting": {"id": "k3x…", "title": "…" | null, "url": "/jobs/k3x…" | null},
//!     "action": "reject", "action_label": "不掲載",
//!     "reason": {"code": "spam", "label": "スパム"} | null,   // reject / request_changes only
//!     "by": {"kind": "organization" | "employer" | "system", "name": "テストNPO" | "事業者" | "システム"}
//!   }]
//! }
//! ```
//!
//! `title` is set only for postings that are or were public; `url` only for postings public now.
//!
//! ## `GET /transparency.json`
//!
//! ```json
//! {
//!   "lang": "ja",
//!   "generated_at": "2026-11-25T14:05:00+09:00",
//!   "this_month": {
//!     "from": "2026-11-01T00:00:00+09:00",       // the calendar month in Japan; null for all_time
//!     "submitted": 3,                              // postings created
//!     "published": 1,                              // approvals
//!     "changes_requested": 1,
//!     "rejected_total": 1,
//!     "rejected": {"spam": 1},                     // by reason code, reasons with none left out
//!     "decided": 2,                                // postings whose first approve/reject fell in the period
//!     "median_hours_to_first_decision": 3.0,       // nearest rank, one decimal; null when none decided
//!     "p90_hours_to_first_decision": 5.0,
//!     "decisions_by_organization": [{"organization": "テストNPO", "decisions": 3}]
//!   },
//!   "all_time": { …the same fields, "from": null… },
//!   "reject_reasons": {"incomplete": "内容不備", "spam": "スパム", …},  // every code's label
//!   "succession": {"open": 2, "in_talks": 1, "matched": 3},            // listings by status now
//!   "by_month": [{"month": "2026-01", "views": 812, "contacts": 9,      // the last 12 months in
//!                 "filled_via_yui": 1, "successions_matched": 0}, …]   // Japan, oldest first
//! }
//! ```
//!
//! Labels follow the reader's language (`?lang=en`).

mod figures;
mod record;

use crate::error::WebError;
use crate::handler::{db, page};
use crate::i18n::{query_pairs, Lang};
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use yui_db::transparency::{LogEntry, LogSubject, PeriodStats, PublicActor, SuccessionCounts, Summary};
use yui_domain::{event_label, tokyo, PageNumber, RejectReason};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(figures::summary).service(figures::summary_json).service(record::log).service(record::log_json);
}

/// A UTC timestamp in Japan time, RFC 3339 with its +09:00 offset.
fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().with_timezone(&tokyo()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A UTC timestamp as a date and time in Japan, for people.
fn month_label(start: NaiveDateTime, lang: Lang) -> String {
    let local = start.and_utc().with_timezone(&tokyo());
    local.format(lang.t("format.month_long")).to_string()
}

fn by_label(by: &PublicActor, lang: Lang) -> (&'static str, String) {
    match by {
        PublicActor::Organization(name) => ("organization", name.clone()),
        PublicActor::Employer => ("employer", lang.t("transparency.by.employer").to_owned()),
        PublicActor::System => ("system", lang.t("transparency.by.system").to_owned()),
    }
}

fn page_number(req: &HttpRequest) -> Result<PageNumber, WebError> {
    let page = query_pairs(req.query_string()).find(|(k, _)| k == "page").map(|(_, v)| v);
    PageNumber::parse(page.as_deref()).map_err(|m| WebError::BadRequest(Lang::of_request(req).message(&m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_japan() {
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(16, 5, 0).unwrap();
        assert_eq!(rfc3339(utc), "2026-11-25T01:05:00+09:00");
        assert_eq!(crate::views::datetime(utc, Lang::Ja), "2026年11月25日 01:05");
        assert_eq!(crate::views::datetime(utc, Lang::En), "25 Nov 2026 01:05");
        assert_eq!(month_label(utc, Lang::Ja), "2026年11月");
        assert_eq!(month_label(utc, Lang::En), "November 2026");
    }
}
