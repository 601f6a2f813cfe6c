//! An owner's request for a succession listing (`/succession/request`): what the business is,
//! why and what the owner would hand over, how to reach them, and which coordinating
//! organisation should talk to them. Everything here stays private to the coordinators.

use super::{count, email, keep, one_line, phone, text};
use crate::{coded_enum, parse_sender_name, EmailAddress, FieldError, Message};

coded_enum! {
    /// How many people work in the business: a band, enough for a first conversation.
    StaffBand, "staff band" {
        OwnerOnly => "owner_only", "本人・家族のみ", "The owner or family only";
        Few => "2_4", "2〜4人", "2–4 people";
        Several => "5_9", "5〜9人", "5–9 people";
        Many => "10_plus", "10人以上", "10 or more";
    }
}

coded_enum! {
    /// Where the coordinator is with a request.
    RequestStatus, "succession request status" {
        New => "new", "新規", "New";
        InConversation => "in_conversation", "相談中", "In conversation";
        Listed => "listed", "掲載済み", "Listed";
        Declined => "declined", "見送り", "Declined";
    }
}

impl RequestStatus {
    /// Listed and declined requests are closed: their personal data is deleted on schedule.
    pub fn is_closed(self) -> bool {
        matches!(self, RequestStatus::Listed | RequestStatus::Declined)
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct RequestForm {
    pub business_name: String,
    pub industry: String,
    pub area: String,
    pub years_in_business: String,
    pub staff_band: String,
    pub reason: String,
    pub handover: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// An organisation's slug, or [`LET_YUI_CHOOSE`].
    pub organization: String,
    pub consent: String,
}

/// The organisation choice that leaves it to the operators.
pub const LET_YUI_CHOOSE: &str = "auto";

const NAME_MAX: usize = 100;
const TEXT_MAX: usize = 2000;

/// A request, checked.
#[derive(Debug, Clone)]
pub struct OwnerRequest {
    pub business_name: String,
    /// A configured category's code.
    pub industry: String,
    /// A configured district (its Japanese name).
    pub area: String,
    pub years_in_business: Option<i32>,
    pub staff_band: StaffBand,
    pub reason: String,
    pub handover: String,
    pub contact_name: String,
    pub contact_email: EmailAddress,
    pub contact_phone: Option<String>,
    /// `None`: let Yui choose.
    pub organization_id: Option<i32>,
}

impl OwnerRequest {
    /// `industries` and `areas` are the configured values; `orgs` the organisations (id, slug).
    pub fn parse(
        f: &RequestForm,
        industries: &[&str],
        areas: &[&str],
        orgs: &[(i32, &str)],
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let choose = |field: &'static str| FieldError::new(field, Message::new("field.succession_request.choose"));
        let business_name = keep(
            &mut errors,
            one_line("business_name", "field.succession_request.label.business_name", &f.business_name, NAME_MAX, true),
        );
        let industry = industries.iter().find(|c| **c == f.industry.trim()).map(|c| (*c).to_owned());
        if industry.is_none() {
            errors.push(choose("industry"));
        }
        let area = areas.iter().find(|a| **a == f.area.trim()).map(|a| (*a).to_owned());
        if area.is_none() {
            errors.push(choose("area"));
        }
        let years = keep(
            &mut errors,
            count("years_in_business", "field.succession.label.years_in_business", &f.years_in_business),
        );
        let staff_band = f.staff_band.trim().parse::<StaffBand>().ok();
        if staff_band.is_none() {
            errors.push(choose("staff_band"));
        }
        let reason = keep(&mut errors, text("reason", "field.succession.label.reason", &f.reason, TEXT_MAX, true));
        let handover =
            keep(&mut errors, text("handover", "field.succession_request.label.handover", &f.handover, TEXT_MAX, true));
        let contact_name = parse_sender_name(&f.contact_name)
            .map_err(|message| errors.push(FieldError { field: "contact_name", message }))
            .ok();
        let contact_email = keep(&mut errors, email("contact_email", &f.contact_email));
        let contact_phone = keep(&mut errors, phone("contact_phone", &f.contact_phone));
        let organization_id = match f.organization.trim() {
            LET_YUI_CHOOSE => Some(None),
            slug => orgs.iter().find(|(_, s)| *s == slug).map(|(id, _)| Some(*id)),
        };
        if organization_id.is_none() {
            errors.push(choose("organization"));
        }
        if f.consent.trim().is_empty() {
            errors.push(FieldError::new("consent", Message::new("field.succession.consent.required")));
        }
        match (
            business_name,
            industry,
            area,
            years,
            staff_band,
            reason,
            handover,
            contact_name,
            contact_email,
            contact_phone,
            organization_id,
        ) {
            (
                Some(business_name),
                Some(industry),
                Some(area),
                Some(years_in_business),
                Some(staff_band),
                Some(reason),
                Some(handover),
                Some(contact_name),
                Some(contact_email),
                Some(contact_phone),
                Some(organization_id),
            ) if errors.is_empty() => Ok(OwnerRequest {
                business_name,
                industry,
                area,
                years_in_business,
                staff_band,
                reason,
                handover,
                contact_name,
                contact_email,
                contact_phone,
                organization_id,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn form() -> RequestForm {
        RequestForm {
            business_name: "氷見の鮮魚店".into(),
            industry: "retail".into(),
            area: "比美町".into(),
            years_in_business: "６２".into(),
            staff_band: "2_4".into(),
            reason: "体力的に店を続けるのが難しくなりました。".into(),
            handover: "店舗、屋号、常連のお客さま".into(),
            contact_name: "氷見 太郎".into(),
            contact_email: "owner@sakana.example".into(),
            organization: "auto".into(),
            consent: "yes".into(),
            ..RequestForm::default()
        }
    }

    const ORGS: [(i32, &str); 1] = [(7, "chamber")];

    #[test]
    fn a_good_request_parses_and_auto_means_no_organisation() {
        let r = OwnerRequest::parse(&form(), &["retail"], &["比美町"], &ORGS).unwrap();
        assert_eq!((r.years_in_business, r.organization_id, r.staff_band), (Some(62), None, StaffBand::Few));
        let chosen = RequestForm { organization: "chamber".into(), ..form() };
        assert_eq!(OwnerRequest::parse(&chosen, &["retail"], &["比美町"], &ORGS).unwrap().organization_id, Some(7));
    }

    #[test]
    fn values_outside_the_configured_lists_are_refused_field_by_field() {
        let bad = RequestForm {
            industry: "mining".into(),
            area: "東京都".into(),
            staff_band: "1000".into(),
            organization: "nobody".into(),
            consent: "".into(),
            contact_email: "not-an-address".into(),
            ..form()
        };
        let errors = OwnerRequest::parse(&bad, &["retail"], &["比美町"], &ORGS).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["industry", "area", "staff_band", "contact_email", "organization", "consent"]);
    }
}
