//! `POST /admin/campaigns/{id}/entries/{entry}/mail`: a coordinator writes to one entrant
//! through the outbox; replies go to the coordinator. The log says a mail went, not what.

use super::*;
use yui_mail::letters::campaigns::EntrantMessage;

const MESSAGE_MAX: usize = 4000;

#[post("/admin/campaigns/{id}/entries/{entry}/mail")]
pub async fn write_entrant(
    req: HttpRequest,
    path: web::Path<(i32, i32)>,
    form: StaffForm<Fields, CanWrite>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let (id, entry_id) = path.into_inner();
    let c = pool_campaign(&state, &staff, id).await?;
    let lang = Lang::of_request(&req);
    let text = field(&fields, "message").unwrap_or("").replace("\r\n", "\n").trim().to_owned();
    if text.is_empty() || text.chars().count() > MESSAGE_MAX {
        let notice = lang.tf("campaigns.pool.bad_message", &[("max", &MESSAGE_MAX)]);
        return pool_page(&req, &state, &staff, &c, StatusCode::UNPROCESSABLE_ENTITY, &notice).await;
    }
    let (me, title, coordinator, reply_to) =
        (editor(&staff), c.title.clone(), staff.display_name.clone(), staff.email.clone());
    let app = state.clone();
    let sent = db_mail(&state, move |conn| {
        let Some(entry) = yui_db::campaigns::find_entry(conn, id, entry_id)? else { return Ok(false) };
        let organization = yui_db::organizations::list(conn)?
            .into_iter()
            .find(|o| o.id == me.organization_id)
            .map(|o| o.name)
            .unwrap_or_default();
        yui_db::transaction(conn, |conn| {
            let args = EntrantMessage {
                name: &entry.name,
                campaign_title: &title,
                organization: &organization,
                coordinator: &coordinator,
                message: &text,
            };
            app.letters.campaign_message(conn, &entry.email, &reply_to, &args)?;
            let subject = yui_db::editorial_log::Subject::CampaignEntry(entry.id);
            yui_db::campaigns::log_pool_action(conn, subject, "mail", me, yui_db::now())?;
            Ok(true)
        })
    })
    .await?;
    if !sent {
        return Err(WebError::NotFound);
    }
    log::info!("campaign {id}: staff {} wrote to entry {entry_id}", staff.id);
    pool_page(&req, &state, &staff, &c, StatusCode::OK, lang.t("campaigns.pool.mail_queued")).await
}
