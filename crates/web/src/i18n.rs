//! Words, in one place. The reader's language: `?lang=` (remembered in a cookie by
//! [`remember`], on every page), then the cookie, then the browser's `Accept-Language`, then the
//! site default. Every sentence lives in `templates/locales/{ja,en}/*.json`: templates print
//! them with `{{t "key"}}`, Rust code with [`Lang::t`] and [`Lang::tf`]. Nothing outside this
//! module chooses words by language.

use crate::templates::Assets;
use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::HttpRequest;
use std::collections::HashMap;
use std::sync::OnceLock;

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

    /// One of two texts that arrive already written in both languages (a domain value's labels).
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// The other one, for the language switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// The message `key` in this language, if there is one.
    pub fn lookup(self, key: &str) -> Option<&'static str> {
        let locales = locales();
        let messages = match self {
            Lang::Ja => &locales.ja,
            Lang::En => &locales.en,
        };
        messages.get(key).map(String::as_str)
    }

    /// The message `key` in this language. A missing key shows itself (and is logged): the
    /// tests check that every key the code names exists in both languages.
    pub fn t(self, key: &'static str) -> &'static str {
        self.lookup(key).unwrap_or_else(|| {
            log::error!("no message {key:?} in {}", self.code());
            key
        })
    }

    /// [`Lang::t`] with `{name}` placeholders filled.
    pub fn tf(self, key: &'static str, params: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut text = self.t(key).to_owned();
        for (name, value) in params {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }

    /// A stored language code (a follower's, say): English for `en`, else Japanese.
    pub fn from_code(code: &str) -> Lang {
        Lang::parse(code).unwrap_or(Lang::Ja)
    }

    /// A message from the domain (a key in `locales/*/fields.json` and its values) in this language.
    pub fn message(self, message: &yui_domain::Message) -> String {
        message.render(|key| self.t(key))
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

type Messages = HashMap<String, String>;

/// Merges every `locales/{lang}/*.json` (one file per area, so areas do not collide in one file).
/// A key defined twice is an error: which one won would depend on file order.
fn load_locale(lang: &str) -> Result<Messages, (String, String)> {
    let prefix = format!("locales/{lang}/");
    let mut messages = Messages::new();
    for path in Assets::iter().filter(|p| p.starts_with(&prefix) && p.ends_with(".json")) {
        let name = path.to_string();
        let file = Assets::get(&name).ok_or_else(|| (name.clone(), "vanished".to_owned()))?;
        let part: Messages = serde_json::from_slice(&file.data).map_err(|e| (name.clone(), e.to_string()))?;
        for (key, text) in part {
            if messages.insert(key.clone(), text).is_some() {
                return Err((name, format!("{key:?} is defined twice")));
            }
        }
    }
    if messages.is_empty() {
        return Err((prefix, "no messages".to_owned()));
    }
    Ok(messages)
}

struct Locales {
    ja: Messages,
    en: Messages,
}

static LOCALES: OnceLock<Result<Locales, (String, String)>> = OnceLock::new();

fn load() -> Result<Locales, (String, String)> {
    Ok(Locales { ja: load_locale("ja")?, en: load_locale("en")? })
}

/// Called at start-up (through the template registry) so a broken locale file stops the start
/// with its name, instead of showing keys to readers.
pub fn check_locales() -> Result<(), (String, String)> {
    LOCALES.get_or_init(load).as_ref().map(|_| ()).map_err(Clone::clone)
}

fn locales() -> &'static Locales {
    static EMPTY: OnceLock<Locales> = OnceLock::new();
    match LOCALES.get_or_init(load) {
        Ok(l) => l,
        Err(_) => EMPTY.get_or_init(|| Locales { ja: Messages::new(), en: Messages::new() }),
    }
}

/// Remembers a language picked with `?lang=` in a cookie, on every page the same way, so a
/// reader who came by an English link stays in English (and a follower signing up that way is
/// stored as English).
pub async fn remember(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let picked = Lang::from_query(req.request());
    let secure = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .is_some_and(|s| s.settings.site.base_url.starts_with("https://"));
    let mut res = next.call(req).await?;
    if let Some(lang) = picked {
        let cookie = Cookie::build(COOKIE, lang.code())
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .finish();
        if let Err(e) = res.response_mut().add_cookie(&cookie) {
            log::warn!("cannot remember the language: {e}");
        }
    }
    Ok(res)
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

    #[test]
    fn a_domain_message_is_worded_in_each_language() {
        use yui_domain::Message;
        let long = Message::new("field.text.too_long").with("max", 100).with("count", 101);
        assert_eq!(Lang::Ja.message(&long), "100文字以内で入力してください（現在101文字）");
        assert_eq!(Lang::En.message(&long), "Please keep this to 100 characters or fewer (it is 101 now).");
        let labelled = Message::new("field.succession.required").with_key("label", "field.succession.label.industry");
        assert_eq!(Lang::Ja.message(&labelled), "業種を入力してください");
        assert_eq!(Lang::En.message(&labelled), "Please enter the industry.");
        let wrapped = Message::wrap("field.support.name.or_anonymous", "reason", Message::new("field.name.required"));
        assert_eq!(Lang::Ja.message(&wrapped), "お名前を入力してください（匿名を選ぶこともできます）");
        assert_eq!(Lang::En.message(&Message::as_written("そのまま")), "そのまま");
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let (ja, en) = (load_locale("ja").unwrap(), load_locale("en").unwrap());
        let mut missing_en: Vec<_> = ja.keys().filter(|k| !en.contains_key(*k)).collect();
        let mut missing_ja: Vec<_> = en.keys().filter(|k| !ja.contains_key(*k)).collect();
        missing_en.sort();
        missing_ja.sort();
        assert!(
            missing_en.is_empty() && missing_ja.is_empty(),
            "only in ja: {missing_en:?}, only in en: {missing_ja:?}"
        );
    }
}
