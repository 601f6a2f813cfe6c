use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

/// Prometheus's scrape: only with `metrics.token` set (404 otherwise) and offered as
/// `Authorization: Bearer <token>` (401 otherwise).
#[get("/metrics")]
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let Some(token) = &state.settings.metrics_token else {
        return Err(WebError::NotFound);
    };
    let offered = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    if !offered.is_some_and(|o| token.matches(o)) {
        let message = Lang::of_request(&req).t("error.metrics_token");
        return Ok(HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"yui-metrics\""))
            .json(serde_json::json!({"error": {"code": "unauthorized", "message": message}})));
    }
    // The request counts are worth having even when the database is down.
    let backlog = db(&state, yui_db::health::backlog).await.map_err(|e| log::error!("metrics: backlog: {e}")).ok();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(backlog.as_ref(), yui_db::now())))
}
