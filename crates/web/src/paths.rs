//! Where things live: the URLs that pages, feeds, mails and the sitemap all link to.

use yui_domain::ArticleKind;

/// `path?pairs` (just `path` when there are none).
pub fn href(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    }
}

/// Where an article lives.
pub fn article(kind: ArticleKind, slug: &str) -> String {
    match kind {
        ArticleKind::Feature => format!("/features/{slug}"),
        ArticleKind::Column => format!("/columns/{slug}"),
    }
}

/// A link from the feature `article_id` to one of its postings: a redirect to `/jobs/{posting}`
/// that counts the click (see `routes::feature_click`).
pub fn feature_click(article_id: i32, posting_public_id: &str) -> String {
    format!("/go/article/{article_id}/jobs/{posting_public_id}")
}
