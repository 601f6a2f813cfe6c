//! `/admin/orders`: the paid orders behind feature articles (editors and admins). Quoting,
//! status changes along [`OrderStatus::move_to`], linking the order to its article, totals per
//! month and status, and a CSV export for the commons' accounts.

mod creation;
mod csv_export;
mod detail;
mod listing;
mod steps;

use self::{creation::*, csv_export::*, detail::*, listing::*, steps::*};
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

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn plan_label(state: &AppState, code: &str, lang: Lang) -> String {
    state.settings.editorial.plan(code).map_or_else(|| code.to_owned(), |p| p.label(lang.code()).to_owned())
}

fn money_json(m: &yui_db::orders::Money) -> Value {
    json!({"count": m.count, "price": yen(m.price_yen), "tax": yen(m.tax_yen), "total": yen(m.total_yen)})
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

fn status_label(code: &str, lang: Lang) -> String {
    code.parse::<OrderStatus>().map_or_else(|_| code.to_owned(), |s| s.label(lang.code()).to_owned())
}
