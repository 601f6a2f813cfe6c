//! `/transparency` (and `.json`): the figures of the public record, by period.

use super::*;

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

type Loaded = (Summary, SuccessionCounts, Vec<crate::statistics::Month>, NaiveDateTime);

async fn load_summary(state: &web::Data<AppState>) -> Result<Loaded, WebError> {
    let now = yui_db::now();
    let (figures, succession, months) = db(state, move |conn| {
        Ok((
            yui_db::transparency::summary(conn, now)?,
            yui_db::transparency::succession_counts(conn)?,
            crate::statistics::site_months(conn, yui_domain::statistics::tokyo_day(now))?,
        ))
    })
    .await?;
    Ok((figures, succession, months, now))
}

/// The months newest first, labelled for people.
fn months_view(months: &[crate::statistics::Month], lang: Lang) -> Vec<serde_json::Value> {
    months
        .iter()
        .rev()
        .map(|m| {
            let mut v = json!(m);
            let label = chrono::NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d")
                .map_or_else(|_| m.month.clone(), |d| d.format(lang.t("statistics.month_format")).to_string());
            v["label"] = label.into();
            v
        })
        .collect()
}

fn succession_json(c: SuccessionCounts) -> serde_json::Value {
    json!({"open": c.open, "in_talks": c.in_talks, "matched": c.matched})
}

#[get("/transparency")]
pub async fn summary(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let (s, succession, months, _) = load_summary(&state).await?;
    let mut ctx = summary_page_ctx(&s, lang);
    if let Some(map) = ctx.as_object_mut() {
        map.insert("succession".into(), succession_json(succession));
        map.insert("months".into(), months_view(&months, lang).into());
    }
    page(&req, &state, "transparency/summary", ctx)
}

#[get("/transparency.json")]
pub async fn summary_json(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let (s, succession, months, now) = load_summary(&state).await?;
    let reasons: BTreeMap<&str, &str> = RejectReason::ALL.iter().map(|r| (r.code(), r.label(lang.code()))).collect();
    Ok(HttpResponse::Ok().json(json!({
        "lang": lang.code(),
        "generated_at": rfc3339(now),
        "this_month": period_json(&s.this_month, Some(s.month_start)),
        "all_time": period_json(&s.all_time, None),
        "reject_reasons": reasons,
        "succession": succession_json(succession),
        "by_month": months,
    })))
}
