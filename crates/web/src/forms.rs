//! What every public form (contact, submission, succession inquiry, supporter and follow
//! sign-up) checks before it reads what was typed, in one order and with one wording: the
//! visitor's hourly budget, then the CSRF token, then the honeypot. The budget is only looked at
//! there; a send is counted against it ([`spend`]) once what was typed passed its checks too, so
//! an expired page or a typo never uses up a person's sends.

use crate::csrf;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::rate_limit::RateLimiter;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::HttpRequest;
use yui_domain::Message;

/// Filled only by bots: hidden from people and from screen readers in every public form.
pub const HONEYPOT: &str = "website_url";

/// A form's fields in order (a field may repeat); an unreadable body is a 400 with a message.
/// Every form a person sends is read here, staff forms too, so this is where text that no
/// column can hold is refused: a NUL character (PostgreSQL text cannot store it) is a 400 that
/// says so, before any rule or the database sees the form.
pub fn fields(body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|_| WebError::Invalid(Message::new("field.form.unreadable")))?;
    if fields.iter().any(|(name, value)| name.contains('\0') || value.contains('\0')) {
        return Err(WebError::Invalid(Message::new("field.text.nul")));
    }
    Ok(fields)
}

/// A field's first value, "" when the form has none.
pub fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Every value of `name` (a group of checkboxes sends one pair per ticked box).
/// A form's values by field as typed, and its field messages (each field present, empty when
/// fine), for a template that marks the fields in `errors`.
pub fn typed_and_messages(
    names: &[&str],
    typed: &[(String, String)],
    errors: &[yui_domain::FieldError],
    lang: crate::i18n::Lang,
) -> (serde_json::Map<String, serde_json::Value>, serde_json::Map<String, serde_json::Value>) {
    let (mut values, mut messages) = (serde_json::Map::new(), serde_json::Map::new());
    for f in names {
        values.insert((*f).into(), value(typed, f).into());
        messages.insert((*f).into(), "".into());
    }
    for e in errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    (values, messages)
}

pub fn values(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
}

/// A state-changing form's fields, once its CSRF token matched (see [`require_csrf`]).
pub fn checked(req: &HttpRequest, secret_key: &[u8], body: &[u8]) -> Result<Vec<(String, String)>, WebError> {
    let fields = fields(body)?;
    require_csrf(req, secret_key, Some(value(&fields, csrf::FIELD)))?;
    Ok(fields)
}

/// The one CSRF check: whether `submitted` is the token that goes with the visitor's cookie.
/// Forms that show themselves again on a mismatch ask this; the others use [`require_csrf`].
pub fn csrf_ok(req: &HttpRequest, secret_key: &[u8], submitted: Option<&str>) -> bool {
    csrf::verify(req, secret_key, submitted)
}

/// The CSRF check of every state-changing form, staff or public: refuses a form whose CSRF token does not go with the visitor's cookie: a 403
/// that says the page expired. Nothing changes.
pub fn require_csrf(req: &HttpRequest, secret_key: &[u8], submitted: Option<&str>) -> Result<(), WebError> {
    if csrf_ok(req, secret_key, submitted) {
        Ok(())
    } else {
        Err(WebError::Expired)
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
pub async fn check(
    req: &HttpRequest,
    secret_key: &[u8],
    limit: Option<&RateLimiter>,
    fields: &[(String, String)],
    form: &str,
) -> Option<Stop> {
    let lang = Lang::of_request(req);
    let get = |name: &str| value(fields, name);
    let ip = crate::client::address(req);
    if let (Some(limit), Some(ip), Some(state)) = (limit, ip, req.app_data::<actix_web::web::Data<AppState>>()) {
        if limit.exhausted(&state.pool, &ip).await {
            log::warn!("{form}: rate limit reached for {ip}");
            return Some(Stop::Again(StatusCode::TOO_MANY_REQUESTS, rate_limited(lang)));
        }
    }
    if require_csrf(req, secret_key, Some(get(csrf::FIELD))).is_err() {
        return Some(Stop::Again(StatusCode::FORBIDDEN, expired(lang)));
    }
    if !get(HONEYPOT).trim().is_empty() {
        log::warn!("{form}: honeypot filled from {ip:?}; nothing kept");
        return Some(Stop::Bot);
    }
    None
}

/// Counts a send that passed every check against the visitor address's budget (see [`check`]);
/// a 429 when sends that passed meanwhile used it up.
pub async fn spend(req: &HttpRequest, limit: &RateLimiter, form: &str) -> Option<Stop> {
    let ip = crate::client::address(req)?;
    let state = req.app_data::<actix_web::web::Data<AppState>>()?;
    if limit.allow(&state.pool, ip).await {
        return None;
    }
    log::warn!("{form}: rate limit reached for {ip}");
    Some(Stop::Again(StatusCode::TOO_MANY_REQUESTS, rate_limited(Lang::of_request(req))))
}

pub fn rate_limited(lang: Lang) -> &'static str {
    lang.t("form.rate_limited")
}

pub fn expired(lang: Lang) -> &'static str {
    lang.t("form.expired")
}

/// Above a form sent back with a message next to some fields.
pub fn fix_fields(lang: Lang) -> &'static str {
    lang.t("form.fix_fields")
}

#[cfg(test)]
mod tests {
    use super::fields;

    #[test]
    fn a_nul_anywhere_in_a_form_is_refused_with_its_message() {
        for body in ["title=a%00b", "a%00=x", "x=1&email=a%00%40b.jp"] {
            let refused = fields(body.as_bytes()).map_err(|e| e.to_string());
            assert!(refused.as_ref().is_err_and(|e| e.contains("field.text.nul")), "{body}: {refused:?}");
        }
        let kept = fields("title=%E9%AE%AE%E9%AD%9A%0D%0A%E8%B2%A9%E5%A3%B2".as_bytes()).unwrap_or_default();
        assert_eq!(kept, [("title".to_owned(), "鮮魚\r\n販売".to_owned())], "line breaks are text, not refused");
    }
}
