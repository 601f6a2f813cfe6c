//! `POST /campaigns/{slug}/entry`: a person's entry. Checked like every public form (rate
//! limit, CSRF, honeypot), stored with the SHA-256 of a fresh withdraw token, and confirmed by
//! mail through the outbox in the same transaction; then the thanks page at its own address.

use super::*;
use yui_domain::campaigns::{CampaignEntry, EntryForm};
use yui_mail::letters::campaigns::EntryConfirm;

#[post("/campaigns/{slug}/entry")]
pub async fn enter(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &slug).await?;
    let lang = Lang::of_request(&req);
    if !open_today(&loaded.campaign) {
        return Err(WebError::Refused {
            status: StatusCode::GONE,
            code: "closed",
            message: lang.t("campaigns.closed").into(),
        });
    }
    let fields = crate::forms::fields(&body)?;
    let typed: Vec<(String, String)> =
        fields.iter().filter(|(k, _)| FIELDS.contains(&k.as_str()) || k == "interest").cloned().collect();
    let again = |status, errors: &[FieldError], notice: &str| {
        render(&req, &state, status, &loaded, FormState { typed: &typed, errors, notice: Some(notice) })
    };
    let limit = Some(&state.campaign_limit_ip);
    match crate::forms::check(&req, &state.settings.secret_key, limit, &fields, "campaign entry").await {
        Some(crate::forms::Stop::Again(status, notice)) => return again(status, &[], notice),
        Some(crate::forms::Stop::Bot) => return Ok(thanks_redirect(&loaded.campaign)),
        None => {}
    }
    let get = |name: &str| crate::forms::value(&fields, name).to_owned();
    let form = EntryForm {
        name: get("name"),
        email: get("email"),
        offer: get("offer"),
        interests: crate::forms::values(&fields, "interest"),
        way: get("way"),
        consent: get("consent"),
    };
    let allowed: Vec<String> = loaded.postings.iter().map(|(p, _)| p.public_id.clone()).collect();
    let entry = match CampaignEntry::parse(&form, &allowed) {
        Ok(e) => e,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, &errors, crate::forms::fix_fields(lang)),
    };
    if let Some(crate::forms::Stop::Again(status, notice)) =
        crate::forms::spend(&req, &state.campaign_limit_ip, "campaign entry").await
    {
        return again(status, &[], notice);
    }

    let c = &loaded.campaign;
    let base = &state.settings.site.base_url;
    let token = crate::tokens::random_token();
    let withdraw_hash = crate::tokens::hash_token(&token);
    let withdraw_url = format!("{base}/campaigns/withdraw/{token}");
    let campaign_url = format!("{base}/campaigns/{}", c.slug);
    let organizations = loaded.organizations.iter().map(|(o, _)| o.name.as_str()).collect::<Vec<_>>().join("、");
    let (campaign_id, title) = (c.id, c.title.clone());
    let (app, mail_lang) = (state.clone(), yui_mail::Lang::from(lang));
    let entry_id = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let new = yui_db::campaigns::NewEntry {
                name: &entry.name,
                email: entry.email.as_str(),
                offer: &entry.offer,
                interests: &entry.interests,
                way: entry.way,
                withdraw_hash: &withdraw_hash,
            };
            let id = yui_db::campaigns::add_entry(conn, campaign_id, &new, yui_db::now())?;
            let confirm = EntryConfirm {
                name: &entry.name,
                campaign_title: &title,
                campaign_url: &campaign_url,
                organizations: &organizations,
                withdraw_url: &withdraw_url,
            };
            app.letters.campaign_entry_confirm(conn, entry.email.as_str(), mail_lang, &confirm)?;
            Ok(id)
        })
    })
    .await?;
    // The entry's number only: never the person.
    log::info!("campaign {}: entry {entry_id} received", c.id);
    Ok(thanks_redirect(c))
}

fn thanks_redirect(c: &Campaign) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/campaigns/{}/entry/sent", c.slug))).finish()
}

/// The thanks page: reloading it sends nothing again.
#[get("/campaigns/{slug}/entry/sent")]
pub async fn entered(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &slug).await?;
    let lang = Lang::of_request(&req);
    let c = &loaded.campaign;
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("campaigns.thanks.title"),
        "campaign_url": format!("/campaigns/{}", c.slug),
        "campaign_title": c.title,
    });
    html_page(&req, &state, StatusCode::OK, "campaigns/thanks", ctx, None)
}
