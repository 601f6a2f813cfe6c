//! `/jobs/{id}`: one posting, everything a seeker needs, and the way to reach the employer.
//!
//! A published posting shows the employer's own channels and a contact form; Yui relays the
//! first message once (to the employer with `Reply-To` set to the seeker, and a copy to the
//! seeker) and then steps aside. An ended posting (expired, closed, filled, or past its end)
//! stays at its address with a 「掲載終了」 notice, `noindex`, and no way to contact; postings
//! that were never public are not found.

use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::seo::{self, OpenGraph};
use crate::state::AppState;
use crate::views::PostingDetail;
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_domain::{FieldError, PostingStatus, PublicId};

pub use crate::state::{CONTACT_PER_IP_PER_HOUR, CONTACT_PER_POSTING_PER_HOUR};
/// How many of the employer's other open postings the page links to.
const OTHER_POSTINGS: i64 = 5;
const FIELDS: [&str; 3] = ["name", "email", "message"];

/// Where a posting is, seen from the public.
pub(super) enum Visibility {
    Public,
    /// Was public and has ended: shown with a notice, without contact.
    Ended,
}

fn visibility(p: &Posting, now: chrono::NaiveDateTime) -> Option<Visibility> {
    match p.status {
        PostingStatus::Published if p.valid_through > now => Some(Visibility::Public),
        PostingStatus::Published | PostingStatus::Expired | PostingStatus::Closed | PostingStatus::Filled => {
            Some(Visibility::Ended)
        }
        PostingStatus::Pending | PostingStatus::ChangesRequested | PostingStatus::Rejected => None,
    }
}

pub(super) struct Loaded {
    pub(super) posting: Posting,
    pub(super) employer: Employer,
    pub(super) terms: yui_domain::WorkingTerms,
    pub(super) conditions: Vec<String>,
    pub(super) project: yui_domain::ProjectTerms,
    pub(super) others: Vec<Posting>,
    /// Published feature articles about this posting.
    pub(super) features: Vec<yui_db::articles::Article>,
    pub(super) visibility: Visibility,
    /// Hello Work's posting: applied to through Hello Work with a referral, never through Yui.
    pub(super) hellowork: Option<yui_db::hellowork::Origin>,
    /// 編集部のひとこと (Markdown).
    pub(super) note: Option<String>,
    /// The employer's page and approved face.
    pub(super) profile: yui_db::employer_profiles::Profile,
}

pub(super) async fn load(state: &web::Data<AppState>, id: &str) -> Result<Loaded, WebError> {
    let id = PublicId::parse(id).ok_or(WebError::NotFound)?;
    let now = yui_db::now();
    let (posting, employer, (terms, conditions, project), others, features, (hellowork, note), profile) =
        db(state, move |conn| {
            let Some((posting, employer)) = yui_db::postings::find_with_employer(conn, &id)? else {
                return Ok(None);
            };
            let others = yui_db::postings::public_by_employer(conn, employer.id, posting.id, now, OTHER_POSTINGS)?;
            let features = yui_db::articles::public_about_posting(conn, posting.id, now)?;
            let terms = (
                yui_db::postings::terms_of(conn, posting.id)?.terms(),
                yui_db::postings::conditions_of(conn, posting.id)?,
                yui_db::postings::project_of(conn, posting.id)?.terms(),
            );
            let origin =
                yui_db::hellowork::origin_of(conn, posting.id)?.filter(|o| o.source == yui_db::hellowork::SOURCE);
            let curation = (origin, yui_db::hellowork::note_of(conn, posting.id)?);
            // Every employer named on a posting gets a page (made here the first time).
            let profile = yui_db::employer_profiles::ensure(conn, employer.id, now)?;
            Ok(Some((posting, employer, terms, others, features, curation, profile)))
        })
        .await?
        .ok_or(WebError::NotFound)?;
    let visibility = visibility(&posting, now).ok_or(WebError::NotFound)?;
    Ok(Loaded { posting, employer, terms, conditions, project, others, features, visibility, hellowork, note, profile })
}

/// What was typed into the contact form, and what is wrong with it.
#[derive(Default)]
pub(super) struct FormState<'a> {
    pub(super) typed: &'a [(String, String)],
    pub(super) errors: &'a [FieldError],
    pub(super) notice: Option<String>,
}

#[get("/jobs/{id}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &id).await?;
    render(&req, &state, StatusCode::OK, &loaded, FormState::default())
}

/// The posting's JSON-LD, with the employer's approved logo when they have one.
fn job_posting_ld(site: &crate::settings::SiteSettings, loaded: &Loaded) -> Value {
    let mut ld = seo::job_posting(site, &loaded.posting, &loaded.employer, true);
    if let Some(logo) = &loaded.profile.published.logo {
        ld["hiringOrganization"]["logo"] = format!("{}{}", site.base_url, crate::face::media_path(logo)).into();
    }
    ld
}

pub(super) fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    loaded: &Loaded,
    form: FormState<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let site = &state.settings.site;
    let (p, e) = (&loaded.posting, &loaded.employer);
    let path = format!("/jobs/{}", p.public_id);
    let ended = matches!(loaded.visibility, Visibility::Ended);
    let others: Vec<Value> =
        loaded.others.iter().map(|o| json!({"url": format!("/jobs/{}", o.public_id), "title": o.title})).collect();
    let mut ctx = json!({
        "posting": PostingDetail::new(p, e, &state.settings.portal, lang).with_conditions(&loaded.conditions, lang),
        "title": p.title,
        "terms": crate::views::terms_rows(&loaded.terms, p.trial_period.as_deref(), lang),
        "project": crate::views::project_rows(&loaded.project, lang),
        "others": others,
        "features": loaded.features.iter().map(|a| json!({"url": crate::paths::article(a.kind, &a.slug), "title": a.title})).collect::<Vec<_>>(),
        "ended": ended,
        "hellowork": loaded.hellowork.as_ref().map(|o| crate::views::hellowork_origin(o, lang)),
        "note_html": loaded.note.as_deref().map(crate::markdown::render),
        "og": OpenGraph::new(site, &path, &p.title, &p.description, "article", lang)
            .with_image(crate::face::og_image(Some(&loaded.profile.published), &site.base_url)),
        "employer_face": crate::face::view(&loaded.profile.published, &e.name, &format!("/employers/{}", loaded.profile.slug), lang),
        "share": crate::share::links(&format!("{}{path}", site.base_url), &p.title),
    });
    let map = ctx.as_object_mut().ok_or(WebError::NotFound)?;
    if ended {
        let reason = match p.status {
            PostingStatus::Closed | PostingStatus::Filled => p.status.label(lang.code()),
            _ => PostingStatus::Expired.label(lang.code()),
        };
        map.insert("ended_reason".into(), reason.into());
        map.insert("robots".into(), "noindex".into());
    } else if loaded.hellowork.is_some() {
        // Applied to through Hello Work: no contact form, nothing relayed.
        map.insert("jsonld".into(), seo::script_json(&job_posting_ld(site, loaded)).into());
    } else {
        map.insert("jsonld".into(), seo::script_json(&job_posting_ld(site, loaded)).into());
        let typed = |name: &str| form.typed.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
        let mut values = Map::new();
        let mut messages = Map::new();
        for field in FIELDS {
            values.insert(field.into(), typed(field).into());
            messages.insert(field.into(), "".into());
        }
        for err in form.errors {
            messages.insert(err.field.into(), lang.message(&err.message).into());
        }
        map.insert(
            "contact".into(),
            json!({
                "action": format!("{path}/contact"),
                "csrf": crate::cache::CSRF_SLOT,
                "values": values,
                "errors": messages,
                "error_count": form.errors.len(),
                "notice": form.notice.unwrap_or_default(),
            }),
        );
    }
    let html = crate::templates::render_page(&state.templates, site, req, lang, "portal/job", ctx)?;
    let mut res = HttpResponse::build(status);
    if !ended {
        // The page is the same for everyone but the form's token, which belongs to the visitor's
        // cookie: the cache fills it in per request (and sets the cookie), so the page can be
        // shared from memory. `private` keeps shared caches in front of Yui away.
        res.insert_header((crate::cache::CSRF_SLOT_HEADER, "1"));
        res.insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-cache"));
    }
    if Lang::from_query(req).is_some() {
        res.cookie(
            actix_web::cookie::Cookie::build(crate::i18n::COOKIE, lang.code())
                .path("/")
                .http_only(true)
                .same_site(actix_web::cookie::SameSite::Lax)
                .secure(site.base_url.starts_with("https://"))
                .max_age(actix_web::cookie::time::Duration::days(365))
                .finish(),
        );
    }
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}
