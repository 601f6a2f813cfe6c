//! The one place where errors become responses. Handlers return `WebError`; the error-page
//! middleware renders a real page (or JSON for machine routes) in the reader's language.

use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpResponse, ResponseError};
use yui_db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// The message is shown to the person as it is: write it in Japanese.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A state-changing form whose CSRF token does not go with the visitor's cookie (403).
    #[error("the page expired")]
    Expired,
    /// A request that cannot be done as asked, worded in the reader's language on the page.
    #[error("invalid: {0}")]
    Invalid(yui_domain::Message),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("template: {0}")]
    Template(#[from] handlebars::RenderError),
    /// A letter failed to render (its `Db` errors become [`WebError::Db`]).
    #[error(transparent)]
    Mail(yui_mail::MailError),
    /// The bulk export could not be written or read (`open_data.dir`).
    #[error("open data: {0}")]
    OpenData(String),
    #[error("worker pool: {0}")]
    Blocking(#[from] actix_web::error::BlockingError),
    /// An admin page without a valid session: the person is sent to the login page.
    #[error("login required")]
    LoginRequired { next: String },
    /// Signed in, but the role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A machine route's refusal with its own status: 401, 413, 415, 429… The message is shown as it is.
    #[error("{code}: {message}")]
    Refused { status: StatusCode, code: &'static str, message: String },
}

impl From<yui_mail::MailError> for WebError {
    fn from(e: yui_mail::MailError) -> Self {
        match e {
            yui_mail::MailError::Db(e) => WebError::Db(e),
            other => WebError::Mail(other),
        }
    }
}

impl From<crate::jobs_query::QueryError> for WebError {
    fn from(e: crate::jobs_query::QueryError) -> Self {
        WebError::Invalid(e.0)
    }
}

impl WebError {
    fn code(&self) -> &'static str {
        match self {
            WebError::NotFound => "not_found",
            WebError::BadRequest(_) | WebError::Invalid(_) => "bad_request",
            WebError::Refused { code, .. } => code,
            WebError::LoginRequired { .. } => "login_required",
            WebError::Forbidden => "forbidden",
            WebError::Expired => "csrf",
            WebError::Db(DbError::Conflict(_) | DbError::Transition(_) | DbError::Exists(_)) => "conflict",
            WebError::Db(DbError::Connect(_) | DbError::Pool(_)) => "unavailable",
            WebError::Db(_)
            | WebError::Template(_)
            | WebError::Mail(_)
            | WebError::OpenData(_)
            | WebError::Blocking(_) => "internal",
        }
    }

    /// What the reader is told. Internal details stay in the log.
    fn public_message(&self, lang: Lang) -> Option<String> {
        match self {
            WebError::BadRequest(m) | WebError::Refused { message: m, .. } => Some(m.clone()),
            WebError::Invalid(m) => Some(lang.message(m)),
            WebError::Expired => Some(lang.message(&yui_domain::Message::new("field.form.expired"))),
            _ => None,
        }
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        if let WebError::Refused { status, .. } = self {
            return *status;
        }
        match self.code() {
            "login_required" => StatusCode::SEE_OTHER,
            "forbidden" | "csrf" => StatusCode::FORBIDDEN,
            "not_found" => StatusCode::NOT_FOUND,
            "bad_request" => StatusCode::BAD_REQUEST,
            "conflict" => StatusCode::CONFLICT,
            "unavailable" => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// An empty response: [`render_error_page`] gives it its body, where the app state is at hand.
    fn error_response(&self) -> HttpResponse {
        if let WebError::LoginRequired { next } = self {
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/admin/login?{query}")))
                .finish();
        }
        HttpResponse::build(self.status_code()).finish()
    }
}

fn default_message(status: StatusCode, lang: Lang) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => lang.t("error.not_found"),
        StatusCode::BAD_REQUEST => lang.t("error.bad_request"),
        StatusCode::METHOD_NOT_ALLOWED => lang.t("error.method_not_allowed"),
        StatusCode::FORBIDDEN => lang.t("error.forbidden"),
        StatusCode::CONFLICT => lang.t("error.conflict"),
        StatusCode::PAYLOAD_TOO_LARGE => lang.t("error.payload_too_large"),
        StatusCode::REQUEST_TIMEOUT => lang.t("error.request_timeout"),
        StatusCode::TOO_MANY_REQUESTS => lang.t("error.too_many_requests"),
        StatusCode::SERVICE_UNAVAILABLE => lang.t("error.service_unavailable"),
        _ => lang.t("error.other"),
    }
}

/// Machines (health checks, webhooks, the API) get JSON; people get a page.
fn wants_json(path: &str) -> bool {
    path == "/healthz"
        || path == "/metrics"
        || path.starts_with("/api/")
        || path.starts_with("/hooks/")
        || path.ends_with(".json")
}

/// Gives every error response a body. Responses a handler built itself (a form shown again
/// with a 422, say) carry no error and pass through untouched.
pub fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let Some(error) = res.response().error() else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    if res.status().is_redirection() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let web_error = error.as_error::<WebError>();
    let detail = web_error.map_or_else(|| error.to_string(), ToString::to_string);
    let lang = Lang::of_request(res.request());
    let public = web_error.and_then(|e| e.public_message(lang));
    let code = match web_error {
        _ if status == StatusCode::NOT_FOUND => "not_found",
        Some(e) => e.code(),
        None if status.is_server_error() => "internal",
        None => "bad_request",
    };
    let (req, _) = res.into_parts();
    if status.is_server_error() {
        log::error!("{} failed: {}", crate::logging::request(&req), crate::logging::detail(&detail));
    }
    let message = public.unwrap_or_else(|| default_message(status, lang).to_owned());

    let response = if wants_json(req.path()) {
        HttpResponse::build(status).json(serde_json::json!({"error": {"code": code, "message": message}}))
    } else {
        let page = req.app_data::<web::Data<AppState>>().and_then(|state| {
            let ctx = serde_json::json!({"status": status.as_u16(), "message": message, "is_not_found": status == StatusCode::NOT_FOUND});
            crate::templates::render_page(&state.templates, &state.settings.site, &req, lang, "errors/error", ctx)
                .map_err(|e| log::error!("error page failed to render: {e}"))
                .ok()
        });
        match page {
            Some(html) => {
                HttpResponse::build(status).insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8")).body(html)
            }
            None => HttpResponse::build(status)
                .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
                .body(message),
        }
    };
    let res: ServiceResponse<EitherBody<B, BoxBody>> = ServiceResponse::new(req, response).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
