//! `POST /admin/employers/{id}/organization`: the conflict-of-interest link of an employer.

use super::*;
use yui_db::employers::LinkRefusal;

#[derive(Debug, serde::Deserialize)]
pub struct LinkEmployerForm {
    #[serde(default)]
    org: String,
    back: Option<String>,
}

/// Declares (or clears) that an employer is linked to one of the operating organisations, so
/// the conflict-of-interest rule knows it, and logs the decision. Any reviewer may declare a
/// link; a link to the reviewer's own organisation is changed by another organisation only.
#[post("/admin/employers/{id}/organization")]
pub async fn link_employer(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<LinkEmployerForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let employer_id = path.into_inner();
    let slug = form.org;
    let back = form.back.as_deref().and_then(PublicId::parse).map(|p| p.to_string());
    let actor = staff.actor();
    let outcome = db(&state, move |conn| {
        let org = match slug.as_str() {
            "" => None,
            s => Some(
                yui_db::organizations::find_by_slug(conn, s)?
                    .ok_or_else(|| DbError::Invalid(format!("unknown organisation {s:?}")))?
                    .id,
            ),
        };
        yui_db::employers::link_organization(conn, employer_id, org, actor, yui_db::now())
    })
    .await?
    .ok_or(WebError::NotFound)?;
    match outcome {
        Ok(changed) => {
            if changed {
                log::info!("employer {employer_id} organisation link changed by staff {}", staff.id);
            }
            Ok(see_other(&back.map_or_else(|| "/admin/review".into(), |p| format!("/admin/review/{p}"))))
        }
        Err(LinkRefusal::OwnOrganization) => {
            let why = Lang::of_request(&req).t("review.block.own_link");
            match back {
                Some(public_id) => {
                    review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::FORBIDDEN, why)).await
                }
                None => Err(WebError::Forbidden),
            }
        }
    }
}
