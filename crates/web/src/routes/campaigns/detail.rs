//! `GET /campaigns/{slug}`: the story, the co-issuing organisations, the postings it gathers,
//! the entry count, and the entry form while the period runs.

use super::*;

/// What the form shows again after a refused send.
#[derive(Default)]
pub(crate) struct FormState<'a> {
    pub typed: &'a [(String, String)],
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
}

pub(crate) fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    loaded: &Loaded,
    form: FormState<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let c = &loaded.campaign;
    let csrf = Csrf::for_request(req);
    let mut view = public_view(loaded, lang);
    let ticked = crate::forms::values(form.typed, "interest");
    if let Some(postings) = view.get_mut("postings").and_then(Value::as_array_mut) {
        for p in postings.iter_mut() {
            let checked = p.get("public_id").and_then(Value::as_str).is_some_and(|id| ticked.iter().any(|t| t == id));
            if let Some(map) = p.as_object_mut() {
                map.insert("checked".into(), checked.into());
            }
        }
    }
    let mut ctx = json!({
        "page_title": c.title,
        "campaign": view,
        "story": crate::markdown::render(&c.story_markdown),
    });
    if open_today(c) {
        let mut values = Map::new();
        let mut messages = Map::new();
        for field in FIELDS.iter().chain(["interests"].iter()) {
            values.insert((*field).into(), crate::forms::value(form.typed, field).into());
            messages.insert((*field).into(), "".into());
        }
        for err in form.errors {
            messages.insert(err.field.into(), lang.message(&err.message).into());
        }
        let typed_way = crate::forms::value(form.typed, "way");
        let ways: Vec<Value> = EntryWay::ALL
            .iter()
            .map(|w| json!({"code": w.code(), "label": w.label(lang.code()), "checked": w.code() == typed_way}))
            .collect();
        if let Some(map) = ctx.as_object_mut() {
            map.insert(
                "entry".into(),
                json!({
                    "action": format!("/campaigns/{}/entry", c.slug),
                    "csrf": csrf.token(&state.settings.secret_key),
                    "values": values,
                    "errors": messages,
                    "ways": ways,
                    "notice": form.notice.unwrap_or(""),
                }),
            );
        }
    }
    html_page(req, state, status, "campaigns/page", ctx, Some(&csrf))
}

#[get("/campaigns/{slug}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &slug).await?;
    render(&req, &state, StatusCode::OK, &loaded, FormState::default())
}
