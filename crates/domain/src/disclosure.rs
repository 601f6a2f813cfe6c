//! What a careful editor checks before publishing a job ad, including the disclosures a
//! Japanese job ad must carry (業務内容, 契約期間, 試用期間, 就業場所, 就業時間・休日, 賃金,
//! 社会保険, 受動喫煙対策). The review page lists the warnings; none of them blocks approval.

use crate::{EmploymentType, RemoteMode};
use chrono::NaiveDateTime;

/// The parts of a posting, and of its employer's contact details, that the check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostingFields<'a> {
    pub employment_type: EmploymentType,
    pub remote: RemoteMode,
    /// Whether a wage is given (a unit and at least one amount).
    pub has_salary: bool,
    pub description: &'a str,
    pub requirements: Option<&'a str>,
    pub hours: Option<&'a str>,
    pub holidays: Option<&'a str>,
    pub insurance: Option<&'a str>,
    pub trial_period: Option<&'a str>,
    pub smoking: Option<&'a str>,
    pub address: Option<&'a str>,
    pub how_to_apply: &'a str,
    /// The instant the posting stops being shown.
    pub valid_through: NaiveDateTime,
    pub employer_phone: Option<&'a str>,
    pub employer_website: Option<&'a str>,
}

/// Every code [`warnings`] may return.
pub const CODES: [&str; 11] = [
    "employment_type",
    "salary",
    "address",
    "ended",
    "contact",
    "description",
    "contract_term",
    "trial_period",
    "hours",
    "insurance",
    "smoking",
];

/// The warnings for a posting as it stands at `now`, as codes (the page words them from the
/// locales, `review.warning.<code>`), in the order the page shows them.
pub fn warnings(p: &PostingFields<'_>, now: NaiveDateTime) -> Vec<&'static str> {
    use EmploymentType as T;
    let mut w = Vec::new();
    // A form tool's answer that names no known type is read as "other" (and kept in the
    // description): the editor should look before the ad says so.
    if p.employment_type == T::Other {
        w.push("employment_type");
    }
    let text = format!("{} {} {}", p.description, p.requirements.unwrap_or(""), p.hours.unwrap_or(""));
    if !p.has_salary && !matches!(p.employment_type, T::Volunteer) {
        w.push("salary");
    }
    if p.address.is_none() && p.remote == RemoteMode::Onsite {
        w.push("address");
    }
    if p.valid_through <= now {
        w.push("ended");
    }
    if p.employer_phone.is_none()
        && p.employer_website.is_none()
        && !p.how_to_apply.contains('@')
        && !p.how_to_apply.chars().any(|c| c.is_ascii_digit())
    {
        w.push("contact");
    }
    if p.description.chars().count() < 30 {
        w.push("description");
    }
    let fixed_term = !matches!(p.employment_type, T::FullTime | T::Volunteer | T::Outsourcing);
    if fixed_term && !["契約期間", "期間の定め", "更新"].iter().any(|k| text.contains(k)) {
        w.push("contract_term");
    }
    if p.trial_period.is_none() && matches!(p.employment_type, T::FullTime | T::Contract | T::PartTime) {
        w.push("trial_period");
    }
    if p.hours.is_none() || p.holidays.is_none() {
        w.push("hours");
    }
    if p.insurance.is_none() && matches!(p.employment_type, T::FullTime | T::Contract | T::PartTime) {
        w.push("insurance");
    }
    if p.smoking.is_none() {
        w.push("smoking");
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use EmploymentType as T;

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day).and_then(|d| d.and_hms_opt(3, 0, 0)).unwrap()
    }

    /// A full-time ad that says everything it must.
    fn complete() -> PostingFields<'static> {
        PostingFields {
            employment_type: T::FullTime,
            remote: RemoteMode::Onsite,
            has_salary: true,
            description: "定置網漁の乗組員として、朝の漁と網の手入れ、魚の選別と出荷の準備をお願いします。",
            requirements: None,
            hours: Some("4:00〜12:00"),
            holidays: Some("日曜・祝日"),
            insurance: Some("健康保険・厚生年金・雇用保険・労災保険"),
            trial_period: Some("3か月（条件は同じ）"),
            smoking: Some("屋内禁煙"),
            address: Some("富山県氷見市比美町1-1"),
            how_to_apply: "電話でご連絡ください",
            valid_through: at(31),
            employer_phone: Some("0766-00-1234"),
            employer_website: None,
        }
    }

    #[test]
    fn a_complete_ad_has_no_warnings() {
        assert_eq!(warnings(&complete(), at(1)), Vec::<&str>::new());
    }

    #[test]
    fn an_empty_ad_gets_every_warning_in_order() {
        let empty = PostingFields {
            employment_type: T::Contract,
            has_salary: false,
            description: "漁師募集",
            hours: None,
            holidays: None,
            insurance: None,
            trial_period: None,
            smoking: None,
            address: None,
            how_to_apply: "お気軽にどうぞ",
            employer_phone: None,
            ..complete()
        };
        assert_eq!(
            warnings(&empty, at(31)),
            [
                "salary",
                "address",
                "ended",
                "contact",
                "description",
                "contract_term",
                "trial_period",
                "hours",
                "insurance",
                "smoking",
            ]
        );
    }

    #[test]
    fn what_each_employment_type_must_say() {
        // Volunteers need no wage; remote work needs no address.
        let volunteer = PostingFields { employment_type: T::Volunteer, has_salary: false, ..complete() };
        assert!(warnings(&volunteer, at(1)).is_empty());
        let remote = PostingFields { remote: RemoteMode::Remote, address: None, ..complete() };
        assert!(warnings(&remote, at(1)).is_empty());
        // A fixed-term job says how long, in the description, the requirements or the hours.
        let contract = PostingFields { employment_type: T::Contract, ..complete() };
        assert_eq!(warnings(&contract, at(1)), ["contract_term"]);
        let said = PostingFields { requirements: Some("契約期間は1年（更新あり）"), ..contract };
        assert!(warnings(&said, at(1)).is_empty());
        // Trial period and insurance are asked of employees only.
        let freelance =
            PostingFields { employment_type: T::Outsourcing, trial_period: None, insurance: None, ..complete() };
        assert!(warnings(&freelance, at(1)).is_empty());
    }

    #[test]
    fn a_contact_may_be_the_employers_or_in_how_to_apply() {
        let none = PostingFields { employer_phone: None, how_to_apply: "お気軽にどうぞ", ..complete() };
        assert_eq!(warnings(&none, at(1)), ["contact"]);
        for ok in [
            PostingFields { employer_website: Some("https://sakana.example"), ..none },
            PostingFields { how_to_apply: "jobs@sakana.example まで", ..none },
            PostingFields { how_to_apply: "0766-00-1234 へお電話を", ..none },
        ] {
            assert!(warnings(&ok, at(1)).is_empty());
        }
    }

    #[test]
    fn an_ad_ends_at_its_instant() {
        assert!(warnings(&complete(), at(31) - chrono::Duration::seconds(1)).is_empty());
        assert_eq!(warnings(&complete(), at(31)), ["ended"]);
    }
}
