//! The house's walls, checked: a test fails when a module reaches across one.

use std::path::{Path, PathBuf};

/// Every source file under `dir`, with its path relative to `dir` and its code without comments
/// (a doc comment may name a route or a key).
fn sources_in(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("source is readable");
            let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
            (p.strip_prefix(dir).expect("under dir").to_string_lossy().into_owned(), code.join("\n"))
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file of this crate, relative to `src/`.
fn sources() -> Vec<(String, String)> {
    sources_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// Routes sit on top: state, errors, helpers, background jobs and extractors never import a
/// route, so a route can change without moving anything below it. Only startup registers them.
#[test]
fn nothing_below_the_routes_imports_a_route() {
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|(name, _)| !name.starts_with("routes/") && name != "startup.rs" && name != "house_rules.rs")
        .filter(|(_, code)| code.contains("routes::"))
        .map(|(name, _)| name)
        .collect();
    assert!(offenders.is_empty(), "these modules import from routes/: {offenders:?}");
}

/// Words live in the locales: only the i18n module looks at which language a reader has.
#[test]
fn nothing_outside_i18n_picks_words_by_language() {
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|(name, _)| name != "i18n.rs" && name != "house_rules.rs")
        .filter(|(_, code)| code.contains(".is_en()") || code.contains("Lang::En =>") || code.contains("Lang::Ja =>"))
        .map(|(name, _)| name)
        .collect();
    assert!(offenders.is_empty(), "these modules choose words by language: {offenders:?}");
}

/// Every message the code names with `lang.t("…")` or `lang.tf("…", …)` exists in both
/// languages (the locales' own test checks that both have the same keys).
#[test]
fn every_message_the_code_names_exists() {
    let mut missing = Vec::new();
    for (name, code) in sources() {
        for call in [".t(\"", ".tf(\""] {
            for (at, _) in code.match_indices(call) {
                let rest = &code[at + call.len()..];
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                for lang in [crate::i18n::Lang::Ja, crate::i18n::Lang::En] {
                    if lang.lookup(key).is_none() {
                        missing.push(format!("{name}: {key} ({})", lang.code()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "messages missing from the locales: {missing:?}");
}

/// The review page words each disclosure warning from the locales.
#[test]
fn every_disclosure_warning_has_words() {
    for code in yui_domain::disclosure::CODES {
        for lang in [crate::i18n::Lang::Ja, crate::i18n::Lang::En] {
            assert!(
                lang.lookup(&format!("review.warning.{code}")).is_some(),
                "review.warning.{code} ({})",
                lang.code()
            );
        }
    }
}

/// Each missing legal item is named to the employer next to its field and to the editor with
/// its rule, in both languages.
#[test]
fn every_legal_gap_has_words() {
    use yui_domain::disclosure::{Gap, Rule};
    for lang in [crate::i18n::Lang::Ja, crate::i18n::Lang::En] {
        for gap in Gap::ALL {
            assert!(lang.lookup(gap.message().key()).is_some(), "{} ({})", gap.message().key(), lang.code());
            let review = format!("review.gap.{}", gap.code());
            assert!(lang.lookup(&review).is_some(), "{review} ({})", lang.code());
        }
        for rule in Rule::ALL {
            let key = format!("review.rule.{}", rule.code());
            assert!(lang.lookup(&key).is_some(), "{key} ({})", lang.code());
        }
    }
}

/// Every field message the domain, the ingest mapping and this crate name (`Message::new("…")`,
/// and in the domain and ingest crates any `"field.…"` literal, such as a field's label) exists in
/// both languages.
#[test]
fn every_field_message_the_code_names_exists() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut named = Vec::new();
    for (dir, pattern) in [("domain/src", "\"field."), ("ingest/src", "\"field."), ("web/src", "Message::new(\"")] {
        for (name, code) in sources_in(&crates.join(dir)) {
            for (at, _) in code.match_indices(pattern) {
                let start = at + pattern.find('"').expect("a quote") + 1;
                let rest = &code[start..];
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                // A literal that only starts like a key (a test's expected display) is not one,
                // nor is a prefix that a macro completes (`every_legal_gap_has_words`).
                if key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                    && !key.ends_with('.')
                {
                    named.push((format!("{dir}/{name}"), key.to_owned()));
                }
            }
        }
    }
    assert!(named.len() > 50, "the keys were not found: {named:?}");
    let mut missing = Vec::new();
    for (name, key) in &named {
        assert!(key.starts_with("field."), "{name}: {key:?} does not start with field.");
        for lang in [crate::i18n::Lang::Ja, crate::i18n::Lang::En] {
            if lang.lookup(key).is_none() {
                missing.push(format!("{name}: {key} ({})", lang.code()));
            }
        }
    }
    assert!(missing.is_empty(), "field messages missing from the locales: {missing:?}");
}
