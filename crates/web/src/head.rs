//! `HEAD` on every `GET` route, as HTTP asks: uptime monitors and link checkers send it. The
//! request is routed as a `GET`; the HTTP/1 codec remembers the method the client sent and
//! sends the headers (with the `GET` body's length) and no body.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
