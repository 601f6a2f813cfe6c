//! `GET /succession` and `/feeds/succession.atom`: the listings, with their filters.

use super::*;

/// One choice of a filter, from the values the listed rows carry.
fn choices(values: impl Iterator<Item = String>, selected: &str) -> Vec<Value> {
    let mut all: Vec<String> = values.filter(|v| !v.is_empty()).collect();
    all.sort();
    all.dedup();
    all.into_iter().map(|v| json!({"code": v, "label": v, "selected": v == selected})).collect()
}

/// The list's filters, as `/succession` and its feed read them from the query string.
struct ListFilter {
    q: String,
    industry: String,
    area: String,
    term: String,
}

impl ListFilter {
    fn of(req: &HttpRequest) -> ListFilter {
        let pairs: Vec<(String, String)> = query_pairs(req.query_string()).collect();
        let get =
            |name: &str| pairs.iter().find(|(k, _)| k == name).map_or(String::new(), |(_, v)| v.trim().to_owned());
        ListFilter { q: get("q"), industry: get("industry"), area: get("area"), term: get("term") }
    }

    fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }

    /// `path` with the filters that are set, in a fixed order (for the feed's links).
    fn href(&self, path: &str) -> String {
        crate::paths::href(path, &self.pairs())
    }

    fn pairs(&self) -> Vec<(String, String)> {
        [("q", &self.q), ("industry", &self.industry), ("area", &self.area), ("term", &self.term)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect()
    }

    fn select<'a>(&self, rows: &'a [(Listing, String)]) -> Vec<&'a (Listing, String)> {
        let term = self.term.parse::<SuccessionTerm>().ok();
        let words = query_terms(&self.q);
        rows.iter()
            .filter(|(l, _)| self.industry.is_empty() || l.industry == self.industry)
            .filter(|(l, _)| self.area.is_empty() || l.area == self.area)
            .filter(|(l, _)| term.is_none_or(|t| l.term_list().contains(&t)))
            .filter(|(l, _)| matches_all(&words, &l.public_text()))
            .collect()
    }
}

#[get("/succession")]
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let filter = ListFilter::of(&req);
    let rows = db(&state, yui_db::succession::listed).await?;
    let shown: Vec<Value> = filter.select(&rows).into_iter().map(|(l, org)| public_view(l, org, None, lang)).collect();
    let ListFilter { q, industry, area, term } = &filter;
    let feed_href = filter.href("/feeds/succession.atom");
    let title = lang.t("succession.list.title");
    let description = lang.tf("succession.list.description", &[("region", &state.settings.site.region)]);
    let ctx = json!({
        "page_title": title,
        "og": OpenGraph::new(&state.settings.site, "/succession", title, &description, "website", lang),
        "listings": shown,
        "count": shown.len(),
        "filtered": !filter.is_empty(),
        "feed_href": feed_href,
        "form": {
            "q": q,
            "industries": choices(rows.iter().map(|(l, _)| l.industry.clone()), industry),
            "areas": choices(rows.iter().map(|(l, _)| l.area.clone()), area),
            "terms": SuccessionTerm::ALL.iter().map(|t| json!({"code": t.code(), "label": t.label(lang.code()), "selected": t.code() == term})).collect::<Vec<_>>(),
        },
    });
    html_page(&req, &state, StatusCode::OK, "succession/list", ctx, None)
}

/// The list as an Atom feed, for people who watch for a business to take on: open and in-talks
/// listings with their status in the title, matched ones too (they leave the feed when closed).
/// Only what the public page shows goes in; never the owner's fields.
#[get("/feeds/succession.atom")]
pub async fn atom(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let code = lang.code();
    let filter = ListFilter::of(&req);
    let rows = db(&state, yui_db::succession::listed).await?;
    let shown = filter.select(&rows);
    let site = &state.settings.site;
    let base = &site.base_url;
    let (self_url, html_url) =
        (format!("{base}{}", filter.href("/feeds/succession.atom")), format!("{base}{}", filter.href("/succession")));
    let title = lang.tf("succession.feed_title", &[("site", &site.name)]);
    let mut feed = Atom::new(
        AtomHead {
            lang,
            self_url: &self_url,
            html_url: &html_url,
            title: &title,
            updated: shown.iter().map(|(l, _)| l.updated_at).max().unwrap_or_else(yui_db::now),
            author: &site.name,
            license: None,
        },
        shown.len(),
    );
    for (l, coordinator) in shown {
        let name = match l.status {
            SuccessionStatus::Open => l.public_name.clone(),
            other => lang.tf("succession.feed_name", &[("name", &l.public_name), ("status", &other.label(code))]),
        };
        let terms: Vec<&str> = l.term_list().iter().map(|t| t.label(code)).collect();
        let separator = lang.t("succession.page.separator");
        let summary = format!(
            "{} · {} · {}\n{}",
            l.industry,
            l.area,
            terms.join(separator),
            crate::seo::summary(&l.description, 200)
        );
        feed.entry(AtomEntry {
            url: &format!("{base}/succession/{}", l.public_id),
            title: &name,
            updated: l.updated_at,
            published: l.created_at,
            author: coordinator,
            category: Some((l.status.code(), l.status.label(code))),
            tags: Vec::new(),
            summary: &summary,
        });
    }
    Ok(feed.finish(&mut HttpResponse::Ok()))
}
