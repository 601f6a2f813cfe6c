//! Joint campaigns, public side: `/campaigns` (the list), `/campaigns/{slug}` (the story, the
//! co-issuing organisations, the postings it gathers, the entry count and the one entry form),
//! the entrant's withdraw link, and the read-only API `/api/v1/campaigns`. No name or address
//! of an entrant is ever shown here: the page counts entries and nothing more.

mod api;
mod detail;
mod entry;
mod listing;
mod withdraw;

use self::{api::*, detail::*, entry::*, listing::*, withdraw::*};
use crate::csrf::Csrf;
use crate::error::WebError;
use crate::handler::{db, db_mail, form_page as html_page, private_page};
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use yui_db::campaigns::Campaign;
use yui_db::employers::Employer;
use yui_db::organizations::Organization;
use yui_db::postings::Posting;
use yui_domain::campaigns::EntryWay;
use yui_domain::FieldError;

/// The entry form's fields, as the page shows them again.
const FIELDS: [&str; 5] = ["name", "email", "offer", "way", "consent"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The withdraw pages first: `/campaigns/withdraw/…` must not be read as a campaign's slug.
    cfg.service(withdraw_form)
        .service(withdraw)
        .service(list)
        .service(show)
        .service(enter)
        .service(entered)
        .configure(configure_api);
}

/// A published campaign and what its page shows.
pub(crate) struct Loaded {
    pub campaign: Campaign,
    pub organizations: Vec<(Organization, Option<String>)>,
    /// Only the postings still public.
    pub postings: Vec<(Posting, Employer)>,
    pub entries: i64,
}

/// A published campaign by its slug, or 404: a draft is not public.
pub(crate) async fn load(state: &web::Data<AppState>, slug: &str) -> Result<Loaded, WebError> {
    let slug = slug.to_owned();
    let now = yui_db::now();
    db(state, move |conn| {
        let Some(campaign) = yui_db::campaigns::find_by_slug(conn, &slug)? else { return Ok(None) };
        if !campaign.is_public() {
            return Ok(None);
        }
        let organizations = yui_db::campaigns::organizations_of(conn, campaign.id)?;
        let mut postings = yui_db::campaigns::postings_of(conn, campaign.id)?;
        postings.retain(|(p, _)| p.is_public_at(now));
        let entries = yui_db::campaigns::entry_count(conn, campaign.id)?;
        Ok(Some(Loaded { campaign, organizations, postings, entries }))
    })
    .await?
    .ok_or(WebError::NotFound)
}

pub(crate) fn day(d: NaiveDate, lang: Lang) -> String {
    d.format(lang.t("format.date")).to_string()
}

/// Whether entries are taken today (Japan's calendar).
pub(crate) fn open_today(c: &Campaign) -> bool {
    c.is_open_on(yui_domain::today())
}

/// What the public may see of a campaign (page, list and API alike): never an entrant.
pub(crate) fn public_view(l: &Loaded, lang: Lang) -> Value {
    let c = &l.campaign;
    let organizations: Vec<Value> = l
        .organizations
        .iter()
        .map(|(o, logo)| {
            let name = lang.pick(&o.name, o.name_en.as_deref().unwrap_or(&o.name)).to_owned();
            json!({"name": name, "logo": logo.as_ref().map(|f| format!("/media/{f}"))})
        })
        .collect();
    let postings: Vec<Value> = l
        .postings
        .iter()
        .map(|(p, e)| json!({"public_id": p.public_id, "title": p.title, "employer": e.name, "url": format!("/jobs/{}", p.public_id)}))
        .collect();
    json!({
        "slug": c.slug,
        "url": format!("/campaigns/{}", c.slug),
        "title": c.title,
        "starts_on": c.starts().to_string(),
        "ends_on": c.ends().to_string(),
        "period": format!("{} – {}", day(c.starts(), lang), day(c.ends(), lang)),
        "open": open_today(c),
        "organizations": organizations,
        "postings": postings,
        "entries": l.entries,
    })
}
