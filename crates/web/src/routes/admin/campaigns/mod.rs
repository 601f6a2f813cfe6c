//! `/admin/campaigns`: editors draft joint campaigns and a second editor publishes them; the
//! entries' pool is for the staff of the co-issuing organisations only (admins see every pool).
//! Every step goes to the editorial log, never with an entrant's name, address or notes.

mod editing;
mod export;
mod listing;
mod logo;
mod message;
mod pool;
mod publish;

use self::{editing::*, export::*, listing::*, logo::*, message::*, pool::*, publish::*};
use super::{admin_page, field, see_other};
use crate::auth::{CanReview, CanWrite, Fields, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::{db, db_mail};
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use yui_db::campaigns::{Campaign, Editor, Refused};
use yui_domain::campaigns::{CampaignDraft, CampaignForm, EntryStatus, PublishError};
use yui_domain::{FieldError, StaffRole};

/// The campaign form's text fields, in the order the page shows them.
const FIELDS: [&str; 6] = ["slug", "title", "story", "starts_on", "ends_on", "postings"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(new_form)
        .service(create)
        .service(show)
        .service(edit)
        .service(publish)
        .service(upload_logo)
        .service(pool)
        .service(export_csv)
        .service(set_entry)
        .service(write_entrant);
}

fn editor(staff: &Staff) -> Editor {
    Editor { staff_id: staff.id, organization_id: staff.organization_id, role: staff.role }
}

/// The campaign whose pool `staff` may open: a co-issuing organisation's staff, or an admin.
/// Anyone else gets 404, as if there were no pool to see.
async fn pool_campaign(state: &web::Data<AppState>, staff: &Staff, id: i32) -> Result<Campaign, WebError> {
    let (org, admin) = (staff.organization_id, staff.role == StaffRole::Admin);
    let found = db(state, move |conn| {
        let Some(c) = yui_db::campaigns::find(conn, id)? else { return Ok(None) };
        let allowed = admin || yui_db::campaigns::is_coordinator(conn, id, org)?;
        Ok(allowed.then_some(c))
    })
    .await?;
    if found.is_none() {
        log::warn!("staff {} refused campaign {id}'s pool", staff.id);
    }
    found.ok_or(WebError::NotFound)
}
