//! `/manage/{token}`: the employer's private page for one posting, reached from the link in
//! each mail Yui sends them (every mail carries a fresh link; older ones stop working). No
//! account: holding the link is the proof. They see the status and, depending on it:
//!
//! - before publication: correct the content (`POST /manage/{token}/edit`); when the editors
//!   asked for changes, their message is shown and saving sends the posting back for review;
//!   or withdraw the submission;
//! - while published: extend the listing (「掲載を延長する」), mark it filled, or close it; or
//!   propose a corrected content, which the editors apply or decline while the published
//!   version stays up (`posting_revisions`);
//! - once filled or closed after publication: say whether the hire came through Yui.

mod actions;
mod correction;
mod face;
mod page;

pub(crate) use self::correction::content_of_fields_from;
use self::{actions::*, page::*};
use crate::csrf::{self, Csrf};
use crate::error::WebError;
use crate::forms::value as value_of;
use crate::handler::{db, db_mail, private};
use crate::i18n::Lang;
use crate::intake;
use crate::state::AppState;
use crate::tokens::hash_token;
use actix_web::http::{header, Method, StatusCode};
use actix_web::{get, post, route, web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use yui_db::employers::Employer;
use yui_db::postings::{Actor, PostingContent, ProjectContent, Reason, TermsContent};
use yui_db::postings::{Posting, ReviewEvent};
use yui_db::revisions::Revision;
use yui_db::DbError;
use yui_domain::{ChangeReason, EmploymentType, FieldError, PostingAction, PostingStatus, RemoteMode, SalaryUnit};
use yui_ingest::mapping;
use yui_mail::letters::staff::{ChangesResubmitted, RevisionProposed};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page::show)
        .service(actions::act)
        .service(correction::edit)
        .service(face::text)
        .service(face::logo)
        .service(face::photo)
        .service(face::remove);
}

/// The reason code of everything the employer does from this page.
const EMPLOYER: &str = "employer";

/// The fields of Yui's own form the employer may change here (named as on /submit).
const EDITABLE: &[&str] = &[
    "title",
    "employment_type",
    "description",
    "category",
    "location",
    "area",
    "remote",
    "salary_unit",
    "salary_min",
    "salary_max",
    "requirements",
    "how_to_apply",
    "valid_through",
    "conditions",
];

/// Every field the employer may change here: [`EDITABLE`], the working conditions and the
/// project terms.
fn editable_fields() -> impl Iterator<Item = &'static str> {
    EDITABLE.iter().chain(crate::views::TERMS_FIELDS).chain(crate::views::PROJECT_FIELDS).copied()
}

/// Something the employer can do with a button on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Button {
    Renew,
    Status(PostingAction),
}

impl Button {
    fn code(self) -> &'static str {
        match self {
            Button::Renew => "renew",
            Button::Status(a) => a.code(),
        }
    }

    fn label_key(self, status: PostingStatus) -> &'static str {
        match (self, status) {
            (Button::Renew, _) => "manage.action.renew",
            (Button::Status(PostingAction::MarkFilled), _) => "manage.action.mark_filled",
            (Button::Status(_), PostingStatus::Published) => "manage.action.close_published",
            (Button::Status(_), _) => "manage.action.withdraw",
        }
    }
}

/// The end a renewal would give the posting now, if it can be renewed at all.
fn renewal(posting: &Posting, state: &AppState, now: chrono::NaiveDateTime) -> Option<chrono::NaiveDateTime> {
    (posting.status == PostingStatus::Published)
        .then(|| yui_domain::renewed_end(now, posting.valid_through, state.settings.default_valid_days))
        .flatten()
}

/// What the employer may do in each status, in the order the buttons are shown.
fn buttons(posting: &Posting, state: &AppState, now: chrono::NaiveDateTime) -> Vec<Button> {
    match posting.status {
        PostingStatus::Pending | PostingStatus::ChangesRequested => vec![Button::Status(PostingAction::Close)],
        PostingStatus::Published => {
            let mut list = Vec::with_capacity(3);
            if renewal(posting, state, now).is_some() {
                list.push(Button::Renew);
            }
            list.extend([Button::Status(PostingAction::MarkFilled), Button::Status(PostingAction::Close)]);
            list
        }
        _ => Vec::new(),
    }
}

/// The content can be corrected until an editor has decided, and proposed for review again
/// while published.
fn editable(status: PostingStatus) -> bool {
    matches!(status, PostingStatus::Pending | PostingStatus::ChangesRequested | PostingStatus::Published)
}

/// Whether the page asks if the hire came through Yui: after the posting was filled, or
/// closed once it had been published (a withdrawn submission hired nobody through Yui).
fn asks_hired(p: &Posting) -> bool {
    p.status == PostingStatus::Filled || (p.status == PostingStatus::Closed && p.published_at.is_some())
}

/// A posting opened by its link, with the editors' latest request for changes when it waits
/// for them, and the correction the employer proposed while it is published.
struct Loaded {
    posting: Posting,
    employer: Employer,
    terms: TermsContent,
    project: yui_db::postings::ProjectContent,
    conditions: Vec<String>,
    request: Option<ReviewEvent>,
    revision: Option<Revision>,
    /// The employer's public face, approved and proposed.
    profile: Option<yui_db::employer_profiles::Profile>,
    /// Views and contacts in each of the last twelve weeks.
    weeks: Vec<crate::statistics::Week>,
}

/// `None` when the link does not (or no longer) open a posting.
async fn load(state: &web::Data<AppState>, token: &str) -> Result<Option<Loaded>, WebError> {
    // Tokens are 43 URL-safe characters; anything else cannot match and skips the query.
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Ok(None);
    }
    let hash = hash_token(token);
    db(state, move |conn| {
        let Some((posting, employer)) = yui_db::postings::find_by_manage_token_hash(conn, &hash)? else {
            return Ok(None);
        };
        let request = if posting.status == PostingStatus::ChangesRequested {
            yui_db::postings::review_log(conn, posting.id)?.into_iter().rev().find(|e| e.action == "request_changes")
        } else {
            None
        };
        let terms = yui_db::postings::terms_of(conn, posting.id)?;
        let project = yui_db::postings::project_of(conn, posting.id)?;
        let conditions = yui_db::postings::conditions_of(conn, posting.id)?;
        let revision = yui_db::revisions::find(conn, posting.id)?;
        let profile = yui_db::employer_profiles::find(conn, employer.id)?;
        let weeks = crate::statistics::posting_weeks(conn, posting.id, yui_domain::today())?;
        Ok(Some(Loaded { posting, employer, terms, project, conditions, request, revision, profile, weeks }))
    })
    .await
}

/// A link that opens nothing: most often an older mail's link, since each mail carries a new one.
fn link_not_found(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let message = lang.t("manage.link_not_found");
    let ctx = json!({"status": 404, "message": message, "is_not_found": true});
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "errors/error", ctx)?;
    Ok(private(&mut HttpResponse::NotFound()).content_type("text/html; charset=utf-8").body(html))
}

/// `?lang=en` when the reader chose English here, so forms and redirects stay in it.
fn lang_query(req: &HttpRequest) -> &'static str {
    match Lang::from_query(req) {
        Some(Lang::En) => "?lang=en",
        Some(Lang::Ja) => "?lang=ja",
        None => "",
    }
}

fn back_to_page(req: &HttpRequest, token: &str) -> HttpResponse {
    let lang = match lang_query(req) {
        "" => String::new(),
        q => format!("&{}", &q[1..]),
    };
    private(&mut HttpResponse::SeeOther())
        .insert_header((header::LOCATION, format!("/manage/{token}?done=1{lang}")))
        .finish()
}

/// Someone (an editor, most likely) changed the posting after the employer opened the page:
/// show its current state with a 409 and, for the edit form, what they typed.
async fn conflict(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
    typed: Option<&[(String, String)]>,
) -> Result<HttpResponse, WebError> {
    let Some(loaded) = load(state, token).await? else {
        return link_not_found(req, state);
    };
    let typed = typed.filter(|_| editable(loaded.posting.status));
    let notice_key = if typed.is_some() { "manage.notice.conflict_kept" } else { "manage.notice.conflict" };
    render(req, state, token, &loaded, View { status: StatusCode::CONFLICT, notice_key, typed, ..View::default() })
}

fn is_conflict(e: &WebError) -> bool {
    matches!(e, WebError::Db(DbError::Conflict(_) | DbError::Transition(_)))
}

/// How the page is shown this time.
struct View<'a> {
    status: StatusCode,
    /// A locale key for a message at the top, or "".
    notice_key: &'static str,
    /// What the employer typed into the edit form, when it comes back to them.
    typed: Option<&'a [(String, String)]>,
    errors: &'a [FieldError],
    /// What is wrong with what was sent to the face section.
    face_errors: &'a [FieldError],
    /// The introduction and links as typed, when they come back refused.
    face_typed: Option<(&'a str, &'a str)>,
}

impl Default for View<'_> {
    fn default() -> Self {
        View { status: StatusCode::OK, notice_key: "", typed: None, errors: &[], face_errors: &[], face_typed: None }
    }
}
