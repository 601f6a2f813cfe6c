//! `POST /admin/review/{id}/note`: 編集部のひとこと, the editors' word on what the work is really
//! like, shown on the public page (Markdown, sanitised when rendered).

use super::*;

/// Long enough for a few paragraphs; the job sheet itself is the posting's text.
const MAX_NOTE_CHARS: usize = 2_000;

pub(super) async fn save(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    item: QueueItem,
    fields: Vec<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let body = field(&fields, "note").unwrap_or("").trim().to_owned();
    let public_id = item.posting.public_id.clone();
    if body.chars().count() > MAX_NOTE_CHARS || body.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        let notice = lang.tf("review.note.too_long", &[("max", &MAX_NOTE_CHARS)]);
        return review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::UNPROCESSABLE_ENTITY, &notice))
            .await;
    }
    let (posting_id, staff_id) = (item.posting.id, staff.id);
    db(&state, move |conn| yui_db::hellowork::save_note(conn, posting_id, &body, staff_id, yui_db::now())).await?;
    Ok(see_other(&format!("/admin/review/{public_id}?done=note")))
}
