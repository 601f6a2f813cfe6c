//! `GET /succession/{id}` and its inquiry form, relayed to the coordinator.

use super::*;

async fn load(state: &web::Data<AppState>, id: &str) -> Result<Loaded, WebError> {
    let id = PublicId::parse(id).ok_or(WebError::NotFound)?;
    let now = yui_db::now();
    let loaded = db(state, move |conn| {
        let Some(listing) = yui_db::succession::find_by_public_id(conn, id.as_str())? else { return Ok(None) };
        let coordinator = yui_db::succession::organization_name(conn, listing.coordinator_organization_id)?;
        let article = match listing.article_id {
            Some(a) => yui_db::succession::published_article(conn, a, now)?,
            None => None,
        };
        Ok(Some(Loaded { listing, coordinator, article }))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    if loaded.listing.status.is_listed() {
        Ok(loaded)
    } else {
        Err(WebError::NotFound)
    }
}

#[derive(Default)]
struct FormState<'a> {
    typed: &'a [(String, String)],
    errors: &'a [FieldError],
    notice: Option<&'a str>,
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    loaded: &Loaded,
    form: FormState<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let l = &loaded.listing;
    let path = format!("/succession/{}", l.public_id);
    let csrf = Csrf::for_request(req);
    let mut ctx = json!({
        "page_title": l.public_name,
        "listing": public_view(l, &loaded.coordinator, loaded.article.as_ref(), lang),
        "og": OpenGraph::new(&state.settings.site, &path, &l.public_name, &l.description, "article", lang),
    });
    if l.status.takes_inquiries() {
        let mut values = Map::new();
        let mut messages = Map::new();
        for field in FIELDS {
            values.insert(field.into(), value_of(form.typed, field).into());
            messages.insert(field.into(), "".into());
        }
        for err in form.errors {
            messages.insert(err.field.into(), lang.message(&err.message).into());
        }
        if let Some(map) = ctx.as_object_mut() {
            map.insert(
                "inquiry".into(),
                json!({
                    "action": format!("{path}/inquiry"),
                    "csrf": csrf.token(&state.settings.secret_key),
                    "values": values,
                    "errors": messages,
                    "notice": form.notice.unwrap_or(""),
                }),
            );
        }
    }
    html_page(req, state, status, "succession/listing", ctx, Some(&csrf))
}

#[get("/succession/{id}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &id).await?;
    render(&req, &state, StatusCode::OK, &loaded, FormState::default())
}

#[post("/succession/{id}/inquiry")]
pub async fn inquire(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &id).await?;
    let lang = Lang::of_request(&req);
    if !loaded.listing.status.takes_inquiries() {
        return Err(WebError::Refused {
            status: StatusCode::GONE,
            code: "gone",
            message: lang.t("succession.page.this_business_has_found").into(),
        });
    }
    let fields = crate::forms::fields(&body)?;
    let typed: Vec<(String, String)> = fields.iter().filter(|(k, _)| FIELDS.contains(&k.as_str())).cloned().collect();
    let get = |name: &str| value_of(&fields, name);
    let again = |status, errors: &[FieldError], notice: &str| {
        render(&req, &state, status, &loaded, FormState { typed: &typed, errors, notice: Some(notice) })
    };

    // The same per-address budget as the postings' contact form: one visitor's first contacts.
    let limit = Some(&state.contact_limit_ip);
    match crate::forms::check(&req, &state.settings.secret_key, limit, &fields, "succession inquiry").await {
        Some(crate::forms::Stop::Again(status, notice)) => return again(status, &[], notice),
        Some(crate::forms::Stop::Bot) => return thanks(&req, &state, &loaded.listing),
        None => {}
    }
    let inquiry = match SuccessionInquiry::parse(get("name"), get("email"), get("phone"), get("about"), get("consent"))
    {
        Ok(i) => i,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, &errors, crate::forms::fix_fields(lang)),
    };
    if let Some(crate::forms::Stop::Again(status, notice)) =
        crate::forms::spend(&req, &state.contact_limit_ip, "succession inquiry").await
    {
        return again(status, &[], notice);
    }
    // Many addresses at once must not flood one coordinator either.
    if !state.inquiry_limit_listing.allow(&state.pool, loaded.listing.id).await {
        log::warn!("succession inquiry: rate limit reached for listing {}", loaded.listing.public_id);
        let notice = lang.t("succession.page.this_listing_has_received");
        return again(StatusCode::TOO_MANY_REQUESTS, &[], notice);
    }

    let l = &loaded.listing;
    let site = &state.settings.site;
    let listing_url = format!("{}/succession/{}", site.base_url, l.public_id);
    let admin_url = format!("{}/admin/succession/{}", site.base_url, l.public_id);
    let (listing_name, coordinator) = (l.public_name.clone(), loaded.coordinator.clone());
    let (listing_id, org) = (l.id, l.coordinator_organization_id);
    let (app, mail_lang) = (state.clone(), yui_mail::Lang::from(lang));
    let sent = db_mail(&state, move |conn| {
        let coordinators = yui_db::succession::coordinator_emails(conn, org)?;
        if coordinators.is_empty() {
            log::error!("succession inquiry about listing {listing_id}: no active editor to receive it");
            return Ok(false);
        }
        let to: Vec<&str> = coordinators.iter().map(String::as_str).collect();
        let args = yui_mail::letters::relay::SuccessionInquiry {
            listing_name: &listing_name,
            listing_url: &listing_url,
            admin_url: &admin_url,
            coordinator: &coordinator,
            name: &inquiry.name,
            email: inquiry.email.as_str(),
            phone: inquiry.phone.as_deref(),
            about: &inquiry.about,
        };
        yui_db::transaction(conn, |conn| {
            let relayed = app.letters.succession_inquiry(conn, &to, mail_lang, &args)?;
            yui_db::succession::receive_inquiry(conn, listing_id, &inquiry, relayed.message, yui_db::now())?;
            Ok(true)
        })
    })
    .await?;
    if !sent {
        return Err(WebError::Refused {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: lang.t("succession.page.inquiries_cannot_be_received").into(),
        });
    }
    thanks(&req, &state, l)
}

/// What happens next: the coordinator writes first; the owner is named only when they agree.
fn thanks(req: &HttpRequest, state: &AppState, l: &Listing) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("succession.page.inquiry_sent"),
        "listing_url": format!("/succession/{}", l.public_id),
        "listing_name": l.public_name,
    });
    html_page(req, state, StatusCode::OK, "succession/thanks", ctx, None)
}
