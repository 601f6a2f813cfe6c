//! `POST /jobs/{id}/contact`: a seeker's first message, relayed once to the employer with
//! Reply-To set to the seeker and a copy to the seeker; then the thanks page, at an address of
//! its own so that reloading it sends nothing again.

use super::posting::{load, render, FormState, Visibility};
use crate::error::WebError;
use crate::handler::db_mail;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_db::postings::Posting;
use yui_domain::{ContactMessage, FieldError};
use yui_mail::letters::relay::Inquiry;

#[post("/jobs/{id}/contact")]
pub async fn contact(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &id).await?;
    let lang = Lang::of_request(&req);

    if matches!(loaded.visibility, Visibility::Ended) {
        return Err(WebError::Refused {
            status: StatusCode::GONE,
            code: "gone",
            message: lang.t("posting.page.this_posting_has_ended").into(),
        });
    }
    if loaded.hellowork.is_some() {
        return Err(WebError::Refused {
            status: StatusCode::CONFLICT,
            code: "hellowork_referral",
            message: lang.t("hellowork.contact_refused").into(),
        });
    }
    let fields = crate::forms::fields(&body)?;
    let get = |name: &str| crate::forms::value(&fields, name);
    let again = |status, errors: &[FieldError], notice: &str| {
        render(&req, &state, status, &loaded, FormState { typed: &fields, errors, notice: Some(notice.to_owned()) })
    };

    match crate::forms::check(&req, &state.settings.secret_key, Some(&state.contact_limit_ip), &fields, "contact").await
    {
        Some(crate::forms::Stop::Again(status, notice)) => return again(status, &[], notice),
        Some(crate::forms::Stop::Bot) => return Ok(sent(&loaded.posting)),
        None => {}
    }
    let message = match ContactMessage::parse(get("name"), get("email"), get("message")) {
        Ok(m) => m,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, &errors, crate::forms::fix_fields(lang)),
    };
    if let Some(crate::forms::Stop::Again(status, notice)) =
        crate::forms::spend(&req, &state.contact_limit_ip, "contact").await
    {
        return again(status, &[], notice);
    }
    if !state.contact_limit_posting.allow(&state.pool, loaded.posting.id).await {
        log::warn!("contact: rate limit reached for posting {}", loaded.posting.public_id);
        let notice = lang.t("posting.page.this_posting_has_received");
        return again(StatusCode::TOO_MANY_REQUESTS, &[], notice);
    }

    let (p, e) = (&loaded.posting, &loaded.employer);
    let posting_url = format!("{}/jobs/{}", state.settings.site.base_url, p.public_id);
    let (posting_id, title) = (p.id, p.title.clone());
    let (employer_name, contact_name, employer) = (e.name.clone(), e.contact_name.clone(), e.clone());
    let sender_hash = crate::tokens::hash_token(&message.email.as_str().to_lowercase());
    let (app, lang) = (state.clone(), yui_mail::Lang::from(lang));
    db_mail(&state, move |conn| {
        let inquiry = Inquiry {
            employer_name: &employer_name,
            contact_name: contact_name.as_deref(),
            title: &title,
            posting_url: &posting_url,
            sender_name: &message.name,
            sender_email: message.email.as_str(),
            message: &message.message,
        };
        yui_db::transaction(conn, |conn| {
            // An employer without email: the staff member holding their mail passes it on.
            // Nobody to write to (a Hello Work office's postings take no messages): refused above.
            let Some(to) = yui_db::employers::mail_address(conn, &employer)? else {
                return Err(yui_db::DbError::Invalid("this employer takes no messages through Yui".into()).into());
            };
            let relayed = app.letters.inquiry(conn, &to, lang, &inquiry)?;
            yui_db::inquiries::record(conn, posting_id, &sender_hash, relayed.message, yui_db::now())?;
            Ok(())
        })
    })
    .await?;
    Ok(sent(p))
}

/// After a message is sent: to the thanks page, so that reloading it sends nothing again.
fn sent(p: &Posting) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/jobs/{}/contact/sent", p.public_id))).finish()
}

/// The confirmation: sent once, and from now on the two write to each other directly.
#[get("/jobs/{id}/contact/sent")]
pub async fn contact_sent(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &id).await?;
    let (lang, p) = (Lang::of_request(&req), &loaded.posting);
    let html = crate::templates::render_page(
        &state.templates,
        &state.settings.site,
        &req,
        lang,
        "portal/contact_sent",
        json!({
            "robots": "noindex",
            "page_title": lang.t("posting.page.message_sent"),
            "posting_url": format!("/jobs/{}", p.public_id),
            "posting_title": p.title,
        }),
    )?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}
