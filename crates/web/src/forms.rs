//! What every public form (contact, submission, succession inquiry, supporter sign-up) checks
//! before it reads what was typed, in one order and with one wording: the visitor's hourly
//! budget, then the CSRF token, then the honeypot.

use crate::csrf;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::rate_limit::RateLimiter;
use actix_web::http::StatusCode;
use actix_web::HttpRequest;

/// Filled only by bots: hidden from people and from screen readers in every public form.
pub const HONEYPOT: &str = "website_url";

/// A form's fields in order (a field may repeat); an unreadable body is a 400 with a message.
pub fn fields(body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    serde_urlencoded::from_bytes(body)
        .map_err(|_| WebError::BadRequest("フォームの内容を読み取れませんでした。".into()))
}

/// A field's first value, "" when the form has none.
pub fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Refuses a state-changing form whose CSRF token does not go with the visitor's cookie: a 403
/// that says the page expired. Nothing changes.
pub fn require_csrf(req: &HttpRequest, secret_key: &[u8], submitted: Option<&str>) -> Result<(), WebError> {
    if csrf::verify(req, secret_key, submitted) {
        Ok(())
    } else {
        Err(WebError::Refused {
            status: StatusCode::FORBIDDEN,
            code: "csrf",
            message: "ページの有効期限が切れていました。ページを読み込み直してから、もう一度お試しください。".into(),
        })
    }
}

/// Why a form is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Show the form again, everything typed kept, with this status and notice.
    Again(StatusCode, &'static str),
    /// A bot filled the honeypot: answer as if all went well, keep nothing.
    Bot,
}

/// `form` names the form in the log. `limit` is the visitor address's budget, if the form has one.
pub fn check(
    req: &HttpRequest,
    secret_key: &[u8],
    limit: Option<&RateLimiter>,
    fields: &[(String, String)],
    form: &str,
) -> Option<Stop> {
    let en = Lang::of_request(req).is_en();
    let get = |name: &str| value(fields, name);
    let ip = req.peer_addr().map(|a| a.ip());
    if let (Some(limit), Some(ip)) = (limit, ip) {
        if !limit.allow(ip) {
            log::warn!("{form}: rate limit reached for {ip}");
            return Some(Stop::Again(StatusCode::TOO_MANY_REQUESTS, rate_limited(en)));
        }
    }
    if !csrf::verify(req, secret_key, Some(get(csrf::FIELD))) {
        return Some(Stop::Again(StatusCode::FORBIDDEN, expired(en)));
    }
    if !get(HONEYPOT).trim().is_empty() {
        log::warn!("{form}: honeypot filled from {ip:?}; nothing kept");
        return Some(Stop::Bot);
    }
    None
}

pub fn rate_limited(en: bool) -> &'static str {
    if en {
        "Too many sent from your network in the last hour. Please try again later."
    } else {
        "1時間あたりの送信回数の上限に達しました。しばらくしてからもう一度お試しください。"
    }
}

pub fn expired(en: bool) -> &'static str {
    if en {
        "This form had expired, so nothing was sent. Your entries are kept: please send it again."
    } else {
        "ページの有効期限が切れていたため、送信できませんでした。入力内容はそのままです。もう一度送信してください。"
    }
}

/// Above a form sent back with a message next to some fields.
pub fn fix_fields(en: bool) -> &'static str {
    if en {
        "Some entries need fixing; see the messages next to the fields."
    } else {
        "入力内容に問題があります。各項目のメッセージを確認してください。"
    }
}
