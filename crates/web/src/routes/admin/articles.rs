//! `/admin/articles`: writers draft feature articles and columns and submit them; a second
//! editor approves. Every step goes through `yui_db::articles` (rules from
//! `yui_domain::articles`, version check, editorial log); a refused step is shown on the
//! article's page in Japanese with 403, 409 or 422.

use super::{admin_page, field, form_fields, see_other};
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
fn check_csrf(req: &HttpRequest, state: &AppState, staff: &Staff, token: Option<&str>) -> Result<(), WebError> {
    staff.require(Permission::Write)?;
    super::check_csrf(req, state, token)
}

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
    let ctx = json!({"page_title": "記事", "articles": rows, "kinds": kinds, "statuses": statuses});
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

fn datetime(at: NaiveDateTime, lang: Lang) -> String {
    let local = at.and_utc().with_timezone(&tokyo());
    if lang.is_en() {
        local.format("%Y-%m-%d %H:%M").to_string()
    } else {
        local.format("%Y年%-m月%-d日 %H:%M").to_string()
    }
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
        Refused::Step(ArticleStepError::Role { role, .. }) => (
            StatusCode::FORBIDDEN,
            format!("この操作は「{}」の役割ではできません。編集者に依頼してください。", role.label(lang.code())),
        ),
        Refused::Step(ArticleStepError::NotAuthor) => {
            (StatusCode::FORBIDDEN, "ライターは自分の記事だけを承認依頼できます。".into())
        }
        Refused::Step(ArticleStepError::OwnArticle) => (
            StatusCode::FORBIDDEN,
            "自分が書いた記事は承認できません。ほかの編集者に承認を依頼してください。".into(),
        ),
        Refused::Step(ArticleStepError::Transition { from, action }) => (
            StatusCode::CONFLICT,
            format!("この記事は「{}」のため、「{}」はできません。", from.label_ja(), action.label_ja()),
        ),
        Refused::MayNotEdit => (
            StatusCode::FORBIDDEN,
            "この記事はいまの状態では、あなたは編集できません（ライターが編集できるのは自分の下書きだけです）。".into(),
        ),
        Refused::NoOrder => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "この特集記事には受注済みの発注がないため、公開できません。先に発注（受注・請求済・入金済のいずれか）を登録してください。".into(),
        ),
        Refused::SlugTaken => {
            (StatusCode::UNPROCESSABLE_ENTITY, "このURL名はほかの記事で使われています。別の名前にしてください。".into())
        }
        Refused::Stale => (
            StatusCode::CONFLICT,
            "この記事は、あなたがページを開いた後にほかの人が更新しました。入力内容は残してあります。下のプレビューで最新の内容を確認してから、もう一度保存してください。".into(),
        ),
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
        "page_title": "記事",
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
                            "create" => "作成".into(),
                            "edit" => "編集".into(),
                            "hero_image" => "メイン画像".into(),
                            other => other.to_owned(),
                        },
                    );
                let status = |s: &str| s.parse::<ArticleStatus>().map(|x| x.label(lang.code())).unwrap_or("");
                json!({
                    "at": datetime(line.created_at, lang),
                    "action": label,
                    "from": status(&line.from_status),
                    "to": status(&line.to_status),
                    "who": line.actor_name.clone().unwrap_or_else(|| "システム".into()),
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
                "scheduled": (a.status == ArticleStatus::Published && !a.is_public_at(now)).then(|| a.shown_from().map(|t| datetime(t, lang))).flatten(),
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
    let done = crate::i18n::query_pairs(req.query_string()).find(|(k, _)| k == "done").map(|(_, v)| v);
    let notice = match done.as_deref() {
        Some("create") => "下書きを作成しました。",
        Some("edit") => "保存しました。下のプレビューで確認できます。",
        Some("hero") => "メイン画像を登録しました。",
        Some("submit") => "承認を依頼しました。",
        Some("send_back") => "差し戻しました。",
        Some("approve") => "承認しました。公開日時になると読者に表示されます。",
        Some("archive") => "アーカイブしました。",
        Some("restore") => "再公開しました。",
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
    staff: Staff,
    state: web::Data<AppState>,
    id: Option<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let fields = form_fields(&body)?;
    check_csrf(&req, &state, &staff, field(&fields, "csrf"))?;
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
            return again!(
                StatusCode::UNPROCESSABLE_ENTITY,
                "入力内容に問題があります。赤い項目を確認してください。",
                &errors
            )
            .await;
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
    let problem = "入力内容に問題があります。赤い項目を確認してください。";
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
    staff: Staff,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    save(req, staff, state, None, body).await
}

#[post("/admin/articles/{id}/edit")]
pub async fn edit(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    save(req, staff, state, Some(path.into_inner()), body).await
}

#[post("/admin/articles/{id}/step/{action}")]
pub async fn act(
    req: HttpRequest,
    path: web::Path<(i32, String)>,
    staff: Staff,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let fields = form_fields(&body)?;
    check_csrf(&req, &state, &staff, field(&fields, "csrf"))?;
    let (id, action) = path.into_inner();
    let action: ArticleAction = action.parse().map_err(|_| WebError::NotFound)?;
    let lang = Lang::of_request(&req);
    let version: i32 = field(&fields, "version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest("フォームの版番号がありません。ページを読み込み直してください。".into()))?;
    let note = field(&fields, "note").unwrap_or("").trim().to_owned();
    if action == ArticleAction::SendBack && note.is_empty() {
        let shown = Shown::with(StatusCode::UNPROCESSABLE_ENTITY, "差し戻す理由を書いてください。");
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
async fn read_upload(mut form: actix_multipart::Multipart, limit: usize) -> Result<Upload, WebError> {
    let unreadable = || WebError::BadRequest("送信された画像を読み取れませんでした。".into());
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
    let upload = read_upload(form, limit).await?;
    check_csrf(&req, &state, &staff, field(&upload.fields, "csrf"))?;
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
            let shown =
                Shown { status, notice: "画像を登録できませんでした。", errors: &errors, typed: None };
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
