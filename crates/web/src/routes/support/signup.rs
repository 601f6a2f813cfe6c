//! `GET|POST /support`: supporting the commons, and the sign-up with double opt-in.

use super::*;

fn form_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    typed: &[(String, String)],
    errors: &[FieldError],
    notice: &str,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let get = |name: &str| typed.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let checked = |name: &str, value: &str| typed.iter().any(|(k, v)| k == name && v == value);
    let mut values = Map::new();
    let mut messages = Map::new();
    for field in FIELDS {
        values.insert(field.into(), get(field).into());
    }
    for field in FIELDS.iter().chain(&["support_types"]) {
        messages.insert((*field).into(), "".into());
    }
    for e in errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    // A fresh form chooses "individual" and "on the wall"; a form shown again keeps what was typed.
    let fresh = typed.is_empty();
    let kinds: Vec<Value> = SupporterKind::ALL
        .iter()
        .map(|k| {
            let on = checked("kind", k.code()) || (fresh && *k == SupporterKind::Individual);
            json!({"code": k.code(), "label": k.label(lang.code()), "checked": on})
        })
        .collect();
    let types: Vec<Value> = SupportType::ALL
        .iter()
        .map(
            |t| json!({"code": t.code(), "label": t.label(lang.code()), "checked": checked("support_types", t.code())}),
        )
        .collect();
    let ctx = json!({
        "title": lang.t("support.page.support_the_commons"),
        "csrf": crate::cache::CSRF_SLOT,
        "values": values,
        "errors": messages,
        "notice": notice,
        "kinds": kinds,
        "types": types,
        "anonymous": checked("anonymous", "1"),
        "on_wall": fresh || checked("on_wall", "1"),
        "confirm_hours": CONFIRM_HOURS,
    });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "support/index", ctx)?;
    Ok(HttpResponse::build(status)
        .insert_header((crate::cache::CSRF_SLOT_HEADER, "1"))
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[get("/support")]
pub async fn programme(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    form_page(&req, &state, StatusCode::OK, &[], &[], "")
}

#[post("/support")]
pub async fn sign_up(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let fields = crate::forms::fields(&body)?;
    let get = |name: &str| crate::forms::value(&fields, name);
    let again = |status, errors: &[FieldError], notice: &str| form_page(&req, &state, status, &fields, errors, notice);
    let limit = Some(&state.signup_limit_ip);
    match crate::forms::check(&req, &state.settings.secret_key, limit, &fields, "support sign-up").await {
        Some(crate::forms::Stop::Again(status, notice)) => return again(status, &[], notice),
        Some(crate::forms::Stop::Bot) => return check_email(&req, &state),
        None => {}
    }
    let form = SignupForm {
        email: get("email"),
        name: get("name"),
        anonymous: get("anonymous") == "1",
        kind: get("kind"),
        support_types: fields.iter().filter(|(k, _)| k == "support_types").map(|(_, v)| v.as_str()).collect(),
        message: get("message"),
        on_wall: get("on_wall") == "1",
    };
    let signup = match SupporterSignup::parse(&form) {
        Ok(s) => s,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, &errors, crate::forms::fix_fields(lang)),
    };
    if let Some(crate::forms::Stop::Again(status, notice)) =
        crate::forms::spend(&req, &state.signup_limit_ip, "support sign-up").await
    {
        return again(status, &[], notice);
    }
    let token = crate::tokens::random_token();
    let now = yui_db::now();
    let name = signup.display_name.clone().unwrap_or_else(|| lang.t("support.page.supporter").into());
    let lang = yui_mail::Lang::from(lang);
    let st = state.clone();
    db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let hash = crate::tokens::hash_token(&token);
            yui_db::supporters::sign_up(conn, &signup, &hash, now + Duration::hours(CONFIRM_HOURS), now)?;
            let base_url = &st.settings.site.base_url;
            let args = SupporterConfirm {
                name: &name,
                confirm_url: &format!("{base_url}/support/confirm/{token}"),
                leave_url: &format!("{base_url}/support/leave/{token}"),
                hours: CONFIRM_HOURS,
            };
            st.letters.supporter_confirm(conn, signup.email.as_str(), lang, &args)?;
            Ok(())
        })
    })
    .await?;
    check_email(&req, &state)
}

/// The same answer whether or not the address signed up before: it reveals nothing.
fn check_email(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    page(req, state, "support/check_email", json!({ "hours": CONFIRM_HOURS }))
}
