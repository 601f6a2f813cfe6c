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
//!   "succession": {"open": 2, "in_talks": 1, "matched": 3}             // listings by status now
//! }
//! ```
//!
//! Labels follow the reader's language (`?lang=en`).

use crate::error::WebError;
use crate::handler::{db, page};
use crate::i18n::{query_pairs, Lang};
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use yui_db::transparency::{LogEntry, PeriodStats, PublicActor, SuccessionCounts, Summary};
use yui_domain::{event_label, tokyo, PageNumber, RejectReason};

const LOG_PER_PAGE: u32 = 50;

/// A UTC timestamp in Japan time, RFC 3339 with its +09:00 offset.
fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().with_timezone(&tokyo()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A UTC timestamp as a date and time in Japan, for people.
fn date_time(at: NaiveDateTime, lang: Lang) -> String {
    crate::views::datetime(at, lang)
}

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

#[derive(Debug, Serialize)]
struct PostingRef {
    id: String,
    title: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Serialize)]
struct ReasonRef {
    code: &'static str,
    label: &'static str,
}

#[derive(Debug, Serialize)]
struct ByRef {
    kind: &'static str,
    name: String,
}

#[derive(Debug, Serialize)]
struct LogRow {
    at: String,
    date: String,
    posting: PostingRef,
    action: String,
    action_label: &'static str,
    reason: Option<ReasonRef>,
    by: ByRef,
}

impl LogRow {
    fn new(e: LogEntry, lang: Lang) -> Self {
        let (kind, name) = by_label(&e.by, lang);
        LogRow {
            at: rfc3339(e.at),
            date: date_time(e.at, lang),
            posting: PostingRef {
                url: e.posting_public_now.then(|| format!("/jobs/{}", e.posting_public_id)),
                id: e.posting_public_id,
                title: e.posting_title,
            },
            action_label: event_label(&e.action, lang.code()),
            action: e.action,
            reason: e.reason.map(|r| ReasonRef { code: r.code(), label: r.label(lang.code()) }),
            by: ByRef { kind, name },
        }
    }
}

#[derive(Debug, Serialize)]
struct LogView {
    lang: &'static str,
    page: u32,
    last_page: u32,
    per_page: u32,
    total: i64,
    prev: Option<String>,
    next: Option<String>,
    events: Vec<LogRow>,
}

/// Loads one page of the log; a page past the end is a 404. `base` is the URL that pages.
async fn log_view(req: &HttpRequest, state: &web::Data<AppState>, base: &str) -> Result<LogView, WebError> {
    let lang = Lang::of_request(req);
    let page_no = page_number(req)?;
    let now = yui_db::now();
    let list = db(state, move |conn| yui_db::transparency::log_page(conn, now, page_no, LOG_PER_PAGE)).await?;
    let last =
        u32::try_from((list.total.max(1) + i64::from(LOG_PER_PAGE) - 1) / i64::from(LOG_PER_PAGE)).unwrap_or(u32::MAX);
    let current = page_no.get();
    if current > last {
        return Err(WebError::NotFound);
    }
    let href = |n: u32| if n == 1 { base.to_owned() } else { format!("{base}?page={n}") };
    Ok(LogView {
        lang: lang.code(),
        page: current,
        last_page: last,
        per_page: LOG_PER_PAGE,
        total: list.total,
        prev: (current > 1).then(|| href(current - 1)),
        next: (current < last).then(|| href(current + 1)),
        events: list.items.into_iter().map(|e| LogRow::new(e, lang)).collect(),
    })
}

#[get("/transparency/log")]
pub async fn log(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let view = log_view(&req, &state, "/transparency/log").await?;
    let mut ctx = serde_json::to_value(&view).unwrap_or_default();
    if let Some(map) = ctx.as_object_mut() {
        let title = Lang::of_request(&req).t("transparency.page.review_record");
        map.insert("page_title".into(), title.into());
    }
    page(&req, &state, "transparency/log", ctx)
}

#[get("/transparency/log.json")]
pub async fn log_json(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let view = log_view(&req, &state, "/transparency/log.json").await?;
    Ok(HttpResponse::Ok().json(view))
}

fn hours(h: Option<f64>) -> Option<String> {
    h.map(|h| format!("{h:.1}"))
}

/// One period's figures as the page shows them: counts, and hours preformatted (absent as null).
#[derive(Debug, Serialize)]
struct PeriodView {
    submitted: i64,
    published: i64,
    changes_requested: i64,
    rejected_total: i64,
    decided: usize,
    median_hours: Option<String>,
    p90_hours: Option<String>,
}

impl PeriodView {
    fn new(p: &PeriodStats) -> Self {
        PeriodView {
            submitted: p.submitted,
            published: p.published,
            changes_requested: p.changes_requested,
            rejected_total: p.rejected_total(),
            decided: p.decided,
            median_hours: hours(p.median_hours),
            p90_hours: hours(p.p90_hours),
        }
    }
}

#[derive(Debug, Serialize)]
struct SplitRow {
    label: String,
    this_month: i64,
    all_time: i64,
}

fn summary_page_ctx(s: &Summary, lang: Lang) -> serde_json::Value {
    let month_count = |r: RejectReason| s.this_month.rejected.iter().find(|(x, _)| *x == r).map_or(0, |(_, n)| *n);
    let rejected: Vec<SplitRow> = s
        .all_time
        .rejected
        .iter()
        .map(|(r, n)| SplitRow { label: r.label(lang.code()).to_owned(), this_month: month_count(*r), all_time: *n })
        .collect();
    let organizations: Vec<SplitRow> = s
        .all_time
        .by_organization
        .iter()
        .map(|(name, n)| SplitRow {
            label: name.clone(),
            this_month: s.this_month.by_organization.iter().find(|(m, _)| m == name).map_or(0, |(_, k)| *k),
            all_time: *n,
        })
        .collect();
    json!({
        "page_title": lang.t("transparency.page.review_record"),
        "month": month_label(s.month_start, lang),
        "this_month": PeriodView::new(&s.this_month),
        "all_time": PeriodView::new(&s.all_time),
        "rejected": rejected,
        "organizations": organizations,
    })
}

fn period_json(p: &PeriodStats, from: Option<NaiveDateTime>) -> serde_json::Value {
    let rejected: BTreeMap<&str, i64> = p.rejected.iter().map(|(r, n)| (r.code(), *n)).collect();
    let orgs: Vec<_> =
        p.by_organization.iter().map(|(name, n)| json!({"organization": name, "decisions": n})).collect();
    json!({
        "from": from.map(rfc3339),
        "submitted": p.submitted,
        "published": p.published,
        "changes_requested": p.changes_requested,
        "rejected_total": p.rejected_total(),
        "rejected": rejected,
        "decided": p.decided,
        "median_hours_to_first_decision": p.median_hours,
        "p90_hours_to_first_decision": p.p90_hours,
        "decisions_by_organization": orgs,
    })
}

async fn load_summary(state: &web::Data<AppState>) -> Result<(Summary, SuccessionCounts, NaiveDateTime), WebError> {
    let now = yui_db::now();
    let (figures, succession) = db(state, move |conn| {
        Ok((yui_db::transparency::summary(conn, now)?, yui_db::transparency::succession_counts(conn)?))
    })
    .await?;
    Ok((figures, succession, now))
}

fn succession_json(c: SuccessionCounts) -> serde_json::Value {
    json!({"open": c.open, "in_talks": c.in_talks, "matched": c.matched})
}

#[get("/transparency")]
pub async fn summary(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let (s, succession, _) = load_summary(&state).await?;
    let mut ctx = summary_page_ctx(&s, lang);
    if let Some(map) = ctx.as_object_mut() {
        map.insert("succession".into(), succession_json(succession));
    }
    page(&req, &state, "transparency/summary", ctx)
}

#[get("/transparency.json")]
pub async fn summary_json(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let (s, succession, now) = load_summary(&state).await?;
    let reasons: BTreeMap<&str, &str> = RejectReason::ALL.iter().map(|r| (r.code(), r.label(lang.code()))).collect();
    Ok(HttpResponse::Ok().json(json!({
        "lang": lang.code(),
        "generated_at": rfc3339(now),
        "this_month": period_json(&s.this_month, Some(s.month_start)),
        "all_time": period_json(&s.all_time, None),
        "reject_reasons": reasons,
        "succession": succession_json(succession),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_japan() {
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(16, 5, 0).unwrap();
        assert_eq!(rfc3339(utc), "2026-11-25T01:05:00+09:00");
        assert_eq!(date_time(utc, Lang::Ja), "2026年11月25日 01:05");
        assert_eq!(date_time(utc, Lang::En), "2026-11-25 01:05");
        assert_eq!(month_label(utc, Lang::Ja), "2026年11月");
        assert_eq!(month_label(utc, Lang::En), "November 2026");
    }
}
