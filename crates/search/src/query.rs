//! A query becomes words, and each word the postings that hold it in any of its forms: as
//! typed, as the operators' synonyms, and, for a word in kana, as the kanji it reads as.

use crate::index::Index;
use crate::readings::spellings;
use roaring::RoaringBitmap;
use yui_domain::search::{index_tokens, is_kana, needs_scan, normalize, query_words};

/// At most this many kanji spellings of one reading are searched: the ones the postings use
/// most (かいご is 介護 here far more often than 解雇).
const MAX_SPELLINGS: usize = 3;

/// One word of a query, resolved against the index.
pub(crate) struct Word {
    /// Slots holding the word in any form, anywhere.
    pub any: RoaringBitmap,
    /// Slots holding it in the title.
    pub title: RoaringBitmap,
    /// How many live postings hold it: rarer words weigh more.
    pub df: u64,
    /// The forms found, to mark in results.
    pub marks: Vec<String>,
}

/// The query's words; empty when it has none (only punctuation, say): then nothing matches.
pub(crate) fn parse(index: &Index, q: &str) -> Vec<Word> {
    query_words(q).iter().map(|w| word(index, w)).collect()
}

/// The slots holding `form` (anywhere, in the title): every bigram of it, or for one kanji or
/// kana, any token that contains it.
fn resolve(index: &Index, form: &str) -> (RoaringBitmap, RoaringBitmap) {
    let mut chars = form.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if needs_scan(form) {
            return (index.containing(c, false), index.containing(c, true));
        }
    }
    let mut tokens = index_tokens(form);
    tokens.dedup();
    (index.all_of(&tokens, false), index.all_of(&tokens, true))
}

fn word(index: &Index, w: &str) -> Word {
    let mut forms: Vec<String> = vec![w.to_owned()];
    forms.extend(index.synonyms().of(w).map(str::to_owned));
    let mut readings: Vec<String> = Vec::new();
    for f in &forms {
        if is_kana(f) && f.chars().count() >= 2 {
            readings.extend(spellings(f).into_iter().map(normalize).filter(|s| !forms.contains(s)));
        }
    }
    let mut out = Word { any: RoaringBitmap::new(), title: RoaringBitmap::new(), df: 0, marks: Vec::new() };
    let add = |out: &mut Word, form: String, any: RoaringBitmap, title: RoaringBitmap| {
        if !out.marks.contains(&form) {
            out.marks.push(form);
        }
        out.any |= any;
        out.title |= title;
    };
    for f in forms {
        let (any, title) = resolve(index, &f);
        if !any.is_disjoint(index.live()) {
            add(&mut out, f, any, title);
        }
    }
    let mut found: Vec<(u64, String, RoaringBitmap, RoaringBitmap)> = readings
        .into_iter()
        .map(|f| {
            let (any, title) = resolve(index, &f);
            (any.intersection_len(index.live()), f, any, title)
        })
        .filter(|(n, ..)| *n > 0)
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    for (_, f, any, title) in found.into_iter().take(MAX_SPELLINGS) {
        add(&mut out, f, any, title);
    }
    out.df = out.any.intersection_len(index.live());
    out
}
