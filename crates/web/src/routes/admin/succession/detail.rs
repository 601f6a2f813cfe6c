//! `GET /admin/succession/{id}`: one listing, its inquiries and its log.

use super::*;

pub(super) async fn listing_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    public_id: &str,
    shown: Shown<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let listing = find_listing(state, public_id).await?;
    let (id, org) = (listing.id, listing.coordinator_organization_id);
    // The pool entries this staff member may read: the count matches what the link shows.
    let only = (staff.role != yui_domain::StaffRole::Admin).then_some(staff.organization_id);
    let (choices, inquiries, log, coordinator, pool) = db(state, move |conn| {
        let pool = yui_db::succession_pool::list(conn, only)?;
        let choices = load_choices(conn)?;
        let inquiries = yui_db::succession::inquiries(conn, id)?;
        let mut log: Vec<(String, Line)> =
            editorial_log::lines(conn, Subject::Succession(id))?.into_iter().map(|l| (String::new(), l)).collect();
        for i in &inquiries {
            log.extend(
                editorial_log::lines(conn, Subject::SuccessionInquiry(i.id))?
                    .into_iter()
                    .map(|l| (format!("#{}", i.id), l)),
            );
        }
        log.sort_by_key(|(_, l)| l.created_at);
        let coordinator = yui_db::succession::organization_name(conn, org)?;
        Ok((choices, inquiries, log, coordinator, pool))
    })
    .await?;
    let slug =
        choices.orgs.iter().find(|o| o.id == listing.coordinator_organization_id).map_or("", |o| o.slug.as_str());
    let stored = fields_of(&listing, slug);
    let form = form_ctx(
        state,
        lang,
        shown.typed.unwrap_or(&stored),
        shown.errors,
        &choices,
        listing.coordinator_organization_id,
    );
    let code = lang.code();
    let next: Vec<Value> =
        listing.status.next().iter().map(|s| json!({"code": s.code(), "label": s.label(code)})).collect();
    let inquiry_rows: Vec<Value> = inquiries.iter().map(|i| inquiry_row(i, lang)).collect();
    let log_rows: Vec<Value> = log
        .iter()
        .map(|(about, l)| {
            json!({
                "at": views::date(l.created_at, lang),
                "about": about,
                "action": step_label(&l.action, lang),
                "from": status_label(&l.from_status, lang),
                "to": status_label(&l.to_status, lang),
                "who": l.actor_name.clone().unwrap_or_else(|| lang.t("succession.admin.someone").into()),
                "note": l.note.clone().unwrap_or_default(),
            })
        })
        .collect();
    let done = query_pairs(req.query_string()).find(|(k, _)| k == "done").map(|(_, v)| notice_text(&v, lang));
    let notice = if shown.notice.is_empty() { done.unwrap_or("") } else { shown.notice };
    let ctx = json!({
        "page_title": listing.public_name,
        "is_new": false,
        "action": format!("/admin/succession/{}", listing.public_id),
        "public_id": listing.public_id,
        "public_url": listing.status.is_listed().then(|| format!("/succession/{}", listing.public_id)),
        "name": listing.public_name,
        "status": listing.status.label(code),
        "status_code": listing.status.code(),
        "version": listing.version,
        "coordinator": coordinator,
        "pool_matches": lang.tf("succession.admin.pool.matches", &[("n", &crate::pool_matches::fitting(&state.settings, &listing, &pool).len())]),
        "pool_url": format!("/admin/succession/pool?listing={}", listing.public_id),
        "has_owner_link": listing.manage_token_hash.is_some(),
        "next": next,
        "form": form,
        "inquiries": inquiry_rows,
        "log": log_rows,
        "notice": notice,
    });
    admin_page(req, state, staff, shown.status, "admin/succession_listing", ctx).await
}

fn inquiry_row(i: &Inquiry, lang: Lang) -> Value {
    let code = lang.code();
    json!({
        "id": i.id,
        "name": i.name,
        "email": i.email,
        "phone": i.phone.clone().unwrap_or_default(),
        "about": i.about.lines().collect::<Vec<_>>(),
        "received": views::date(i.created_at, lang),
        "consent": views::date(i.consent_at, lang),
        "status": i.status.label(code),
        "status_code": i.status.code(),
        "note": i.coordinator_note,
        "next": i.status.next().iter().map(|s| json!({"code": s.code(), "label": s.label(code)})).collect::<Vec<_>>(),
    })
}

#[get("/admin/succession/{id}")]
pub async fn show(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let shown = Shown { status: StatusCode::OK, typed: None, errors: &[], notice: "" };
    listing_page(&req, &state, &staff, &id, shown).await
}
