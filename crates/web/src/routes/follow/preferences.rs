//! `/follow/manage/{token}`: what a follower receives, changed or stopped.

use super::*;
use yui_domain::Message;

/// The follower a manage link opens, if its signature holds.
async fn manage_target(state: &web::Data<AppState>, token: &str) -> Result<Option<Follower>, WebError> {
    let Some((Link::Manage, id)) = mailings::read(token) else {
        return Ok(None);
    };
    let Some(f) = db(state, move |conn| yui_db::following::find(conn, id)).await? else {
        return Ok(None);
    };
    Ok(mailings::verify(&state.settings.secret_key, token, Link::Manage, f.id, &f.link_salt).then_some(f))
}

fn search_view(state: &AppState, lang: Lang, s: &SavedSearch, f: &Follower) -> Value {
    json!({
        "id": s.id,
        "what": mailings::describe(&state.settings, &s.query, lang.code()),
        "frequency": s.frequency().label(lang.code()),
        "frequencies": Frequency::ALL.iter().map(|x| json!({"code": x.code(), "label": x.label(lang.code()), "selected": *x == s.frequency()})).collect::<Vec<_>>(),
        "jobs_url": crate::paths::href("/jobs", &crate::i18n::query_pairs(&s.query).collect::<Vec<_>>()),
        "atom": mailings::feed_url(&state.settings, s, f, "atom"),
        "json": mailings::feed_url(&state.settings, s, f, "json"),
    })
}

#[get("/follow/manage/{token}")]
pub async fn manage(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let Some(f) = manage_target(&state, &token).await? else {
        return bad_link(&req, &state);
    };
    render_manage(&req, &state, &token, &f, StatusCode::OK, &[], &[]).await
}

async fn render_manage(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
    f: &Follower,
    status: StatusCode,
    typed: &[(String, String)],
    errors: &[FieldError],
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let id = f.id;
    let searches = db(state, move |conn| yui_db::following::searches(conn, id)).await?;
    let csrf = Csrf::for_request(req);
    let done = crate::i18n::query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "1");
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("follow.page.what_you_receive"),
        "token": token,
        "csrf": csrf.token(&state.settings.secret_key),
        "email": f.email,
        "confirmed": f.confirmed_at.is_some(),
        "digest": f.wants_digest,
        "searches": searches.iter().map(|s| search_view(state, lang, s, f)).collect::<Vec<_>>(),
        "search": search_choices(state, lang, typed),
        "search_error": errors.first().map(|e| lang.message(&e.message)).unwrap_or_default(),
        "done": done,
    });
    let body = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "follow/manage", ctx)?;
    let mut res = HttpResponse::build(status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(private(&mut res).content_type("text/html; charset=utf-8").body(body))
}

#[post("/follow/manage/{token}")]
pub async fn manage_act(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let Some(f) = manage_target(&state, &token).await? else {
        return bad_link(&req, &state);
    };
    let fields = fields_of(&body)?;
    if !crate::forms::csrf_ok(&req, &state.settings.secret_key, Some(get(&fields, csrf::FIELD))) {
        return message(&req, &state, StatusCode::FORBIDDEN, "follow.expired_form_title", "follow.expired_form");
    }
    let id = f.id;
    let search_id: Option<i32> = get(&fields, "search").parse().ok();
    match get(&fields, "action") {
        "digest_on" | "digest_off" => {
            let on = get(&fields, "action") == "digest_on";
            db(&state, move |conn| yui_db::following::set_digest(conn, id, on)).await?;
        }
        "add_search" => {
            let frequency = mailings::frequency(get(&fields, "frequency"));
            let query = saved_query(&state, &fields);
            let (query, frequency) = match (query, frequency) {
                (Ok(q), Some(freq)) => (q, freq),
                (Err(e), _) => {
                    return render_manage(&req, &state, &token, &f, StatusCode::UNPROCESSABLE_ENTITY, &fields, &[e])
                        .await
                }
                (_, None) => {
                    let e = FieldError::new("frequency", yui_domain::Message::new("field.follow.frequency.choose"));
                    return render_manage(&req, &state, &token, &f, StatusCode::UNPROCESSABLE_ENTITY, &fields, &[e])
                        .await;
                }
            };
            db(&state, move |conn| yui_db::following::add_search(conn, id, &query, frequency, yui_db::now())).await?;
        }
        "frequency" => {
            let (Some(search), Some(frequency)) = (search_id, mailings::frequency(get(&fields, "frequency"))) else {
                return Err(WebError::Invalid(Message::new("field.follow.which_frequency")));
            };
            db(&state, move |conn| yui_db::following::set_frequency(conn, id, search, frequency)).await?;
        }
        "delete_search" => {
            let Some(search) = search_id else {
                return Err(WebError::Invalid(Message::new("field.follow.which_alert")));
            };
            db(&state, move |conn| yui_db::following::delete_search(conn, id, search)).await?;
        }
        "delete_all" => {
            db(&state, move |conn| yui_db::following::delete_follower(conn, id)).await?;
            log::info!("follow: follower {id} deleted everything");
            return message(&req, &state, StatusCode::OK, "follow.deleted.title", "follow.deleted.body");
        }
        _ => return Err(WebError::Invalid(Message::new("field.follow.unknown_action"))),
    }
    let lang = match Lang::from_query(&req) {
        Some(l) => format!("&lang={}", l.code()),
        None => String::new(),
    };
    Ok(private(&mut HttpResponse::SeeOther())
        .insert_header((header::LOCATION, format!("/follow/manage/{token}?done=1{lang}")))
        .finish())
}
