//! `POST /admin/weekly-note`: a staff member asks for the weekly note to operators, or stops
//! it, on their own account page (`/admin/password`). Off unless asked for.

use super::{field, see_other};
use crate::auth::Staff;
use crate::error::WebError;
use crate::handler::db;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};

#[post("/admin/weekly-note")]
pub async fn set(staff: Staff, body: web::Bytes, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let fields = staff.checked(&state.settings.secret_key, &body)?;
    // An unchecked box sends nothing.
    let on = field(&fields, "weekly_note") == Some("on");
    let id = staff.id;
    db(&state, move |conn| yui_db::statistics::set_weekly_note(conn, id, on)).await?;
    log::info!("staff {id} {} the weekly note", if on { "asked for" } else { "stopped" });
    Ok(see_other("/admin/password"))
}
