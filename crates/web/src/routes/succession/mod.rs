//! 後継者募集: `/succession` (the list, searchable), `/succession/{id}` (one listing and its
//! inquiry form), `/feeds/succession.atom` (the list as a feed, with the same filters), and
//! `/succession/manage/{token}` (the owner's private page), and `/succession/request` (an
//! owner asks for a listing; private to the coordinating organisation), and `/succession/pool`
//! (people who would take a business over register what they look for; private likewise).
//!
//! Staged disclosure: the owner's name and contact details never appear on a public page, in
//! Open Graph tags or in the sitemap. An inquiry goes to the coordinator organisation through
//! the outbox (Reply-To the inquirer); the coordinator talks to the owner, and introduces the
//! two only when the owner agrees. The owner's private page counts inquiries without
//! showing who sent them.

mod detail;
mod listing;
mod owner;
mod pool;
mod pool_links;
mod request;
mod request_withdraw;

use self::{detail::*, listing::*, owner::*, pool::*, pool_links::*, request::*, request_withdraw::*};
use crate::atom::{Atom, AtomEntry, AtomHead};
use crate::csrf::{self, Csrf};
use crate::error::WebError;
use crate::forms::value as value_of;
use crate::handler::{db, db_mail, form_page as html_page, private, private_page};
use crate::i18n::{query_pairs, Lang};
use crate::seo::OpenGraph;
use crate::state::AppState;
use crate::tokens::hash_token;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use yui_db::organizations::Organization;
use yui_db::succession::{ArticleLink, Listing};
use yui_domain::search::{matches_all, query_terms};
use yui_domain::succession::SuccessionInquiry;
use yui_domain::{FieldError, PublicId, SuccessionStatus, SuccessionTerm};
use yui_mail::letters::staff::SuccessionChangeRequest;

const FIELDS: [&str; 5] = ["name", "email", "phone", "about", "consent"];

const REQUEST_MAX_CHARS: usize = 2000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The owner's page first: `/succession/manage/…` must not be read as a listing's id.
    // `/succession/request…` too, before `/succession/{id}`.
    cfg.service(manage_show)
        .service(manage_request)
        .service(request_form)
        .service(request_send)
        .service(request_sent)
        .service(request_withdraw_form)
        .service(request_withdraw)
        .service(pool_form)
        .service(pool_send)
        .service(pool_sent)
        .service(pool_confirm_form)
        .service(pool_confirm)
        .service(pool_withdraw_form)
        .service(pool_renew_form)
        .service(pool_renew)
        .service(pool_withdraw)
        .service(list)
        .service(show)
        .service(inquire)
        .service(atom);
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Everything the public may see of a listing, ready for `succession/body`. The owner's
/// fields are left out here, once, so no page can print them by mistake.
pub fn public_view(l: &Listing, coordinator: &str, article: Option<&ArticleLink>, lang: Lang) -> Value {
    let code = lang.code();
    let price = if l.price_text.trim().is_empty() {
        lang.t("succession.page.negotiable").to_owned()
    } else {
        l.price_text.clone()
    };
    json!({
        "url": format!("/succession/{}", l.public_id),
        "public_id": l.public_id,
        "name": l.public_name,
        "industry": l.industry,
        "area": l.area,
        "years": l.years_in_business.map(|n| lang.tf("succession.years", &[("n", &n)])),
        "staff": l.staff_count.map(|n| lang.tf("succession.staff", &[("n", &n)])),
        "revenue": l.revenue().label(code),
        "handover": l.handover_items().iter().map(|h| h.label(code)).collect::<Vec<_>>(),
        "handover_note": paragraphs(&l.handover_note),
        "reason": paragraphs(&l.reason),
        "successor_wish": paragraphs(&l.successor_wish),
        "terms": l.term_list().iter().map(|t| t.label(code)).collect::<Vec<_>>(),
        "price": price,
        "description": paragraphs(&l.description),
        "summary": crate::seo::summary(&l.description, 80),
        "status_code": l.status.code(),
        "status_label": l.status.label(code),
        "matched": l.status == SuccessionStatus::Matched,
        "coordinator": coordinator,
        "article": article.map(|a| json!({"url": a.path(), "title": a.title})),
        "updated": crate::views::date(l.updated_at, lang),
    })
}

/// A listing the public may open, with its coordinator's name and linked article.
struct Loaded {
    listing: Listing,
    coordinator: String,
    article: Option<ArticleLink>,
}

/// The coordinating organisations an owner's request or a pool entry may name, 「おまかせ」 first
/// (`let_yui_choose` is its form value), the typed one selected.
fn organization_choices(
    orgs: &[Organization],
    typed: &[(String, String)],
    let_yui_choose: &str,
    lang: Lang,
) -> Vec<Value> {
    let chosen = value_of(typed, "organization");
    let mut out = vec![json!({
        "value": let_yui_choose,
        "label": lang.t("succession.request.let_yui_choose"),
        "selected": chosen.is_empty() || chosen == let_yui_choose,
    })];
    out.extend(orgs.iter().map(|o| {
        json!({"value": o.slug, "label": lang.pick(&o.name, o.name_en.as_deref().unwrap_or(&o.name)), "selected": chosen == o.slug})
    }));
    out
}

/// Who coordinates, as the person's mail names it: the organisation chosen, or the site.
fn coordinator_name(state: &AppState, orgs: &[Organization], organization_id: Option<i32>) -> String {
    match organization_id {
        Some(id) => orgs.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default(),
        None => state.settings.site.name.clone(),
    }
}
