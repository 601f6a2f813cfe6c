//! Rendered public pages, kept in memory for a few seconds: most of a small town's traffic is
//! the same few pages, and a page from memory costs a hash lookup instead of queries and a
//! render. Every response gets an ETag, so a browser that has the page gets a 304.
//!
//! Staleness is bounded twice: every successful state-changing request on this instance (a
//! decision, an edit, a submission) empties its cache at once, and every entry lives at most
//! `server.page_cache_secs` (5; 0 switches the cache off), which bounds what other instances behind the same database, or an expiry by the
//! clock, may leave stale.
//!
//! A page with a form is one page in memory but a different page for each visitor, since the
//! form carries their CSRF token: its ETag is that of the page with their token in it. A browser
//! that kept the page but lost the cookie (a restart ends the session) asks with an ETag that no
//! longer matches and gets the page again, with a fresh cookie and the token that goes with it;
//! a 304 only ever confirms a token that still works.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Beyond this many entries the cache is emptied rather than grown (query strings are unbounded).
const MAX_ENTRIES: usize = 2_000;

/// A page that carries a form stands in this text for the visitor's CSRF token and says so with
/// the header below; the token (and the cookie it belongs to) is filled in per request, so the
/// page itself can still be shared from the cache.
pub const CSRF_SLOT: &str = "__yui_csrf_slot__";
pub const CSRF_SLOT_HEADER: &str = "x-yui-csrf-slot";

/// The page depends on the language, chosen from the cookie or Accept-Language: shared caches
/// in front of Yui must key on both.
const VARY: &str = "Accept-Language, Cookie";

#[derive(Debug)]
struct Entry {
    etag: String,
    content_type: String,
    body: Bytes,
    stored: Instant,
    generation: u64,
    /// The body holds [`CSRF_SLOT`].
    csrf_slot: bool,
    /// Set by the one request that re-renders an expired page; the others meanwhile get this copy.
    refreshing: std::sync::atomic::AtomicBool,
}

#[derive(Debug)]
pub struct PageCache {
    ttl: Duration,
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
}

impl PageCache {
    pub fn new(ttl: Duration) -> Self {
        PageCache { ttl, generation: AtomicU64::new(0), entries: Mutex::new(HashMap::new()) }
    }

    /// Forgets every page: call after any change that can show on a public page.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// The page to serve for `key`, if any. A page past its time is still served for up to one
    /// more TTL while a single request renders it again, so an expiry under load costs one
    /// render instead of one per waiting request. A change (a new generation) is never served.
    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries.get(key)?;
        if entry.generation != self.generation.load(Ordering::SeqCst) {
            return None;
        }
        let age = entry.stored.elapsed();
        let serve = if age < self.ttl {
            true
        } else {
            // The first caller past expiry finds `false`, takes the job and renders.
            age < self.ttl * 2 && entry.refreshing.swap(true, Ordering::SeqCst)
        };
        serve.then(|| Arc::clone(entry))
    }

    fn put(&self, key: String, entry: Entry) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, Arc::new(entry));
    }
}

/// Public, anonymous pages only: never the admin area, an employer's private page, a form, or
/// anything that sets a cookie.
fn cacheable(req: &ServiceRequest) -> bool {
    let path = req.path();
    req.method() == Method::GET
        && req.cookie(crate::auth::SESSION_COOKIE).is_none()
        && (path == "/"
            || path.starts_with("/jobs")
            || path.starts_with("/features")
            || path.starts_with("/columns")
            || path.starts_with("/api/")
            || path.starts_with("/feeds/")
            || path == "/sitemap.xml"
            || path.starts_with("/transparency")
            || path.starts_with("/embed/")
            || path.starts_with("/banners/")
            || path == "/supporters")
        // ?lang= answers set the language cookie.
        && !req.query_string().contains("lang=")
}

fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>())
}

fn not_modified(req: &actix_web::HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn from_entry(req: ServiceRequest, entry: &Entry) -> ServiceResponse<BoxBody> {
    // A page with a form is answered 304 by [`fill_csrf_slot`], which knows the visitor's token.
    let res = if !entry.csrf_slot && not_modified(req.request(), &entry.etag) {
        HttpResponse::NotModified().insert_header((header::ETAG, entry.etag.clone())).finish()
    } else {
        let mut res = HttpResponse::Ok();
        res.insert_header((header::ETAG, entry.etag.clone()))
            .insert_header((header::VARY, VARY))
            .insert_header((header::CONTENT_TYPE, entry.content_type.clone()));
        if entry.csrf_slot {
            res.insert_header((CSRF_SLOT_HEADER, "1")).insert_header((header::CACHE_CONTROL, "private, no-cache"));
        }
        res.body(entry.body.clone())
    };
    req.into_response(res)
}

/// The ETag of a page with a form, as one visitor sees it: the page's own with their token.
fn visitor_etag(page_etag: &str, token: &str) -> String {
    etag_of(format!("{page_etag}{token}").as_bytes())
}

/// Puts the visitor's CSRF token where a page left [`CSRF_SLOT`], and sets the cookie it
/// belongs to when the visitor has none yet. A cached page's ETag becomes the visitor's own,
/// and a 304 is answered only to the visitor whose token that is.
async fn fill_csrf_slot(state: &crate::state::AppState, res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    if !res.headers().contains_key(CSRF_SLOT_HEADER) {
        return res;
    }
    let (req, res) = res.into_parts();
    let (mut head, body) = res.into_parts();
    head.headers_mut().remove(CSRF_SLOT_HEADER);
    let csrf = crate::csrf::Csrf::for_request(&req);
    let token = csrf.token(&state.settings.secret_key);
    let page_etag = head.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Some(etag) = page_etag.map(|e| visitor_etag(&e, &token)) {
        // A new cookie's token is new too, so its ETag matches nothing the browser kept.
        if !csrf.is_new() && not_modified(&req, &etag) {
            let res = HttpResponse::NotModified()
                .insert_header((header::ETAG, etag))
                .insert_header((header::VARY, VARY))
                .insert_header((header::CACHE_CONTROL, "private, no-cache"))
                .finish();
            return ServiceResponse::new(req, res);
        }
        if let Ok(value) = header::HeaderValue::from_str(&etag) {
            head.headers_mut().insert(header::ETAG, value);
        }
    }
    let Ok(bytes) = actix_web::body::to_bytes(body).await else {
        return ServiceResponse::new(req, head.set_body(BoxBody::new(())));
    };
    let filled = String::from_utf8_lossy(&bytes).replace(CSRF_SLOT, &token);
    if let Some(cookie) = csrf.new_cookie(state.settings.site.base_url.starts_with("https://")) {
        if let Err(e) = head.add_cookie(&cookie) {
            log::error!("cannot set the CSRF cookie: {e}");
        }
    }
    ServiceResponse::new(req, head.set_body(BoxBody::new(filled)))
}

/// The middleware (`middleware::from_fn`): answers from the cache, or stores what the handler
/// rendered.
pub async fn serve(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<actix_web::web::Data<crate::state::AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let res = next.call(req).await?;
        if res.status().is_success() || res.status().is_redirection() {
            state.page_cache.invalidate();
        }
        // A form shown again after a mistake carries the slot too.
        return Ok(fill_csrf_slot(&state, res.map_into_boxed_body()).await);
    }
    if state.page_cache.ttl.is_zero() || !cacheable(&req) {
        let res = next.call(req).await?.map_into_boxed_body();
        return Ok(fill_csrf_slot(&state, res).await);
    }
    let lang = crate::i18n::Lang::of_request(req.request());
    let key = format!("{}|{}?{}", lang.code(), req.path(), req.query_string());
    if let Some(entry) = state.page_cache.get(&key) {
        return Ok(fill_csrf_slot(&state, from_entry(req, &entry)).await);
    }
    let generation = state.page_cache.generation.load(Ordering::SeqCst);
    let res = next.call(req).await?;
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return Ok(fill_csrf_slot(&state, res.map_into_boxed_body()).await);
    }
    let csrf_slot = res.headers().contains_key(CSRF_SLOT_HEADER);
    let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let Ok(bytes) = actix_web::body::to_bytes(body).await else {
        return Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(()))));
    };
    let etag = etag_of(&bytes);
    state.page_cache.put(
        key,
        Entry {
            etag: etag.clone(),
            content_type,
            body: bytes.clone(),
            stored: Instant::now(),
            generation,
            csrf_slot,
            refreshing: Default::default(),
        },
    );
    if !csrf_slot && not_modified(&req, &etag) {
        let res = HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish();
        return Ok(ServiceResponse::new(req, res));
    }
    let mut res = head.set_body(BoxBody::new(bytes));
    if let Ok(value) = header::HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, value);
    }
    res.headers_mut().insert(header::VARY, header::HeaderValue::from_static(VARY));
    Ok(fill_csrf_slot(&state, ServiceResponse::new(req, res)).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(cache: &PageCache) -> Entry {
        Entry {
            etag: "\"e\"".into(),
            content_type: "text/html".into(),
            body: Bytes::from_static(b"page"),
            stored: Instant::now(),
            generation: cache.generation.load(Ordering::SeqCst),
            csrf_slot: false,
            refreshing: Default::default(),
        }
    }

    #[test]
    fn an_expired_page_is_rendered_again_by_one_request_while_the_others_get_the_old_copy() {
        let cache = PageCache::new(Duration::from_millis(50));
        cache.put("k".into(), entry(&cache));
        assert!(cache.get("k").is_some(), "fresh");
        std::thread::sleep(Duration::from_millis(60));
        assert!(cache.get("k").is_none(), "the first request after expiry renders");
        assert!(cache.get("k").is_some(), "the next ones get the old copy meanwhile");
        std::thread::sleep(Duration::from_millis(50));
        assert!(cache.get("k").is_none(), "never older than two TTLs");
    }

    #[test]
    fn a_change_is_never_served_stale() {
        let cache = PageCache::new(Duration::from_secs(60));
        cache.put("k".into(), entry(&cache));
        cache.invalidate();
        assert!(cache.get("k").is_none());
    }
}
