//! `/succession/pool`: a person who would take a business over registers what they look for.
//! Checked like every public form (rate limit, CSRF, honeypot) and stored unconfirmed, with the
//! SHA-256 of a fresh confirm token and of a withdraw token; the mail that carries both links
//! goes through the outbox in the same transaction. Only a confirmed entry is in the pool.

use super::*;
use yui_domain::succession::pool::{FundsBand, PoolEntry, PoolForm, StartBand, ANYWHERE, LET_YUI_CHOOSE};
use yui_mail::letters::succession_pool::PoolConfirm;

const POOL_FIELDS: [&str; 10] = [
    "name",
    "email",
    "phone",
    "industries",
    "areas",
    "funds_band",
    "experience",
    "start_band",
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
    let (values, messages) = crate::forms::typed_and_messages(&POOL_FIELDS, typed, errors, lang);
    let ticked = |name: &str, v: &str| typed.iter().any(|(k, x)| k == name && x == v);
    let portal = &state.settings.portal;
    let organizations = organization_choices(orgs, typed, LET_YUI_CHOOSE, lang);
    let mut areas = vec![
        json!({"value": ANYWHERE, "label": lang.t("succession.pool.anywhere"), "checked": ticked("areas", ANYWHERE)}),
    ];
    areas.extend(
        portal.areas.iter().map(|c| json!({"value": c.ja, "label": c.label(code), "checked": ticked("areas", &c.ja)})),
    );
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("succession.pool.title"),
        "csrf": csrf.token(&state.settings.secret_key),
        "values": values,
        "errors": messages,
        "notice": notice,
        "days": state.settings.succession.pool_days,
        "industries": portal.categories.iter().map(|c| json!({"value": c.code, "label": c.label(code), "checked": ticked("industries", &c.code)})).collect::<Vec<_>>(),
        "areas": areas,
        "funds": FundsBand::ALL.iter().map(|b| json!({"value": b.code(), "label": b.label(code), "checked": ticked("funds_band", b.code())})).collect::<Vec<_>>(),
        "starts": StartBand::ALL.iter().map(|b| json!({"value": b.code(), "label": b.label(code), "checked": ticked("start_band", b.code())})).collect::<Vec<_>>(),
        "organizations": organizations,
    });
    html_page(req, state, status, "succession/pool", ctx, Some(&csrf))
}

#[get("/succession/pool")]
pub async fn pool_form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let orgs = db(&state, yui_db::organizations::list).await?;
    render(&req, &state, StatusCode::OK, &orgs, &[], &[], "")
}

#[post("/succession/pool")]
pub async fn pool_send(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let orgs = db(&state, yui_db::organizations::list).await?;
    let fields = crate::forms::fields(&body)?;
    let typed: Vec<(String, String)> =
        fields.iter().filter(|(k, _)| POOL_FIELDS.contains(&k.as_str())).cloned().collect();
    let again =
        |status, errors: &[FieldError], notice: &str| render(&req, &state, status, &orgs, &typed, errors, notice);
    let limit = &state.succession_pool_limit_ip;
    match crate::forms::check(&req, &state.settings.secret_key, Some(limit), &fields, "succession pool").await {
        Some(crate::forms::Stop::Again(status, notice)) => return again(status, &[], notice),
        Some(crate::forms::Stop::Bot) => return Ok(sent_redirect()),
        None => {}
    }
    let get = |name: &str| value_of(&fields, name).to_owned();
    let form = PoolForm {
        name: get("name"),
        email: get("email"),
        phone: get("phone"),
        industries: crate::forms::values(&fields, "industries"),
        areas: crate::forms::values(&fields, "areas"),
        funds_band: get("funds_band"),
        experience: get("experience"),
        start_band: get("start_band"),
        organization: get("organization"),
        consent: get("consent"),
    };
    let portal = &state.settings.portal;
    let industries: Vec<&str> = portal.categories.iter().map(|c| c.code.as_str()).collect();
    let areas: Vec<&str> = portal.areas.iter().map(|c| c.ja.as_str()).collect();
    let ids: Vec<(i32, &str)> = orgs.iter().map(|o| (o.id, o.slug.as_str())).collect();
    let entry = match PoolEntry::parse(&form, &industries, &areas, &ids) {
        Ok(e) => e,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, &errors, crate::forms::fix_fields(lang)),
    };
    if let Some(crate::forms::Stop::Again(status, notice)) = crate::forms::spend(&req, limit, "succession pool").await {
        return again(status, &[], notice);
    }
    let base = &state.settings.site.base_url;
    let (confirm_token, withdraw_token) = (crate::tokens::random_token(), crate::tokens::random_token());
    let (confirm_hash, withdraw_hash) = (hash_token(&confirm_token), hash_token(&withdraw_token));
    let confirm_url = format!("{base}/succession/pool/confirm/{confirm_token}");
    let withdraw_url = format!("{base}/succession/pool/withdraw/{withdraw_token}");
    let coordinator = coordinator_name(&state, &orgs, entry.organization_id);
    let app = state.clone();
    let id = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let id =
                yui_db::succession_pool::add(conn, &entry, lang.code(), &confirm_hash, &withdraw_hash, yui_db::now())?;
            let succession = &app.settings.succession;
            let confirm = PoolConfirm {
                name: &entry.name,
                coordinator: &coordinator,
                confirm_url: &confirm_url,
                withdraw_url: &withdraw_url,
                unconfirmed_hours: succession.pool_unconfirmed_hours,
                pool_days: succession.pool_days,
            };
            let mail_lang = yui_mail::Lang::from_code(lang.code());
            app.letters.succession_pool_confirm(conn, entry.email.as_str(), mail_lang, &confirm)?;
            Ok(id)
        })
    })
    .await?;
    // The entry's number only: never the person.
    log::info!("succession pool entry {id} received, awaiting confirmation");
    Ok(sent_redirect())
}

fn sent_redirect() -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, "/succession/pool/sent")).finish()
}

/// The "check your mail" page: reloading it sends nothing again.
#[get("/succession/pool/sent")]
pub async fn pool_sent(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let ctx = json!({"robots": "noindex", "page_title": lang.t("succession.pool.sent_title")});
    html_page(&req, &state, StatusCode::OK, "succession/pool_sent", ctx, None)
}
