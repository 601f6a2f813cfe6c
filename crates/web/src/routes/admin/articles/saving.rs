//! `POST /admin/articles` and `/admin/articles/{id}/edit`: a new draft, or an edit, through `ArticleDraft::parse`.

use super::*;

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
        hero_caption: get("hero_caption"),
        interviewees: get("interviewees"),
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
        hero_caption: d.hero_caption,
        interviewees: d.interviewees,
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
