//! What may go to the log about a request. The access log and the error log both write a request
//! through [`request_line`], so a private link's key (an employer's manage token, a follower's
//! or supporter's signed link) never reaches either; error details pass through [`detail`],
//! which masks mail addresses and anything shaped like a key.

use actix_web::http::Method;
use actix_web::HttpRequest;

/// Paths whose every segment after the prefix is a key: the whole rest is hidden.
const KEYED: [&str; 7] = [
    "/follow/manage/",
    "/follow/confirm/",
    "/follow/feeds/",
    "/unsubscribe/",
    "/support/confirm/",
    "/support/leave/",
    "/campaigns/withdraw/",
];

/// Paths with a key in the next segment and, after it, an action worth seeing (`/edit`).
const KEYED_THEN_ACTION: [&str; 2] = ["/manage/", "/succession/manage/"];

/// `METHOD path`, as the access log and the error log write it.
pub fn request_line(method: &Method, raw_path: &str) -> String {
    format!("{method} {}", path(raw_path))
}

/// The peer address and the request line: how an error names its request.
pub fn request(req: &HttpRequest) -> String {
    let peer = crate::client::address(req).map_or_else(|| "-".to_owned(), |ip| ip.to_string());
    format!("{peer} \"{}\"", request_line(req.method(), req.path()))
}

/// The request path as it may be logged: keys replaced by `…`. The router decodes
/// percent-escapes before matching (`/%6Danage/…` reaches the manage page), so the prefixes are
/// looked for in the decoded path too.
pub fn path(raw: &str) -> String {
    // Lossily: only for matching, never shown.
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    for prefix in KEYED {
        if decoded.starts_with(prefix) {
            return format!("{prefix}…");
        }
    }
    for prefix in KEYED_THEN_ACTION {
        if let Some(rest) = decoded.strip_prefix(prefix) {
            return match rest.split_once('/') {
                Some((_, tail)) => format!("{prefix}…/{}", yui_domain::redact::masked(tail)),
                None => format!("{prefix}…"),
            };
        }
    }
    yui_domain::redact::masked(raw)
}

/// An error's text as it may be logged: a database or mail error can quote a value it was given
/// (a submitted address, a token); those are masked. Passwords never reach an error: they go
/// only into argon2, whose errors do not quote them.
pub fn detail(text: &str) -> String {
    yui_domain::redact::masked(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_reach_the_log() {
        assert_eq!(path("/manage/s18HN3GAmsG9NRMA2STulZD9UBdz1hTJBExXThf2urQ"), "/manage/…");
        assert_eq!(path("/manage/s18HN3GAmsG9NRMA2STulZD9/edit"), "/manage/…/edit");
        assert_eq!(path("/%6Danage/s18HN3GAmsG9NRMA2STulZD9/edit"), "/manage/…/edit");
        assert_eq!(path("/jobs/abc"), "/jobs/abc");
        assert_eq!(path("/unsubscribe/a12secret"), "/unsubscribe/…");
        assert_eq!(path("/follow/feeds/f1secret.atom"), "/follow/feeds/…");
        assert_eq!(path("/follow/manage/m12secret"), "/follow/manage/…");
        assert_eq!(path("/follow/confirm/secret"), "/follow/confirm/…");
        assert_eq!(path("/succession/manage/s18HN3GAmsG9NRMA2STulZD9"), "/succession/manage/…");
        assert_eq!(path("/succession/abcdefghjk"), "/succession/abcdefghjk");
        assert_eq!(path("/support/leave/abc123"), "/support/leave/…");
        assert_eq!(path("/support/confirm/abc123"), "/support/confirm/…");
        assert_eq!(path("/campaigns/withdraw/abc123"), "/campaigns/withdraw/…");
        assert_eq!(
            path("/nowhere/s18HN3GAmsG9NRMA2STulZD9UBdz1hTJBExXThf2urQ"),
            "/nowhere/…",
            "a key on an unknown path is hidden too"
        );
    }

    #[test]
    fn error_details_lose_addresses_and_keys() {
        assert_eq!(
            detail("the recipient \"hanako@mail.example\" is not a mail address"),
            "the recipient \"…\" is not a mail address"
        );
        assert_eq!(
            detail("no row for token_hash = 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            "no row for token_hash = …"
        );
        assert_eq!(detail("no such table: postings"), "no such table: postings");
        assert_eq!(
            path("/features/summer-festival-2026-at-the-fishing-port"),
            "/features/summer-festival-2026-at-the-fishing-port"
        );
        assert_eq!(detail("template errors/error: missing"), "template errors/error: missing");
    }
}
