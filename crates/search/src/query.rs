//! A query becomes words, and each word the postings that hold it in any of its forms: as
//! typed, as the operators' synonyms, and, for a word in kana, as the kanji it reads as.

use crate::index::{Field, Index};
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
    /// Slots holding it in the labels (category, district, type, conditions).
    pub labels: RoaringBitmap,
    /// How many live postings hold it: rarer words weigh more.
    pub df: u64,
    /// The forms found, to mark in results.
    pub marks: Vec<String>,
}

/// The query's words; empty when it has none (only punctuation, say): then nothing matches.
pub(crate) fn parse(index: &Index, q: &str) -> Vec<Word> {
    query_words(q).iter().map(|w| word(index, w)).collect()
}

/// The slots holding `form` anywhere, in the title, in the labels: every bigram of it, or for
/// one kanji or kana, any token that contains it.
fn resolve(index: &Index, form: &str) -> [RoaringBitmap; 3] {
    let fields = [Field::Any, Field::Title, Field::Labels];
    let mut chars = form.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if needs_scan(form) {
            return index.containing(c);
        }
    }
    let mut tokens = index_tokens(form);
    tokens.dedup();
    fields.map(|f| index.all_of(&tokens, f))
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
    let mut out = Word {
        any: RoaringBitmap::new(),
        title: RoaringBitmap::new(),
        labels: RoaringBitmap::new(),
        df: 0,
        marks: Vec::new(),
    };
    let add = |out: &mut Word, form: String, [any, title, labels]: [RoaringBitmap; 3]| {
        if !out.marks.contains(&form) {
            out.marks.push(form);
        }
        out.any |= any;
        out.title |= title;
        out.labels |= labels;
    };
    for f in forms {
        let sets = resolve(index, &f);
        if !sets[0].is_disjoint(index.live()) {
            add(&mut out, f, sets);
        }
    }
    let mut found: Vec<(u64, String, [RoaringBitmap; 3])> = readings
        .into_iter()
        .map(|f| {
            let sets = resolve(index, &f);
            (sets[0].intersection_len(index.live()), f, sets)
        })
        .filter(|(n, ..)| *n > 0)
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, f, sets) in found.into_iter().take(MAX_SPELLINGS) {
        add(&mut out, f, sets);
    }
    out.df = out.any.intersection_len(index.live());
    out
}
