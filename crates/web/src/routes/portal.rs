//! The public portal: what seekers see without an account.

use crate::error::WebError;
use crate::handler::{db, page};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::{type_counts, PostingCard};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_domain::PageNumber;

const NEWEST_ON_TOP_PAGE: u32 = 6;

#[get("/")]
pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let now = yui_db::now();
    let (newest, counts, from_hellowork) = db(&state, move |conn| {
        let newest = yui_db::postings::public_page(conn, now, None, PageNumber::FIRST, NEWEST_ON_TOP_PAGE)?;
        let ids: Vec<i32> = newest.items.iter().map(|(p, _)| p.id).collect();
        let sources = yui_db::hellowork::sources_of(conn, &ids)?;
        Ok((newest, yui_db::postings::public_counts_by_type(conn, now)?, sources))
    })
    .await?;
    let cards: Vec<_> = newest
        .items
        .iter()
        .map(|(p, e)| {
            PostingCard::new(p, e, &state.settings.portal, lang)
                .from_hellowork(from_hellowork.contains_key(&p.id), lang)
        })
        .collect();
    page(
        &req,
        &state,
        "portal/home",
        json!({
            "newest": cards,
            "total": newest.total,
            "types": type_counts(&counts, None, lang),
            "og": crate::seo::OpenGraph::home(&state.settings.site, lang),
        }),
    )
}
