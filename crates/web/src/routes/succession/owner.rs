//! `/succession/manage/{token}`: the owner's private page and their change requests.

use super::*;
use yui_domain::Message;

async fn load_owned(state: &web::Data<AppState>, token: &str) -> Result<Option<(Loaded, i64)>, WebError> {
    // Tokens are 43 URL-safe characters; anything else cannot match and skips the query.
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Ok(None);
    }
    let hash = hash_token(token);
    let now = yui_db::now();
    db(state, move |conn| {
        let Some(listing) = yui_db::succession::find_by_manage_token_hash(conn, &hash)? else { return Ok(None) };
        let coordinator = yui_db::succession::organization_name(conn, listing.coordinator_organization_id)?;
        let article = match listing.article_id {
            Some(a) => yui_db::succession::published_article(conn, a, now)?,
            None => None,
        };
        let count = yui_db::succession::inquiry_count(conn, listing.id)?;
        Ok(Some((Loaded { listing, coordinator, article }, count)))
    })
    .await
}

fn owner_not_found(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let message = lang.t("succession.owner_link_not_found");
    let ctx = json!({"status": 404, "message": message, "is_not_found": true});
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "errors/error", ctx)?;
    Ok(private(&mut HttpResponse::NotFound()).content_type("text/html; charset=utf-8").body(html))
}

struct OwnerForm<'a> {
    status: StatusCode,
    request: &'a str,
    error: &'a str,
    notice: &'a str,
}

fn render_owner(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    loaded: &Loaded,
    inquiries: i64,
    form: OwnerForm<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let csrf = Csrf::for_request(req);
    let l = &loaded.listing;
    let done = query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "1");
    let ctx = json!({
        "page_title": l.public_name,
        "robots": "noindex,nofollow",
        "listing": public_view(l, &loaded.coordinator, loaded.article.as_ref(), lang),
        "public_url": l.status.is_listed().then(|| format!("/succession/{}", l.public_id)),
        "inquiries": inquiries,
        "action": format!("/succession/manage/{token}"),
        "csrf": csrf.token(&state.settings.secret_key),
        "request": form.request,
        "error": form.error,
        "notice": form.notice,
        "done": done,
    });
    let html =
        crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "succession/manage", ctx)?;
    let mut res = HttpResponse::build(form.status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(private(&mut res).content_type("text/html; charset=utf-8").body(html))
}

#[get("/succession/manage/{token}")]
pub async fn manage_show(
    req: HttpRequest,
    token: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    match load_owned(&state, &token).await? {
        Some((loaded, n)) => {
            let form = OwnerForm { status: StatusCode::OK, request: "", error: "", notice: "" };
            render_owner(&req, &state, &token, &loaded, n, form)
        }
        None => owner_not_found(&req, &state),
    }
}

/// The owner asks for a change (a wording, a photo, closing the listing): the coordinator's
/// editors get it by mail (Reply-To the owner), and it is logged.
#[post("/succession/manage/{token}")]
pub async fn manage_request(
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some((loaded, n)) = load_owned(&state, &token).await? else {
        return owner_not_found(&req, &state);
    };
    let fields = crate::forms::fields(&body)?;
    let request = value_of(&fields, "request").replace("\r\n", "\n");
    let lang = Lang::of_request(&req);
    let again = |status, error: &str, notice: &str| {
        render_owner(&req, &state, &token, &loaded, n, OwnerForm { status, request: &request, error, notice })
    };
    if !crate::forms::csrf_ok(&req, &state.settings.secret_key, Some(value_of(&fields, csrf::FIELD))) {
        return again(StatusCode::FORBIDDEN, "", crate::forms::expired(lang));
    }
    let text = request.trim();
    let error = if text.is_empty() {
        lang.message(&Message::new("field.succession.request.empty"))
    } else if text.chars().count() > REQUEST_MAX_CHARS {
        lang.message(&Message::new("field.succession.request.too_long").with("max", REQUEST_MAX_CHARS))
    } else if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        lang.message(&Message::new("field.succession.request.control"))
    } else {
        String::new()
    };
    if !error.is_empty() {
        return again(StatusCode::UNPROCESSABLE_ENTITY, &error, "");
    }
    let l = &loaded.listing;
    let admin_url = format!("{}/admin/succession/{}", state.settings.site.base_url, l.public_id);
    let (listing, text, app) = (l.clone(), text.to_owned(), state.clone());
    db_mail(&state, move |conn| {
        let to = yui_db::succession::coordinator_emails(conn, listing.coordinator_organization_id)?;
        if to.is_empty() {
            return Err(yui_db::DbError::Invalid("no active editor to receive an owner's request".into()).into());
        }
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        let args = SuccessionChangeRequest {
            listing_name: &listing.public_name,
            owner_name: &listing.owner_name,
            owner_email: &listing.owner_email,
            admin_url: &admin_url,
            request: &text,
        };
        yui_db::transaction(conn, |conn| {
            app.letters.succession_change_request(conn, &to, &args)?;
            yui_db::succession::request_changes(conn, &listing, &text, yui_db::now())?;
            Ok(())
        })
    })
    .await?;
    log::info!("succession listing {}: its owner asked for changes", l.public_id);
    Ok(private(&mut HttpResponse::SeeOther())
        .insert_header((header::LOCATION, format!("/succession/manage/{token}?done=1")))
        .finish())
}
