//! `GET /admin/articles`: every article, by kind and status.

use super::*;

/// A state-changing article form: any staff role may write, and the CSRF token must match.
#[get("/admin/articles")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let lang = Lang::of_request(&req);
    let query: Vec<(String, String)> = crate::i18n::query_pairs(req.query_string()).collect();
    let pick = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    let kind = pick("kind").parse::<ArticleKind>().ok();
    let status = pick("status").parse::<ArticleStatus>().ok();
    let rows = db(&state, move |conn| yui_db::articles::list(conn, kind, status, LIST_LIMIT)).await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let a = &r.article;
            json!({
                "id": a.id,
                "title": a.title,
                "slug": a.slug,
                "kind": a.kind.label(lang.code()),
                "status": a.status.label(lang.code()),
                "status_code": a.status.code(),
                "author": r.author_name,
                "updated": views::date(a.updated_at, lang),
            })
        })
        .collect();
    let kinds: Vec<Value> = ArticleKind::ALL
        .iter()
        .map(|k| json!({"code": k.code(), "label": k.label(lang.code()), "selected": Some(*k) == kind}))
        .collect();
    let statuses: Vec<Value> = ArticleStatus::ALL
        .iter()
        .map(|s| json!({"code": s.code(), "label": s.label(lang.code()), "selected": Some(*s) == status}))
        .collect();
    let ctx = json!({"page_title": lang.t("articles.admin.page_title"), "articles": rows, "kinds": kinds, "statuses": statuses});
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/articles", ctx).await
}
