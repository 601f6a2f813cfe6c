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

/// For orchestrators: 200 when the database answers and has applied every migration this build
/// carries, so the instance may take traffic; 503 with what is missing otherwise.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.backend.name();
    match db(&state, yui_db::migrate::missing).await {
        Ok(missing) if missing.is_empty() => {
            HttpResponse::Ok().json(serde_json::json!({"status": "ready", "database": backend}))
        }
        Ok(missing) => HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "not_ready",
            "database": backend,
            "error": {"code": "migrations_pending", "message": format!("{} migration(s) not applied yet", missing.len())},
            "missing_migrations": missing,
        })),
        Err(e) => {
            log::error!("readiness check failed: {e}");
            HttpResponse::ServiceUnavailable().json(serde_json::json!({
                "status": "not_ready",
                "database": backend,
                "error": {"code": "unavailable", "message": "the database does not answer"},
            }))
        }
    }
}
