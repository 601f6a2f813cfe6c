//! `/follow/feeds/{token}.atom|.json`: a saved search as a private feed.

use super::*;

/// `/follow/feeds/{signed}.atom` and `.json`: the saved search's postings, newest first
/// (what its alerts carry: public postings published since it was saved).
#[get("/follow/feeds/{file}")]
pub async fn feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let (token, atom) = match (file.strip_suffix(".atom"), file.strip_suffix(".json")) {
        (Some(t), _) => (t.to_owned(), true),
        (_, Some(t)) => (t.to_owned(), false),
        _ => return Err(WebError::NotFound),
    };
    let Some((Link::Feed, id)) = mailings::read(&token) else {
        return Err(WebError::NotFound);
    };
    let state2 = state.clone();
    let loaded = db(&state, move |conn| {
        let Some((search, f)) = yui_db::following::search(conn, id)? else {
            return Ok(None);
        };
        if f.confirmed_at.is_none()
            || !mailings::verify(&state2.settings.secret_key, &token, Link::Feed, search.id, &f.link_salt)
        {
            return Ok(None);
        }
        let Some(filter) = mailings::search_filter(&state2.settings, &search.query) else {
            return Ok(None);
        };
        let now = yui_db::now();
        // Everything since the search was saved, which may be long ago: the app's own model.
        let since = search.created_at - mailings::ALERT_GRACE;
        let items = state2.search.newest_since(conn, now, &filter, since, FEED_SIZE)?;
        let ids: Vec<i32> = items.iter().map(|(p, _)| p.id).collect();
        let conditions = yui_db::postings::conditions_by_posting(conn, &ids)?;
        Ok(Some((search, items, conditions)))
    })
    .await?;
    let Some((search, items, conditions)) = loaded else {
        return Err(WebError::NotFound);
    };
    let lang = Lang::of_request(&req);
    let s = &state.settings;
    let base = &s.site.base_url;
    let title = format!("{}：{}", s.site.name, mailings::describe(s, &search.query, lang.code()));
    let jobs =
        format!("{base}{}", crate::paths::href("/jobs", &crate::i18n::query_pairs(&search.query).collect::<Vec<_>>()));
    let self_url = format!("{base}{}", req.path());
    let mut res = private(&mut HttpResponse::Ok()).take();
    if !atom {
        let body = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": jobs,
            "feed_url": self_url,
            "language": lang.code(),
            "items": items.iter().map(|(p, e)| {
                let url = format!("{base}/jobs/{}", p.public_id);
                json!({
                    "id": url, "url": url, "title": p.title,
                    "content_text": format!("{} / {}\n\n{}", e.name, p.employment_type.label(lang.code()), p.description),
                    "date_published": rfc3339(p.published_at.unwrap_or(p.created_at)),
                    "authors": [{"name": e.name}],
                })
            }).collect::<Vec<_>>(),
        });
        return Ok(res.content_type("application/feed+json; charset=utf-8").body(body.to_string()));
    }
    let mut feed = Atom::new(
        AtomHead {
            lang,
            self_url: &self_url,
            html_url: &jobs,
            title: &title,
            updated: items.iter().map(|(p, _)| p.updated_at).max().unwrap_or(search.created_at),
            author: &s.site.name,
            license: None,
        },
        items.len(),
    );
    for (p, e) in &items {
        feed.posting(base, p, e, conditions.get(&p.id), lang);
    }
    Ok(feed.finish(&mut res))
}
