//! Readings: a word typed in kana finds the word written in kanji (かいご → 介護,
//! ぎょぎょう → 漁業, ひみ → 氷見).
//!
//! `data/readings.tsv` is made by `scripts/build-readings.py` from the noun dictionaries of
//! IPAdic as Debian's `mecab-ipadic` package ships them (BSD-style licence, notice in
//! `data/IPADIC-LICENSE`): one line per reading in hiragana, sorted, then a tab and the kanji
//! spellings most common first. It is compiled into the binary and searched where it lies
//! (binary search over the bytes), so it costs no heap and nothing is fetched at build or
//! run time.

const READINGS: &str = include_str!("../data/readings.tsv");

/// The kanji spellings of a reading in hiragana, most common first; empty when none is known.
pub fn spellings(reading: &str) -> Vec<&'static str> {
    lookup(READINGS, reading).map(|rest| rest.split(' ').collect()).unwrap_or_default()
}

/// The line that starts with `key` followed by a tab, by binary search over a sorted text.
fn lookup<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let bytes = text.as_bytes();
    let (mut lo, mut hi) = (0usize, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        // The line that holds `mid` starts after the newline before it.
        let start = bytes[..mid].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let end = bytes[start..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| start + i);
        let line = text.get(start..end)?;
        let (reading, rest) = line.split_once('\t')?;
        match reading.cmp(key) {
            std::cmp::Ordering::Equal => return Some(rest),
            // Lines compare as their readings do: byte order of UTF-8 is code point order.
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_readings_find_their_kanji() {
        assert_eq!(spellings("かいご").first(), Some(&"介護"));
        assert!(spellings("ぎょぎょう").contains(&"漁業"));
        assert!(spellings("すいさん").contains(&"水産"));
        assert!(spellings("ひみ").contains(&"氷見"));
        assert!(spellings("ほげほげふが").is_empty());
    }

    #[test]
    fn the_file_is_sorted_so_binary_search_sees_every_line() {
        let readings: Vec<&str> = READINGS.lines().filter_map(|l| l.split_once('\t').map(|(r, _)| r)).collect();
        assert!(readings.len() > 100_000, "{}", readings.len());
        assert!(readings.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        // Every 997th line, so the first, the last and the middle are not the only ones tried.
        for (i, r) in readings.iter().enumerate().filter(|(i, _)| i % 997 == 0 || *i == readings.len() - 1) {
            assert!(lookup(READINGS, r).is_some(), "line {i}: {r}");
        }
    }

    #[test]
    fn lookup_handles_the_edges() {
        let text = "あい\t愛\nかい\t会 回\nさい\t才";
        assert_eq!(lookup(text, "あい"), Some("愛"));
        assert_eq!(lookup(text, "さい"), Some("才"));
        assert_eq!(lookup(text, "かい"), Some("会 回"));
        assert_eq!(lookup(text, "あ"), None);
        assert_eq!(lookup(text, "ん"), None);
        assert_eq!(lookup("", "あい"), None);
    }
}
