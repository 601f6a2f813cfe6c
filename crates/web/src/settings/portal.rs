//! The portal's configured lists (`[portal]` in the settings): job categories and the town's
//! districts, each a stable code with Japanese and English labels, and the open-data licence.
//! Each town edits these lists in its own configuration.

/// One configured choice: `code` lives in URLs; `ja` and `en` are what people read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Choice {
    pub code: String,
    pub ja: String,
    pub en: String,
    /// Other words form answers use for this choice (「飲食」 for `food`); matched like the
    /// labels, after NFKC and case folding.
    #[serde(default, skip_serializing)]
    pub synonyms: Vec<String>,
}

impl Choice {
    pub fn label(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.en
        } else {
            &self.ja
        }
    }

    /// True when a posting's stored value means this choice (its code or its Japanese label).
    pub fn matches(&self, stored: &str) -> bool {
        stored == self.code || stored == self.ja
    }
}

/// One `<option>` of a category or district select.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChoiceOption {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

/// The configured choices as options, `value` (a code, label or stored value) selected. A
/// value naming no choice is offered as it is, selected, so saving a form never drops it.
fn options(
    list: &[Choice],
    lookup: &yui_ingest::values::Choices,
    stored: impl Fn(&Choice) -> &str,
    value: &str,
    lang: &str,
) -> Vec<ChoiceOption> {
    let settled = lookup.find(value);
    let mut out: Vec<ChoiceOption> = list
        .iter()
        .map(|c| ChoiceOption {
            code: c.code.clone(),
            label: c.label(lang).to_owned(),
            selected: settled == Some(stored(c)),
        })
        .collect();
    if settled.is_none() && !value.trim().is_empty() {
        out.push(ChoiceOption { code: value.to_owned(), label: value.to_owned(), selected: true });
    }
    out
}

#[derive(Debug, serde::Deserialize)]
pub struct RawPortal {
    #[serde(default)]
    categories: Vec<Choice>,
    #[serde(default)]
    areas: Vec<Choice>,
    data_license_name: String,
    data_license_url: String,
}

/// Parsed `[portal]` settings.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    /// Matched against `postings.category` by code.
    pub categories: Vec<Choice>,
    /// Matched against `postings.area` by the Japanese name (how postings store the district).
    pub areas: Vec<Choice>,
    pub data_license_name: String,
    pub data_license_url: String,
    /// `site.region` ("富山県氷見市") and its English name ("Himi, Toyama"), when one is set.
    pub region_en: Option<(String, String)>,
    /// Typed category values (code, either label, synonyms) to the code postings store.
    category_lookup: yui_ingest::values::Choices,
    /// Typed district values to the Japanese name postings store.
    area_lookup: yui_ingest::values::Choices,
}

/// Every name of every choice, to the value a posting stores for it.
fn lookup(
    key: &'static str,
    list: &[Choice],
    stored: impl Fn(&Choice) -> &str,
) -> Result<yui_ingest::values::Choices, (&'static str, String)> {
    let mut choices = yui_ingest::values::Choices::default();
    // Codes and labels first, so a synonym that repeats one of them is named as the culprit.
    for c in list {
        choices
            .add(stored(c), &[c.code.as_str(), c.ja.as_str(), c.en.as_str()])
            .map_err(|name| (key, format!("{name:?} names two choices")))?;
    }
    for c in list {
        choices.add(stored(c), &c.synonyms).map_err(|name| (key, format!("synonym {name:?} names two choices")))?;
    }
    Ok(choices)
}

fn check_list(key: &'static str, list: &[Choice]) -> Result<(), (&'static str, String)> {
    let mut seen = std::collections::HashSet::new();
    for c in list {
        let code_ok = !c.code.is_empty()
            && c.code.len() <= 40
            && c.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !code_ok {
            return Err((key, format!("code {:?} must be 1-40 characters of a-z, 0-9, _ and -", c.code)));
        }
        if c.ja.trim().is_empty() || c.en.trim().is_empty() {
            return Err((key, format!("{:?} needs both ja and en labels", c.code)));
        }
        if !seen.insert(c.code.as_str()) {
            return Err((key, format!("code {:?} appears twice", c.code)));
        }
    }
    Ok(())
}

impl PortalSettings {
    /// Checks the lists; an error names the key, for `SettingsError::Invalid`.
    pub fn parse(raw: RawPortal) -> Result<Self, (&'static str, String)> {
        check_list("portal.categories", &raw.categories)?;
        check_list("portal.areas", &raw.areas)?;
        if raw.data_license_name.trim().is_empty() {
            return Err(("portal.data_license_name", "is empty".into()));
        }
        if !raw.data_license_url.starts_with("https://") && !raw.data_license_url.starts_with("http://") {
            return Err(("portal.data_license_url", "must start with http:// or https://".into()));
        }
        let category_lookup = lookup("portal.categories", &raw.categories, |c| &c.code)?;
        let area_lookup = lookup("portal.areas", &raw.areas, |c| &c.ja)?;
        Ok(PortalSettings {
            category_lookup,
            area_lookup,
            categories: raw.categories,
            areas: raw.areas,
            data_license_name: raw.data_license_name,
            data_license_url: raw.data_license_url,
            region_en: None,
        })
    }

    pub fn category(&self, code: &str) -> Option<&Choice> {
        self.categories.iter().find(|c| c.code == code)
    }

    pub fn area(&self, code: &str) -> Option<&Choice> {
        self.areas.iter().find(|c| c.code == code)
    }

    /// The configured district a posting's stored area stands for, if any.
    pub fn area_of(&self, stored: &str) -> Option<&Choice> {
        self.areas.iter().find(|c| c.matches(stored))
    }

    /// The configured category a posting's stored value stands for, if any.
    pub fn category_of(&self, stored: &str) -> Option<&Choice> {
        self.categories.iter().find(|c| c.matches(stored))
    }

    /// What a reader sees for a stored category: its label, or the text as typed when it
    /// names no configured category (editors are warned about those).
    pub fn category_label(&self, stored: &str, lang: &str) -> String {
        self.category_of(stored).map_or_else(|| stored.to_owned(), |c| c.label(lang).to_owned())
    }

    /// The category select's options, `value` selected.
    pub fn category_options(&self, value: &str, lang: &str) -> Vec<ChoiceOption> {
        options(&self.categories, &self.category_lookup, |c| &c.code, value, lang)
    }

    /// The district select's options, `value` selected.
    pub fn area_options(&self, value: &str, lang: &str) -> Vec<ChoiceOption> {
        options(&self.areas, &self.area_lookup, |c| &c.ja, value, lang)
    }

    /// What a reader sees for a stored district.
    pub fn area_label(&self, stored: &str, lang: &str) -> String {
        self.area_of(stored).map_or_else(|| stored.to_owned(), |c| c.label(lang).to_owned())
    }

    /// Puts the configured value in place of whatever names a category or district (code,
    /// Japanese or English label, synonym): the code for a category, the name for a district,
    /// as the filters match them. A value that names none is kept as typed, never guessed
    /// into a code: the review page warns about it and offers the choices.
    pub fn settle(&self, draft: &mut yui_domain::PostingDraft) {
        draft.category = self.settled_category(draft.category.as_deref());
        draft.area = self.settled_area(draft.area.as_deref());
    }

    /// The value to store for a category as typed (see [`PortalSettings::settle`]).
    pub fn settled_category(&self, typed: Option<&str>) -> Option<String> {
        typed.map(|v| self.category_lookup.find(v).unwrap_or(v).to_owned())
    }

    /// The value to store for a district as typed (see [`PortalSettings::settle`]).
    pub fn settled_area(&self, typed: Option<&str>) -> Option<String> {
        typed.map(|v| self.area_lookup.find(v).unwrap_or(v).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(categories: Vec<Choice>) -> RawPortal {
        RawPortal {
            categories,
            areas: vec![],
            data_license_name: "CC BY 4.0".into(),
            data_license_url: "https://creativecommons.org/licenses/by/4.0/".into(),
        }
    }

    fn c(code: &str) -> Choice {
        // Labels follow the code, so several choices never share a name by accident.
        let (ja, en) = if code == "care" {
            ("介護".into(), "Care".into())
        } else {
            (format!("{code}の仕事"), format!("{code} work"))
        };
        Choice { code: code.into(), ja, en, synonyms: vec![] }
    }

    #[test]
    fn bad_codes_and_duplicates_are_refused() {
        assert!(PortalSettings::parse(raw(vec![c("care"), c("it")])).is_ok());
        assert!(PortalSettings::parse(raw(vec![c("Care")])).is_err());
        assert!(PortalSettings::parse(raw(vec![c("")])).is_err());
        assert_eq!(PortalSettings::parse(raw(vec![c("it"), c("it")])).unwrap_err().0, "portal.categories");
    }

    #[test]
    fn stored_values_match_by_code_or_japanese_label() {
        let p = PortalSettings::parse(raw(vec![c("care")])).unwrap();
        assert_eq!(p.category_of("care").unwrap().code, "care");
        assert_eq!(p.category_of("介護").unwrap().code, "care");
        assert!(p.category_of("kaigo").is_none());
        assert_eq!(p.category("care").unwrap().label("en"), "Care");
    }

    #[test]
    fn a_synonym_naming_two_choices_is_refused() {
        let mut it = c("it");
        it.ja = "IT".into();
        it.en = "IT & web".into();
        it.synonyms = vec!["介護".into()];
        let err = PortalSettings::parse(raw(vec![c("care"), it])).unwrap_err();
        assert_eq!(err.0, "portal.categories");
        assert!(err.1.contains("介護"), "{}", err.1);
    }
}
