//! Views counted per day, in memory, without cookies and without keeping who viewed: a view is
//! a successful `GET` of a posting, an article or an employer's page by something that does not
//! say it is a robot. The counts go to the database in one batch every few seconds (and when
//! the server stops), so a public page costs no database write.
//!
//! The middleware sits outside the page cache: a page served from memory is counted as well.
//! Nothing about the request is kept but the page's key and the day.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Mutex;
use yui_db::statistics::Subject;
use yui_db::{DbConnection, DbResult};
use yui_domain::ArticleKind;

/// At most this many distinct (page, day) keys wait in memory; beyond it new keys are dropped
/// until the next flush, so random addresses cannot grow the map without bound.
const MAX_KEYS: usize = 50_000;

/// Robots named by their user agent, besides any that says bot, crawler, spider or preview.
const KNOWN_ROBOTS: [&str; 12] = [
    "slurp",
    "facebookexternalhit",
    "bingpreview",
    "headlesschrome",
    "curl/",
    "wget/",
    "python-requests",
    "go-http-client",
    "lighthouse",
    "pingdom",
    "uptimerobot",
    "ia_archiver",
];

/// Whether a user agent is a robot's (or absent: browsers always send one).
pub fn is_robot(user_agent: Option<&str>) -> bool {
    let Some(ua) = user_agent.map(str::to_ascii_lowercase) else { return true };
    ua.trim().is_empty()
        || ["bot", "crawler", "spider", "preview"].iter().any(|w| ua.contains(w))
        || KNOWN_ROBOTS.iter().any(|r| ua.contains(r))
}

/// The page a path shows, when it is one whose views are counted (or the feature a click
/// came from).
fn subject_of(pattern: &str, path: &str) -> Option<Subject> {
    if pattern == "/go/article/{id}/jobs/{posting}" {
        return path.split('/').nth(3)?.parse().ok().map(Subject::Click);
    }
    let key = path.rsplit('/').next().filter(|k| !k.is_empty() && k.len() <= 200)?.to_owned();
    match pattern {
        "/jobs/{id}" => Some(Subject::Posting(key)),
        "/features/{slug}" => Some(Subject::Article(ArticleKind::Feature, key)),
        "/columns/{slug}" => Some(Subject::Article(ArticleKind::Column, key)),
        "/employers/{slug}" => Some(Subject::Employer(key)),
        _ => None,
    }
}

/// The counts of one instance since its last flush.
#[derive(Debug, Default)]
pub struct ViewCounter {
    counts: Mutex<HashMap<(Subject, NaiveDate), i64>>,
}

impl ViewCounter {
    /// Counts one view of `subject` today (Tokyo).
    pub fn count(&self, subject: Subject) {
        let day = yui_domain::today();
        // A poisoned lock only means another request panicked mid-update: the counts stand.
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let key = (subject, day);
        if let Some(n) = counts.get_mut(&key) {
            *n += 1;
        } else if counts.len() < MAX_KEYS {
            counts.insert(key, 1);
        }
    }

    fn take(&self) -> HashMap<(Subject, NaiveDate), i64> {
        std::mem::take(&mut *self.counts.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Gives back counts a flush could not write, for the next one.
    fn give_back(&self, rest: impl IntoIterator<Item = ((Subject, NaiveDate), i64)>) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        for (key, n) in rest {
            *counts.entry(key).or_default() += n;
        }
    }

    /// Adds what was counted to the database and forgets it; returns how many views were
    /// written. What could not be written (the database is away) is kept for the next flush.
    pub fn flush(&self, conn: &mut DbConnection) -> DbResult<i64> {
        let mut batch: Vec<_> = self.take().into_iter().collect();
        let mut written = 0;
        while let Some(((subject, day), n)) = batch.pop() {
            match yui_db::statistics::add_views(conn, &subject, day, n) {
                Ok(true) => written += n,
                // A page that no longer exists: nothing to add to.
                Ok(false) => {}
                Err(e) => {
                    batch.push(((subject, day), n));
                    self.give_back(batch);
                    return Err(e);
                }
            }
        }
        Ok(written)
    }
}

/// The middleware (`middleware::from_fn`), outside the page cache: counts a view after a
/// successful answer (200, or 304 to a browser that kept the page).
pub async fn count(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // HEAD is not a view (monitors and link checkers); this runs before `head::as_get`. The
    // prefixes spare every other request (assets above all) the route-table lookup.
    let path = req.path();
    let maybe =
        ["/jobs/", "/features/", "/columns/", "/employers/", "/go/article/"].iter().any(|p| path.starts_with(p));
    let subject = (maybe && req.method() == Method::GET)
        .then(|| req.match_pattern())
        .flatten()
        .and_then(|pattern| subject_of(&pattern, req.path()))
        .filter(|_| !is_robot(req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok())));
    let state = req.app_data::<actix_web::web::Data<crate::state::AppState>>().cloned();
    let res = next.call(req).await?;
    if let (Some(subject), Some(state)) = (subject, state) {
        let counted = match subject {
            // A click is answered with a redirect to the posting.
            Subject::Click(_) => res.status() == StatusCode::SEE_OTHER,
            _ => matches!(res.status(), StatusCode::OK | StatusCode::NOT_MODIFIED),
        };
        if counted {
            state.page_views.count(subject);
        }
    }
    Ok(res)
}

/// Flushes `counter` every `every`, forever, on a blocking thread with a pooled connection.
pub async fn flush_every(counter: std::sync::Arc<ViewCounter>, pool: yui_db::DbPool, every: std::time::Duration) {
    loop {
        actix_web::rt::time::sleep(every).await;
        flush_now(&counter, &pool).await;
    }
}

/// One flush, logging what went wrong (never a request's details: there are none).
pub async fn flush_now(counter: &std::sync::Arc<ViewCounter>, pool: &yui_db::DbPool) {
    let (counter, pool) = (std::sync::Arc::clone(counter), pool.clone());
    let done = actix_web::rt::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(yui_db::DbError::from)?;
        counter.flush(&mut conn)
    })
    .await;
    match done {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => log::error!("page views: the flush failed, the counts are kept for the next one: {e}"),
        Err(e) => log::error!("page views: the flush ended abnormally: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_and_missing_user_agents_are_not_counted_and_browsers_are() {
        for ua in [
            None,
            Some(""),
            Some("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
            Some("Mozilla/5.0 (compatible; YandexSpider)"),
            Some("Slackbot-LinkExpanding 1.0"),
            Some("facebookexternalhit/1.1"),
            Some("curl/8.5.0"),
            Some("SomeCrawler/1.0"),
            Some("Link Preview"),
        ] {
            assert!(is_robot(ua), "{ua:?}");
        }
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        assert!(!is_robot(Some(firefox)) && !is_robot(Some(iphone)));
    }

    #[test]
    fn only_the_pages_of_postings_articles_and_employers_are_subjects() {
        assert_eq!(subject_of("/jobs/{id}", "/jobs/abc"), Some(Subject::Posting("abc".into())));
        assert_eq!(
            subject_of("/features/{slug}", "/features/umi"),
            Some(Subject::Article(ArticleKind::Feature, "umi".into()))
        );
        assert_eq!(subject_of("/employers/{slug}", "/employers/sushi"), Some(Subject::Employer("sushi".into())));
        assert_eq!(subject_of("/go/article/{id}/jobs/{posting}", "/go/article/7/jobs/abc"), Some(Subject::Click(7)));
        assert_eq!(subject_of("/go/article/{id}/jobs/{posting}", "/go/article/x/jobs/abc"), None);
        assert_eq!(subject_of("/jobs", "/jobs"), None);
        assert_eq!(subject_of("/jobs/{id}/contact", "/jobs/abc/contact"), None);
    }
}
