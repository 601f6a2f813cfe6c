//! `/manage/{token}`: the employer's private page for one posting, reached from the link in
//! each mail Yui sends them (every mail carries a fresh link; older ones stop working). No
//! account: holding the link is the proof. They see the status and, depending on it:
//!
//! - before publication: correct the content (`POST /manage/{token}/edit`); when the editors
//!   asked for changes, their message is shown and saving sends the posting back for review;
//!   or withdraw the submission;
//! - while published: extend the listing (「掲載を延長する」), mark it filled, or close it;
//! - once filled or closed after publication: say whether the hire came through Yui.

use crate::csrf::{self, Csrf};
use crate::error::WebError;
use crate::forms::value as value_of;
use crate::handler::{db, db_mail};
use crate::i18n::Lang;
use crate::intake;
use crate::state::AppState;
use crate::tokens::hash_token;
use actix_web::http::{header, Method, StatusCode};
use actix_web::{get, post, route, web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use yui_db::employers::Employer;
use yui_db::postings::{Actor, PostingContent, Reason};
use yui_db::postings::{Posting, ReviewEvent};
use yui_db::DbError;
use yui_domain::{ChangeReason, EmploymentType, FieldError, PostingAction, PostingStatus, RemoteMode, SalaryUnit};
use yui_ingest::mapping;
use yui_mail::letters::staff::ChangesResubmitted;

/// The reason code of everything the employer does from this page.
const EMPLOYER: &str = "employer";

/// The fields of Yui's own form the employer may change here (named as on /submit).
const EDITABLE: &[&str] = &[
    "title",
    "employment_type",
    "description",
    "category",
    "location",
    "remote",
    "salary_unit",
    "salary_min",
    "salary_max",
    "hours",
    "holidays",
    "insurance",
    "trial_period",
    "smoking",
    "requirements",
    "how_to_apply",
    "valid_through",
];

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

/// The content can be corrected until an editor has decided.
fn editable(status: PostingStatus) -> bool {
    matches!(status, PostingStatus::Pending | PostingStatus::ChangesRequested)
}

/// Whether the page asks if the hire came through Yui: after the posting was filled, or
/// closed once it had been published (a withdrawn submission hired nobody through Yui).
fn asks_hired(p: &Posting) -> bool {
    p.status == PostingStatus::Filled || (p.status == PostingStatus::Closed && p.published_at.is_some())
}

/// A posting opened by its link, with the editors' latest request for changes when it waits for them.
struct Loaded {
    posting: Posting,
    employer: Employer,
    request: Option<ReviewEvent>,
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
        Ok(Some(Loaded { posting, employer, request }))
    })
    .await
}

/// The page's address is the key: never let it leave in a Referer or a shared cache.
fn private(res: &mut actix_web::HttpResponseBuilder) -> &mut actix_web::HttpResponseBuilder {
    res.insert_header((header::REFERRER_POLICY, "no-referrer")).insert_header((header::CACHE_CONTROL, "no-store"))
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

/// The last day shown for an end instant, as a form's date value (Japan time).
fn last_day_value(end: chrono::NaiveDateTime) -> String {
    (end - chrono::Duration::seconds(1)).and_utc().with_timezone(&yui_domain::tokyo()).format("%Y-%m-%d").to_string()
}

/// The place as one line, the way /submit asks for it.
fn location_value(p: &Posting) -> String {
    let address = p.address.as_deref().unwrap_or("");
    let head = format!("{}{}", p.prefecture, p.municipality);
    if address.starts_with(&head) || (!p.prefecture.is_empty() && address.starts_with(&p.prefecture)) {
        address.to_owned()
    } else {
        format!("{head}{address}")
    }
}

/// The edit form's fields, filled from the stored posting.
fn prefill(p: &Posting) -> Vec<(String, String)> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let number = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    [
        ("title", p.title.clone()),
        ("employment_type", p.employment_type.code().to_owned()),
        ("description", p.description.clone()),
        ("category", text(&p.category)),
        ("location", location_value(p)),
        ("remote", p.remote.code().to_owned()),
        ("salary_unit", text(&p.salary_unit)),
        ("salary_min", number(p.salary_min)),
        ("salary_max", number(p.salary_max)),
        ("hours", text(&p.hours)),
        ("holidays", text(&p.holidays)),
        ("insurance", text(&p.insurance)),
        ("trial_period", text(&p.trial_period)),
        ("smoking", text(&p.smoking)),
        ("requirements", text(&p.requirements)),
        ("how_to_apply", p.how_to_apply.clone()),
        ("valid_through", last_day_value(p.valid_through)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The new content from the corrected form. What the employer left as it was keeps its
/// stored value exactly: the place (parsed back from one line it could come out split
/// differently) and the end (the form shows a day, the posting may end at another hour).
fn content_from(p: &Posting, mut draft: yui_domain::PostingDraft, typed: &[(String, String)]) -> PostingContent {
    let before = prefill(p);
    let unchanged = |name: &str| value_of(typed, name).trim() == value_of(&before, name).trim();
    if unchanged("valid_through") {
        draft.valid_through = None;
    }
    // An empty last day keeps the current end.
    let mut content = PostingContent::from_draft(draft, p.valid_through);
    if unchanged("location") {
        content.prefecture = p.prefecture.clone();
        content.municipality = p.municipality.clone();
        content.area = p.area.clone();
        content.address = p.address.clone();
    }
    content
}

/// A changed column, as the editors' mail names it.
fn column_label(column: &str) -> &'static str {
    match column {
        "area" => "地区",
        "salary_min" => "給与（下限）",
        "salary_max" => "給与（上限）",
        other => match intake::field_label(other) {
            "" => "その他",
            label => label,
        },
    }
}

fn options<T: Copy>(
    all: &[T],
    selected: &str,
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Value {
    all.iter().map(|v| json!({"code": code(*v), "label": label(*v), "selected": code(*v) == selected})).collect()
}

/// How the page is shown this time.
struct View<'a> {
    status: StatusCode,
    /// A locale key for a message at the top, or "".
    notice_key: &'static str,
    /// What the employer typed into the edit form, when it comes back to them.
    typed: Option<&'a [(String, String)]>,
    errors: &'a [FieldError],
}

impl Default for View<'_> {
    fn default() -> Self {
        View { status: StatusCode::OK, notice_key: "", typed: None, errors: &[] }
    }
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    loaded: &Loaded,
    view: View<'_>,
) -> Result<HttpResponse, WebError> {
    let Loaded { posting, employer, request } = loaded;
    let lang = Lang::of_request(req);
    let csrf = Csrf::for_request(req);
    let now = yui_db::now();
    let buttons: Vec<_> = buttons(posting, state, now)
        .iter()
        .map(|b| json!({"code": b.code(), "label_key": b.label_key(posting.status)}))
        .collect();
    let done = crate::i18n::query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "1");
    let renew_hint = renewal(posting, state, now)
        .map(|end| crate::views::date(end - chrono::Duration::seconds(1), lang))
        .unwrap_or_default();
    let request = request.as_ref().map(|e| {
        let reason =
            e.reason_code.as_deref().and_then(|c| c.parse::<ChangeReason>().ok()).map(|r| r.label(lang.code()));
        let lines: Vec<&str> =
            e.reason_text.as_deref().unwrap_or("").lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        json!({"reason": reason.unwrap_or(""), "lines": lines})
    });
    let edit_form = editable(posting.status).then(|| {
        let prefilled = prefill(posting);
        let values_from = view.typed.unwrap_or(&prefilled);
        let mut values = Map::new();
        let mut messages = Map::new();
        for name in EDITABLE {
            values.insert((*name).into(), value_of(values_from, name).into());
            messages.insert((*name).into(), "".into());
        }
        for name in ["salary", "municipality"] {
            messages.insert(name.into(), "".into());
        }
        for e in view.errors {
            messages.insert(e.field.into(), lang.message(&e.message).into());
        }
        let value = |name: &str| value_of(values_from, name).to_owned();
        json!({
            "resubmit": posting.status == PostingStatus::ChangesRequested,
            "open": posting.status == PostingStatus::ChangesRequested || view.typed.is_some(),
            "values": values,
            "errors": messages,
            "error_count": view.errors.len(),
            "types": options(EmploymentType::ALL, &value("employment_type"), EmploymentType::code, |t| t.label(lang.code())),
            "remotes": options(RemoteMode::ALL, &value("remote"), RemoteMode::code, |t| t.label(lang.code())),
            "units": options(SalaryUnit::ALL, &value("salary_unit"), SalaryUnit::code, |t| t.label(lang.code())),
        })
    });
    let hired_answer = match posting.hired_via_yui {
        Some(true) => "manage.hired.answered_yes",
        Some(false) => "manage.hired.answered_no",
        None => "",
    };
    let ctx = json!({
        "page_title": posting.title,
        "robots": "noindex,nofollow",
        "token": token,
        "lang_query": lang_query(req),
        "title": posting.title,
        "employer_name": employer.name,
        "employer_email": employer.email,
        "status_code": posting.status.code(),
        "status_key": format!("manage.state.{}", posting.status.code()),
        "public_url": if posting.is_public_at(now) { format!("/jobs/{}", posting.public_id) } else { String::new() },
        "valid_through": crate::views::date(posting.valid_through - chrono::Duration::seconds(1), lang),
        "submitted": crate::views::date(posting.created_at, lang),
        "version": posting.version,
        "buttons": buttons,
        "renew_hint": renew_hint,
        "renew_at_most": posting.status == PostingStatus::Published && renewal(posting, state, now).is_none(),
        "csrf": csrf.token(&state.settings.secret_key),
        "done": done,
        "notice_key": view.notice_key,
        "request": request,
        "edit": edit_form,
        "region": state.settings.site.region,
        "hired": {"ask": asks_hired(posting) && posting.hired_via_yui.is_none(), "answer_key": hired_answer},
    });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "manage/posting", ctx)?;
    let mut res = HttpResponse::build(view.status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(private(&mut res).content_type("text/html; charset=utf-8").body(html))
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

#[get("/manage/{token}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    match load(&state, &path).await? {
        Some(loaded) => render(&req, &state, &path, &loaded, View::default()),
        None => link_not_found(&req, &state),
    }
}

#[derive(serde::Deserialize)]
pub struct ActForm {
    action: String,
    version: Option<i32>,
    /// The answer to the hired-through-Yui question: `yes` or `no`.
    value: Option<String>,
    csrf: Option<String>,
}

fn not_allowed() -> WebError {
    WebError::BadRequest("この掲載では、その操作はできません。".into())
}

#[post("/manage/{token}")]
pub async fn act(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ActForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some(Loaded { posting, .. }) = load(&state, &path).await? else {
        return link_not_found(&req, &state);
    };
    if !csrf::verify(&req, &state.settings.secret_key, form.csrf.as_deref()) {
        return Err(WebError::BadRequest(
            "ページの有効期限が切れていました。ページを読み込み直してから、もう一度お試しください。".into(),
        ));
    }
    let id = posting.id;
    let result = match form.action.as_str() {
        "hired_via_yui" => {
            let hired = match form.value.as_deref() {
                Some("yes") => true,
                Some("no") => false,
                _ => return Err(WebError::BadRequest("「はい」か「いいえ」を選んでください。".into())),
            };
            if !asks_hired(&posting) {
                return Err(not_allowed());
            }
            if !db(&state, move |conn| yui_db::postings::set_hired_via_yui(conn, id, hired)).await? {
                return Err(not_allowed());
            }
            log::info!("posting {}: its employer says the hire came through Yui: {hired}", posting.public_id);
            Ok(())
        }
        "renew" => {
            let version = form.version.ok_or_else(not_allowed)?;
            if posting.status != PostingStatus::Published {
                return Err(not_allowed());
            }
            let now = yui_db::now();
            let new_end = renewal(&posting, &state, now).ok_or_else(|| {
                WebError::BadRequest("掲載終了日は、いまから180日先までです。これ以上は延長できません。".into())
            })?;
            let renewed = db(&state, move |conn| yui_db::postings::renew(conn, id, version, new_end, now)).await;
            if renewed.is_ok() {
                log::info!("posting {} renewed by its employer", posting.public_id);
            }
            renewed.map(|_| ())
        }
        code => {
            let action = code
                .parse::<PostingAction>()
                .ok()
                .filter(|a| buttons(&posting, &state, yui_db::now()).contains(&Button::Status(*a)))
                .ok_or_else(not_allowed)?;
            let version = form.version.ok_or_else(not_allowed)?;
            let applied = db(&state, move |conn| {
                yui_db::postings::apply_action(
                    conn,
                    id,
                    version,
                    action,
                    Actor::default(),
                    Reason { code: Some(EMPLOYER), text: None },
                    yui_db::now(),
                )
            })
            .await;
            if applied.is_ok() {
                log::info!("posting {} {} by its employer", posting.public_id, action.code());
            }
            applied.map(|_| ())
        }
    };
    match result {
        Ok(()) => Ok(back_to_page(&req, &path)),
        Err(e) if is_conflict(&e) => conflict(&req, &state, &path, None).await,
        Err(e) => Err(e),
    }
}

/// `POST`: the corrected content, checked like /submit; saved, and when the editors asked for
/// changes, sent back for review, with the editors told (one transaction). `GET` (a language
/// switch on the re-shown form) goes back to the page.
#[route("/manage/{token}/edit", method = "GET", method = "POST")]
pub async fn edit(
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    if req.method() == Method::GET {
        let query = match req.query_string() {
            "" => String::new(),
            q => format!("?{q}"),
        };
        return Ok(private(&mut HttpResponse::SeeOther())
            .insert_header((header::LOCATION, format!("/manage/{token}{query}")))
            .finish());
    }
    let Some(loaded) = load(&state, &token).await? else {
        return link_not_found(&req, &state);
    };
    let fields = crate::forms::fields(&body)?;
    // Only the posting's own fields: the employer is not changed here.
    let typed: Vec<(String, String)> = fields.iter().filter(|(k, _)| EDITABLE.contains(&k.as_str())).cloned().collect();
    let posting = &loaded.posting;
    if !editable(posting.status) {
        return conflict(&req, &state, &token, None).await;
    }
    if !csrf::verify(&req, &state.settings.secret_key, Some(value_of(&fields, csrf::FIELD))) {
        let view = View {
            status: StatusCode::FORBIDDEN,
            notice_key: "manage.notice.expired_form",
            typed: Some(&typed),
            ..View::default()
        };
        return render(&req, &state, &token, &loaded, view);
    }
    let version: i32 = value_of(&fields, "version").trim().parse().map_err(|_| not_allowed())?;
    if version != posting.version {
        return conflict(&req, &state, &token, Some(&typed)).await;
    }
    let mut with_employer = typed.clone();
    with_employer.push(("employer_name".into(), loaded.employer.name.clone()));
    with_employer.push(("email".into(), loaded.employer.email.clone()));
    let draft = match mapping::map_fields(&with_employer, &state.settings.ingest.region) {
        Ok(intake) => intake.posting,
        Err(errors) => {
            let view = View {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                typed: Some(&typed),
                errors: &errors,
                ..View::default()
            };
            return render(&req, &state, &token, &loaded, view);
        }
    };
    let content = content_from(posting, draft, &typed);
    let (id, public_id, employer_name) = (posting.id, posting.public_id.clone(), loaded.employer.name.clone());
    let app = state.clone();
    let saved = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let now = yui_db::now();
            let (updated, diff) =
                yui_db::postings::update_content(conn, id, version, &content, "employer_edit", Actor::default(), now)?;
            let resubmitted = updated.status == PostingStatus::ChangesRequested;
            if resubmitted {
                yui_db::postings::apply_action(
                    conn,
                    id,
                    updated.version,
                    PostingAction::Resubmit,
                    Actor::default(),
                    Reason { code: Some(EMPLOYER), text: None },
                    now,
                )?;
            }
            if resubmitted || !diff.is_empty() {
                let changed: Vec<&str> = diff.keys().map(|k| column_label(k)).collect();
                let notice = ChangesResubmitted {
                    resubmitted,
                    title: &updated.title,
                    employer_name: &employer_name,
                    posting_id: &public_id,
                    changed: &changed,
                };
                app.letters.changes_resubmitted(conn, &notice)?;
            }
            Ok((resubmitted, diff.len()))
        })
    })
    .await;
    match saved {
        Ok((resubmitted, changed)) => {
            let what = if resubmitted { "corrected and resubmitted" } else { "edited" };
            log::info!("posting {} {what} by its employer ({changed} field(s) changed)", posting.public_id);
            Ok(back_to_page(&req, &token))
        }
        Err(e) if is_conflict(&e) => conflict(&req, &state, &token, Some(&typed)).await,
        Err(e) => Err(e),
    }
}
