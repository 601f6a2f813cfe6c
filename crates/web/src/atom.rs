//! The one Atom 1.0 writer (RFC 4287): the jobs, articles, succession and followers' feeds all
//! go through it, so each has the elements the RFC requires and the same escaping.

use crate::i18n::Lang;
use actix_web::{HttpResponse, HttpResponseBuilder};
use chrono::NaiveDateTime;
use yui_db::employers::Employer;
use yui_db::postings::Posting;

/// A timestamp as feeds and the API write it: UTC, to the second.
pub fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Text for XML content and attribute values: the five special characters escaped, and the
/// control characters XML 1.0 forbids dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An Atom 1.0 document (RFC 4287). Every Atom feed Yui serves is written here, so each has the
/// elements the RFC requires and the same escaping.
pub struct Atom(String);

/// The feed's own elements.
pub struct AtomHead<'a> {
    pub lang: Lang,
    /// The feed's URL, which is also its id.
    pub self_url: &'a str,
    /// The page the feed follows.
    pub html_url: &'a str,
    pub title: &'a str,
    pub updated: NaiveDateTime,
    pub author: &'a str,
    /// The data licence (name, URL), for open data.
    pub license: Option<(&'a str, &'a str)>,
}

/// One entry; its URL is also its id.
pub struct AtomEntry<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub updated: NaiveDateTime,
    pub published: NaiveDateTime,
    pub author: &'a str,
    /// Term and label.
    pub category: Option<(&'a str, &'a str)>,
    /// More categories with their scheme, term and label: a posting's conditions.
    pub tags: Vec<(String, &'static str, &'static str)>,
    pub summary: &'a str,
}

impl Atom {
    pub fn new(head: AtomHead<'_>, entries: usize) -> Atom {
        let x = xml_escape;
        let mut out = String::with_capacity(2048 + entries * 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", head.lang.code()));
        out.push_str(&format!("  <id>{}</id>\n", x(head.self_url)));
        out.push_str(&format!("  <title>{}</title>\n", x(head.title)));
        out.push_str(&format!("  <updated>{}</updated>\n", rfc3339(head.updated)));
        out.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", x(head.self_url)));
        out.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", x(head.html_url)));
        out.push_str(&format!("  <author><name>{}</name></author>\n", x(head.author)));
        if let Some((name, url)) = head.license {
            out.push_str(&format!("  <rights>{} {}</rights>\n", x(name), x(url)));
            out.push_str(&format!("  <link rel=\"license\" href=\"{}\"/>\n", x(url)));
        }
        out.push_str("  <generator>Yui</generator>\n");
        Atom(out)
    }

    pub fn entry(&mut self, e: AtomEntry<'_>) {
        let (x, out) = (xml_escape, &mut self.0);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <id>{}</id>\n", x(e.url)));
        out.push_str(&format!("    <title>{}</title>\n", x(e.title)));
        out.push_str(&format!("    <updated>{}</updated>\n", rfc3339(e.updated)));
        out.push_str(&format!("    <published>{}</published>\n", rfc3339(e.published)));
        out.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", x(e.url)));
        out.push_str(&format!("    <author><name>{}</name></author>\n", x(e.author)));
        if let Some((term, label)) = e.category {
            out.push_str(&format!("    <category term=\"{}\" label=\"{}\"/>\n", x(term), x(label)));
        }
        for (scheme, term, label) in &e.tags {
            out.push_str(&format!(
                "    <category scheme=\"{}\" term=\"{}\" label=\"{}\"/>\n",
                x(scheme),
                x(term),
                x(label)
            ));
        }
        out.push_str(&format!("    <summary type=\"text\">{}</summary>\n", x(e.summary)));
        out.push_str("  </entry>\n");
    }

    /// A posting as the jobs feed and the followers' private feeds show it, its conditions
    /// (stored codes) as categories under the scheme `{base}/jobs?cond=`.
    pub fn posting(&mut self, base: &str, p: &Posting, e: &Employer, conditions: Option<&Vec<String>>, lang: Lang) {
        let scheme = format!("{base}/jobs?cond=");
        let tags = yui_domain::Conditions::lenient(conditions.map(Vec::as_slice).unwrap_or_default())
            .as_slice()
            .iter()
            .map(|c| (scheme.clone(), c.code(), c.label(lang.code())))
            .collect();
        self.entry(AtomEntry {
            url: &format!("{base}/jobs/{}", p.public_id),
            title: &p.title,
            updated: p.updated_at,
            published: p.published_at.unwrap_or(p.created_at),
            author: &e.name,
            category: Some((p.employment_type.code(), p.employment_type.label(lang.code()))),
            tags,
            summary: &summary(p, e, lang),
        });
    }

    pub fn finish(mut self, res: &mut HttpResponseBuilder) -> HttpResponse {
        self.0.push_str("</feed>\n");
        res.content_type("application/atom+xml; charset=utf-8").body(self.0)
    }
}

fn location(p: &Posting) -> String {
    [Some(p.prefecture.as_str()), Some(p.municipality.as_str()), p.area.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn summary(p: &Posting, e: &Employer, lang: Lang) -> String {
    let mut head = vec![e.name.clone(), p.employment_type.label(lang.code()).to_owned(), location(p)];
    if let Some(s) = p.salary() {
        head.push(s.to_japanese());
    }
    let description: String = p.description.chars().take(300).collect();
    let more = if p.description.chars().count() > 300 { "…" } else { "" };
    format!("{}\n\n{description}{more}", head.join(" / "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_special_and_control_characters_are_handled() {
        assert_eq!(super::xml_escape("a<b>&\"c'\u{0}\u{1b}d\n"), "a&lt;b&gt;&amp;&quot;c&apos;d\n");
    }
}
