//! Rendered public pages, kept in memory for a few seconds: most of a small town's traffic is
//! the same few pages, and a page from memory costs a hash lookup instead of queries and a
//! render. Every response gets an ETag, so a browser that has the page gets a 304.
//!
//! Staleness is bounded twice: every successful state-changing request on this instance (a
//! decision, an edit, a submission) empties its cache at once, and every entry lives at most
//! `server.page_cache_secs` (5; 0 switches the cache off), which bounds what other instances behind the same database, or an expiry by the
//! clock, may leave stale.

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

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = entries.get(key)?;
        (entry.stored.elapsed() < self.ttl && entry.generation == self.generation.load(Ordering::SeqCst))
            .then(|| Arc::clone(entry))
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
            || path.starts_with("/api/")
            || path.starts_with("/feeds/")
            || path == "/sitemap.xml"
            || path.starts_with("/transparency"))
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
    let res = if not_modified(req.request(), &entry.etag) {
        HttpResponse::NotModified().insert_header((header::ETAG, entry.etag.clone())).finish()
    } else {
        HttpResponse::Ok()
            .insert_header((header::ETAG, entry.etag.clone()))
            .insert_header((header::VARY, VARY))
            .insert_header((header::CONTENT_TYPE, entry.content_type.clone()))
            .body(entry.body.clone())
    };
    req.into_response(res)
}

/// The middleware (`middleware::from_fn`): answers from the cache, or stores what the handler
/// rendered.
pub async fn serve(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<actix_web::web::Data<crate::AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let res = next.call(req).await?;
        if res.status().is_success() || res.status().is_redirection() {
            state.page_cache.invalidate();
        }
        return Ok(res.map_into_boxed_body());
    }
    if state.page_cache.ttl.is_zero() || !cacheable(&req) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let lang = crate::i18n::Lang::of_request(req.request());
    let key = format!("{}|{}?{}", lang.code(), req.path(), req.query_string());
    if let Some(entry) = state.page_cache.get(&key) {
        return Ok(from_entry(req, &entry));
    }
    let generation = state.page_cache.generation.load(Ordering::SeqCst);
    let res = next.call(req).await?;
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return Ok(res.map_into_boxed_body());
    }
    let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let Ok(bytes) = actix_web::body::to_bytes(body).await else {
        return Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(()))));
    };
    let etag = etag_of(&bytes);
    state
        .page_cache
        .put(key, Entry { etag: etag.clone(), content_type, body: bytes.clone(), stored: Instant::now(), generation });
    if not_modified(&req, &etag) {
        let res = HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish();
        return Ok(ServiceResponse::new(req, res));
    }
    let mut res = head.set_body(BoxBody::new(bytes));
    if let Ok(value) = header::HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, value);
    }
    res.headers_mut().insert(header::VARY, header::HeaderValue::from_static(VARY));
    Ok(ServiceResponse::new(req, res))
}
