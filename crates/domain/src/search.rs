//! Japanese full-text search, the pure half: how text becomes index tokens and how a query
//! becomes search terms, for the read model (`yui_search`) and for the short lists matched in
//! memory ([`matches_all`]).
//!
//! * NFKC first: full-width Ｒｕｓｔ and １２３ become Rust and 123, half-width ｶﾀｶﾅ becomes カタカナ.
//! * Lower case, and katakana folded to hiragana (カイゴ and かいご are one word; ー is kept).
//! * Runs of Latin letters and digits stay whole: one token each (`rust`, `it`, `2026`).
//! * Every other run of letters (kanji, kana) becomes overlapping character bigrams:
//!   介護職員 → 介護 護職 職員. A run of one character is a one-character token.
//! * Everything else (spaces, punctuation, ・, brackets) separates runs.
//!
//! A query made of bigrams matches when every bigram is in the document: 営業事務 finds
//! 営業事務 and not 営業 alone. A one-character query cannot use the bigram index: the
//! caller looks for the character inside longer tokens instead (see [`needs_scan`]).

use unicode_normalization::UnicodeNormalization;

/// At most this many terms are taken from one query: enough for any sentence a person types.
pub const MAX_QUERY_TERMS: usize = 32;

/// Katakana (ァ..ヶ, ヽヾ) to hiragana; every other character unchanged.
pub fn fold_kana(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' | '\u{30FD}'..='\u{30FE}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Kanji, kana and the marks that live inside Japanese words (ー, 々, 〆, ヶ).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3005}'..='\u{3007}'      // 々 〆 〇
        | '\u{3041}'..='\u{309F}'    // hiragana
        | '\u{30A0}'..='\u{30FF}'    // katakana, ー
        | '\u{3400}'..='\u{4DBF}'    // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'    // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'    // compatibility ideographs
        | '\u{20000}'..='\u{3FFFF}') // extensions B and later
        && c != '\u{30FB}' // ・ separates words
        && c != '\u{30A0}'
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Latin,
    Cjk,
}

fn kind(c: char) -> Option<Kind> {
    if is_cjk(c) {
        Some(Kind::Cjk)
    } else if c.is_alphanumeric() {
        Some(Kind::Latin)
    } else {
        None
    }
}

/// NFKC, lower case, katakana as hiragana: the form both documents and queries are compared in.
pub fn normalize(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).map(fold_kana).collect()
}

/// The runs of one kind of character, in order.
fn runs(normalized: &str) -> Vec<(Kind, Vec<char>)> {
    let mut out: Vec<(Kind, Vec<char>)> = Vec::new();
    let mut current: Option<(Kind, Vec<char>)> = None;
    for c in normalized.chars() {
        match (kind(c), current.as_mut()) {
            (Some(k), Some((ck, chars))) if *ck == k => chars.push(c),
            (k, _) => {
                if let Some(run) = current.take() {
                    out.push(run);
                }
                current = k.map(|k| (k, vec![c]));
            }
        }
    }
    out.extend(current);
    out
}

fn tokens_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, chars) in runs(&normalize(text)) {
        match kind {
            Kind::Latin => out.push(chars.into_iter().collect()),
            Kind::Cjk if chars.len() == 1 => out.push(chars[0].to_string()),
            Kind::Cjk => out.extend(chars.windows(2).map(|w| w.iter().collect::<String>())),
        }
    }
    out
}

/// The tokens a document is indexed under, in text order (repeats kept, for ranking).
pub fn index_tokens(text: &str) -> Vec<String> {
    tokens_of(text)
}

/// The terms of a search query: the same rules as [`index_tokens`], repeats removed, at most
/// [`MAX_QUERY_TERMS`]. A term for which [`needs_scan`] is true (a single kanji or kana)
/// is not in the bigram index: the caller matches it by scanning.
pub fn query_terms(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tokens_of(q) {
        if !out.contains(&t) {
            out.push(t);
        }
        if out.len() == MAX_QUERY_TERMS {
            break;
        }
    }
    out
}

/// The words of a search query in normal form: each run of Latin letters and digits, and each
/// run of Japanese letters, repeats removed, at most [`MAX_QUERY_TERMS`]. The read model
/// expands each word (readings, synonyms) before it becomes tokens.
pub fn query_words(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, chars) in runs(&normalize(q)) {
        let word: String = chars.into_iter().collect();
        if !out.contains(&word) {
            out.push(word);
        }
        if out.len() == MAX_QUERY_TERMS {
            break;
        }
    }
    out
}

/// Whether `word` (in normal form) is written in kana only: a reading to look up.
pub fn is_kana(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| matches!(c, '\u{3041}'..='\u{309F}' | 'ー'))
}

/// True for a one-character Japanese term: only a scan finds it inside longer words.
pub fn needs_scan(term: &str) -> bool {
    let mut chars = term.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_cjk(c))
}

/// Whether `document` holds every query term, matched in memory by the same rules as the
/// index: bigram and Latin terms against the document's tokens, one-character terms (see
/// [`needs_scan`]) inside its normalized text. For short lists that have no index of their own.
pub fn matches_all(terms: &[String], document: &str) -> bool {
    let tokens = index_tokens(document);
    let normalized = normalize(document);
    terms.iter().all(|t| if needs_scan(t) { normalized.contains(t.as_str()) } else { tokens.contains(t) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        index_tokens(s)
    }

    #[test]
    fn kanji_become_overlapping_bigrams() {
        assert_eq!(toks("介護"), ["介護"]);
        assert_eq!(toks("営業事務"), ["営業", "業事", "事務"]);
        assert_eq!(query_terms("営業事務"), ["営業", "業事", "事務"]);
    }

    #[test]
    fn latin_words_stay_whole_and_lower_case() {
        assert_eq!(toks("ITエンジニア"), ["it", "えん", "んじ", "じに", "にあ"]);
        assert_eq!(toks("Rust"), ["rust"]);
        assert_eq!(toks("rust"), toks("ｒｕｓｔ"));
        assert_eq!(toks("RUST and Go"), ["rust", "and", "go"]);
    }

    #[test]
    fn full_width_digits_are_the_ascii_ones() {
        assert_eq!(toks("月給２０万円"), ["月給", "20", "万円"]);
        assert_eq!(toks("２０２６年"), ["2026", "年"]);
    }

    #[test]
    fn katakana_and_hiragana_are_one_word() {
        assert_eq!(toks("カイゴ"), toks("かいご"));
        assert_eq!(toks("ｶｲｺﾞ"), toks("かいご"), "half-width katakana too");
        assert_eq!(toks("ブリー"), ["ぶり", "りー"], "the long-vowel mark is kept");
    }

    #[test]
    fn punctuation_separates_runs() {
        assert_eq!(toks("介護職員（パート）"), ["介護", "護職", "職員", "ぱー", "ーと"]);
        assert_eq!(toks("パート・アルバイト"), ["ぱー", "ーと", "ある", "るば", "ばい", "いと"]);
        assert_eq!(toks("  、。!? "), Vec::<String>::new());
    }

    #[test]
    fn one_character_runs_are_unigrams_and_need_a_scan() {
        assert_eq!(toks("魚 と 肉"), ["魚", "と", "肉"]);
        assert_eq!(query_terms("介"), ["介"]);
        assert!(needs_scan("介"));
        assert!(!needs_scan("介護") && !needs_scan("a") && !needs_scan("it"));
        assert_eq!(query_terms("カ"), ["か"]);
    }

    #[test]
    fn query_words_are_runs_in_normal_form() {
        assert_eq!(query_words("介護職員（パート）　ＩＴ it"), ["介護職員", "ぱーと", "it"]);
        assert!(is_kana("かいご") && is_kana("ぱーと") && !is_kana("介護") && !is_kana("it") && !is_kana(""));
    }

    #[test]
    fn queries_drop_repeats_and_are_bounded() {
        assert_eq!(query_terms("介護 介護 Rust rust"), ["介護", "rust"]);
        assert_eq!(
            query_terms(&"あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめも".repeat(3)).len(),
            MAX_QUERY_TERMS
        );
        assert!(query_terms("").is_empty());
    }

    #[test]
    fn in_memory_matching_follows_the_index_rules() {
        let doc = "市内の老舗鮮魚店。カウンター付きの店舗";
        assert!(matches_all(&query_terms("鮮魚"), doc));
        assert!(matches_all(&query_terms("かうんたー"), doc), "hiragana finds katakana");
        assert!(matches_all(&query_terms("魚 店舗"), doc));
        assert!(matches_all(&query_terms("老"), doc), "one character is scanned");
        assert!(!matches_all(&query_terms("精肉"), doc));
        assert!(matches_all(&[], doc));
    }
}
