//! `/admin/succession`: editors and admins (Permission::Review) create and edit succession
//! listings, move them along their statuses, send the owner their private link, and follow
//! each inquiry with a status and a note. Writers are refused. Every change is logged in the
//! editorial log by `yui_db::succession`, in the transaction that makes it.

mod changes;
mod creation;
mod detail;
mod inquiries;
mod listing;
mod pool;
mod requests;

use self::{changes::*, creation::*, detail::*, inquiries::*, listing::*, pool::*, requests::*};
use super::{admin_page, field, see_other};
use crate::auth::{CanReview, Fields, StaffForm};
use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::{db, db_mail};
use crate::i18n::{query_pairs, Lang};
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use yui_db::editorial_log::{self, Line, Subject};
use yui_db::organizations::Organization;
use yui_db::succession::{ArticleLink, Inquiry, Listing, ListingContent};
use yui_db::{DbConnection, DbError, DbResult};
use yui_domain::succession::{ListingForm, ListingFormDraft, ListingInput};
use yui_domain::{FieldError, HandoverItem, InquiryStatus, RevenueBand, SuccessionStatus, SuccessionTerm};
use yui_mail::letters::owner::SuccessionOwnerLink;
use yui_mail::MailError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The requests' pages before `/admin/succession/{id}`.
    cfg.service(list)
        .service(requests)
        .service(request_show)
        .service(request_update)
        .service(pool_csv)
        .service(pool_list)
        .service(pool_show)
        .service(pool_update)
        .service(new_form)
        .service(create)
        .service(show)
        .service(update)
        .service(change_status)
        .service(owner_link)
        .service(update_inquiry);
}

/// The form's text fields, named as the columns.
const TEXT_FIELDS: [&str; 13] = [
    "public_name",
    "industry",
    "area",
    "years_in_business",
    "staff_count",
    "revenue_band",
    "handover_note",
    "reason",
    "successor_wish",
    "price_text",
    "description",
    "owner_name",
    "owner_email",
];

/// Every value of a field that may repeat (checkboxes), space-joined as the codes are stored.
fn all_of(fields: &[(String, String)], name: &str) -> String {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(" ")
}

fn input_from(fields: &[(String, String)]) -> ListingForm {
    let one = |name: &str| field(fields, name).unwrap_or("").to_owned();
    let listing = ListingInput {
        public_name: one("public_name"),
        industry: one("industry"),
        area: one("area"),
        years_in_business: one("years_in_business"),
        staff_count: one("staff_count"),
        revenue_band: one("revenue_band"),
        handover: all_of(fields, "handover"),
        handover_note: one("handover_note"),
        reason: one("reason"),
        successor_wish: one("successor_wish"),
        terms: all_of(fields, "terms"),
        price_text: one("price_text"),
        description: one("description"),
        owner_name: one("owner_name"),
        owner_email: one("owner_email"),
        owner_phone: one("owner_phone"),
    };
    ListingForm { listing, coordinator: one("coordinator"), article: one("article") }
}

/// The form's values from a stored listing.
fn fields_of(l: &Listing, coordinator_slug: &str) -> Vec<(String, String)> {
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let mut out: Vec<(String, String)> = [
        ("public_name", l.public_name.clone()),
        ("industry", l.industry.clone()),
        ("area", l.area.clone()),
        ("years_in_business", number(l.years_in_business)),
        ("staff_count", number(l.staff_count)),
        ("revenue_band", l.revenue_band.clone()),
        ("handover_note", l.handover_note.clone()),
        ("reason", l.reason.clone()),
        ("successor_wish", l.successor_wish.clone()),
        ("price_text", l.price_text.clone()),
        ("description", l.description.clone()),
        ("owner_name", l.owner_name.clone()),
        ("owner_email", l.owner_email.clone()),
        ("owner_phone", l.owner_phone.clone().unwrap_or_default()),
        ("coordinator", coordinator_slug.to_owned()),
        ("article", l.article_id.map(|a| a.to_string()).unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    out.extend(l.handover.split_whitespace().map(|c| ("handover".to_owned(), c.to_owned())));
    out.extend(l.terms.split_whitespace().map(|c| ("terms".to_owned(), c.to_owned())));
    out
}

/// What the listing form offers: organisations, published articles, and the configured lists.
struct Choices {
    orgs: Vec<Organization>,
    articles: Vec<ArticleLink>,
}

fn load_choices(conn: &mut DbConnection) -> DbResult<Choices> {
    Ok(Choices {
        orgs: yui_db::organizations::list(conn)?,
        articles: yui_db::succession::published_articles(conn, yui_db::now())?,
    })
}

/// The form's context: values, per-field messages, and the options with what is selected.
fn form_ctx(
    state: &AppState,
    lang: Lang,
    typed: &[(String, String)],
    errors: &[FieldError],
    choices: &Choices,
    default_org: i32,
) -> Value {
    let code = lang.code();
    let mut values = Map::new();
    let mut messages = Map::new();
    for name in TEXT_FIELDS.iter().chain(["owner_phone", "coordinator", "article", "handover", "terms"].iter()) {
        values.insert((*name).into(), field(typed, name).unwrap_or("").into());
        messages.insert((*name).into(), "".into());
    }
    for e in errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    let picked = |name: &str, code: &str| typed.iter().any(|(k, v)| k == name && v == code);
    let org_value = field(typed, "coordinator").unwrap_or("");
    let article_value = field(typed, "article").unwrap_or("");
    json!({
        "values": values,
        "errors": messages,
        "error_count": errors.len(),
        "bands": RevenueBand::ALL.iter().map(|b| json!({"code": b.code(), "label": b.label(code), "selected": field(typed, "revenue_band") == Some(b.code())})).collect::<Vec<_>>(),
        "handover": HandoverItem::ALL.iter().map(|h| json!({"code": h.code(), "label": h.label(code), "checked": picked("handover", h.code())})).collect::<Vec<_>>(),
        "terms": SuccessionTerm::ALL.iter().map(|t| json!({"code": t.code(), "label": t.label(code), "checked": picked("terms", t.code())})).collect::<Vec<_>>(),
        "orgs": choices.orgs.iter().map(|o| json!({"slug": o.slug, "name": o.name, "selected": if org_value.is_empty() { o.id == default_org } else { o.slug == org_value }})).collect::<Vec<_>>(),
        "articles": choices.articles.iter().map(|a| json!({"id": a.id, "title": a.title, "selected": a.id.to_string() == article_value})).collect::<Vec<_>>(),
        "industries": state.settings.portal.categories.iter().map(|c| c.label(code).to_owned()).collect::<Vec<_>>(),
        "areas": state.settings.portal.areas.iter().map(|c| c.ja.clone()).collect::<Vec<_>>(),
    })
}

/// Parses the whole form: the listing, its coordinator (an organisation's slug) and its
/// linked article (one of the published ones, or none).
fn parse_form(fields: &[(String, String)], choices: &Choices) -> Result<ListingContent, Vec<FieldError>> {
    let orgs: Vec<(i32, &str)> = choices.orgs.iter().map(|o| (o.id, o.slug.as_str())).collect();
    let articles: Vec<i32> = choices.articles.iter().map(|a| a.id).collect();
    let d = ListingFormDraft::parse(&input_from(fields), &orgs, &articles)?;
    Ok(ListingContent::from_draft(d.listing, d.article_id, d.coordinator_organization_id))
}

fn notice_text(code: &str, lang: Lang) -> &'static str {
    match code {
        "created" => lang.t("succession.admin.notice.created"),
        "saved" => lang.t("succession.admin.notice.saved"),
        "status" => lang.t("succession.admin.notice.status"),
        "link" => lang.t("succession.admin.notice.link"),
        "inquiry" => lang.t("succession.admin.notice.inquiry"),
        _ => "",
    }
}

/// A fresh private link for the owner: only its hash is stored; the mail carries the link.
fn send_owner_link(
    conn: &mut DbConnection,
    state: &AppState,
    listing: &Listing,
    actor: yui_db::postings::Actor,
) -> Result<(), MailError> {
    let token = crate::tokens::random_token();
    let site = &state.settings.site;
    let coordinator = yui_db::succession::organization_name(conn, listing.coordinator_organization_id)?;
    let args = SuccessionOwnerLink {
        owner_name: &listing.owner_name,
        listing_name: &listing.public_name,
        manage_url: &format!("{}/succession/manage/{token}", site.base_url),
        public_url: &format!("{}/succession/{}", site.base_url, listing.public_id),
        coordinator: &coordinator,
    };
    yui_db::transaction(conn, |conn| {
        let hash = crate::tokens::hash_token(&token);
        yui_db::succession::set_owner_link(conn, listing.id, &hash, actor, yui_db::now())?;
        state.letters.succession_owner_link(conn, &listing.owner_email, &args)?;
        Ok(())
    })
}

async fn find_listing(state: &web::Data<AppState>, public_id: &str) -> Result<Listing, WebError> {
    let id = public_id.to_owned();
    db(state, move |conn| yui_db::succession::find_by_public_id(conn, &id)).await?.ok_or(WebError::NotFound)
}

fn step_label(action: &str, lang: Lang) -> &'static str {
    match action {
        "create" => lang.t("succession.admin.step.create"),
        "edit" => lang.t("succession.admin.step.edit"),
        "status" => lang.t("succession.admin.step.status"),
        "owner_link" => lang.t("succession.admin.step.owner_link"),
        "owner_request" => lang.t("succession.admin.step.owner_request"),
        "receive" => lang.t("succession.admin.step.receive"),
        "note" => lang.t("succession.admin.step.note"),
        _ => lang.t("succession.admin.step.other"),
    }
}

fn status_label(code: &str, lang: Lang) -> String {
    code.parse::<SuccessionStatus>()
        .map(|s| s.label(lang.code()))
        .or_else(|_| code.parse::<InquiryStatus>().map(|s| s.label(lang.code())))
        .unwrap_or("")
        .to_owned()
}

/// How the listing page is shown this time: after a refused edit, what was typed and why.
struct Shown<'a> {
    status: StatusCode,
    typed: Option<&'a [(String, String)]>,
    errors: &'a [FieldError],
    notice: &'a str,
}

fn version_of(fields: &[(String, String)], lang: Lang) -> Result<i32, WebError> {
    field(fields, "version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| WebError::BadRequest(lang.t("succession.admin.stale_form").into()))
}
