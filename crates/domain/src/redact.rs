//! What may be written to a log: text from a database, a mail server or a request can quote what
//! someone typed or a key Yui sent them. [`masked`] hides the words that look like either.

/// Replaces every word that holds a mail address or something shaped like a key with `…`.
pub fn masked(text: &str) -> String {
    let boundary = |c: char| c.is_whitespace() || "\"'`<>()[]{},;=/?&".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if looks_private(word) {
            out.push('…');
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if boundary(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn looks_private(word: &str) -> bool {
    let address = word.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    address || word.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).any(looks_like_key)
}

/// 32 or more characters of a random key: base64url (mixed case and digits) or hex. A long slug
/// (`summer-festival-2026-at-the-port`) is neither.
fn looks_like_key(run: &str) -> bool {
    let has = |f: fn(&char) -> bool| run.chars().any(|c| f(&c));
    run.len() >= 32
        && (run.chars().all(|c| c.is_ascii_hexdigit())
            || (has(char::is_ascii_uppercase) && has(char::is_ascii_lowercase) && has(char::is_ascii_digit)))
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn addresses_and_keys_are_hidden_and_the_rest_kept() {
        assert_eq!(
            masked("550 5.1.1 <hanako@mail.example>: Recipient address rejected"),
            "550 5.1.1 <…>: Recipient address rejected"
        );
        assert_eq!(masked("token s18HN3GAmsG9NRMA2STulZD9UBdz1hTJBExXThf2urQ expired"), "token … expired");
        assert_eq!(masked("hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), "hash …");
        assert_eq!(
            masked("/features/summer-festival-2026-at-the-fishing-port"),
            "/features/summer-festival-2026-at-the-fishing-port"
        );
        assert_eq!(masked("no such table: postings"), "no such table: postings");
    }
}
