//! The portal's configured lists (`[portal]` in the settings): job categories and the town's
//! districts, each a stable code with Japanese and English labels, and the open-data licence.
//! Each town edits these lists in its own configuration.

/// One configured choice: `code` lives in URLs; `ja` and `en` are what people read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Choice {
    pub code: String,
    pub ja: String,
    pub en: String,
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
        Ok(PortalSettings {
            categories: raw.categories,
            areas: raw.areas,
            data_license_name: raw.data_license_name,
            data_license_url: raw.data_license_url,
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
        Choice { code: code.into(), ja: "介護".into(), en: "Care".into() }
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
}
