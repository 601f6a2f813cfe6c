//! The takeover pool (`/succession/pool`): a person who would take a business over says what
//! they look for (industries, districts, funds, when they could start). Only coordinators read
//! an entry; [`PoolEntry::wants`] is the one rule that says whether it fits a listing.

use super::{email, keep, phone, text};
use crate::{coded_enum, parse_sender_name, EmailAddress, FieldError, Message};

pub use super::request::LET_YUI_CHOOSE;

coded_enum! {
    /// What the person could put in: a band, enough for a first conversation.
    FundsBand, "funds band" {
        UpTo5m => "up_to_5m", "〜500万円", "Up to ¥5 million";
        From5mTo10m => "5m_10m", "500万〜1000万円", "¥5–10 million";
        From10mTo30m => "10m_30m", "1000万〜3000万円", "¥10–30 million";
        Over30m => "30m_plus", "3000万円〜", "Over ¥30 million";
        ToDiscuss => "discuss", "相談して決めたい", "To discuss";
    }
}

coded_enum! {
    /// When the person could start.
    StartBand, "start band" {
        Now => "now", "すぐにでも", "Right away";
        HalfYear => "half_year", "半年以内", "Within six months";
        Year => "year", "1年以内", "Within a year";
        Later => "later", "1年より先", "Later than a year";
    }
}

coded_enum! {
    /// Where the coordinator is with an entry.
    PoolStatus, "pool entry status" {
        New => "new", "新規", "New";
        Contacted => "contacted", "連絡済み", "Contacted";
        Introduced => "introduced", "紹介済み", "Introduced";
        Closed => "closed", "終了", "Closed";
    }
}

/// The area choice that means any district will do.
pub const ANYWHERE: &str = "anywhere";

/// The form as typed; `industries` and `areas` hold every ticked box.
#[derive(Debug, Clone, Default)]
pub struct PoolForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub industries: Vec<String>,
    pub areas: Vec<String>,
    pub funds_band: String,
    pub experience: String,
    pub start_band: String,
    /// An organisation's slug, or [`LET_YUI_CHOOSE`].
    pub organization: String,
    pub consent: String,
}

const EXPERIENCE_MAX: usize = 2000;

/// An entry, checked.
#[derive(Debug, Clone)]
pub struct PoolEntry {
    pub name: String,
    pub email: EmailAddress,
    pub phone: Option<String>,
    /// Configured category codes, at least one.
    pub industries: Vec<String>,
    /// Configured districts (Japanese names); empty when `anywhere`.
    pub areas: Vec<String>,
    pub anywhere: bool,
    pub funds_band: FundsBand,
    pub start_band: StartBand,
    pub experience: String,
    /// `None`: let Yui choose.
    pub organization_id: Option<i32>,
}

/// Whether someone who wants these industries and districts fits a listing's: the industry
/// must be one they want, and the district one they want unless any will do. A listing's
/// industry may be stored as a code or as a label: `industry` holds every spelling of it.
pub fn wants(industries: &[&str], areas: &[&str], anywhere: bool, industry: &[&str], area: &str) -> bool {
    industries.iter().any(|i| industry.contains(i)) && (anywhere || areas.contains(&area.trim()))
}

impl PoolEntry {
    /// `industries` and `areas` are the configured values; `orgs` the organisations (id, slug).
    pub fn parse(
        f: &PoolForm,
        industries: &[&str],
        areas: &[&str],
        orgs: &[(i32, &str)],
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let choose = |field: &'static str| FieldError::new(field, Message::new("field.succession_request.choose"));
        let name =
            parse_sender_name(&f.name).map_err(|message| errors.push(FieldError { field: "name", message })).ok();
        let mail = keep(&mut errors, email("email", &f.email));
        let tel = keep(&mut errors, phone("phone", &f.phone));
        let picked: Vec<String> =
            f.industries.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        let mut wanted: Vec<String> =
            industries.iter().filter(|c| picked.iter().any(|p| p == *c)).map(|c| (*c).to_owned()).collect();
        wanted.dedup();
        if wanted.is_empty() || wanted.len() != picked.len() {
            errors.push(FieldError::new("industries", Message::new("field.succession_pool.industries")));
        }
        let typed: Vec<&str> = f.areas.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        let anywhere = typed.contains(&ANYWHERE);
        let places: Vec<String> = areas.iter().filter(|a| typed.contains(a)).map(|a| (*a).to_owned()).collect();
        let known = typed.iter().all(|t| *t == ANYWHERE || areas.contains(t));
        if typed.is_empty() || !known {
            errors.push(FieldError::new("areas", Message::new("field.succession_pool.areas")));
        }
        let funds_band = f.funds_band.trim().parse::<FundsBand>().ok();
        if funds_band.is_none() {
            errors.push(choose("funds_band"));
        }
        let experience = keep(
            &mut errors,
            text("experience", "field.succession_pool.label.experience", &f.experience, EXPERIENCE_MAX, false),
        );
        let start_band = f.start_band.trim().parse::<StartBand>().ok();
        if start_band.is_none() {
            errors.push(choose("start_band"));
        }
        let organization_id = match f.organization.trim() {
            LET_YUI_CHOOSE | "" => Some(None),
            slug => orgs.iter().find(|(_, s)| *s == slug).map(|(id, _)| Some(*id)),
        };
        if organization_id.is_none() {
            errors.push(choose("organization"));
        }
        if f.consent.trim().is_empty() {
            errors.push(FieldError::new("consent", Message::new("field.succession.consent.required")));
        }
        match (name, mail, tel, funds_band, experience, start_band, organization_id) {
            (Some(name), Some(email), Some(phone), Some(funds_band), Some(experience), Some(start_band), Some(org))
                if errors.is_empty() =>
            {
                Ok(PoolEntry {
                    name,
                    email,
                    phone,
                    industries: wanted,
                    // "Anywhere" wins over districts ticked beside it.
                    areas: if anywhere { Vec::new() } else { places },
                    anywhere,
                    funds_band,
                    start_band,
                    experience,
                    organization_id: org,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn form() -> PoolForm {
        PoolForm {
            name: "継 一郎".into(),
            email: "tsugu@example.jp".into(),
            industries: vec!["retail".into(), "fishery".into()],
            areas: vec!["比美町".into()],
            funds_band: "5m_10m".into(),
            start_band: "half_year".into(),
            organization: "auto".into(),
            consent: "yes".into(),
            ..PoolForm::default()
        }
    }

    const INDUSTRIES: [&str; 3] = ["retail", "fishery", "food"];
    const AREAS: [&str; 2] = ["比美町", "灘浦地区"];

    #[test]
    fn a_good_entry_parses_and_anywhere_clears_the_districts() {
        let e = PoolEntry::parse(&form(), &INDUSTRIES, &AREAS, &[]).unwrap();
        assert_eq!((e.industries.len(), e.anywhere, e.organization_id), (2, false, None));
        let any = PoolForm { areas: vec!["比美町".into(), ANYWHERE.into()], ..form() };
        let e = PoolEntry::parse(&any, &INDUSTRIES, &AREAS, &[]).unwrap();
        assert!(e.anywhere && e.areas.is_empty());
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let bad = PoolForm {
            industries: vec!["mining".into()],
            areas: vec![],
            funds_band: "lots".into(),
            start_band: "".into(),
            organization: "nobody".into(),
            consent: "".into(),
            ..form()
        };
        let errors = PoolEntry::parse(&bad, &INDUSTRIES, &AREAS, &[(1, "chamber")]).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["industries", "areas", "funds_band", "start_band", "organization", "consent"]);
    }

    #[test]
    fn wants_needs_the_industry_and_the_district_unless_anywhere() {
        assert!(wants(&["retail"], &["比美町"], false, &["retail", "小売"], "比美町"));
        assert!(!wants(&["retail"], &["比美町"], false, &["retail"], "灘浦地区"));
        assert!(wants(&["retail"], &[], true, &["retail"], "灘浦地区"));
        assert!(!wants(&["food"], &[], true, &["retail"], "比美町"));
    }
}
