//! What no route may receive in its URL: a NUL character (`%00`) in the path or the query.
//! PostgreSQL text cannot hold it, and a path segment or a query value goes to the database in
//! many places; refusing it here, before routing, is one rule instead of one per extractor.

use crate::error::WebError;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use yui_domain::Message;

/// A 400 that says why, for any URL holding a NUL (percent-encoded: the HTTP parser already
/// refuses a raw one).
///
/// The refusal is a response carrying its error, not an `Err`: the error-page middleware words
/// only responses, and an `Err` would pass it by as an empty 400.
pub async fn refuse_nul(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    if holds_nul(req.uri().path_and_query().map_or("", |pq| pq.as_str())) {
        let error: actix_web::Error = WebError::Invalid(Message::new("field.request.nul")).into();
        return Ok(req.error_response(error).map_into_right_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

fn holds_nul(path_and_query: &str) -> bool {
    path_and_query.as_bytes().windows(3).any(|w| w == b"%00") || path_and_query.contains('\0')
}

#[cfg(test)]
mod tests {
    use super::holds_nul;

    #[test]
    fn a_nul_is_found_in_the_path_and_the_query_only_when_encoded_as_nul() {
        assert!(holds_nul("/features/a%00"));
        assert!(holds_nul("/jobs?q=%00"));
        assert!(!holds_nul("/jobs?q=%2500"), "an encoded percent sign followed by 00 is text");
        assert!(!holds_nul("/jobs?q=100%"));
        assert!(!holds_nul("/jobs/a001"));
    }
}
