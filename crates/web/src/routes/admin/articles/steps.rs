//! `POST /admin/articles/{id}/step/{action}`: submit, send back, approve, archive, restore.

use super::*;

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
