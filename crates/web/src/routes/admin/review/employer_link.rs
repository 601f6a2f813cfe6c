//! `POST /admin/employers/{id}/organization`: the conflict-of-interest link of an employer.

use super::*;

#[derive(Debug, serde::Deserialize)]
pub struct LinkEmployerForm {
    #[serde(default)]
    org: String,
    back: Option<String>,
}

/// Declares (or clears) that an employer is linked to one of the operating organisations, so
/// the conflict-of-interest rule knows it. Any reviewer may declare it; it applies to all.
#[post("/admin/employers/{id}/organization")]
pub async fn link_employer(
    path: web::Path<i32>,
    form: StaffForm<LinkEmployerForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let employer_id = path.into_inner();
    let slug = form.org;
    let back = form.back.as_deref().and_then(PublicId::parse).map(|p| format!("/admin/review/{p}"));
    db(&state, move |conn| {
        let org = match slug.as_str() {
            "" => None,
            s => Some(
                yui_db::organizations::find_by_slug(conn, s)?
                    .ok_or_else(|| DbError::Invalid(format!("unknown organisation {s:?}")))?
                    .id,
            ),
        };
        yui_db::employers::set_organization(conn, employer_id, org)
    })
    .await?;
    log::info!("employer {employer_id} organisation link set by staff {}", staff.id);
    Ok(see_other(&back.unwrap_or_else(|| "/admin/review".into())))
}
