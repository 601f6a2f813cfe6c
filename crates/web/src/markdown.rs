//! Article bodies: Markdown rendered by pulldown-cmark, then cleaned by ammonia with an explicit
//! allow-list. The output is the only raw HTML templates print, so everything a writer types
//! (raw HTML included) passes through the sanitiser on every render.

use std::collections::HashSet;

const TAGS: &[&str] = &[
    "a",
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];

/// Markdown to safe HTML: no scripts, styles, frames or event handlers; links and images only
/// to http, https (and mailto for links); every link gets rel="noopener noreferrer nofollow".
pub fn render(markdown: &str) -> String {
    render_with(markdown, sanitizer())
}

/// The operator's own pages (`/about`, `/privacy`, `/terms`): the same rules, but links within
/// the site may be relative (`/transparency`), as the operator writes them.
pub fn render_site_page(markdown: &str) -> String {
    let mut b = sanitizer();
    b.url_relative(ammonia::UrlRelative::PassThrough);
    render_with(markdown, b)
}

fn render_with(markdown: &str, sanitizer: ammonia::Builder<'static>) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    sanitizer.clean(&raw).to_string()
}

/// Keeps a relative URL only when it names an uploaded image on this site.
fn own_media(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let name = url.strip_prefix("/media/")?;
    name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.').then_some(std::borrow::Cow::Borrowed(url))
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(TAGS.iter().copied().collect::<HashSet<_>>())
        .add_tag_attributes("a", ["href", "title"])
        .add_tag_attributes("img", ["src", "alt", "title"])
        .add_tag_attributes("th", ["align"])
        .add_tag_attributes("td", ["align"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        // A relative URL could still be a scheme in disguise to an odd browser; articles link out
        // in full. The one exception is this site's own uploaded images, `/media/<name>`.
        .url_relative(ammonia::UrlRelative::Custom(Box::new(own_media)))
        .set_tag_attribute_value("img", "loading", "lazy")
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true);
    b
}

#[cfg(test)]
mod tests {
    use super::render;

    /// The tags of an HTML text, lower-cased (text between tags is escaped and harmless).
    fn tags(html: &str) -> Vec<String> {
        html.to_lowercase().split('<').skip(1).map(|t| t.split('>').next().unwrap_or("").to_owned()).collect()
    }

    /// What must never come out of the renderer, whatever goes in.
    fn assert_safe(input: &str) {
        let out = render(input);
        for tag in tags(&out) {
            let name = tag.split_whitespace().next().unwrap_or("").trim_start_matches('/');
            assert!(super::TAGS.contains(&name), "<{tag}> is not allowed, in {out:?} from {input:?}");
            // No event handler (` onerror=`, ` onload=` …), style, or script URL in any tag.
            let attrs: Vec<&str> = tag.split_whitespace().skip(1).collect();
            for attr in &attrs {
                assert!(!attr.starts_with("on") && !attr.starts_with("style"), "{attr} in {out:?} from {input:?}");
            }
            for bad in ["javascript:", "vbscript:", "data:"] {
                assert!(!tag.contains(bad), "{bad} in <{tag}> from {input:?}");
            }
        }
        let lower = out.to_lowercase();
        for bad in ["<script", "<iframe", "<style", "<svg", "<object", "<embed", "<form"] {
            assert!(!lower.contains(bad), "{bad} survived in {out:?} from {input:?}");
        }
        for tag in tags(&out) {
            for attr in [" href=\"", " src=\""] {
                for (at, _) in tag.match_indices(attr) {
                    let value = tag[at + attr.len()..].split('"').next().unwrap_or("");
                    assert!(
                        value.starts_with("https://") || value.starts_with("http://") || value.starts_with("mailto:"),
                        "{attr} kept {value:?} in {out:?} from {input:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn xss_vectors_do_not_survive() {
        let corpus = [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"https://ok.example/a.png\" onerror=\"alert(1)\">",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
            "<a href=\" javascript:alert(1)\">x</a>",
            "<a href=\"java\nscript:alert(1)\">x</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
            "<svg onload=alert(1)>",
            "<svg><script>alert(1)</script></svg>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<div style=\"position:fixed\">x</div>",
            "<style>body{display:none}</style>",
            "<img src=x onerror=alert(1)",
            "<a href=\"javascript:alert(1)\"",
            "<scr<script>ipt>alert(1)</script>",
            "<<script>alert(1)//<</script>",
            "<body onload=alert(1)>",
            "<details open ontoggle=alert(1)>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](javascript&#58;alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "<javascript:alert(1)>",
            "![x](javascript:alert(1))",
            "![x](data:image/png;base64,iVBORw0KGgo=)",
            "<form action=\"https://evil.example\"><input name=q></form>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
            "<!-- <script>alert(1)</script> -->",
            "`<script>` is shown as code, and <b onclick=alert(1)>bold</b>",
        ];
        for input in corpus {
            assert_safe(input);
        }
    }

    #[test]
    fn ordinary_markdown_survives() {
        let out = render(
            "## 朝四時\n\n市場は**まだ暗い**。*静か*です。\n\n- 一\n- 二\n\n1. 壱\n\n[市のサイト](https://city.example/) と <https://auto.example/> と [メール](mailto:a@b.example)\n\n![港](https://img.example/port.jpg \"港\")\n\n> 引用",
        );
        for want in [
            "<h2>朝四時</h2>",
            "<strong>まだ暗い</strong>",
            "<em>静か</em>",
            "<ul>",
            "<li>一</li>",
            "<ol>",
            "<a href=\"https://city.example/\" rel=\"noopener noreferrer nofollow\">市のサイト</a>",
            "href=\"https://auto.example/\"",
            "href=\"mailto:a@b.example\"",
            "<img src=\"https://img.example/port.jpg\" alt=\"港\" title=\"港\" loading=\"lazy\">",
            "<blockquote>",
        ] {
            assert!(out.contains(want), "{want} missing in {out}");
        }
    }

    #[test]
    fn only_this_sites_uploaded_images_may_be_relative() {
        let hash = "a".repeat(64);
        let out = render(&format!("![港](/media/{hash}.jpg)"));
        assert!(out.contains(&format!("<img src=\"/media/{hash}.jpg\" alt=\"港\" loading=\"lazy\">")), "{out}");
        for elsewhere in ["![x](/admin/staff)", "![x](/media/../admin)", "![x](//evil.example/media/a.jpg)"] {
            let out = render(elsewhere);
            assert!(!out.contains("src="), "{elsewhere} became {out}");
        }
    }

    #[test]
    fn raw_html_text_is_kept_as_text_or_dropped() {
        let out = render("a <b onclick=alert(1)>bold</b> `<script>`");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
    }
}
