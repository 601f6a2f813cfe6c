//! CSRF protection for every state-changing form: a random cookie (HttpOnly, SameSite=Strict)
//! and, in the form, an HMAC of it under the server key. A POST passes only with both.

use crate::tokens::{csrf_matches, csrf_token, random_token};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponseBuilder};

pub const COOKIE: &str = "yui_csrf";
/// The hidden form field that carries the token.
pub const FIELD: &str = "csrf";

/// The visitor's CSRF cookie, made on their first form.
#[derive(Debug)]
pub struct Csrf {
    cookie: String,
    fresh: bool,
}

impl Csrf {
    pub fn for_request(req: &HttpRequest) -> Self {
        match req.cookie(COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() >= 32) {
            Some(cookie) => Csrf { cookie, fresh: false },
            None => Csrf { cookie: random_token(), fresh: true },
        }
    }

    /// Whether the cookie is made for this response (the visitor had none, or a broken one).
    pub fn is_new(&self) -> bool {
        self.fresh
    }

    /// The value for the form's hidden field.
    pub fn token(&self, key: &[u8]) -> String {
        csrf_token(key, &self.cookie)
    }

    /// Sets the cookie on the response when it is new.
    pub fn set_cookie(&self, res: &mut HttpResponseBuilder, secure: bool) {
        if let Some(cookie) = self.new_cookie(secure) {
            res.cookie(cookie);
        }
    }

    /// The cookie to set, when the visitor has none yet.
    pub fn new_cookie(&self, secure: bool) -> Option<Cookie<'static>> {
        self.fresh.then(|| {
            Cookie::build(COOKIE, self.cookie.clone())
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(secure)
                .finish()
        })
    }
}

/// Whether a submitted form carries the token that belongs to the visitor's cookie.
pub fn verify(req: &HttpRequest, key: &[u8], submitted: Option<&str>) -> bool {
    match (req.cookie(COOKIE), submitted) {
        (Some(cookie), Some(token)) => csrf_matches(key, cookie.value(), token),
        _ => false,
    }
}
