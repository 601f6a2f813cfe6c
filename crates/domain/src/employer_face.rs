//! An employer's public face: an introduction, links, a logo and up to [`MAX_PHOTOS`]
//! captioned photos. Employers propose one from their private page; editors approve it whole.

use crate::{FieldError, Message};
use serde::{Deserialize, Serialize};

/// How many photos an employer may show.
pub const MAX_PHOTOS: usize = 5;
/// The introduction is short: a paragraph or three, not a company brochure.
pub const MAX_INTRO_CHARS: usize = 1200;
/// Website and social accounts.
pub const MAX_LINKS: usize = 5;
pub const MAX_CAPTION_CHARS: usize = 120;

/// A stored image: its name under `/media/` and its size, so pages reserve its room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaceImage {
    pub name: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacePhoto {
    pub image: FaceImage,
    /// Said by screen readers and shown under the photo: required.
    pub caption: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Face {
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub logo: Option<FaceImage>,
    #[serde(default)]
    pub photos: Vec<FacePhoto>,
}

impl Face {
    pub fn is_empty(&self) -> bool {
        self.intro.is_empty() && self.links.is_empty() && self.logo.is_none() && self.photos.is_empty()
    }
}

/// The introduction and links as typed: trimmed, one link a line, each `http(s)://`.
pub fn parse_text(intro: &str, links: &str) -> Result<(String, Vec<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let intro = intro.trim().replace("\r\n", "\n");
    if intro.chars().count() > MAX_INTRO_CHARS {
        errors.push(FieldError {
            field: "intro",
            message: Message::new("field.face.intro_too_long").with("max", MAX_INTRO_CHARS),
        });
    }
    let links: Vec<String> = links.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    if links.len() > MAX_LINKS {
        errors.push(FieldError {
            field: "links",
            message: Message::new("field.face.too_many_links").with("max", MAX_LINKS),
        });
    } else if let Some(bad) = links.iter().find(|l| !is_web_link(l)) {
        errors.push(FieldError { field: "links", message: Message::new("field.face.bad_link").with("link", bad) });
    }
    if errors.is_empty() {
        Ok((intro, links))
    } else {
        Err(errors)
    }
}

fn is_web_link(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.') && s.len() <= 300 && !s.chars().any(|c| c.is_whitespace() || c == '"' || c == '<')
    })
}

/// A photo's caption: required (it is the alt text) and short.
pub fn parse_caption(caption: &str) -> Result<String, FieldError> {
    let caption = caption.trim();
    if caption.is_empty() {
        return Err(FieldError { field: "caption", message: Message::new("field.face.caption_missing") });
    }
    if caption.chars().count() > MAX_CAPTION_CHARS {
        let message = Message::new("field.face.caption_too_long").with("max", MAX_CAPTION_CHARS);
        return Err(FieldError { field: "caption", message });
    }
    Ok(caption.to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn links_must_be_web_addresses_and_few() {
        let (intro, links) = parse_text("  こんにちは \r\n", "https://a.example\n\n http://b.example/x ").unwrap();
        assert_eq!(intro, "こんにちは");
        assert_eq!(links, ["https://a.example", "http://b.example/x"]);
        for bad in ["javascript:alert(1)", "https://nohost", "ftp://a.example", "https://a.example/\"x"] {
            assert!(parse_text("", bad).is_err(), "{bad}");
        }
        assert!(parse_text("", &"https://a.example\n".repeat(MAX_LINKS + 1)).is_err());
        assert!(parse_text(&"あ".repeat(MAX_INTRO_CHARS + 1), "").is_err());
    }

    #[test]
    fn a_photo_needs_a_caption() {
        assert!(parse_caption("  ").is_err());
        assert_eq!(parse_caption(" 店の前 ").unwrap(), "店の前");
        assert!(parse_caption(&"あ".repeat(MAX_CAPTION_CHARS + 1)).is_err());
    }
}
