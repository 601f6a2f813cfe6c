//! The matched words marked in what a seeker reads: the text is escaped for HTML first, then
//! each match is wrapped in `<mark>`. Matching is done in normal form (カイゴ finds かいご),
//! character by character, so the marks fall on the text as written.

use yui_domain::search::{fold_kana, normalize};

/// The text's characters in normal form, each with the byte range it came from.
fn normalized_chars(text: &str) -> Vec<(char, usize, usize)> {
    let mut out = Vec::with_capacity(text.len());
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        // Most characters are their own normal form (or ASCII letters to lower): no allocation.
        match c {
            'a'..='z' | '0'..='9' | '\u{3041}'..='\u{3096}' | '\u{4E00}'..='\u{9FFF}' => out.push((c, start, end)),
            'A'..='Z' => out.push((c.to_ascii_lowercase(), start, end)),
            // Katakana (NFKC leaves it as it is) folds to hiragana as `normalize` folds it.
            '\u{30A1}'..='\u{30F6}' | 'ー' => out.push((fold_kana(c), start, end)),
            _ => out.extend(normalize(c.encode_utf8(&mut [0; 4])).chars().map(|n| (n, start, end))),
        }
    }
    out
}

/// Byte ranges of `text` that match any of `marks` (normal form), merged and in order.
fn matches(text: &str, marks: &[String]) -> Vec<(usize, usize)> {
    let chars = normalized_chars(text);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for mark in marks {
        let m: Vec<char> = mark.chars().collect();
        if m.is_empty() || m.len() > chars.len() {
            continue;
        }
        for i in 0..=chars.len() - m.len() {
            if chars[i..i + m.len()].iter().map(|c| c.0).eq(m.iter().copied()) {
                ranges.push((chars[i].1, chars[i + m.len() - 1].2));
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

/// `text` as HTML with every match of `marks` in `<mark>`.
pub fn mark(text: &str, marks: &[String]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for (s, e) in matches(text, marks) {
        escape_into(&mut out, &text[at..s]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[s..e]);
        out.push_str("</mark>");
        at = e;
    }
    escape_into(&mut out, &text[at..]);
    out
}

/// About `width` characters of `text` around its first match, marked, with … where cut;
/// `None` when nothing in it matches.
pub fn excerpt(text: &str, marks: &[String], width: usize) -> Option<String> {
    let (s, _) = *matches(text, marks).first()?;
    let before: Vec<(usize, char)> = text[..s].char_indices().collect();
    let from = before.len().saturating_sub(width / 3);
    let start = before.get(from).map_or(s, |(i, _)| *i);
    let end = text[start..].char_indices().nth(width).map_or(text.len(), |(i, _)| start + i);
    let cut = &text[start..end];
    let flat: String = cut.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&mark(&flat, marks));
    if end < text.len() {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn matches_are_marked_after_escaping() {
        assert_eq!(mark("<b>介護</b>スタッフ", &m(&["介護"])), "&lt;b&gt;<mark>介護</mark>&lt;/b&gt;スタッフ");
        assert_eq!(mark("a&b", &m(&["<"])), "a&amp;b");
    }

    #[test]
    fn normal_form_matches_the_text_as_written() {
        assert_eq!(
            mark("カイゴ職員とＲｕｓｔ", &m(&["かいご", "rust"])),
            "<mark>カイゴ</mark>職員と<mark>Ｒｕｓｔ</mark>"
        );
    }

    #[test]
    fn overlapping_matches_merge() {
        assert_eq!(mark("漁業協同組合", &m(&["漁業", "業協"])), "<mark>漁業協</mark>同組合");
    }

    #[test]
    fn excerpts_cut_around_the_first_match() {
        let text = "あ".repeat(50) + "介護" + &"い".repeat(50);
        let e = excerpt(&text, &m(&["介護"]), 20).unwrap();
        assert!(e.starts_with('…') && e.ends_with('…') && e.contains("<mark>介護</mark>"), "{e}");
        assert_eq!(excerpt("介護", &m(&["漁業"]), 20), None);
    }
}
