//! `/admin/succession/pool`: the takeover pool, confirmed entries only. The same rule as owners'
//! requests: a coordinator sees the entries that named their organisation (another's is a 404),
//! admins see all, including those left to Yui. Filtered by industry and district, or by a
//! listing (`?listing=`: the entries that fit it); each entry has a status and a note; the CSV
//! is the filtered list, safe to open in a spreadsheet, logged without data.

use super::*;
use yui_db::succession_pool::Entry;
use yui_domain::succession::pool::PoolStatus;
use yui_domain::StaffRole;

fn only(staff: &Staff) -> Option<i32> {
    (staff.role != StaffRole::Admin).then_some(staff.organization_id)
}

/// The filters as asked: `industry` (a code), `area` (a district), or `listing` (a public id).
struct Filter {
    industry: String,
    area: String,
    listing: Option<Listing>,
}

async fn filtered(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
) -> Result<(Filter, Vec<Entry>), WebError> {
    let q: Vec<(String, String)> = query_pairs(req.query_string()).collect();
    let get = |name: &str| q.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let (industry, area, listing_id) = (get("industry"), get("area"), get("listing"));
    let org = only(staff);
    let (entries, listing) = db(state, move |conn| {
        let listing = match listing_id.as_str() {
            "" => None,
            id => yui_db::succession::find_by_public_id(conn, id)?,
        };
        Ok((yui_db::succession_pool::list(conn, org)?, listing))
    })
    .await?;
    let mut shown: Vec<Entry> = match &listing {
        Some(l) => crate::pool_matches::fitting(&state.settings, l, &entries).into_iter().cloned().collect(),
        None => entries,
    };
    shown.retain(|e| {
        (industry.is_empty() || e.industry_codes().contains(&industry.as_str()))
            && (area.is_empty() || e.anywhere || e.area_names().contains(&area.as_str()))
    });
    Ok((Filter { industry, area, listing }, shown))
}

fn industries_of(state: &AppState, e: &Entry, lang: Lang) -> String {
    let portal = &state.settings.portal;
    e.industry_codes().iter().map(|c| portal.category_label(c, lang.code())).collect::<Vec<_>>().join("、")
}

fn areas_of(e: &Entry, lang: Lang) -> String {
    if e.anywhere {
        lang.t("succession.admin.pool.anywhere").to_owned()
    } else {
        e.area_names().join("、")
    }
}

#[get("/admin/succession/pool")]
pub async fn pool_list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let code = lang.code();
    let (filter, entries) = filtered(&req, &state, &staff).await?;
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "url": format!("/admin/succession/pool/{}", e.id),
                "name": e.name,
                "industries": industries_of(&state, e, lang),
                "areas": areas_of(e, lang),
                "funds": e.funds_band.label(code),
                "start": e.start_band.label(code),
                "status": e.status.label(code),
                "status_code": e.status.code(),
                "confirmed": e.confirmed_at.map(|at| views::date(at, lang)),
            })
        })
        .collect();
    let portal = &state.settings.portal;
    let ctx = json!({
        "page_title": lang.t("succession.admin.pool.title"),
        "entries": rows,
        "for_listing": filter.listing.as_ref().map(|l| lang.tf("succession.admin.pool.for_listing", &[("name", &l.public_name)])),
        "industries": portal.categories.iter().map(|c| json!({"value": c.code, "label": c.label(code), "selected": c.code == filter.industry})).collect::<Vec<_>>(),
        "areas": portal.areas.iter().map(|c| json!({"value": c.ja, "label": c.label(code), "selected": c.ja == filter.area})).collect::<Vec<_>>(),
        "csv_url": format!("/admin/succession/pool.csv?{}", req.query_string()),
    });
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/succession_pool", ctx).await
}

/// The entry if this staff member may read it; otherwise 404.
async fn visible_entry(state: &web::Data<AppState>, staff: &Staff, id: i32) -> Result<Entry, WebError> {
    let (org, admin) = (staff.organization_id, staff.role == StaffRole::Admin);
    db(state, move |conn| yui_db::succession_pool::find(conn, id))
        .await?
        .filter(|e| e.visible_to(org, admin))
        .ok_or(WebError::NotFound)
}

#[get("/admin/succession/pool/{id}")]
pub async fn pool_show(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let code = lang.code();
    let e = visible_entry(&state, &staff, id.into_inner()).await?;
    let org = e.organization_id;
    let organization = match org {
        Some(id) => Some(db(&state, move |conn| yui_db::succession::organization_name(conn, id)).await?),
        None => None,
    };
    let ctx = json!({
        "page_title": lang.t("succession.admin.pool.title"),
        "entry": {
            "action": format!("/admin/succession/pool/{}", e.id),
            "name": e.name,
            "email": e.email,
            "phone": e.phone,
            "industries": industries_of(&state, &e, lang),
            "areas": areas_of(&e, lang),
            "funds": e.funds_band.label(code),
            "start": e.start_band.label(code),
            "experience": e.experience,
            "organization": organization,
            "notes": e.notes,
            "confirmed": e.confirmed_at.map(|at| views::date(at, lang)),
            "expires": e.expires_at.map(|at| views::date(at, lang)),
        },
        "statuses": PoolStatus::ALL.iter().map(|s| json!({"code": s.code(), "label": s.label(code), "selected": *s == e.status})).collect::<Vec<_>>(),
        "done": query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "saved"),
    });
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/succession_pool_entry", ctx).await
}

#[post("/admin/succession/pool/{id}")]
pub async fn pool_update(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let lang = Lang::of_request(&req);
    let e = visible_entry(&state, &staff, id.into_inner()).await?;
    let status = field(&fields, "status")
        .and_then(|s| s.trim().parse::<PoolStatus>().ok())
        .ok_or_else(|| WebError::BadRequest(lang.t("succession.admin.pool.bad_status").into()))?;
    let notes = field(&fields, "notes").unwrap_or("").trim().to_owned();
    if notes.chars().count() > 2000 {
        return Err(WebError::BadRequest(lang.t("succession.admin.note_too_long").into()));
    }
    let id = e.id;
    db(&state, move |conn| yui_db::succession_pool::set(conn, id, status, &notes, yui_db::now())).await?;
    Ok(see_other(&format!("/admin/succession/pool/{id}?done=saved")))
}

#[get("/admin/succession/pool.csv")]
pub async fn pool_csv(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let code = lang.code();
    let (_, entries) = filtered(&req, &state, &staff).await?;
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let header =
        ["name", "email", "phone", "industry", "area", "funds", "start", "experience", "status", "confirmed", "notes"];
    let labels: Vec<&str> = header.iter().map(|h| lang.t(csv_label(h))).collect();
    let written = out.write_record(&labels).and_then(|()| {
        for e in &entries {
            out.write_record([
                views::defuse(&e.name),
                views::defuse(&e.email),
                views::defuse(e.phone.as_deref().unwrap_or("")),
                industries_of(&state, e, lang),
                areas_of(e, lang),
                e.funds_band.label(code).to_owned(),
                e.start_band.label(code).to_owned(),
                views::defuse(&e.experience),
                e.status.label(code).to_owned(),
                e.confirmed_at.map(|at| views::date(at, lang)).unwrap_or_default(),
                views::defuse(&e.notes),
            ])?;
        }
        Ok(())
    });
    let bytes = written
        .map_err(|e| WebError::BadRequest(e.to_string()))
        .and_then(|()| out.into_inner().map_err(|e| WebError::BadRequest(e.to_string())))?;
    log::info!("succession pool: {} entries exported by staff {}", entries.len(), staff.id);
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((actix_web::http::header::CONTENT_DISPOSITION, "attachment; filename=\"succession-pool.csv\""))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

fn csv_label(column: &str) -> &'static str {
    match column {
        "name" => "succession.admin.pool.name",
        "email" => "succession.admin.pool.email",
        "phone" => "succession.admin.pool.phone",
        "industry" => "succession.admin.pool.industry",
        "area" => "succession.admin.pool.area",
        "funds" => "succession.admin.pool.funds",
        "start" => "succession.admin.pool.start",
        "experience" => "succession.admin.pool.experience",
        "status" => "succession.admin.pool.status",
        "confirmed" => "succession.admin.pool.confirmed",
        _ => "succession.admin.pool.notes",
    }
}
