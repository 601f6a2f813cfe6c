//! Prometheus metrics: requests counted by route pattern, method and status, their latency, and
//! what waits in the database (read at each scrape). Kept in this process: with several
//! instances, Prometheus scrapes each one and sums.
//!
//! Labels are bounded on purpose: the route is the pattern a request matched (`/jobs/{id}`,
//! never the path a client chose; `unmatched` for every path no route knows), the method one of
//! the standard ones or `other`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use chrono::NaiveDateTime;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;
use yui_db::health::Backlog;

/// The label of every request no route matched.
pub const UNMATCHED: &str = "unmatched";

/// Upper bounds of the latency buckets, in seconds (Prometheus's defaults).
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, Default)]
struct Latency {
    /// Observations at or below each bound of [`BUCKETS`] (cumulative when rendered).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The counters; one per process, in `AppState`.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, &'static str, u16), u64>>,
    latency: Mutex<BTreeMap<String, Latency>>,
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

impl Metrics {
    pub fn record(&self, route: &str, method: &Method, status: u16, seconds: f64) {
        // A poisoned lock only means another request panicked mid-update: the counts stand.
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        *requests.entry((route.to_owned(), method_label(method), status)).or_default() += 1;
        drop(requests);
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let l = latency.entry(route.to_owned()).or_default();
        if let Some(i) = BUCKETS.iter().position(|&bound| seconds <= bound) {
            l.buckets[i] += 1;
        }
        l.count += 1;
        l.sum += seconds;
    }

    /// The text exposition format (version 0.0.4). `backlog` is `None` when the database did not
    /// answer: `yui_database_up` is then 0 and the backlog gauges are left out.
    pub fn render(&self, backlog: Option<&Backlog>, now: NaiveDateTime) -> String {
        let mut out = String::new();
        header(
            &mut out,
            "yui_http_requests_total",
            "counter",
            "HTTP requests answered, by route pattern, method and status.",
        );
        for ((route, method, status), n) in self.requests.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(
                out,
                "yui_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        header(
            &mut out,
            "yui_http_request_duration_seconds",
            "histogram",
            "Time from a request's arrival to its response, by route pattern.",
        );
        for (route, l) in self.latency.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let route = escape(route);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(l.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "yui_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ =
                writeln!(out, "yui_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", l.count);
            let _ = writeln!(out, "yui_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", l.sum);
            let _ = writeln!(out, "yui_http_request_duration_seconds_count{{route=\"{route}\"}} {}", l.count);
        }
        header(&mut out, "yui_database_up", "gauge", "1 when the database answered this scrape, else 0.");
        let _ = writeln!(out, "yui_database_up {}", u8::from(backlog.is_some()));
        if let Some(b) = backlog {
            let age = |since: Option<NaiveDateTime>| since.map_or(0, |t| (now - t).num_seconds().max(0));
            let gauges = [
                (
                    "yui_outbox_pending_emails",
                    "Emails in the outbox waiting to be sent (retries included).",
                    b.outbox_pending,
                ),
                (
                    "yui_outbox_oldest_pending_age_seconds",
                    "Age of the oldest email waiting to be sent; 0 when none waits.",
                    age(b.oldest_pending_mail),
                ),
                ("yui_review_pending_postings", "Postings waiting for an editor's decision.", b.review_pending),
                (
                    "yui_review_oldest_pending_age_seconds",
                    "Age of the oldest posting waiting for review; 0 when none waits.",
                    age(b.oldest_pending_posting),
                ),
            ];
            for (name, help, value) in gauges {
                header(&mut out, name, "gauge", help);
                let _ = writeln!(out, "{name} {value}");
            }
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A label value as the exposition format wants it: backslash, double quote and line feed escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Counts every request with its route pattern, method, status and time. Outermost, so pages
/// served from the page cache and error pages are counted too.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let Some(state) = req.app_data::<actix_web::web::Data<crate::state::AppState>>().cloned() else {
        return next.call(req).await;
    };
    // Read from the route table, not from routing: a cached page never reaches its handler.
    let route = req.match_pattern().unwrap_or_else(|| UNMATCHED.to_owned());
    let method = req.method().clone();
    let result = next.call(req).await;
    let status = match &result {
        Ok(res) => res.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    state.metrics.record(&route, &method, status.as_u16(), started.elapsed().as_secs_f64());
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_has_help_type_cumulative_buckets_and_escaped_labels() {
        let m = Metrics::default();
        m.record("/jobs/{id}", &Method::GET, 200, 0.003);
        m.record("/jobs/{id}", &Method::GET, 200, 0.2);
        m.record("/jobs/{id}", &Method::GET, 200, 30.0);
        m.record("/a\"b\\c\nd", &Method::from_bytes(b"BREW").unwrap(), 404, 0.01);
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let backlog = Backlog {
            outbox_pending: 3,
            oldest_pending_mail: Some(at - chrono::Duration::seconds(90)),
            review_pending: 0,
            oldest_pending_posting: None,
        };
        let text = m.render(Some(&backlog), at);
        for line in [
            "# HELP yui_http_requests_total HTTP requests answered, by route pattern, method and status.",
            "# TYPE yui_http_requests_total counter",
            "yui_http_requests_total{route=\"/jobs/{id}\",method=\"GET\",status=\"200\"} 3",
            "yui_http_requests_total{route=\"/a\\\"b\\\\c\\nd\",method=\"other\",status=\"404\"} 1",
            "# TYPE yui_http_request_duration_seconds histogram",
            "yui_http_request_duration_seconds_bucket{route=\"/jobs/{id}\",le=\"0.005\"} 1",
            "yui_http_request_duration_seconds_bucket{route=\"/jobs/{id}\",le=\"0.1\"} 1",
            "yui_http_request_duration_seconds_bucket{route=\"/jobs/{id}\",le=\"0.25\"} 2",
            "yui_http_request_duration_seconds_bucket{route=\"/jobs/{id}\",le=\"10\"} 2",
            "yui_http_request_duration_seconds_bucket{route=\"/jobs/{id}\",le=\"+Inf\"} 3",
            "yui_http_request_duration_seconds_count{route=\"/jobs/{id}\"} 3",
            "yui_database_up 1",
            "# TYPE yui_outbox_pending_emails gauge",
            "yui_outbox_pending_emails 3",
            "yui_outbox_oldest_pending_age_seconds 90",
            "yui_review_pending_postings 0",
            "yui_review_oldest_pending_age_seconds 0",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line:?} in:\n{text}");
        }
        let down = m.render(None, at);
        assert!(down.contains("yui_database_up 0\n") && !down.contains("yui_outbox"), "{down}");
    }
}
