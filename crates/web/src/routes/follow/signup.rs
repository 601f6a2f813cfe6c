//! `GET|POST /follow`: an address and what it wants; a confirmation mail (double opt-in).

use super::*;

/// The saved search typed into a form, as a canonical `/jobs` query string (checked by the
/// parser `/jobs` uses, so the alert finds what `/jobs` finds).
pub(super) fn saved_query(state: &AppState, fields: &[(String, String)]) -> Result<String, FieldError> {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| SEARCH_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.trim()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    match crate::jobs_query::parse(&query, &state.settings) {
        Ok(parsed) => Ok(serde_urlencoded::to_string(&parsed.pairs).unwrap_or_default()),
        Err(e) => Err(FieldError { field: "search", message: e.0 }),
    }
}

/// The choices of the saved-search fields, with `typed` selected.
pub(super) fn search_choices(state: &AppState, lang: Lang, typed: &[(String, String)]) -> Value {
    let l = lang.code();
    let selected = |name: &str, code: &str| get(typed, name) == code;
    json!({
        "types": EmploymentType::ALL.iter().map(|t| json!({"code": t.code(), "label": t.label(l), "selected": selected("type", t.code())})).collect::<Vec<_>>(),
        "areas": state.settings.portal.areas.iter().map(|a| json!({"code": a.code, "label": a.label(l), "selected": selected("area", &a.code)})).collect::<Vec<_>>(),
        "remotes": RemoteMode::ALL.iter().map(|r| json!({"code": r.code(), "label": r.label(l), "selected": selected("remote", r.code())})).collect::<Vec<_>>(),
        "frequencies": Frequency::ALL.iter().map(|f| json!({"code": f.code(), "label": f.label(l), "selected": get(typed, "frequency") == f.code() || (get(typed, "frequency").is_empty() && *f == Frequency::Weekly)})).collect::<Vec<_>>(),
        "conditions": yui_domain::Condition::ALL.iter().map(|c| json!({"code": c.code(), "label": c.chip(l), "checked": typed.iter().any(|(k, v)| k == "cond" && v == c.code())})).collect::<Vec<_>>(),
        "project": crate::views::project_filter_choices(&|name: &str| Some(get(typed, name).to_owned()).filter(|v| !v.is_empty()), lang),
        "q": get(typed, "q"),
    })
}

fn render_form(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    typed: &[(String, String)],
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let csrf = Csrf::for_request(req);
    let mut messages = Map::new();
    for field in ["email", "choice", "frequency", "search"] {
        messages.insert(field.into(), "".into());
    }
    for e in errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    // A fresh form ticks the digest; a returned one keeps what was ticked.
    let fresh = typed.iter().all(|(k, _)| SEARCH_FIELDS.contains(&k.as_str()));
    let ctx = json!({
        "page_title": lang.t("follow.page.follow"),
        "csrf": csrf.token(&state.settings.secret_key),
        "email": get(typed, "email"),
        "digest": fresh || get(typed, "digest") == "1",
        "alert": (fresh && SEARCH_FIELDS.iter().any(|k| !get(typed, k).is_empty())) || get(typed, "alert") == "1",
        "search": search_choices(state, lang, typed),
        "errors": messages,
        "error_count": errors.len(),
        "notice": notice.unwrap_or_default(),
        "valid_hours": state.settings.following.link_valid.num_hours(),
    });
    let body = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "follow/form", ctx)?;
    let mut res = HttpResponse::build(status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(res.insert_header((header::CACHE_CONTROL, "no-store")).content_type("text/html; charset=utf-8").body(body))
}

/// The form; `/follow?q=介護&type=full_time` starts it with that saved search.
#[get("/follow")]
pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let typed: Vec<(String, String)> =
        crate::i18n::query_pairs(req.query_string()).filter(|(k, _)| SEARCH_FIELDS.contains(&k.as_str())).collect();
    render_form(&req, &state, StatusCode::OK, &typed, &[], None)
}

#[post("/follow")]
pub async fn subscribe(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let fields = fields_of(&body)?;
    let limit = Some(&state.follow_limit_ip);
    match crate::forms::check(&req, &state.settings.secret_key, limit, &fields, "follow").await {
        Some(crate::forms::Stop::Again(status, notice)) => {
            return render_form(&req, &state, status, &fields, &[], Some(notice))
        }
        Some(crate::forms::Stop::Bot) => return check_mail(&req, &state),
        None => {}
    }
    let wants_alert = get(&fields, "alert") == "1";
    let parsed = FollowRequest::parse(
        get(&fields, "email"),
        get(&fields, "digest") == "1",
        wants_alert,
        get(&fields, "frequency"),
    );
    let query = if wants_alert { Some(saved_query(&state, &fields)) } else { None };
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if let Some(Err(e)) = &query {
        errors.push(e.clone());
    }
    let (request, query) = match (parsed, query) {
        (Ok(r), None) if errors.is_empty() => (r, None),
        (Ok(r), Some(Ok(q))) if errors.is_empty() => (r, Some(q)),
        _ => {
            return render_form(
                &req,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &fields,
                &errors,
                Some(crate::forms::fix_fields(Lang::of_request(&req))),
            )
        }
    };
    if let Some(crate::forms::Stop::Again(status, notice)) =
        crate::forms::spend(&req, &state.follow_limit_ip, "follow").await
    {
        return render_form(&req, &state, status, &fields, &[], Some(notice));
    }
    let lang = Lang::of_request(&req).code().to_owned();
    let state2 = state.clone();
    db_mail(&state, move |conn| {
        let token = crate::tokens::random_token();
        let hash = crate::tokens::hash_token(&token);
        let salt = crate::tokens::random_token();
        let email = request.email.as_str().to_lowercase();
        let alert = match (&query, request.alert) {
            (Some(q), Some(f)) => Some((q.as_str(), f)),
            _ => None,
        };
        let sign_up = SignUp {
            email: &email,
            lang: &lang,
            digest: request.digest,
            alert,
            confirm_token_hash: &hash,
            link_salt: &salt,
        };
        let ctx = Context { settings: &state2.settings, letters: &state2.letters };
        yui_db::transaction(conn, |conn| {
            match yui_db::following::sign_up(conn, &sign_up, yui_db::now(), mailings::RESEND_AFTER)? {
                SignUpOutcome::Confirm(f) => {
                    mailings::queue_confirmation(conn, ctx, &f, &token)?;
                }
                SignUpOutcome::AlreadyFollowing(f) => {
                    mailings::queue_already_following(conn, ctx, &f)?;
                }
                SignUpOutcome::TooSoon => log::info!("follow: a mail went to this address moments ago; none now"),
            }
            Ok(())
        })
    })
    .await?;
    check_mail(&req, &state)
}

/// The same page whatever the address's state: nobody learns from it who follows.
fn check_mail(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    html(
        req,
        state,
        StatusCode::OK,
        "follow/check_mail",
        json!({"robots": "noindex", "valid_hours": state.settings.following.link_valid.num_hours()}),
    )
}
