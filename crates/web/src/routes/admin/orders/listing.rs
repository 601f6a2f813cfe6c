//! `GET /admin/orders`: orders by month and status, with their sums.

use super::*;

pub(super) fn row_json(state: &AppState, v: &OrderView, lang: Lang) -> Value {
    let o = &v.order;
    json!({
        "id": o.id,
        "employer": v.employer_name,
        "plan": plan_label(state, &o.plan, lang),
        "price": yen(o.price_yen),
        "tax": yen(o.tax_yen),
        "total": yen(o.total_yen()),
        "status": o.status.code(),
        "status_label": o.status.label(lang.code()),
        "cancelled": o.status == OrderStatus::Cancelled,
        "quoted_on": day(Some(o.quoted_on)),
        "article": v.article_title,
    })
}

#[get("/admin/orders")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let filter = filter_of(&req);
    let orders = db(&state, move |conn| yui_db::orders::list(conn, filter)).await?;
    let totals = yui_db::orders::totals(&orders);
    let statuses: Vec<Value> = OrderStatus::ALL
        .iter()
        .map(|s| json!({"code": s.code(), "label": s.label(lang.code()), "selected": filter.status == Some(*s)}))
        .collect();
    let by_status: Vec<Value> = totals
        .by_status
        .iter()
        .map(|(s, m)| json!({"label": s.label(lang.code()), "cancelled": *s == OrderStatus::Cancelled, "money": money_json(m)}))
        .collect();
    let by_month: Vec<Value> = totals
        .by_month
        .iter()
        .map(|(ym, m)| json!({"month": crate::views::month(ym.0, ym.1, lang), "money": money_json(m)}))
        .collect();
    let query = serde_urlencoded::to_string(
        [
            ("status", filter.status.map(|s| s.code().to_owned())),
            ("month", filter.month.map(|(y, m)| format!("{y}-{m:02}"))),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let ctx = json!({
        "page_title": lang.t("orders.page_title"),
        "orders": orders.iter().map(|v| row_json(&state, v, lang)).collect::<Vec<_>>(),
        "statuses": statuses,
        "month": filter.month.map(|(y, m)| format!("{y}-{m:02}")),
        "by_status": by_status,
        "by_month": by_month,
        "all": money_json(&totals.all),
        "cancelled": totals.cancelled,
        "csv_href": format!("/admin/orders.csv?{query}"),
    });
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/orders", ctx).await
}
