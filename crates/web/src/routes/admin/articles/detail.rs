//! `GET /admin/articles/new` and `/admin/articles/{id}`: the form, the preview, the log and the steps.

use super::*;

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
        ("hero_caption".into(), opt(&a.hero_caption)),
        ("interviewees".into(), opt(&a.interviewees)),
    ]
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

pub(super) async fn article_page(
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
    chosen.extend(
        values_list.iter().filter(|(k, v)| k == "posting" && !v.trim().is_empty()).map(|(_, v)| v.trim().to_owned()),
    );
    let mut values = Map::new();
    let mut errors = Map::new();
    for f in FIELDS {
        values.insert(f.into(), value(f).into());
        errors.insert(f.into(), "".into());
    }
    for upload_field in ["hero", "image", "image_alt"] {
        errors.insert(upload_field.into(), "".into());
    }
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
    let choices: Vec<Value> =
        l.choices.iter().map(|(p, e)| json!({"id": p.public_id, "title": p.title, "employer": e.name})).collect();
    let linked: Vec<Value> = l.linked.iter().map(|p| json!({"id": p.public_id, "title": p.title})).collect();
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
        "linked": linked,
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
