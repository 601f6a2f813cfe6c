//! The public portal: what seekers see without an account.

use crate::error::WebError;
use crate::i18n::{query_pairs, Lang};
use crate::routes::{db, page};
use crate::startup::AppState;
use crate::views::{type_counts, Pagination, PostingCard};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_domain::{EmploymentType, PageNumber};

const NEWEST_ON_TOP_PAGE: u32 = 6;

#[get("/")]
pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let now = yui_db::now();
    let (newest, counts) = db(&state, move |conn| {
        let newest = yui_db::postings::public_page(conn, now, None, PageNumber::FIRST, NEWEST_ON_TOP_PAGE)?;
        Ok((newest, yui_db::postings::public_counts_by_type(conn, now)?))
    })
    .await?;
    let cards: Vec<_> = newest.items.iter().map(|(p, e)| PostingCard::new(p, e, lang)).collect();
    page(
        &req,
        &state,
        "portal/home",
        json!({
            "newest": cards,
            "total": newest.total,
            "types": type_counts(&counts, None, lang),
            "og": crate::seo::OpenGraph::home(&state.settings.site, lang.is_en()),
        }),
    )
}

/// The filter as typed in the URL, parsed: an unknown type or page is a 400, not an empty list.
struct JobsFilter {
    employment_type: Option<EmploymentType>,
    page: PageNumber,
}

impl JobsFilter {
    fn parse(query: &str) -> Result<Self, WebError> {
        let pairs: Vec<_> = query_pairs(query).collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let employment_type = match get("type").map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(code) => Some(code.parse::<EmploymentType>().map_err(|_| {
                WebError::BadRequest(format!("雇用形態「{code}」はありません。一覧から選び直してください。"))
            })?),
        };
        let page = PageNumber::parse(get("page")).map_err(WebError::BadRequest)?;
        Ok(JobsFilter { employment_type, page })
    }
}

#[get("/jobs")]
pub async fn jobs(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let filter = JobsFilter::parse(req.query_string())?;
    let (ty, page_no, per_page) = (filter.employment_type, filter.page, state.settings.per_page);
    let now = yui_db::now();
    let (list, counts) = db(&state, move |conn| {
        Ok((
            yui_db::postings::public_page(conn, now, ty, page_no, per_page)?,
            yui_db::postings::public_counts_by_type(conn, now)?,
        ))
    })
    .await?;
    let base_query: Vec<(String, String)> =
        ty.map(|t| vec![("type".to_owned(), t.code().to_owned())]).unwrap_or_default();
    let pagination = Pagination::new(page_no.get(), list.total, per_page, &base_query);
    if page_no.get() > pagination.last() {
        return Err(WebError::NotFound);
    }
    let cards: Vec<_> = list.items.iter().map(|(p, e)| PostingCard::new(p, e, lang)).collect();
    page(
        &req,
        &state,
        "portal/jobs",
        json!({
            "postings": cards,
            "total": list.total,
            "all_total": counts.iter().map(|(_, n)| n).sum::<i64>(),
            "types": type_counts(&counts, ty, lang),
            "any_type_selected": ty.is_some(),
            "selected_type": ty.map(|t| t.label(lang.code())),
            "pagination": pagination,
        }),
    )
}
