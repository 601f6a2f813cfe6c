//! `/submit`: Yui's own form, for employers without a form tool. It ends in the same intake
//! as the webhooks; on a mistake the form comes back with every message next to its field
//! and everything typed still there.

use crate::csrf::Csrf;
use crate::error::WebError;
use crate::handler::db_mail;
use crate::i18n::Lang;
use crate::intake::{self, Delivery, Outcome};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use yui_domain::{EmploymentType, FieldError, RemoteMode, SalaryUnit};
use yui_ingest::mapping::{self, Field};
use yui_ingest::source::Source;

/// A random key rendered into each form, so a double click stores one submission.
const SUBMISSION_KEY: &str = "submission_key";

#[get("/submit")]
pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    render_form(&req, &state, StatusCode::OK, &[], &[], None)
}

#[post("/submit")]
pub async fn submit(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let fields = crate::forms::fields(&body)?;
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    match crate::forms::check(&req, &state.settings.secret_key, Some(&state.submit_limit), &fields, "submit").await {
        Some(crate::forms::Stop::Again(status, notice)) => {
            return render_form(&req, &state, status, &fields, &[], Some(notice))
        }
        Some(crate::forms::Stop::Bot) => return thanks(&req, &state),
        None => {}
    }
    let errors = match mapping::map_fields(&fields, &state.settings.ingest.region) {
        Err(errors) => errors,
        Ok(intake) => intake::gap_errors(&intake.posting),
    };
    if !errors.is_empty() {
        return render_form(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, &fields, &errors, None);
    }
    if let Some(crate::forms::Stop::Again(status, notice)) =
        crate::forms::spend(&req, &state.submit_limit, "submit").await
    {
        return render_form(&req, &state, status, &fields, &[], Some(notice));
    }
    let key = get(SUBMISSION_KEY).map(str::trim).filter(|k| k.len() >= 16 && k.len() <= 64).map(str::to_owned);
    let raw = body.to_vec();
    let app = state.clone();
    let outcome = db_mail(&state, move |conn| {
        let ctx = intake::Context { settings: &app.settings, letters: &app.letters };
        intake::receive(
            conn,
            ctx,
            Delivery { source: Source::Native, header_id: key, headers: "{}".into(), body: &raw },
        )
    })
    .await?;
    match outcome {
        Outcome::Accepted { .. } | Outcome::Replayed { .. } => thanks(&req, &state),
        // The form was checked above, so this means the stored bytes read differently: keep
        // them for editors and tell the person what is wrong.
        Outcome::Quarantined { problem, .. } => {
            let errors = match problem {
                intake::Problem::Missing(errors) => errors,
                intake::Problem::Unreadable(m) => vec![FieldError::new("title", yui_domain::Message::as_written(m))],
            };
            render_form(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, &fields, &errors, None)
        }
    }
}

fn thanks(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    let html = crate::templates::render_page(
        &state.templates,
        &state.settings.site,
        req,
        Lang::of_request(req),
        "submit/thanks",
        json!({"robots": "noindex", "page_title": Lang::of_request(req).t("submit.page.thank_you")}),
    )?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

fn options<T: Copy>(
    all: &[T],
    selected: &str,
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Value {
    all.iter().map(|v| json!({"code": code(*v), "label": label(*v), "selected": code(*v) == selected})).collect()
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
    let typed_value = |name: &str| typed.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    // Every field has an entry, so the template can use them without checks.
    let mut values = Map::new();
    let mut messages = Map::new();
    for field in Field::ALL {
        values.insert(field.code().into(), typed_value(field.code()).into());
        messages.insert(field.code().into(), "".into());
    }
    for e in errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    let key = match typed_value(SUBMISSION_KEY) {
        k if k.len() >= 16 && k.len() <= 64 => k,
        _ => crate::tokens::random_token(),
    };
    let csrf = Csrf::for_request(req);
    let ctx = json!({
        "page_title": lang.t("submit.page.post_a_job"),
        "robots": "noindex",
        "csrf": csrf.token(&state.settings.secret_key),
        "submission_key": key,
        "values": values,
        "errors": messages,
        "error_count": errors.len(),
        "error_summary": crate::views::posting_error_summary(errors, crate::views::PostingForm::Public, lang),
        "notice": notice.unwrap_or(""),
        "region": state.settings.site.region,
        "types": options(EmploymentType::ALL, &typed_value("employment_type"), EmploymentType::code, |t| t.label(lang.code())),
        "remotes": options(RemoteMode::ALL, &typed_value("remote"), RemoteMode::code, |t| t.label(lang.code())),
        "terms_choices": crate::views::terms_choices(typed_value, lang),
        "units": options(SalaryUnit::ALL, &typed_value("salary_unit"), SalaryUnit::code, |t| t.label(lang.code())),
        "categories": state.settings.portal.category_options(&typed_value("category"), lang.code()),
        "areas": state.settings.portal.area_options(&typed_value("area"), lang.code()),
        "condition_choices": crate::views::condition_choices(&crate::forms::values(typed, "conditions"), lang),
    });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "submit/form", ctx)?;
    let mut res = HttpResponse::build(status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}
