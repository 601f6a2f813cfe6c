//! `[home]`: what the front page says about the town, set by the operators: a lead, a picture,
//! and where people thinking of moving here find help.

/// One entry of `[[home.help]]` as written.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct RawHelp {
    ja: String,
    #[serde(default)]
    en: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    note_ja: String,
    #[serde(default)]
    note_en: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct RawHome {
    #[serde(default)]
    lead_ja: String,
    #[serde(default)]
    lead_en: String,
    #[serde(default)]
    image: String,
    #[serde(default)]
    image_alt_ja: String,
    #[serde(default)]
    image_alt_en: String,
    #[serde(default)]
    image_credit: String,
    #[serde(default)]
    help: Vec<RawHelp>,
}

/// Text in both languages; English falls back to the Japanese when the operators wrote none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bilingual {
    pub ja: String,
    pub en: String,
}

impl Bilingual {
    fn new(ja: &str, en: &str) -> Bilingual {
        let ja = ja.trim().to_owned();
        let en = match en.trim() {
            "" => ja.clone(),
            en => en.to_owned(),
        };
        Bilingual { ja, en }
    }

    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.en
        } else {
            &self.ja
        }
    }
}

#[derive(Debug, Clone)]
pub struct HomePicture {
    /// A path on this site (`/static/…`, `/media/…`) or an `https://` address.
    pub src: String,
    pub alt: Bilingual,
    pub credit: String,
}

#[derive(Debug, Clone)]
pub struct HelpLink {
    pub title: Bilingual,
    pub url: Option<String>,
    pub note: Bilingual,
}

/// `[home]`.
#[derive(Debug, Clone)]
pub struct HomeSettings {
    /// Empty: the built-in lead.
    pub lead: Option<Bilingual>,
    pub picture: Option<HomePicture>,
    pub help: Vec<HelpLink>,
}

/// At most this many help links: the front page is not a directory.
pub const MAX_HELP: usize = 8;

fn is_link(url: &str) -> bool {
    (url.starts_with('/') && !url.starts_with("//")) || url.starts_with("https://") || url.starts_with("http://")
}

impl HomeSettings {
    pub(crate) fn parse(raw: RawHome) -> Result<Self, (&'static str, String)> {
        let lead = (!raw.lead_ja.trim().is_empty()).then(|| Bilingual::new(&raw.lead_ja, &raw.lead_en));
        let picture = match raw.image.trim() {
            "" => None,
            src if !is_link(src) => {
                return Err((
                    "home.image",
                    format!("{src:?} is neither a path on this site (/static/…) nor an http(s) address"),
                ))
            }
            _ if raw.image_alt_ja.trim().is_empty() => {
                return Err((
                    "home.image_alt_ja",
                    "must say what the picture shows (for readers who cannot see it)".into(),
                ))
            }
            src => Some(HomePicture {
                src: src.to_owned(),
                alt: Bilingual::new(&raw.image_alt_ja, &raw.image_alt_en),
                credit: raw.image_credit.trim().to_owned(),
            }),
        };
        if raw.help.len() > MAX_HELP {
            return Err(("home.help", format!("has {} entries; at most {MAX_HELP}", raw.help.len())));
        }
        let mut help = Vec::with_capacity(raw.help.len());
        for h in raw.help {
            if h.ja.trim().is_empty() {
                return Err(("home.help", "every entry needs its Japanese title (ja)".into()));
            }
            let url = match h.url.trim() {
                "" => None,
                url if is_link(url) => Some(url.to_owned()),
                url => {
                    return Err(("home.help", format!("{url:?} is neither a path on this site nor an http(s) address")))
                }
            };
            help.push(HelpLink {
                title: Bilingual::new(&h.ja, &h.en),
                url,
                note: Bilingual::new(&h.note_ja, &h.note_en),
            });
        }
        Ok(HomeSettings { lead, picture, help })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(ja: &str, url: &str) -> RawHelp {
        RawHelp { ja: ja.into(), en: String::new(), url: url.into(), note_ja: String::new(), note_en: String::new() }
    }

    #[test]
    fn english_falls_back_to_japanese_and_bad_links_are_named() {
        let raw = RawHome { help: vec![help("移住相談窓口", "/about")], ..RawHome::default() };
        let home = HomeSettings::parse(raw).unwrap();
        assert_eq!(home.help[0].title.get("en"), "移住相談窓口");
        assert!(home.lead.is_none() && home.picture.is_none());

        let raw = RawHome { help: vec![help("窓口", "javascript:alert(1)")], ..RawHome::default() };
        assert_eq!(HomeSettings::parse(raw).unwrap_err().0, "home.help");
        let raw = RawHome { image: "//elsewhere.example/x.jpg".into(), ..RawHome::default() };
        assert_eq!(HomeSettings::parse(raw).unwrap_err().0, "home.image");
        let raw = RawHome { image: "/static/home.svg".into(), ..RawHome::default() };
        assert_eq!(HomeSettings::parse(raw).unwrap_err().0, "home.image_alt_ja", "a picture needs its words");
        let raw = RawHome { help: (0..9).map(|i| help(&format!("窓口{i}"), "")).collect(), ..RawHome::default() };
        assert_eq!(HomeSettings::parse(raw).unwrap_err().0, "home.help");
    }
}
