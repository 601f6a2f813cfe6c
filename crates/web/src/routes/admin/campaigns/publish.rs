//! `POST /admin/campaigns/{id}/publish`: a second editor publishes; the author may not.

use super::*;

#[post("/admin/campaigns/{id}/publish")]
pub async fn publish(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, .. } = form;
    let id = path.into_inner();
    let lang = Lang::of_request(&req);
    let me = editor(&staff);
    let outcome = db(&state, move |conn| yui_db::campaigns::publish(conn, id, me, yui_db::now()))
        .await?
        .ok_or(WebError::NotFound)?;
    let (status, notice) = match outcome {
        Ok(c) => {
            log::info!("campaign {} published by staff {}", c.id, staff.id);
            return Ok(see_other(&format!("/admin/campaigns/{}?done=publish", c.id)));
        }
        Err(Refused::Publish(PublishError::OwnCampaign)) => {
            (StatusCode::FORBIDDEN, lang.t("campaigns.admin.own_campaign"))
        }
        Err(Refused::Publish(PublishError::Role)) => (StatusCode::FORBIDDEN, lang.t("campaigns.admin.role")),
        Err(Refused::Publish(PublishError::AlreadyPublished)) => {
            (StatusCode::CONFLICT, lang.t("campaigns.admin.already_published"))
        }
        Err(_) => (StatusCode::CONFLICT, lang.t("campaigns.admin.stale")),
    };
    log::warn!("campaign {id}: publication refused for staff {}", staff.id);
    let shown = Shown { status, notice, errors: &[], typed: None };
    campaign_page(&req, &state, &staff, Some(id), shown).await
}
