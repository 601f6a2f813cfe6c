//! Following the site without an account.
//!
//! - `/follow`: an address and what it wants (the weekly digest, a job alert for a saved
//!   search, daily or weekly). Double opt-in: the confirmation mail's link works for
//!   `following.link_valid`; until it is opened nothing else is sent. The page after sending
//!   is the same whether the address was new, unconfirmed or already following, so the form
//!   tells nobody who follows.
//! - `/follow/manage/{signed}`: see and change what the address receives, add or remove saved
//!   searches, or delete everything (the rows, not a flag).
//! - `/unsubscribe/{signed}`: GET shows a confirmation with a button; POST stops the mailing
//!   without login (RFC 8058 one-click from the mail client).
//! - `/follow/feeds/{signed}.atom|.json`: a saved search's private feeds.

mod confirmation;
mod preferences;
mod private_feed;
mod signup;
mod stopping;

use self::{confirmation::*, preferences::*, private_feed::*, signup::*, stopping::*};
use crate::atom::rfc3339;
use crate::atom::{Atom, AtomHead};
use crate::csrf::{self, Csrf};
use crate::error::WebError;
use crate::forms::{fields as fields_of, value as get};
use crate::handler::{db, db_mail, private};
use crate::i18n::Lang;
use crate::intake::Context;
use crate::mailings::{self, Link};
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use yui_db::following::{Confirmation, Follower, SavedSearch, SignUp, SignUpOutcome};
use yui_domain::following::{FollowRequest, Frequency};
use yui_domain::{EmploymentType, FieldError, RemoteMode};

/// The saved search's fields, as `/jobs` names them.
/// `cond` may come more than once (one per condition).
const SEARCH_FIELDS: [&str; 9] =
    ["q", "type", "area", "remote", "hours_max", "months_max", "remote_min", "reward", "cond"];

/// How many postings a private feed carries.
const FEED_SIZE: usize = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(form)
        .service(subscribe)
        .service(confirm_page)
        .service(confirm)
        .service(manage)
        .service(manage_act)
        .service(unsubscribe_page)
        .service(unsubscribe)
        .service(feed);
}

fn html(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    template: &str,
    ctx: Value,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let body = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, template, ctx)?;
    Ok(private(&mut HttpResponse::build(status)).content_type("text/html; charset=utf-8").body(body))
}

/// A page with one message: links that open nothing, expired links, done.
fn message(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    title_key: &str,
    body_key: &str,
) -> Result<HttpResponse, WebError> {
    html(
        req,
        state,
        status,
        "follow/message",
        json!({"robots": "noindex", "title_key": title_key, "body_key": body_key}),
    )
}

fn bad_link(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    message(req, state, StatusCode::NOT_FOUND, "follow.bad_link.title", "follow.bad_link.body")
}

fn token_shaped(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
