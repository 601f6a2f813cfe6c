//! The public portal: what seekers see without an account.

use crate::error::WebError;
use crate::handler::{db, page};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::{type_counts, PostingCard};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;

const NEWEST_ON_TOP_PAGE: u32 = 6;
/// Features, columns and open succession listings shown on the front page, each.
const STORIES_ON_TOP_PAGE: i64 = 2;

#[get("/")]
pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let now = yui_db::now();
    let model = state.clone();
    let (newest, counts, (from_hellowork, conditions, projects), features, columns, successions) =
        db(&state, move |conn| {
            use yui_domain::{ArticleKind, SuccessionStatus};
            // The newest and the counts by type from the search model: no count over every row.
            let found = model.search.find(conn, now, &yui_search::JobsFilter::all(NEWEST_ON_TOP_PAGE), true)?;
            let counts = found.facets.map(|f| f.employment_types).unwrap_or_default();
            let newest = found.page;
            let ids: Vec<i32> = newest.items.iter().map(|(p, _)| p.id).collect();
            let sources = (
                yui_db::hellowork::sources_of(conn, &ids)?,
                yui_db::postings::conditions_by_posting(conn, &ids)?,
                yui_db::postings::projects_by_posting(conn, &ids)?,
            );
            let features = yui_db::articles::public_list(conn, Some(ArticleKind::Feature), now, STORIES_ON_TOP_PAGE)?;
            let columns = yui_db::articles::public_list(conn, Some(ArticleKind::Column), now, STORIES_ON_TOP_PAGE)?;
            let open: Vec<_> = yui_db::succession::listed(conn)?
                .into_iter()
                .map(|(l, _)| l)
                .filter(|l| l.status == SuccessionStatus::Open)
                .collect();
            Ok((newest, counts, sources, features, columns, open))
        })
        .await?;
    let cards: Vec<_> = newest
        .items
        .iter()
        .map(|(p, e)| {
            PostingCard::new(p, e, &state.settings.portal, lang)
                .from_hellowork(from_hellowork.contains_key(&p.id), lang)
                .with_conditions(conditions.get(&p.id), lang)
                .with_project(projects.get(&p.id), lang)
        })
        .collect();
    let stories = |rows: &[(yui_db::articles::Article, Option<yui_db::employers::Employer>)]| {
        rows.iter().map(|(a, s)| crate::views::article_card(a, s.as_ref(), lang)).collect::<Vec<_>>()
    };
    let home = &state.settings.home;
    let l = lang.code();
    page(
        &req,
        &state,
        "portal/home",
        json!({
            "newest": cards,
            "total": newest.total,
            "types": type_counts(&counts, None, lang),
            "lead": home.lead.as_ref().map(|b| b.get(l).to_owned()),
            "region_name": match &state.settings.portal.region_en {
                Some((_, en)) => lang.pick(&state.settings.site.region, en),
                None => &state.settings.site.region,
            },
            "picture": home.picture.as_ref().map(|p| json!({"src": p.src, "alt": p.alt.get(l), "credit": p.credit})),
            "help": home.help.iter().map(|h| json!({"title": h.title.get(l), "url": h.url, "note": h.note.get(l)})).collect::<Vec<_>>(),
            "features": stories(&features),
            "columns": stories(&columns),
            "successions": successions.iter().take(STORIES_ON_TOP_PAGE as usize).map(|l| json!({
                "url": format!("/succession/{}", l.public_id),
                "name": l.public_name,
                "industry": l.industry,
                "area": l.area,
            })).collect::<Vec<_>>(),
            "succession_count": successions.len(),
            "og": crate::seo::OpenGraph::home(&state.settings.site, lang),
        }),
    )
}
