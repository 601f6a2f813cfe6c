//! The commons' money in public: `/transparency/ledger` (and `.json`) shows, month by month,
//! money in and out by category with a running total; `/admin/ledger` is where admins enter
//! it. Paid feature orders are counted by Yui itself, as one sum per month: a named employer's
//! price is business between the commons and that employer, so no single order is shown.
//!
//! ## `GET /transparency/ledger.json`
//!
//! ```json
//! {
//!   "lang": "ja", "currency": "JPY",
//!   "months": [{                                  // newest first, months with money only
//!     "month": "2026-11", "label": "2026年11月",
//!     "money_in": [{"category": "feature_orders", "label": "特集記事の掲載料", "amount_yen": 165000, "count": 1}],
//!     "money_out": [{"category": "hosting", "label": "サーバー・運用", "amount_yen": 3000, "count": 1}],
//!     "total_in": 165000, "total_out": 3000, "net": 162000,
//!     "running_total": 162000                     // all in minus all out up to the end of the month
//!   }],
//!   "totals": {"in": 165000, "out": 3000, "balance": 162000},
//!   "categories": {"supporter": "支援者からの寄付", …}
//! }
//! ```

use crate::auth::{CanManageStaff, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::{db, page};
use crate::i18n::Lang;
use crate::routes::admin::{admin_page, see_other};
use crate::state::AppState;
use crate::views::yen;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use yui_domain::ledger::{by_month, CategoryTotal, Direction, LedgerCategory, LedgerEntryDraft, LedgerMonth};
use yui_domain::today;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(public_page).service(public_json).service(admin_list).service(admin_create);
}

fn category_json(c: &CategoryTotal, lang: Lang) -> Value {
    json!({
        "category": c.category.code(),
        "label": c.category.label(lang.code()),
        "amount_yen": c.amount_yen,
        "amount": yen(c.amount_yen),
        "count": c.count,
        "automatic": !c.category.entered_by_hand(),
    })
}

fn month_json(m: &LedgerMonth, lang: Lang) -> Value {
    json!({
        "month": format!("{}-{:02}", m.year, m.month),
        "label": crate::views::month(m.year, m.month, lang),
        "money_in": m.money_in.iter().map(|c| category_json(c, lang)).collect::<Vec<_>>(),
        "money_out": m.money_out.iter().map(|c| category_json(c, lang)).collect::<Vec<_>>(),
        "total_in": m.total_in,
        "total_out": m.total_out,
        "net": m.total_in - m.total_out,
        "running_total": m.running_total,
    })
}

async fn months(state: &web::Data<AppState>) -> Result<Vec<LedgerMonth>, WebError> {
    let items = db(state, yui_db::ledger::items).await?;
    Ok(by_month(&items))
}

fn totals(months: &[LedgerMonth]) -> (i64, i64) {
    months.iter().fold((0, 0), |(i, o), m| (i + m.total_in, o + m.total_out))
}

#[get("/transparency/ledger")]
pub async fn public_page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let months = months(&state).await?;
    let (total_in, total_out) = totals(&months);
    let view: Vec<Value> = months
        .iter()
        .map(|m| {
            let mut v = month_json(m, lang);
            for key in ["total_in", "total_out", "net", "running_total"] {
                let n = v[key].as_i64().unwrap_or(0);
                v[key] = yen(n).into();
            }
            v
        })
        .collect();
    let ctx = json!({
        "page_title": lang.t("ledger.page.where_the_money_comes"),
        "months": view,
        "total_in": yen(total_in),
        "total_out": yen(total_out),
        "balance": yen(total_in - total_out),
    });
    page(&req, &state, "transparency/ledger", ctx)
}

#[get("/transparency/ledger.json")]
pub async fn public_json(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let months = months(&state).await?;
    let (total_in, total_out) = totals(&months);
    let categories: BTreeMap<&str, &str> =
        LedgerCategory::ALL.iter().map(|c| (c.code(), c.label(lang.code()))).collect();
    Ok(HttpResponse::Ok().json(json!({
        "lang": lang.code(),
        "currency": "JPY",
        "months": months.iter().map(|m| month_json(m, lang)).collect::<Vec<_>>(),
        "totals": {"in": total_in, "out": total_out, "balance": total_in - total_out},
        "categories": categories,
    })))
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EntryForm {
    category: String,
    description: String,
    amount_yen: String,
    occurred_on: String,
}

async fn admin_page_with(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    status: StatusCode,
    form: EntryForm,
    errors: BTreeMap<&'static str, String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let entries = db(state, yui_db::ledger::entries).await?;
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "on": e.occurred_on.format("%Y-%m-%d").to_string(),
                "direction": e.category.direction().label(lang.code()),
                "is_in": e.category.direction() == Direction::In,
                "category": e.category.label(lang.code()),
                "description": e.description,
                "amount": yen(e.amount_yen),
                "by": e.created_by,
            })
        })
        .collect();
    let group = |d: Direction| -> Vec<Value> {
        LedgerCategory::ALL
            .iter()
            .filter(|c| c.entered_by_hand() && c.direction() == d)
            .map(|c| json!({"code": c.code(), "label": c.label(lang.code()), "selected": c.code() == form.category}))
            .collect()
    };
    let ctx = json!({
        "page_title": lang.t("ledger.page.ledger"),
        "entries": rows,
        "categories_in": group(Direction::In),
        "categories_out": group(Direction::Out),
        "form": form,
        "errors": errors,
        "error_count": errors.len(),
    });
    admin_page(req, state, staff, status, "admin/ledger", ctx).await
}

#[get("/admin/ledger")]
pub async fn admin_list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::ManageStaff)?;
    let form = EntryForm { occurred_on: today().format("%Y-%m-%d").to_string(), ..EntryForm::default() };
    admin_page_with(&req, &state, &staff, StatusCode::OK, form, BTreeMap::new()).await
}

#[post("/admin/ledger")]
pub async fn admin_create(
    req: HttpRequest,
    form: StaffForm<EntryForm, CanManageStaff>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let lang = Lang::of_request(&req);
    match LedgerEntryDraft::parse(&form.category, &form.description, &form.amount_yen, &form.occurred_on) {
        Ok(draft) => {
            let actor = staff.actor();
            let id = db(&state, move |conn| yui_db::ledger::insert(conn, &draft, actor, yui_db::now())).await?;
            log::info!("ledger entry {id} entered by staff {}", staff.id);
            Ok(see_other("/admin/ledger"))
        }
        Err(errors) => {
            let errors = errors.iter().map(|e| (e.field, lang.message(&e.message))).collect();
            admin_page_with(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await
        }
    }
}
