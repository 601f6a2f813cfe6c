use crate::handler::db;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// For load balancers and operators: answers 200 only when the database answers.
#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.backend.name();
    match db(&state, yui_db::health::migrations_applied).await {
        Ok(applied) => HttpResponse::Ok().json(serde_json::json!({
            "status": "ok",
            "database": backend,
            "migrations_applied": applied,
            "version": env!("CARGO_PKG_VERSION"),
        })),
        Err(e) => {
            log::error!("health check failed: {e}");
            HttpResponse::ServiceUnavailable().json(serde_json::json!({
                "status": "error",
                "database": backend,
                "error": {"code": "unavailable", "message": "the database does not answer"},
            }))
        }
    }
}
