//! The member organisations that run the site: their fixed short id (the slug, which
//! `yui admin create --org` and scripts name) and what `/about` says about them. The same
//! rules for `yui org` on the command line and `/admin/organizations` in the browser.

use crate::{coded_enum, FieldError, Message};

coded_enum! {
    /// What kind of body an organisation is: `/about` groups and labels them by it.
    OrgKind, "organisation kind" {
        CityHall => "city_hall", "自治体", "Local government";
        Npo => "npo", "NPO", "Non-profit";
        Editorial => "editorial", "編集部", "Editorial team";
        Business => "business", "事業者団体", "Business association";
        Other => "other", "その他", "Other";
    }
}

/// An organisation's short id: 1 to 40 ASCII letters, digits, `-` and `_` (`himi-city`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct OrgSlug(String);

pub const ORG_SLUG_MAX: usize = 40;
pub const ORG_NAME_MAX: usize = 100;
pub const ORG_DESCRIPTION_MAX: usize = 500;
pub const ORG_CONTACT_MAX: usize = 200;

impl OrgSlug {
    pub fn parse(s: &str) -> Result<OrgSlug, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Message::new("field.org.slug.required"));
        }
        if s.len() > ORG_SLUG_MAX || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(Message::new("field.org.slug.invalid").with("max", ORG_SLUG_MAX));
        }
        Ok(OrgSlug(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OrgSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The organisation form as typed (and as the command line's flags give it).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OrganizationForm {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub kind: String,
    pub description: String,
    pub contact: String,
}

/// What `/about` says about an organisation, checked: optional texts are `None` when empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationDetails {
    pub name: String,
    pub name_en: Option<String>,
    pub kind: OrgKind,
    pub description: Option<String>,
    pub contact: Option<String>,
}

/// One line of text, at most `max` characters: `None` for an empty optional one.
fn line(field: &'static str, value: &str, max: usize, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.push(FieldError::new(field, Message::new("field.org.required")));
        }
        return None;
    }
    if value.chars().any(char::is_control) {
        errors.push(FieldError::new(field, Message::new("field.org.one_line")));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, Message::new("field.org.too_long").with("max", max)));
    }
    Some(value.to_owned())
}

impl OrganizationDetails {
    /// Checks everything but the slug; every problem is reported at once.
    pub fn parse(form: &OrganizationForm) -> Result<OrganizationDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = line("name", &form.name, ORG_NAME_MAX, true, &mut errors);
        let name_en = line("name_en", &form.name_en, ORG_NAME_MAX, false, &mut errors);
        let kind = form.kind.trim().parse::<OrgKind>();
        if kind.is_err() {
            errors.push(FieldError::new("kind", Message::new("field.org.kind.choose")));
        }
        let description = line("description", &form.description, ORG_DESCRIPTION_MAX, false, &mut errors);
        let contact = line("contact", &form.contact, ORG_CONTACT_MAX, false, &mut errors);
        match (name, kind) {
            (Some(name), Ok(kind)) if errors.is_empty() => {
                Ok(OrganizationDetails { name, name_en, kind, description, contact })
            }
            _ => Err(errors),
        }
    }
}

/// A new organisation: its slug and its details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganizationDraft {
    pub slug: OrgSlug,
    pub details: OrganizationDetails,
}

impl NewOrganizationDraft {
    pub fn parse(form: &OrganizationForm) -> Result<NewOrganizationDraft, Vec<FieldError>> {
        let slug = OrgSlug::parse(&form.slug);
        match (slug, OrganizationDetails::parse(form)) {
            (Ok(slug), Ok(details)) => Ok(NewOrganizationDraft { slug, details }),
            (slug, details) => {
                let mut errors: Vec<FieldError> = slug.err().map(|m| FieldError::new("slug", m)).into_iter().collect();
                errors.extend(details.err().unwrap_or_default());
                Err(errors)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn form() -> OrganizationForm {
        OrganizationForm {
            slug: " himi-city ".into(),
            name: "氷見市役所".into(),
            name_en: "".into(),
            kind: "city_hall".into(),
            description: "商工観光課が窓口です".into(),
            contact: " ".into(),
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(OrgSlug::parse(" himi_city-2 ").unwrap().as_str(), "himi_city-2");
        assert_eq!(OrgSlug::parse("").unwrap_err().key(), "field.org.slug.required");
        for bad in ["氷見", "a b", "a/b", &"x".repeat(41)] {
            assert_eq!(OrgSlug::parse(bad).unwrap_err().key(), "field.org.slug.invalid", "{bad}");
        }
    }

    #[test]
    fn a_complete_form_parses_with_empty_optionals_as_none() {
        let draft = NewOrganizationDraft::parse(&form()).unwrap();
        assert_eq!(draft.slug.as_str(), "himi-city");
        assert_eq!(draft.details.kind, OrgKind::CityHall);
        assert_eq!((draft.details.name_en, draft.details.contact), (None, None));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = OrganizationForm {
            slug: "氷見".into(),
            name: " ".into(),
            kind: "club".into(),
            description: "x".repeat(501),
            contact: "a\nb".into(),
            ..form()
        };
        let errors = NewOrganizationDraft::parse(&bad).unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.message.key())).collect();
        assert_eq!(
            got,
            [
                ("slug", "field.org.slug.invalid"),
                ("name", "field.org.required"),
                ("kind", "field.org.kind.choose"),
                ("description", "field.org.too_long"),
                ("contact", "field.org.one_line"),
            ]
        );
    }
}
