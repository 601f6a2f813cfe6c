//! A deadline for a request's body. The server gives headers 5 s, but a body may otherwise trickle
//! in a byte at a time for as long as the sender likes, holding a connection and a worker's
//! buffer. From the headers on, the whole body must have arrived within
//! `server.body_timeout_secs`; after that, reading it fails, the answer is 408 and the
//! connection is closed with the body unread.

use crate::error::WebError;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::HttpMessage;
use futures_util::Stream;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

/// The body, cut off at the deadline.
struct Deadline {
    inner: Payload,
    timer: Pin<Box<actix_web::rt::time::Sleep>>,
    /// Set once the deadline cut the body off; the middleware then answers 408.
    late: Rc<Cell<bool>>,
    done: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        // The timer first: a body that keeps coming, slowly, must still end.
        if this.timer.as_mut().poll(cx).is_ready() {
            this.done = true;
            this.late.set(true);
            let error = std::io::Error::new(std::io::ErrorKind::TimedOut, "the request body came too slowly");
            return Poll::Ready(Some(Err(PayloadError::Io(error))));
        }
        let next = Pin::new(&mut this.inner).poll_next(cx);
        if matches!(next, Poll::Ready(None)) {
            this.done = true;
        }
        next
    }
}

/// The middleware (`middleware::from_fn`), inside the error pages so that the 408 gets one.
pub async fn limit(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(timeout) = req.app_data::<actix_web::web::Data<AppState>>().map(|s| s.settings.body_timeout) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let late = Rc::new(Cell::new(false));
    let inner = req.take_payload();
    let body =
        Deadline { inner, timer: Box::pin(actix_web::rt::time::sleep(timeout)), late: late.clone(), done: false };
    req.set_payload(Payload::Stream { payload: Box::pin(body) });
    let res = next.call(req).await?;
    if !late.get() {
        return Ok(res.map_into_boxed_body());
    }
    // Whatever the handler made of the broken body (a 400, a 413), the reason is the clock.
    let request = res.request().clone();
    drop(res);
    let message = Lang::of_request(&request).t("error.request_timeout").to_owned();
    let error = WebError::Refused { status: StatusCode::REQUEST_TIMEOUT, code: "timeout", message };
    Ok(ServiceResponse::from_err(error, request).map_into_boxed_body())
}
