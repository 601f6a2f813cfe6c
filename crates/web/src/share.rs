//! Share buttons as plain links: no third-party script runs on Yui's pages, and nobody is
//! tracked until they choose to share.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareLink {
    /// The locale key of the service's name (`share.x`, …).
    pub label: &'static str,
    pub href: String,
}

fn encode(s: &str) -> String {
    // Percent-encodes everything but the unreserved characters (RFC 3986).
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Links to share `url` (absolute) with `text` (the page's title) on X, Facebook, LINE,
/// Hatena Bookmark and by email.
pub fn links(url: &str, text: &str) -> Vec<ShareLink> {
    let (u, t) = (encode(url), encode(text));
    vec![
        ShareLink { label: "share.x", href: format!("https://twitter.com/intent/tweet?text={t}&url={u}") },
        ShareLink { label: "share.facebook", href: format!("https://www.facebook.com/sharer/sharer.php?u={u}") },
        ShareLink { label: "share.line", href: format!("https://social-plugins.line.me/lineit/share?url={u}") },
        ShareLink { label: "share.hatena", href: format!("https://b.hatena.ne.jp/entry/panel/?url={u}") },
        ShareLink { label: "share.mail", href: format!("mailto:?subject={t}&body={u}") },
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_and_titles_are_percent_encoded() {
        let links = super::links("https://yui.example/jobs/abc?x=1&y=2", "介護職員 & 夜勤");
        assert_eq!(links.len(), 5);
        assert_eq!(
            links[0].href,
            "https://twitter.com/intent/tweet?text=%E4%BB%8B%E8%AD%B7%E8%81%B7%E5%93%A1%20%26%20%E5%A4%9C%E5%8B%A4\
             &url=https%3A%2F%2Fyui.example%2Fjobs%2Fabc%3Fx%3D1%26y%3D2"
        );
        assert!(links.iter().all(|l| !l.href.contains(' ') && !l.href.contains("&y=")));
    }
}
