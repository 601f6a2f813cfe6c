//! Words the operators declare the same for search (漁師 ~ 漁業 ~ 水産, バイト ~ アルバイト):
//! a query for one also finds the others. Set in `[search] synonyms`.

use std::collections::HashMap;
use yui_domain::search::normalize;

/// Groups of interchangeable words, looked up by any member in its normalized form.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    by_word: HashMap<String, usize>,
}

impl Synonyms {
    /// Groups of two or more words; blank words are dropped, a word in two groups joins them.
    pub fn new<G: AsRef<[String]>>(groups: &[G]) -> Synonyms {
        let mut out = Synonyms::default();
        for group in groups {
            let words: Vec<String> =
                group.as_ref().iter().map(|w| normalize(w.trim())).filter(|w| !w.is_empty()).collect();
            let joined = words.iter().find_map(|w| out.by_word.get(w).copied());
            let at = joined.unwrap_or_else(|| {
                out.groups.push(Vec::new());
                out.groups.len() - 1
            });
            for w in words {
                if !out.groups[at].contains(&w) {
                    out.by_word.insert(w.clone(), at);
                    out.groups[at].push(w);
                }
            }
        }
        out
    }

    /// The other words of `word`'s group (normalized), none when it has no group.
    pub fn of(&self, word: &str) -> impl Iterator<Item = &str> {
        let word = normalize(word);
        let group = self.by_word.get(&word).map(|i| self.groups[*i].as_slice()).unwrap_or_default();
        group.iter().filter(move |w| **w != word).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(groups: &[&[&str]]) -> Synonyms {
        let owned: Vec<Vec<String>> = groups.iter().map(|g| g.iter().map(|w| w.to_string()).collect()).collect();
        Synonyms::new(&owned)
    }

    #[test]
    fn any_member_finds_the_others_in_normal_form() {
        let syn = s(&[&["漁師", "漁業", "水産"], &["バイト", "アルバイト"], &["IT", "Web", "エンジニア"]]);
        assert_eq!(syn.of("漁業").collect::<Vec<_>>(), ["漁師", "水産"]);
        assert_eq!(syn.of("ばいと").collect::<Vec<_>>(), ["あるばいと"]);
        assert_eq!(syn.of("ＩＴ").collect::<Vec<_>>(), ["web", "えんじにあ"]);
        assert_eq!(syn.of("介護").count(), 0);
    }

    #[test]
    fn a_word_in_two_groups_joins_them_and_blanks_are_dropped() {
        let syn = s(&[&["漁師", "漁業"], &["漁業", "水産", " "]]);
        assert_eq!(syn.of("漁師").collect::<Vec<_>>(), ["漁業", "水産"]);
    }
}
