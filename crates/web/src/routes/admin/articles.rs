//! `/admin/articles`: writers draft feature articles and columns and submit them; a second
//! editor approves. Every step goes through `yui_db::articles` (rules from
//! `yui_domain::articles`, version check, editorial log); a refused step is shown on the
//! article's page in Japanese with 403, 409 or 422.

use super::{admin_page, field, see_other};
use crate::auth::{CanWrite, Fields, StaffForm};
use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::db;
use crate::hero_image;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use futures_util::StreamExt;
use serde_json::{json, Map, Value};
use yui_db::articles::{Article, ArticleContent, Editor, Refused};
use yui_domain::articles::{
    article_step, may_edit_article, ArticleAction, ArticleDraft, ArticleForm, ArticleKind, ArticleStatus,
    ArticleStepError,
};
use yui_domain::{tokyo, FieldError};

const LIST_LIMIT: i64 = 300;
const POSTING_CHOICES: i64 = 50;
/// The form's fields, in the order the page shows them.
const FIELDS: [&str; 12] = [
    "kind",
    "slug",
    "title",
    "lede",
    "body",
    "hero_alt",
    "sponsor",
    "postings",
    "writer_credit",
    "photographer_credit",
    "editor_credit",
    "publish_at",
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(new_form).service(create).service(show).service(edit).service(act).service(hero);
}

fn editor(staff: &Staff) -> Editor {
    Editor { staff_id: staff.id, organization_id: staff.organization_id, role: staff.role }
}

/// A state-changing article form: any staff role may write, and the CSRF token must match.
#[get("/admin/articles")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let lang = Lang::of_request(&req);
    let query: Vec<(String, String)> = crate::i18n::query_pairs(req.query_string()).collect();
    let pick = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    let kind = pick("kind").parse::<ArticleKind>().ok();
    let status = pick("status").parse::<ArticleStatus>().ok();
    let rows = db(&state, move |conn| yui_db::articles::list(conn, kind, status, LIST_LIMIT)).await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let a = &r.article;
            json!({
                "id": a.id,
                "title": a.title,
                "slug": a.slug,
                "kind": a.kind.label(lang.code()),
                "status": a.status.label(lang.code()),
                "status_code": a.status.code(),
                "author": r.author_name,
                "updated": views::date(a.updated_at, lang),
            })
        })
        .collect();
    let kinds: Vec<Value> = ArticleKind::ALL
        .iter()
        .map(|k| json!({"code": k.code(), "label": k.label(lang.code()), "selected": Some(*k) == kind}))
        .collect();
    let statuses: Vec<Value> = ArticleStatus::ALL
        .iter()
        .map(|s| json!({"code": s.code(), "label": s.label(lang.code()), "selected": Some(*s) == status}))
        .collect();
    let ctx = json!({"page_title": lang.t("articles.admin.page_title"), "articles": rows, "kinds": kinds, "statuses": statuses});
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/articles", ctx).await
}

/// What the page shows besides the article: a message, and for a refused save the field
/// messages and what was typed.
struct Shown<'a> {
    status: StatusCode,
    notice: &'a str,
    errors: &'a [FieldError],
    typed: Option<&'a [(String, String)]>,
}

impl<'a> Shown<'a> {
    fn with(status: StatusCode, notice: &'a str) -> Self {
        Shown { status, notice, errors: &[], typed: None }
    }
}

/// `YYYY-MM-DDTHH:MM` in Japan's time, for `<input type="datetime-local">`.
fn local_input(at: NaiveDateTime) -> String {
    at.and_utc().with_timezone(&tokyo()).format("%Y-%m-%dT%H:%M").to_string()
}

/// The form's values from the stored article (or empty for a new one).
fn stored_values(a: Option<&Article>, linked: &[String]) -> Vec<(String, String)> {
    let Some(a) = a else {
        return vec![("kind".into(), ArticleKind::Feature.code().into())];
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        ("kind".into(), a.kind.code().into()),
        ("slug".into(), a.slug.clone()),
        ("title".into(), a.title.clone()),
        ("lede".into(), a.lede.clone()),
        ("body".into(), a.body_markdown.clone()),
        ("hero_alt".into(), opt(&a.hero_alt)),
        ("sponsor".into(), a.sponsor_employer_id.map(|s| s.to_string()).unwrap_or_default()),
        ("postings".into(), linked.join(" ")),
        ("writer_credit".into(), opt(&a.writer_credit)),
        ("photographer_credit".into(), opt(&a.photographer_credit)),
        ("editor_credit".into(), opt(&a.editor_credit)),
        ("publish_at".into(), a.publish_at.map(local_input).unwrap_or_default()),
    ]
}

/// The refusal as the person reads it, with its status.
fn refusal(r: &Refused, lang: Lang) -> (StatusCode, String) {
    match r {
        Refused::Step(ArticleStepError::Role { role, .. }) => {
            (StatusCode::FORBIDDEN, lang.tf("articles.refused.role", &[("role", &role.label(lang.code()))]))
        }
        Refused::Step(ArticleStepError::NotAuthor) => {
            (StatusCode::FORBIDDEN, lang.t("articles.refused.not_author").into())
        }
        Refused::Step(ArticleStepError::OwnArticle) => {
            (StatusCode::FORBIDDEN, lang.t("articles.refused.own_article").into())
        }
        Refused::Step(ArticleStepError::Transition { from, action }) => (
            StatusCode::CONFLICT,
            lang.tf(
                "articles.refused.transition",
                &[("from", &from.label(lang.code())), ("action", &action.label(lang.code()))],
            ),
        ),
        Refused::MayNotEdit => (StatusCode::FORBIDDEN, lang.t("articles.refused.may_not_edit").into()),
        Refused::NoOrder => (StatusCode::UNPROCESSABLE_ENTITY, lang.t("articles.refused.no_order").into()),
        Refused::SlugTaken => (StatusCode::UNPROCESSABLE_ENTITY, lang.t("articles.refused.slug_taken").into()),
        Refused::Stale => (StatusCode::CONFLICT, lang.t("articles.refused.stale").into()),
    }
}

struct Loaded {
    article: Option<Article>,
    linked: Vec<yui_db::postings::Posting>,
    log: Vec<yui_db::editorial_log::Line>,
    sponsors: Vec<(i32, String)>,
    choices: Vec<(yui_db::postings::Posting, yui_db::employers::Employer)>,
    has_order: bool,
}

async fn load(state: &web::Data<AppState>, id: Option<i32>) -> Result<Loaded, WebError> {
    let now = yui_db::now();
    let loaded = db(state, move |conn| {
        let article = match id {
            Some(id) => match yui_db::articles::find(conn, id)? {
                Some(a) => Some(a),
                None => return Ok(None),
            },
            None => None,
        };
        let (linked, log, has_order) = match &article {
            Some(a) => (
                yui_db::articles::linked_postings(conn, a.id)?,
                yui_db::editorial_log::lines(conn, yui_db::editorial_log::Subject::Article(a.id))?,
                yui_db::orders::publication_allowed(conn, a.id)?,
            ),
            None => (Vec::new(), Vec::new(), false),
        };
        let sponsors = yui_db::articles::sponsor_choices(conn)?;
        let choices = yui_db::articles::posting_choices(conn, now, POSTING_CHOICES)?;
        Ok(Some(Loaded { article, linked, log, sponsors, choices, has_order }))
    })
    .await?;
    loaded.ok_or(WebError::NotFound)
}

async fn article_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    id: Option<i32>,
    shown: Shown<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let l = load(state, id).await?;
    let linked_ids: Vec<String> = l.linked.iter().map(|p| p.public_id.clone()).collect();
    let values_list = match shown.typed {
        Some(typed) => typed.to_vec(),
        None => stored_values(l.article.as_ref(), &linked_ids),
    };
    let value = |name: &str| field(&values_list, name).unwrap_or("").to_owned();
    // Checked postings come as repeated `posting` fields; they join the typed ids.
    let mut chosen: Vec<String> = value("postings")
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    chosen.extend(values_list.iter().filter(|(k, _)| k == "posting").map(|(_, v)| v.clone()));
    let mut values = Map::new();
    let mut errors = Map::new();
    for f in FIELDS {
        values.insert(f.into(), value(f).into());
        errors.insert(f.into(), "".into());
    }
    errors.insert("hero".into(), "".into());
    values.insert("postings".into(), chosen.join(" ").into());
    for e in shown.errors {
        errors.insert(e.field.into(), lang.message(&e.message).into());
    }
    let kind = value("kind");
    let sponsor = value("sponsor");
    let kinds: Vec<Value> = ArticleKind::ALL
        .iter()
        .map(|k| json!({"code": k.code(), "label": k.label(lang.code()), "selected": k.code() == kind}))
        .collect();
    let sponsors: Vec<Value> = l
        .sponsors
        .iter()
        .map(|(sid, name)| json!({"id": sid, "name": name, "selected": sid.to_string() == sponsor}))
        .collect();
    let choices: Vec<Value> = l
        .choices
        .iter()
        .map(|(p, e)| {
            json!({"id": p.public_id, "title": p.title, "employer": e.name, "checked": chosen.contains(&p.public_id)})
        })
        .collect();
    let me = editor(staff);
    let mut ctx = json!({
        "page_title": lang.t("articles.admin.page_title"),
        "notice": shown.notice,
        "values": values,
        "errors": errors,
        "error_count": shown.errors.len(),
        "kinds": kinds,
        "sponsors": sponsors,
        "choices": choices,
        "is_new": l.article.is_none(),
        "action": "/admin/articles",
        "editable": true,
        "require_order": state.settings.editorial.require_order,
    });
    if let (Some(a), Some(map)) = (&l.article, ctx.as_object_mut()) {
        let now = yui_db::now();
        let steps: Vec<Value> = ArticleAction::ALL
            .iter()
            .filter(|action| article_step(a.status, **action, me.role, me.staff_id, a.author_id).is_ok())
            .map(|action| json!({"code": action.code(), "label": action.label(lang.code()), "needs_note": *action == ArticleAction::SendBack}))
            .collect();
        let public_url = format!("/{}/{}", if a.kind == ArticleKind::Feature { "features" } else { "columns" }, a.slug);
        let log: Vec<Value> = l
            .log
            .iter()
            .map(|line| {
                let label =
                    line.action.parse::<ArticleAction>().map(|x| x.label(lang.code()).to_owned()).unwrap_or_else(
                        |_| match line.action.as_str() {
                            "create" => lang.t("articles.log.create").into(),
                            "edit" => lang.t("articles.log.edit").into(),
                            "hero_image" => lang.t("articles.log.hero_image").into(),
                            other => other.to_owned(),
                        },
                    );
                let status = |s: &str| s.parse::<ArticleStatus>().map(|x| x.label(lang.code())).unwrap_or("");
                json!({
                    "at": crate::views::datetime(line.created_at, lang),
                    "action": label,
                    "from": status(&line.from_status),
                    "to": status(&line.to_status),
                    "who": line.actor_name.clone().unwrap_or_else(|| lang.t("articles.who.system").into()),
                    "note": line.note.clone().unwrap_or_default(),
                })
            })
            .collect();
        map.insert("page_title".into(), a.title.clone().into());
        map.insert("action".into(), format!("/admin/articles/{}/edit", a.id).into());
        map.insert("editable".into(), may_edit_article(a.status, me.role, me.staff_id, a.author_id).into());
        map.insert(
            "article".into(),
            json!({
                "id": a.id,
                "version": a.version,
                "status": a.status.label(lang.code()),
                "kind": a.kind.label(lang.code()),
                "is_feature": a.kind == ArticleKind::Feature,
                "hero": a.hero_image.as_ref().map(|h| format!("/media/{h}")),
                "hero_alt": a.hero_alt.clone().unwrap_or_default(),
                "preview": crate::markdown::render(&a.body_markdown),
                "public_url": public_url,
                "is_public": a.is_public_at(now),
                "scheduled": (a.status == ArticleStatus::Published && !a.is_public_at(now)).then(|| a.shown_from().map(|t| crate::views::datetime(t, lang))).flatten(),
                "has_order": l.has_order,
            }),
        );
        map.insert("steps".into(), steps.into());
        map.insert("log".into(), log.into());
        map.insert(
            "max_image_mb".into(),
            format!("{:.1}", state.settings.editorial.max_image_bytes as f64 / 1_048_576.0).into(),
        );
    }
    admin_page(req, state, staff, shown.status, "admin/article", ctx).await
}

#[get("/admin/articles/new")]
pub async fn new_form(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    article_page(&req, &state, &staff, None, Shown::with(StatusCode::OK, "")).await
}

#[get("/admin/articles/{id}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let lang = Lang::of_request(&req);
    let done = crate::i18n::query_pairs(req.query_string()).find(|(k, _)| k == "done").map(|(_, v)| v);
    let notice = match done.as_deref() {
        Some("create") => lang.t("articles.done.create"),
        Some("edit") => lang.t("articles.done.edit"),
        Some("hero") => lang.t("articles.done.hero"),
        Some("submit") => lang.t("articles.done.submit"),
        Some("send_back") => lang.t("articles.done.send_back"),
        Some("approve") => lang.t("articles.done.approve"),
        Some("archive") => lang.t("articles.done.archive"),
        Some("restore") => lang.t("articles.done.restore"),
        _ => "",
    };
    article_page(&req, &state, &staff, Some(path.into_inner()), Shown::with(StatusCode::OK, notice)).await
}

/// The form as the domain reads it: each field's first value, and every ticked posting.
fn article_form(fields: &[(String, String)]) -> ArticleForm {
    let get = |name: &str| field(fields, name).unwrap_or("").to_owned();
    ArticleForm {
        kind: get("kind"),
        slug: get("slug"),
        title: get("title"),
        lede: get("lede"),
        body: get("body"),
        hero_alt: get("hero_alt"),
        sponsor: get("sponsor"),
        postings: get("postings"),
        checked_postings: fields.iter().filter(|(k, _)| k == "posting").map(|(_, v)| v.clone()).collect(),
        writer_credit: get("writer_credit"),
        photographer_credit: get("photographer_credit"),
        editor_credit: get("editor_credit"),
        publish_at: get("publish_at"),
    }
}

/// A checked article as it is stored, and its linked postings' public ids.
fn content_of(d: ArticleDraft) -> (ArticleContent, Vec<String>) {
    let postings = d.postings.iter().map(ToString::to_string).collect();
    let content = ArticleContent {
        kind: d.kind.code().into(),
        slug: d.slug.to_string(),
        title: d.title,
        lede: d.lede,
        body_markdown: d.body_markdown,
        hero_alt: d.hero_alt,
        sponsor_employer_id: d.sponsor_employer_id,
        writer_credit: d.writer_credit,
        photographer_credit: d.photographer_credit,
        editor_credit: d.editor_credit,
        publish_at: d.publish_at,
    };
    (content, postings)
}

enum Saved {
    /// The article's id.
    Done(i32),
    Refused(Refused),
    /// Public ids of postings that do not exist.
    Missing(String),
    NoSponsor,
    NotFound,
}

/// Saves a new draft or an edit; `id` is None for a new one.
async fn save(
    req: HttpRequest,
    form: StaffForm<Fields, CanWrite>,
    state: web::Data<AppState>,
    id: Option<i32>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let lang = Lang::of_request(&req);
    // The form again, as typed, with its messages.
    macro_rules! again {
        ($status:expr, $notice:expr, $errors:expr) => {{
            let shown = Shown { status: $status, notice: $notice, errors: $errors, typed: Some(&fields) };
            article_page(&req, &state, &staff, id, shown)
        }};
    }
    let (content, public_ids) = match ArticleDraft::parse(&article_form(&fields)) {
        Ok(draft) => content_of(draft),
        Err(errors) => {
            return again!(StatusCode::UNPROCESSABLE_ENTITY, lang.t("articles.fix_fields"), &errors).await;
        }
    };
    let version: i32 = field(&fields, "version").and_then(|v| v.parse().ok()).unwrap_or(1);
    let me = editor(&staff);
    let sponsor = content.sponsor_employer_id;
    let outcome = db(&state, move |conn| {
        let (posting_ids, missing) = yui_db::articles::resolve_postings(conn, &public_ids)?;
        if !missing.is_empty() {
            return Ok(Saved::Missing(missing.join(" ")));
        }
        if let Some(s) = sponsor {
            if !yui_db::articles::sponsor_choices(conn)?.iter().any(|(sid, _)| *sid == s) {
                return Ok(Saved::NoSponsor);
            }
        }
        let now = yui_db::now();
        let saved = match id {
            None => yui_db::articles::create(conn, &content, &posting_ids, me, now)?,
            Some(id) => {
                if yui_db::articles::find(conn, id)?.is_none() {
                    return Ok(Saved::NotFound);
                }
                yui_db::articles::update(conn, id, version, &content, &posting_ids, me, now)?
            }
        };
        Ok(saved.map_or_else(Saved::Refused, |a| Saved::Done(a.id)))
    })
    .await?;
    let problem = lang.t("articles.fix_fields");
    let saved = match outcome {
        Saved::Done(saved) => saved,
        Saved::NotFound => return Err(WebError::NotFound),
        Saved::Missing(ids) => {
            let errors = [FieldError {
                field: "postings",
                message: yui_domain::Message::new("field.article.postings.missing").with("ids", ids),
            }];
            return again!(StatusCode::UNPROCESSABLE_ENTITY, problem, &errors).await;
        }
        Saved::NoSponsor => {
            let errors =
                [FieldError { field: "sponsor", message: yui_domain::Message::new("field.article.sponsor.not_found") }];
            return again!(StatusCode::UNPROCESSABLE_ENTITY, problem, &errors).await;
        }
        Saved::Refused(Refused::SlugTaken) => {
            let (status, message) = refusal(&Refused::SlugTaken, lang);
            let errors = [FieldError { field: "slug", message: yui_domain::Message::as_written(message) }];
            return again!(status, problem, &errors).await;
        }
        Saved::Refused(Refused::Stale) => {
            // Kept as typed, with the current version: a deliberate second save wins.
            let (status, message) = refusal(&Refused::Stale, lang);
            let mut typed = fields.clone();
            typed.retain(|(k, _)| k != "version");
            let shown = Shown { status, notice: &message, errors: &[], typed: Some(&typed) };
            return article_page(&req, &state, &staff, id, shown).await;
        }
        Saved::Refused(other) => {
            let (status, message) = refusal(&other, lang);
            return again!(status, &message, &[]).await;
        }
    };
    log::info!("article {saved} saved by staff {}", staff.id);
    let done = if id.is_none() { "create" } else { "edit" };
    Ok(see_other(&format!("/admin/articles/{saved}?done={done}")))
}

#[post("/admin/articles")]
pub async fn create(
    req: HttpRequest,
    form: StaffForm<Fields, CanWrite>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    save(req, form, state, None).await
}

#[post("/admin/articles/{id}/edit")]
pub async fn edit(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<Fields, CanWrite>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    save(req, form, state, Some(path.into_inner())).await
}

#[post("/admin/articles/{id}/step/{action}")]
pub async fn act(
    req: HttpRequest,
    path: web::Path<(i32, String)>,
    form: StaffForm<Fields, CanWrite>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let (id, action) = path.into_inner();
    let action: ArticleAction = action.parse().map_err(|_| WebError::NotFound)?;
    let lang = Lang::of_request(&req);
    let version: i32 = field(&fields, "version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest(lang.t("articles.no_version").into()))?;
    let note = field(&fields, "note").unwrap_or("").trim().to_owned();
    if action == ArticleAction::SendBack && note.is_empty() {
        let shown = Shown::with(StatusCode::UNPROCESSABLE_ENTITY, lang.t("articles.send_back_reason"));
        return article_page(&req, &state, &staff, Some(id), shown).await;
    }
    let me = editor(&staff);
    let require_order = state.settings.editorial.require_order;
    let outcome = db(&state, move |conn| {
        if yui_db::articles::find(conn, id)?.is_none() {
            return Ok(None);
        }
        let note = (!note.is_empty()).then_some(note.as_str());
        Ok(Some(yui_db::articles::step(conn, id, version, action, me, note, require_order, yui_db::now())?))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    match outcome {
        Ok(a) => {
            log::info!("article {} {} by staff {}", a.id, action.code(), staff.id);
            Ok(see_other(&format!("/admin/articles/{}?done={}", a.id, action.code())))
        }
        Err(r) => {
            log::warn!("article {id}: {} refused for staff {}: {r:?}", action.code(), staff.id);
            let (status, message) = refusal(&r, lang);
            article_page(&req, &state, &staff, Some(id), Shown::with(status, &message)).await
        }
    }
}

/// What an upload form sent: its text fields, and the file (cut at `limit + 1` bytes).
struct Upload {
    fields: Vec<(String, String)>,
    file: Vec<u8>,
    too_large: bool,
}

/// Reads a multipart form. The file is kept up to `limit` bytes; the rest of an oversized one
/// is read and dropped (up to a bound), so the browser gets the page instead of a reset.
async fn read_upload(mut form: actix_multipart::Multipart, limit: usize, lang: Lang) -> Result<Upload, WebError> {
    let unreadable = || WebError::BadRequest(lang.t("articles.unreadable_image").into());
    let mut upload = Upload { fields: Vec::new(), file: Vec::new(), too_large: false };
    let mut seen = 0usize;
    while let Some(item) = form.next().await {
        let mut part = item.map_err(|_| unreadable())?;
        let name = part.name().unwrap_or("").to_owned();
        let is_file = name == "hero";
        let mut text = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| unreadable())?;
            seen = seen.saturating_add(chunk.len());
            if seen > limit.saturating_mul(4).max(1 << 20) {
                return Err(WebError::Refused {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    code: "too_large",
                    message: "画像が大きすぎます。".into(),
                });
            }
            if is_file {
                if upload.file.len() + chunk.len() > limit {
                    upload.too_large = true;
                } else {
                    upload.file.extend_from_slice(&chunk);
                }
            } else if text.len() < 4096 {
                text.extend_from_slice(&chunk);
            }
        }
        if !is_file {
            upload.fields.push((name, String::from_utf8_lossy(&text).into_owned()));
        }
    }
    Ok(upload)
}

#[post("/admin/articles/{id}/hero")]
pub async fn hero(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
    form: actix_multipart::Multipart,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let id = path.into_inner();
    let limit = state.settings.editorial.max_image_bytes;
    let upload = read_upload(form, limit, Lang::of_request(&req)).await?;
    // A multipart upload: the one CSRF check, on the token read from its parts.
    crate::forms::require_csrf(&req, &state.settings.secret_key, field(&upload.fields, "csrf"))?;
    let lang = Lang::of_request(&req);
    let version: i32 = field(&upload.fields, "version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let prepared = if upload.too_large {
        Err(format!("画像が大きすぎます。{:.1} MB 以下にしてください。", limit as f64 / 1_048_576.0))
    } else if upload.file.is_empty() {
        Err("画像ファイルを選んでください。".to_owned())
    } else {
        let file = upload.file;
        web::block(move || hero_image::prepare(&file)).await?.map_err(|e| e.message_ja())
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(message) => {
            let errors = [FieldError { field: "hero", message: yui_domain::Message::as_written(message) }];
            let status =
                if upload.too_large { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
            let shown = Shown { status, notice: lang.t("articles.image_not_saved"), errors: &errors, typed: None };
            return article_page(&req, &state, &staff, Some(id), shown).await;
        }
    };
    let name = format!("{}.{}", hex(&rand::random::<[u8; 16]>()), prepared.ext);
    let dir = state.settings.editorial.media_dir.clone();
    let me = editor(&staff);
    let file_name = name.clone();
    let outcome = db(&state, move |conn| {
        let Some(current) = yui_db::articles::find(conn, id)? else { return Ok(None) };
        if !may_edit_article(current.status, me.role, me.staff_id, current.author_id) {
            return Ok(Some(Err(Refused::MayNotEdit)));
        }
        write_media(&dir, &file_name, &prepared.bytes).map_err(|e| yui_db::DbError::Invalid(format!("media: {e}")))?;
        let saved = yui_db::articles::set_hero_image(conn, id, version, &file_name, me, yui_db::now())?;
        if saved.is_err() {
            let _ = std::fs::remove_file(dir.join(&file_name));
        }
        Ok(Some(saved))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    match outcome {
        Ok(a) => {
            log::info!("article {} hero image {name} by staff {}", a.id, staff.id);
            Ok(see_other(&format!("/admin/articles/{}?done=hero", a.id)))
        }
        Err(r) => {
            let (status, message) = refusal(&r, lang);
            article_page(&req, &state, &staff, Some(id), Shown::with(status, &message)).await
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes under a temporary name and renames, so a reader never sees half a file.
fn write_media(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.part"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(name))
}
