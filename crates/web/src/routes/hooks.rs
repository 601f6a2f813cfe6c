//! `POST /hooks/{source}`: form tools deliver submissions here. The checks run cheapest
//! first and nothing is stored until the sender is verified; after that nothing is lost.

use crate::error::WebError;
use crate::handler::db_mail;
use crate::intake::{self, Delivery, Outcome, Problem};
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_ingest::source::{self, Source};

#[post("/hooks/{source}")]
pub async fn receive(
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    // A switched-off source looks the same as one that does not exist.
    let source = Source::from_path(&path).ok_or(WebError::NotFound)?;
    let secrets = state.settings.ingest.secrets.get(&source).ok_or(WebError::NotFound)?;
    let body = read_limited(&req, payload, state.settings.ingest.max_body_bytes).await?;
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let header_id = source::verify(source, header, &body, secrets, chrono::Utc::now().timestamp()).map_err(|e| {
        log::warn!("hook {}: refused from {:?}: {e}", source.code(), crate::client::address(&req));
        WebError::Refused {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: format!("送信元を確認できませんでした（{e}）。"),
        }
    })?;
    let is_json = header("content-type")
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(WebError::Refused {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "unsupported_media_type",
            message: "Content-Type は application/json にしてください。".into(),
        });
    }
    let kept: serde_json::Map<String, serde_json::Value> =
        source.kept_headers().iter().filter_map(|name| header(name).map(|v| ((*name).to_owned(), v.into()))).collect();
    let headers = serde_json::Value::Object(kept).to_string();
    let app = state.clone();
    let outcome = db_mail(&state, move |conn| {
        let ctx = intake::Context { settings: &app.settings, letters: &app.letters };
        intake::receive(conn, ctx, Delivery { source, header_id, headers, body: &body })
    })
    .await?;
    Ok(respond(outcome))
}

/// Reads the body, refusing it (413) as soon as it is larger than `limit`.
async fn read_limited(req: &HttpRequest, payload: web::Payload, limit: usize) -> Result<Vec<u8>, WebError> {
    let too_large = || WebError::Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "payload_too_large",
        message: format!("送信された内容が大きすぎます（上限 {limit} バイト）。"),
    };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(body)) => Ok(body.to_vec()),
        Ok(Err(_)) => Err(too_large()),
        Err(e) => Err(WebError::BadRequest(format!("本文を受け取れませんでした: {e}"))),
    }
}

fn respond(outcome: Outcome) -> HttpResponse {
    match outcome {
        Outcome::Accepted { submission_id, posting_id, .. } => HttpResponse::Created().json(json!({
            "status": "accepted",
            "submission_id": submission_id,
            "posting": {"id": posting_id, "status": "pending"},
        })),
        Outcome::Replayed { submission_id, posting_id: Some(posting_id), .. } => HttpResponse::Ok().json(json!({
            "status": "accepted",
            "replay": true,
            "submission_id": submission_id,
            "posting": {"id": posting_id},
        })),
        Outcome::Replayed { submission_id, status, error, posting_id: None } => HttpResponse::Accepted().json(json!({
            "status": status,
            "replay": true,
            "submission_id": submission_id,
            "message": error.unwrap_or_default(),
        })),
        Outcome::Quarantined { submission_id, problem: Problem::Unreadable(detail) } => {
            HttpResponse::BadRequest().json(json!({
                "error": {"code": "unreadable", "message": format!("本文を読み取れませんでした。編集者が確認します（{detail}）。")},
                "status": "quarantined",
                "submission_id": submission_id,
            }))
        }
        Outcome::Quarantined { submission_id, problem } => {
            let missing: Vec<_> = match &problem {
                Problem::Missing(errors) => errors
                    .iter()
                    .map(|e| json!({"field": e.field, "question": intake::field_label(e.field), "message": crate::i18n::Lang::Ja.message(&e.message)}))
                    .collect(),
                Problem::Unreadable(_) => Vec::new(),
            };
            HttpResponse::Accepted().json(json!({
                "status": "quarantined",
                "submission_id": submission_id,
                "message": problem.summary(),
                "missing": missing,
            }))
        }
    }
}
