use rand::Rng;
use std::fmt;

/// The id a posting shows the world. Random, so ids cannot be enumerated or counted, and
/// drawn from an alphabet without look-alike characters so it can be read over the phone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct PublicId(String);

const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const LEN: usize = 10;

impl PublicId {
    pub fn generate() -> Self {
        let mut rng = rand::rng();
        PublicId((0..LEN).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect())
    }

    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == LEN && s.bytes().all(|b| ALPHABET.contains(&b))).then(|| PublicId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PublicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::PublicId;

    #[test]
    fn generated_ids_parse_and_differ() {
        let a = PublicId::generate();
        assert_eq!(PublicId::parse(a.as_str()), Some(a.clone()));
        assert_ne!(a, PublicId::generate());
    }

    #[test]
    fn malformed_ids_are_refused() {
        for bad in ["", "abc", "ABCDEFGHJK", "0000000000", "abcdefghjk1", "abcdefgh-k", "１２３４５６７８９a"]
        {
            assert_eq!(PublicId::parse(bad), None, "{bad:?}");
        }
    }
}
