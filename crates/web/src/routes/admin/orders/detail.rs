//! `GET /admin/orders/{id}`: one order, its log and its next steps.

use super::*;

fn log_action_label(action: &str, lang: Lang) -> &'static str {
    match action {
        "create" => lang.t("orders.log.create"),
        "status" => lang.t("orders.log.status"),
        "link_article" => lang.t("orders.log.link_article"),
        "unlink_article" => lang.t("orders.log.unlink_article"),
        _ => lang.t("orders.log.other"),
    }
}

pub(super) async fn order_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    id: i32,
    status: StatusCode,
    errors: BTreeMap<&'static str, String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let found = db(state, move |conn| {
        let Some(view) = yui_db::orders::find(conn, id)? else { return Ok(None) };
        let log = yui_db::editorial_log::lines(conn, yui_db::editorial_log::Subject::Order(id))?;
        let articles =
            if view.order.article_id.is_none() { yui_db::orders::unordered_features(conn)? } else { Vec::new() };
        Ok(Some((view, log, articles)))
    })
    .await?;
    let Some((view, log, articles)) = found else { return Err(WebError::NotFound) };
    let o = &view.order;
    let next: Vec<Value> =
        o.status.next().iter().map(|s| json!({"code": s.code(), "label": s.label(lang.code())})).collect();
    let log: Vec<Value> = log
        .iter()
        .map(|l| {
            json!({
                "at": crate::views::date(l.created_at, lang),
                "action": log_action_label(&l.action, lang),
                "from": status_label(&l.from_status, lang),
                "to": status_label(&l.to_status, lang),
                "changed": l.from_status != l.to_status,
                "note": l.note,
                "by": l.actor_name,
            })
        })
        .collect();
    let articles: Vec<Value> = articles.iter().map(|(id, title)| json!({"id": id, "title": title})).collect();
    let ctx = json!({
        "page_title": lang.tf("orders.order.page_title", &[("id", &o.id)]),
        "order": row_json(state, &view, lang),
        "notes": o.notes,
        "dates": {
            "quoted": day(Some(o.quoted_on)), "ordered": day(o.ordered_on), "invoiced": day(o.invoiced_on),
            "paid": day(o.paid_on), "cancelled": day(o.cancelled_on),
        },
        "article": view.article_title.as_ref().map(|t| json!({"title": t, "slug": view.article_slug})),
        "articles": articles,
        "next": next,
        "today": yui_domain::today().format("%Y-%m-%d").to_string(),
        "log": log,
        "errors": errors,
        "allows_publication": o.status.allows_publication(),
    });
    admin_page(req, state, staff, status, "admin/order", ctx).await
}

#[get("/admin/orders/{id}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    order_page(&req, &state, &staff, path.into_inner(), StatusCode::OK, BTreeMap::new()).await
}
