//! `/succession/request`: an owner asks for a succession listing. Checked like every public
//! form (rate limit, CSRF, honeypot), stored privately with the SHA-256 of a fresh withdraw
//! token; the owner's confirmation (with the withdraw link) and the coordinators' notice (no
//! name, no business) go through the outbox in the same transaction.

use super::*;
use yui_domain::succession::request::{OwnerRequest, RequestForm, StaffBand, LET_YUI_CHOOSE};
use yui_mail::letters::succession_requests::{RequestConfirm, RequestReceived};

const REQUEST_FIELDS: [&str; 12] = [
    "business_name",
    "industry",
    "area",
    "years_in_business",
    "staff_band",
    "reason",
    "handover",
    "contact_name",
    "contact_email",
    "contact_phone",
    "organization",
    "consent",
];

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    orgs: &[Organization],
    typed: &[(String, String)],
    errors: &[FieldError],
    notice: &str,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let code = lang.code();
    let csrf = Csrf::for_request(req);
    let (values, messages) = crate::forms::typed_and_messages(&REQUEST_FIELDS, typed, errors, lang);
    let picked = |name: &str, v: &str| value_of(typed, name) == v;
    let portal = &state.settings.portal;
    let organizations = organization_choices(orgs, typed, LET_YUI_CHOOSE, lang);
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("succession.request.title"),
        "csrf": csrf.token(&state.settings.secret_key),
        "values": values,
        "errors": messages,
        "notice": notice,
        "industries": portal.categories.iter().map(|c| json!({"value": c.code, "label": c.label(code), "selected": picked("industry", &c.code)})).collect::<Vec<_>>(),
        "areas": portal.areas.iter().map(|c| json!({"value": c.ja, "label": c.label(code), "selected": picked("area", &c.ja)})).collect::<Vec<_>>(),
        "bands": StaffBand::ALL.iter().map(|b| json!({"value": b.code(), "label": b.label(code), "checked": picked("staff_band", b.code())})).collect::<Vec<_>>(),
        "organizations": organizations,
    });
    html_page(req, state, status, "succession/request", ctx, Some(&csrf))
}

async fn organizations(state: &web::Data<AppState>) -> Result<Vec<Organization>, WebError> {
    db(state, yui_db::organizations::list).await
}

#[get("/succession/request")]
pub async fn request_form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let orgs = organizations(&state).await?;
    render(&req, &state, StatusCode::OK, &orgs, &[], &[], "")
}

#[post("/succession/request")]
pub async fn request_send(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let orgs = organizations(&state).await?;
    let fields = crate::forms::fields(&body)?;
    let typed: Vec<(String, String)> =
        fields.iter().filter(|(k, _)| REQUEST_FIELDS.contains(&k.as_str())).cloned().collect();
    let again =
        |status, errors: &[FieldError], notice: &str| render(&req, &state, status, &orgs, &typed, errors, notice);
    let limit = &state.succession_request_limit_ip;
    match crate::forms::check(&req, &state.settings.secret_key, Some(limit), &fields, "succession request").await {
        Some(crate::forms::Stop::Again(status, notice)) => return again(status, &[], notice),
        Some(crate::forms::Stop::Bot) => return Ok(sent_redirect()),
        None => {}
    }
    let get = |name: &str| value_of(&fields, name).to_owned();
    let form = RequestForm {
        business_name: get("business_name"),
        industry: get("industry"),
        area: get("area"),
        years_in_business: get("years_in_business"),
        staff_band: get("staff_band"),
        reason: get("reason"),
        handover: get("handover"),
        contact_name: get("contact_name"),
        contact_email: get("contact_email"),
        contact_phone: get("contact_phone"),
        organization: get("organization"),
        consent: get("consent"),
    };
    let portal = &state.settings.portal;
    let industries: Vec<&str> = portal.categories.iter().map(|c| c.code.as_str()).collect();
    let areas: Vec<&str> = portal.areas.iter().map(|c| c.ja.as_str()).collect();
    let ids: Vec<(i32, &str)> = orgs.iter().map(|o| (o.id, o.slug.as_str())).collect();
    let request = match OwnerRequest::parse(&form, &industries, &areas, &ids) {
        Ok(r) => r,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, &errors, crate::forms::fix_fields(lang)),
    };
    if let Some(crate::forms::Stop::Again(status, notice)) =
        crate::forms::spend(&req, limit, "succession request").await
    {
        return again(status, &[], notice);
    }
    let base = &state.settings.site.base_url;
    let token = crate::tokens::random_token();
    let withdraw_hash = hash_token(&token);
    let withdraw_url = format!("{base}/succession/request/withdraw/{token}");
    let admin_url = format!("{base}/admin/succession/requests");
    let coordinator = coordinator_name(&state, &orgs, request.organization_id);
    let industry_label = portal
        .categories
        .iter()
        .find(|c| c.code == request.industry)
        .map_or_else(|| request.industry.clone(), |c| c.ja.clone());
    let app = state.clone();
    let id = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let id = yui_db::succession_requests::add(conn, &request, &withdraw_hash, yui_db::now())?;
            let confirm = RequestConfirm {
                name: &request.contact_name,
                business_name: &request.business_name,
                coordinator: &coordinator,
                withdraw_url: &withdraw_url,
            };
            app.letters.succession_request_confirm(conn, request.contact_email.as_str(), &confirm)?;
            let to = match request.organization_id {
                Some(org) => yui_db::succession::coordinator_emails(conn, org)?,
                // Left to Yui: only admins may open it, so only admins are told.
                None => yui_db::staff::admin_emails(conn)?,
            };
            if !to.is_empty() {
                let to: Vec<&str> = to.iter().map(String::as_str).collect();
                let notice = RequestReceived { industry: &industry_label, area: &request.area, admin_url: &admin_url };
                app.letters.succession_request_received(conn, &to, &notice)?;
            }
            Ok(id)
        })
    })
    .await?;
    // The request's number only: never the owner or the business.
    log::info!("succession request {id} received");
    Ok(sent_redirect())
}

fn sent_redirect() -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, "/succession/request/sent")).finish()
}

/// The thanks page: reloading it sends nothing again.
#[get("/succession/request/sent")]
pub async fn request_sent(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let ctx = json!({"robots": "noindex", "page_title": lang.t("succession.request.sent_title")});
    html_page(&req, &state, StatusCode::OK, "succession/request_sent", ctx, None)
}
