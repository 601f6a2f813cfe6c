//! `POST /admin/campaigns/{id}/logo/{org}`: a co-issuing organisation's logo on the campaign's
//! page, checked and encoded again like every image (`Upload::image`), kept in the media table.

use super::*;

#[post("/admin/campaigns/{id}/logo/{org}")]
pub async fn upload_logo(
    req: HttpRequest,
    path: web::Path<(i32, i32)>,
    staff: Staff,
    state: web::Data<AppState>,
    form: actix_multipart::Multipart,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let (id, org) = path.into_inner();
    let lang = Lang::of_request(&req);
    let limit = state.settings.editorial.max_image_bytes;
    let mut upload = crate::upload::read(form, "logo", limit, "articles.unreadable_image", lang).await?;
    // A multipart upload: the session's CSRF check, on the token read from its parts.
    staff.require_csrf(&state.settings.secret_key, field(&upload.fields, "csrf"))?;
    let prepared = match upload.image(limit).await? {
        Ok(p) => p,
        Err(message) => {
            let errors = [FieldError { field: "logo", message }];
            let status =
                if upload.too_large { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
            let notice = lang.t("campaigns.admin.logo_not_saved");
            return campaign_page(
                &req,
                &state,
                &staff,
                Some(id),
                Shown { status, notice, errors: &errors, typed: None },
            )
            .await;
        }
    };
    let me = editor(&staff);
    let saved = db(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let size = (prepared.width, prepared.height);
            let hash = yui_db::media::store(conn, prepared.content_type(), &prepared.bytes, size, yui_db::now())?;
            let name = format!("{hash}.{}", prepared.ext);
            if yui_db::campaigns::set_logo(conn, id, org, &name, me, yui_db::now())? {
                Ok(true)
            } else {
                // Not one of the campaign's organisations: keep nothing.
                Err(yui_db::DbError::Conflict("the campaign's organisations"))
            }
        })
        .or_else(|e| if matches!(e, yui_db::DbError::Conflict(_)) { Ok(false) } else { Err(e) })
    })
    .await?;
    if !saved {
        return Err(WebError::NotFound);
    }
    log::info!("campaign {id}: logo of organisation {org} set by staff {}", staff.id);
    Ok(see_other(&format!("/admin/campaigns/{id}?done=logo")))
}
