//! `GET /admin/campaigns/{id}/entries.csv`: the pool as CSV, UTF-8 with a byte order mark so
//! that Excel opens the Japanese right. Only for those who see the pool; logged without data.

use super::*;
use crate::views::defuse;

#[get("/admin/campaigns/{id}/entries.csv")]
pub async fn export_csv(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let c = pool_campaign(&state, &staff, path.into_inner()).await?;
    let lang = Lang::of_request(&req);
    let (id, me) = (c.id, editor(&staff));
    let rows = db(&state, move |conn| {
        let rows = yui_db::campaigns::entries(conn, id)?;
        let subject = yui_db::editorial_log::Subject::Campaign(id);
        yui_db::campaigns::log_pool_action(conn, subject, "export", me, yui_db::now())?;
        Ok(rows)
    })
    .await?;
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let header = ["id", "received", "name", "email", "way", "interests", "offer", "status", "notes"];
    let labels: Vec<&str> = header.iter().map(|h| lang.t(csv_label(h))).collect();
    let written = out.write_record(&labels).and_then(|()| {
        for e in &rows {
            out.write_record([
                e.id.to_string().as_str(),
                &crate::views::date(e.created_at, lang),
                &defuse(&e.name),
                &defuse(&e.email),
                e.way.label(lang.code()),
                &defuse(&e.interests),
                &defuse(&e.offer),
                e.status.label(lang.code()),
                &defuse(&e.notes),
            ])?;
        }
        Ok(())
    });
    let bytes = written
        .map_err(|e| WebError::BadRequest(e.to_string()))
        .and_then(|()| out.into_inner().map_err(|e| WebError::BadRequest(e.to_string())))?;
    log::info!("campaign {id}: pool exported by staff {}", staff.id);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"campaign-{}-entries.csv\"", c.slug),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

fn csv_label(column: &str) -> &'static str {
    match column {
        "id" => "campaigns.csv.id",
        "received" => "campaigns.csv.received",
        "name" => "campaigns.csv.name",
        "email" => "campaigns.csv.email",
        "way" => "campaigns.csv.way",
        "interests" => "campaigns.csv.interests",
        "offer" => "campaigns.csv.offer",
        "status" => "campaigns.csv.status",
        _ => "campaigns.csv.notes",
    }
}
