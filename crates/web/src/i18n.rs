//! The reader's language: `?lang=` (remembered in a cookie), then the cookie, then the browser's
//! `Accept-Language`, then the site default.

use actix_web::HttpRequest;

pub const COOKIE: &str = "yui_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn is_en(self) -> bool {
        self == Lang::En
    }

    fn parse(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language asked for in this request's query string, if any.
    pub fn from_query(req: &HttpRequest) -> Option<Lang> {
        query_pairs(req.query_string()).find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(&v))
    }

    pub fn of_request(req: &HttpRequest) -> Lang {
        Lang::from_query(req)
            .or_else(|| req.cookie(COOKIE).and_then(|c| Lang::parse(c.value())))
            .or_else(|| {
                req.headers()
                    .get(actix_web::http::header::ACCEPT_LANGUAGE)
                    .and_then(|h| h.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .or_else(|| {
                req.app_data::<actix_web::web::Data<crate::state::AppState>>()
                    .and_then(|s| Lang::parse(&s.settings.site.default_lang))
            })
            .unwrap_or(Lang::Ja)
    }
}

/// The reader's language, for a letter (`yui_mail::letters`).
impl From<Lang> for yui_mail::Lang {
    fn from(lang: Lang) -> Self {
        yui_mail::Lang::from_code(lang.code())
    }
}

impl Lang {
    /// The first of Japanese or English in an `Accept-Language` header, by quality and then by
    /// order (`en-US,en;q=0.9,ja;q=0.8` is English, `ja,en` Japanese); `None` when it names neither.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.trim().parse::<f32>().ok()))
                .next()
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Some(lang) = Lang::parse(primary) else { continue };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }
}

/// Decoded `key=value` pairs of a query string; bytes that are not UTF-8 become U+FFFD.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default().into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_decode_percent_and_plus() {
        let pairs: Vec<_> = query_pairs("q=%E4%BB%8B%E8%AD%B7+%E5%B8%AB&lang=en&x=").collect();
        assert_eq!(pairs, [("q".into(), "介護 師".into()), ("lang".into(), "en".into()), ("x".into(), String::new())]);
    }

    #[test]
    fn accept_language_picks_the_first_known_language_by_quality() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,ja;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("ja,en-US;q=0.9,en;q=0.8"), Some(Lang::Ja));
        assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.5, ja;q=0.7"), Some(Lang::Ja));
        assert_eq!(Lang::from_accept_language("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("en;q=0, ja;q=0.1"), Some(Lang::Ja));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language(""), None);
        assert_eq!(Lang::from_accept_language("*"), None);
    }

    #[test]
    fn broken_escapes_never_fail_the_request() {
        let pairs: Vec<_> = query_pairs("a=%E4%BB&lang=en").collect();
        assert_eq!(pairs[1], ("lang".into(), "en".into()));
        assert!(pairs[0].1.contains('\u{FFFD}'));
    }
}
