//! The reader's language: Japanese unless they chose English (`?lang=en`, remembered in a cookie).

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
                req.app_data::<actix_web::web::Data<crate::AppState>>()
                    .and_then(|s| Lang::parse(&s.settings.site.default_lang))
            })
            .unwrap_or(Lang::Ja)
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
    fn broken_escapes_never_fail_the_request() {
        let pairs: Vec<_> = query_pairs("a=%E4%BB&lang=en").collect();
        assert_eq!(pairs[1], ("lang".into(), "en".into()));
        assert!(pairs[0].1.contains('\u{FFFD}'));
    }
}
