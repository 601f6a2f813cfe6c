//! `/admin/orders`: the paid orders behind feature articles (editors and admins). Quoting,
//! status changes along [`OrderStatus::move_to`], linking the order to its article, totals per
//! month and status, and a CSV export for the commons' accounts.

use super::{admin_page, field, see_other};
use crate::auth::{CanReview, Fields, StaffForm};
use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::{query_pairs, Lang};
use crate::state::AppState;
use crate::views::yen;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use yui_db::orders::{Filter, NewOrder, Order, OrderRefusal, OrderView};
use yui_domain::{OrderDraft, OrderForm, OrderStatus};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(export_csv)
        .service(new_form)
        .service(create)
        .service(show)
        .service(change_status)
        .service(link_article);
}

fn date_or_today(s: Option<&str>) -> Option<NaiveDate> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(yui_domain::today()),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
    }
}

fn parse_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.trim().split_once('-')?;
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, 1).map(|_| (y, m))
}

fn filter_of(req: &HttpRequest) -> Filter {
    let mut filter = Filter::default();
    for (k, v) in query_pairs(req.query_string()) {
        match k.as_str() {
            "status" => filter.status = v.parse().ok(),
            "month" => filter.month = parse_month(&v),
            _ => {}
        }
    }
    filter
}

fn month_text((y, m): (i32, u32), lang: Lang) -> String {
    crate::views::month(y, m, lang)
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn plan_label(state: &AppState, code: &str, lang: Lang) -> String {
    state.settings.editorial.plan(code).map_or_else(|| code.to_owned(), |p| p.label(lang.code()).to_owned())
}

fn money_json(m: &yui_db::orders::Money) -> Value {
    json!({"count": m.count, "price": yen(m.price_yen), "tax": yen(m.tax_yen), "total": yen(m.total_yen)})
}

fn row_json(state: &AppState, v: &OrderView, lang: Lang) -> Value {
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
    let by_month: Vec<Value> =
        totals.by_month.iter().map(|(ym, m)| json!({"month": month_text(*ym, lang), "money": money_json(m)})).collect();
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

/// Spreadsheet software runs a cell that starts with one of these as a formula: such text
/// gets a leading apostrophe, which shows it as it was typed.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

const CSV_HEADER: [&str; 14] = [
    "注文番号",
    "事業者",
    "プラン",
    "金額(税抜)",
    "消費税",
    "合計",
    "状態",
    "見積日",
    "受注日",
    "請求日",
    "入金日",
    "キャンセル日",
    "記事",
    "メモ",
];

fn orders_csv(state: &AppState, orders: &[OrderView]) -> Result<Vec<u8>, csv::Error> {
    // The byte order mark tells spreadsheet software the file is UTF-8.
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(CSV_HEADER)?;
        for v in orders {
            let o: &Order = &v.order;
            w.write_record([
                o.id.to_string(),
                defuse(&v.employer_name),
                defuse(&plan_label(state, &o.plan, Lang::Ja)),
                o.price_yen.to_string(),
                o.tax_yen.to_string(),
                o.total_yen().to_string(),
                o.status.label_ja().to_owned(),
                day(Some(o.quoted_on)),
                day(o.ordered_on),
                day(o.invoiced_on),
                day(o.paid_on),
                day(o.cancelled_on),
                defuse(v.article_title.as_deref().unwrap_or("")),
                defuse(&o.notes),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[get("/admin/orders.csv")]
pub async fn export_csv(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let filter = filter_of(&req);
    let orders = db(&state, move |conn| yui_db::orders::list(conn, filter)).await?;
    let body = orders_csv(&state, &orders)
        .map_err(|e| WebError::BadRequest(Lang::of_request(&req).tf("orders.csv_failed", &[("error", &e)])))?;
    let name = format!("yui-orders-{}.csv", yui_domain::today().format("%Y%m%d"));
    log::info!("orders exported as CSV by staff {} ({} rows)", staff.id, orders.len());
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

async fn form_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    status: StatusCode,
    form: OrderForm,
    errors: BTreeMap<&'static str, String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let (employers, articles) =
        db(state, |conn| Ok((yui_db::orders::employer_choices(conn)?, yui_db::orders::unordered_features(conn)?)))
            .await?;
    let employers: Vec<Value> = employers
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name, "selected": id.to_string() == form.employer_id}))
        .collect();
    let articles: Vec<Value> = articles
        .iter()
        .map(|(id, title)| json!({"id": id, "title": title, "selected": id.to_string() == form.article_id}))
        .collect();
    let plans: Vec<Value> = state
        .settings
        .editorial
        .plans
        .iter()
        .map(|p| json!({"code": p.code, "label": p.label(lang.code()), "price": yen(p.price_yen), "selected": p.code == form.plan}))
        .collect();
    let ctx = json!({
        "page_title": lang.t("orders.new.page_title"),
        "form": form,
        "errors": errors,
        "error_count": errors.len(),
        "employers": employers,
        "articles": articles,
        "plans": plans,
        "tax_rate": state.settings.editorial.tax_rate_percent,
    });
    admin_page(req, state, staff, status, "admin/order_new", ctx).await
}

#[get("/admin/orders/new")]
pub async fn new_form(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let form = OrderForm { quoted_on: yui_domain::today().format("%Y-%m-%d").to_string(), ..OrderForm::default() };
    form_page(&req, &state, &staff, StatusCode::OK, form, BTreeMap::new()).await
}

fn refusal_message(r: &OrderRefusal, lang: Lang) -> (&'static str, String) {
    match r {
        OrderRefusal::NoEmployer => ("employer_id", lang.t("orders.refused.no_employer").to_owned()),
        OrderRefusal::NotAFeature => ("article_id", lang.t("orders.refused.not_a_feature").to_owned()),
        OrderRefusal::ArticleTaken => ("article_id", lang.t("orders.refused.article_taken").to_owned()),
        OrderRefusal::Transition(e) => (
            "status",
            lang.tf(
                "orders.refused.transition",
                &[("from", &e.from.label(lang.code())), ("to", &e.to.label(lang.code()))],
            ),
        ),
    }
}

#[post("/admin/orders")]
pub async fn create(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let lang = Lang::of_request(&req);
    let get = |name: &str| field(&fields, name).unwrap_or("").trim().to_owned();
    let form = OrderForm {
        employer_id: get("employer_id"),
        plan: get("plan"),
        price_yen: get("price_yen"),
        quoted_on: get("quoted_on"),
        notes: get("notes"),
        article_id: get("article_id"),
    };
    let editorial = &state.settings.editorial;
    let plan_price = editorial.plan(&form.plan).map(|p| p.price_yen);
    let draft = match OrderDraft::parse(&form, plan_price, editorial.tax_rate_percent, yui_domain::today()) {
        Ok(draft) => draft,
        Err(errors) => {
            let errors = errors.iter().map(|e| (e.field, lang.message(&e.message))).collect();
            return form_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await;
        }
    };
    let new = NewOrder {
        employer_id: draft.employer_id,
        plan: draft.plan,
        price_yen: draft.price_yen,
        tax_yen: draft.tax_yen,
        quoted_on: draft.quoted_on,
        notes: draft.notes,
        article_id: draft.article_id,
    };
    let actor = staff.actor();
    match db(&state, move |conn| yui_db::orders::create(conn, &new, actor, yui_db::now())).await? {
        Ok(order) => {
            log::info!("order {} quoted by staff {}", order.id, staff.id);
            Ok(see_other(&format!("/admin/orders/{}", order.id)))
        }
        Err(refusal) => {
            let (field, message) = refusal_message(&refusal, lang);
            form_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, form, BTreeMap::from([(field, message)]))
                .await
        }
    }
}

fn log_action_label(action: &str, lang: Lang) -> &'static str {
    match action {
        "create" => lang.t("orders.log.create"),
        "status" => lang.t("orders.log.status"),
        "link_article" => lang.t("orders.log.link_article"),
        "unlink_article" => lang.t("orders.log.unlink_article"),
        _ => lang.t("orders.log.other"),
    }
}

fn status_label(code: &str, lang: Lang) -> String {
    code.parse::<OrderStatus>().map_or_else(|_| code.to_owned(), |s| s.label(lang.code()).to_owned())
}

async fn order_page(
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

#[derive(Debug, serde::Deserialize)]
pub struct StatusForm {
    to: Option<String>,
    on: Option<String>,
    note: Option<String>,
}

#[post("/admin/orders/{id}/status")]
pub async fn change_status(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<StatusForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let id = path.into_inner();
    let lang = Lang::of_request(&req);
    let mut errors = BTreeMap::new();
    let to = form.to.as_deref().and_then(|t| t.parse::<OrderStatus>().ok());
    let on = date_or_today(form.on.as_deref());
    if on.is_none() {
        errors.insert("on", lang.t("orders.error.date").to_owned());
    }
    if to.is_none() {
        errors.insert("status", lang.t("orders.error.status").to_owned());
    }
    let (Some(to), Some(on)) = (to, on) else {
        return order_page(&req, &state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let note =
        form.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(|n| n.chars().take(500).collect::<String>());
    let actor = staff.actor();
    let result =
        db(&state, move |conn| yui_db::orders::set_status(conn, id, to, on, note.as_deref(), actor, yui_db::now()))
            .await?;
    match result {
        None => Err(WebError::NotFound),
        Some(Ok(order)) => {
            log::info!("order {id} is now {} (staff {})", order.status.code(), staff.id);
            Ok(see_other(&format!("/admin/orders/{id}")))
        }
        Some(Err(refusal)) => {
            let (field, message) = refusal_message(&refusal, lang);
            errors.insert(field, message);
            order_page(&req, &state, &staff, id, StatusCode::CONFLICT, errors).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct LinkArticleForm {
    article_id: Option<String>,
}

#[post("/admin/orders/{id}/article")]
pub async fn link_article(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<LinkArticleForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let id = path.into_inner();
    let lang = Lang::of_request(&req);
    let article_id = match form.article_id.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        text => match text.parse::<i32>() {
            Ok(a) => Some(a),
            Err(_) => {
                let (field, message) = refusal_message(&OrderRefusal::NotAFeature, lang);
                let errors = BTreeMap::from([(field, message)]);
                return order_page(&req, &state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
            }
        },
    };
    let actor = staff.actor();
    match db(&state, move |conn| yui_db::orders::set_article(conn, id, article_id, actor, yui_db::now())).await? {
        None => Err(WebError::NotFound),
        Some(Ok(_)) => Ok(see_other(&format!("/admin/orders/{id}"))),
        Some(Err(refusal)) => {
            let (field, message) = refusal_message(&refusal, lang);
            let status = if refusal == OrderRefusal::ArticleTaken {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            order_page(&req, &state, &staff, id, status, BTreeMap::from([(field, message)])).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_defused() {
        for bad in ["=1+1", "+81", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse(bad), format!("'{bad}"));
        }
        assert_eq!(defuse("氷見の魚"), "氷見の魚");
    }

    #[test]
    fn months_are_parsed() {
        assert_eq!(parse_month("2026-11"), Some((2026, 11)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("x"), None);
    }
}
