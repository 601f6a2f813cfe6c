//! `/transparency/log` (and `.json`): every review decision and every change of an employer's
//! conflict-of-interest link, newest first, by organisation and never by person.

use super::*;

const LOG_PER_PAGE: u32 = 50;

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

/// An employer's conflict-of-interest link, changed: the member organisations before and after
/// (`None`: none), and the line as the page shows it. The employer is not named.
#[derive(Debug, Serialize)]
struct LinkRef {
    from: Option<String>,
    to: Option<String>,
    text: String,
}

#[derive(Debug, Serialize)]
struct LogRow {
    at: String,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    posting: Option<PostingRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    employer_link: Option<LinkRef>,
    action: String,
    action_label: &'static str,
    reason: Option<ReasonRef>,
    by: ByRef,
}

impl LogRow {
    fn new(e: LogEntry, lang: Lang) -> Self {
        let (kind, name) = by_label(&e.by, lang);
        let (posting, employer_link) = match e.subject {
            LogSubject::Posting { public_id, title, public_now } => {
                (Some(PostingRef { url: public_now.then(|| format!("/jobs/{public_id}")), id: public_id, title }), None)
            }
            LogSubject::EmployerLink { from, to } => {
                let none = lang.t("transparency.no_organization");
                let text = lang.tf(
                    "transparency.employer_link",
                    &[("from", &from.as_deref().unwrap_or(none)), ("to", &to.as_deref().unwrap_or(none))],
                );
                (None, Some(LinkRef { from, to, text }))
            }
        };
        LogRow {
            at: rfc3339(e.at),
            date: crate::views::datetime(e.at, lang),
            posting,
            employer_link,
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
