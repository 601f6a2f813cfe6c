//! What a careful editor checks before publishing a job ad. Two lists:
//!
//! - [`gaps`]: the working conditions the law requires a job ad to state (労働条件の明示,
//!   職業安定法第5条の3 and 同法施行規則第4条の2, as amended from April 2024), each named with
//!   its rule. A posting with a gap is approved only with an editor's written reason.
//! - [`warnings`]: what else looks wrong (an ended posting, no way to reach the employer, a
//!   one-line description). They never block approval.

use crate::{EmploymentType, RemoteMode, Salary, SalaryUnit, WorkingTerms};
use chrono::NaiveDateTime;

/// The parts of a posting, and of its employer's contact details, that the checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostingFields<'a> {
    pub employment_type: EmploymentType,
    pub remote: RemoteMode,
    pub salary: Option<Salary>,
    pub description: &'a str,
    pub hours: Option<&'a str>,
    pub holidays: Option<&'a str>,
    pub insurance: Option<&'a str>,
    pub trial_period: Option<&'a str>,
    pub smoking: Option<&'a str>,
    pub address: Option<&'a str>,
    pub how_to_apply: &'a str,
    pub terms: &'a WorkingTerms,
    /// The instant the posting stops being shown.
    pub valid_through: NaiveDateTime,
    pub employer_phone: Option<&'a str>,
    pub employer_website: Option<&'a str>,
}

/// Where a legal item comes from, as the review page cites it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// 職業安定法第5条の3, 同法施行規則第4条の2第3項: the conditions every job ad states.
    Disclosure,
    /// The same ordinance as amended on 1 April 2024: the scope of change of duties and
    /// workplace, and for fixed-term work the renewal and its limit.
    Amendment2024,
    /// The guideline under the Employment Security Act (指針): fixed overtime pay stated apart,
    /// with its amount and hours, and that overtime beyond them is paid extra.
    FixedOvertime,
}

impl Rule {
    pub const ALL: [Rule; 3] = [Rule::Disclosure, Rule::Amendment2024, Rule::FixedOvertime];

    /// The locales word a rule as `review.rule.<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Rule::Disclosure => "disclosure",
            Rule::Amendment2024 => "amendment_2024",
            Rule::FixedOvertime => "fixed_overtime",
        }
    }
}

macro_rules! gaps {
    ($($variant:ident => $code:literal, $field:literal, $rule:ident;)+) => {
        /// A legal item a job ad leaves unstated.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Gap { $($variant),+ }

        impl Gap {
            pub const ALL: &'static [Gap] = &[$(Gap::$variant),+];

            /// The locales word a gap as `review.gap.<code>` (for editors) and
            /// `field.gap.<code>` (for the employer, next to the field).
            pub fn code(self) -> &'static str {
                match self { $(Gap::$variant => $code),+ }
            }

            /// The form field that states it.
            pub fn field(self) -> &'static str {
                match self { $(Gap::$variant => $field),+ }
            }

            pub fn rule(self) -> Rule {
                match self { $(Gap::$variant => Rule::$rule),+ }
            }

            /// What the employer reads next to the field on Yui's own forms.
            pub fn message(self) -> crate::Message {
                crate::Message::new(match self { $(Gap::$variant => concat!("field.gap.", $code)),+ })
            }
        }
    };
}

gaps! {
    DutiesScope => "duties_scope", "duties_scope", Amendment2024;
    Contract => "contract", "contract", Disclosure;
    ContractLength => "contract_length", "contract_length", Disclosure;
    Renewal => "renewal", "renewal", Amendment2024;
    RenewalLimit => "renewal_limit", "renewal_limit", Amendment2024;
    Trial => "trial", "trial", Disclosure;
    TrialLength => "trial_length", "trial_period", Disclosure;
    Workplace => "workplace", "location", Disclosure;
    WorkplaceScope => "workplace_scope", "workplace_scope", Amendment2024;
    Hours => "hours", "hours", Disclosure;
    Breaks => "breaks", "breaks", Disclosure;
    Overtime => "overtime", "overtime", Disclosure;
    Holidays => "holidays", "holidays", Disclosure;
    Salary => "salary", "salary", Disclosure;
    FixedOvertime => "fixed_overtime", "fixed_overtime_pay", FixedOvertime;
    Insurance => "insurance", "insurance", Disclosure;
    Smoking => "smoking", "smoking", Disclosure;
}

/// Whether the ad recruits employees, to whom the labour-law items apply. Volunteering and
/// freelance work are not employment; a side job or an internship is when it pays a wage by
/// time (an hourly, daily, monthly or yearly rate), not per project. An "other" type is
/// checked as employment: the editor looks, and may say why not.
pub fn is_employment(employment_type: EmploymentType, salary: Option<Salary>) -> bool {
    use EmploymentType as T;
    match employment_type {
        T::FullTime | T::Contract | T::PartTime | T::Other => true,
        T::SideJob | T::Internship => salary.is_some_and(|s| s.unit() != SalaryUnit::Project),
        T::Outsourcing | T::Volunteer => false,
    }
}

/// The legal items the posting leaves unstated, in the order of the ad.
pub fn gaps(p: &PostingFields<'_>) -> Vec<Gap> {
    use crate::ContractKind::Fixed;
    use crate::Renewal::Never;
    if !is_employment(p.employment_type, p.salary) {
        return Vec::new();
    }
    let t = p.terms;
    let mut g = Vec::new();
    let mut need = |missing: bool, gap: Gap| {
        if missing {
            g.push(gap);
        }
    };
    need(t.duties_scope.is_none(), Gap::DutiesScope);
    need(t.contract.is_none(), Gap::Contract);
    let fixed = t.contract == Some(Fixed);
    need(fixed && t.contract_length.is_none(), Gap::ContractLength);
    need(fixed && t.renewal.is_none(), Gap::Renewal);
    need(fixed && t.renewal.is_some_and(|r| r != Never) && t.renewal_limit.is_none(), Gap::RenewalLimit);
    let trial = t.has_trial(p.trial_period);
    need(trial.is_none(), Gap::Trial);
    need(trial == Some(true) && p.trial_period.is_none(), Gap::TrialLength);
    need(p.address.is_none() && p.remote == RemoteMode::Onsite, Gap::Workplace);
    need(t.workplace_scope.is_none(), Gap::WorkplaceScope);
    need(p.hours.is_none(), Gap::Hours);
    need(t.breaks.is_none(), Gap::Breaks);
    need(t.overtime.is_none() || (t.overtime == Some(true) && t.overtime_hours.is_none()), Gap::Overtime);
    need(p.holidays.is_none(), Gap::Holidays);
    need(p.salary.is_none(), Gap::Salary);
    need(
        t.fixed_overtime == Some(true) && (t.fixed_overtime_pay.is_none() || t.fixed_overtime_hours.is_none()),
        Gap::FixedOvertime,
    );
    need(p.insurance.is_none(), Gap::Insurance);
    need(p.smoking.is_none(), Gap::Smoking);
    g
}

/// Where a posting's text comes from, as far as its legal items go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An employer wrote it (a form, a webhook, staff on the employer's behalf).
    Employer,
    /// Hello Work's job data: its own job sheet (求人票), which Yui's page links to, states the
    /// employer's full working conditions, and the employer is referred through Hello Work.
    HelloWork,
}

impl Origin {
    /// `posting_origins.source` (or a submission's source) read as an origin.
    pub fn of_source(source: Option<&str>) -> Origin {
        match source {
            Some("hellowork") => Origin::HelloWork,
            _ => Origin::Employer,
        }
    }
}

/// Whether approving a posting with `gaps` needs the editor's written reason. A Hello Work
/// posting's gaps are shown as information only: the items are stated on Hello Work's job
/// sheet, not missing from the ad the seeker is referred through.
pub fn approval_needs_reason(origin: Origin, gaps: &[Gap]) -> bool {
    origin == Origin::Employer && !gaps.is_empty()
}

/// Every code [`warnings`] may return.
pub const CODES: [&str; 6] = ["employment_type", "salary", "address", "ended", "contact", "description"];

/// The editorial warnings for a posting as it stands at `now`, as codes (the page words them
/// from the locales, `review.warning.<code>`), in the order the page shows them. Pay and place
/// are warned about here only where [`gaps`] does not already name them (work that is not
/// employment).
pub fn warnings(p: &PostingFields<'_>, now: NaiveDateTime) -> Vec<&'static str> {
    use EmploymentType as T;
    let mut w = Vec::new();
    // A form tool's answer that names no known type is read as "other" (and kept in the
    // description): the editor should look before the ad says so.
    if p.employment_type == T::Other {
        w.push("employment_type");
    }
    let employment = is_employment(p.employment_type, p.salary);
    if !employment && p.salary.is_none() && p.employment_type != T::Volunteer {
        w.push("salary");
    }
    if !employment && p.address.is_none() && p.remote == RemoteMode::Onsite {
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
    w
}

#[cfg(test)]
mod tests {
    #[test]
    fn hello_work_gaps_are_information_not_a_block() {
        use super::{approval_needs_reason, Gap, Origin};
        assert!(approval_needs_reason(Origin::Employer, &[Gap::Hours]));
        assert!(!approval_needs_reason(Origin::Employer, &[]));
        assert!(!approval_needs_reason(Origin::HelloWork, &[Gap::Hours, Gap::Smoking]));
        assert_eq!(Origin::of_source(Some("hellowork")), Origin::HelloWork);
        assert_eq!(Origin::of_source(Some("tally")), Origin::Employer);
        assert_eq!(Origin::of_source(None), Origin::Employer);
    }

    use super::*;
    use crate::{ContractKind, Renewal, Yen};
    use EmploymentType as T;

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day).and_then(|d| d.and_hms_opt(3, 0, 0)).unwrap()
    }

    fn monthly() -> Option<Salary> {
        Salary::new(Yen::new(220_000), None, SalaryUnit::Month).ok()
    }

    fn stated() -> &'static WorkingTerms {
        Box::leak(Box::new(WorkingTerms {
            duties_scope: Some("会社の定める業務".into()),
            workplace_scope: Some("変更なし".into()),
            contract: Some(ContractKind::Indefinite),
            trial: Some(true),
            trial_conditions: Some("本採用と同じ".into()),
            breaks: Some("60分".into()),
            overtime: Some(true),
            overtime_hours: Some(10),
            fixed_overtime: Some(false),
            ..WorkingTerms::default()
        }))
    }

    /// A full-time ad that says everything it must.
    fn complete() -> PostingFields<'static> {
        PostingFields {
            employment_type: T::FullTime,
            remote: RemoteMode::Onsite,
            salary: monthly(),
            description: "定置網漁の乗組員として、朝の漁と網の手入れ、魚の選別と出荷の準備をお願いします。",
            hours: Some("4:00〜12:00"),
            holidays: Some("日曜・祝日"),
            insurance: Some("健康保険・厚生年金・雇用保険・労災保険"),
            trial_period: Some("3か月"),
            smoking: Some("屋内禁煙"),
            address: Some("富山県氷見市比美町1-1"),
            how_to_apply: "電話でご連絡ください",
            terms: stated(),
            valid_through: at(31),
            employer_phone: Some("0766-00-1234"),
            employer_website: None,
        }
    }

    #[test]
    fn a_complete_ad_has_no_gaps_and_no_warnings() {
        assert_eq!(gaps(&complete()), []);
        assert_eq!(warnings(&complete(), at(1)), Vec::<&str>::new());
    }

    #[test]
    fn an_ad_that_states_nothing_misses_every_item_in_order() {
        let empty = PostingFields {
            salary: None,
            hours: None,
            holidays: None,
            insurance: None,
            trial_period: None,
            smoking: None,
            address: None,
            terms: Box::leak(Box::default()),
            ..complete()
        };
        let codes: Vec<_> = gaps(&empty).iter().map(|g| g.code()).collect();
        assert_eq!(
            codes,
            [
                "duties_scope",
                "contract",
                "trial",
                "workplace",
                "workplace_scope",
                "hours",
                "breaks",
                "overtime",
                "holidays",
                "salary",
                "insurance",
                "smoking"
            ]
        );
    }

    #[test]
    fn each_item_is_missed_alone() {
        let with = |terms: WorkingTerms| gaps(&PostingFields { terms: Box::leak(Box::new(terms)), ..complete() });
        let t = stated().clone();
        assert_eq!(with(WorkingTerms { duties_scope: None, ..t.clone() }), [Gap::DutiesScope]);
        assert_eq!(with(WorkingTerms { workplace_scope: None, ..t.clone() }), [Gap::WorkplaceScope]);
        assert_eq!(with(WorkingTerms { breaks: None, ..t.clone() }), [Gap::Breaks]);
        assert_eq!(with(WorkingTerms { overtime: None, overtime_hours: None, ..t.clone() }), [Gap::Overtime]);
        assert_eq!(with(WorkingTerms { overtime_hours: None, ..t.clone() }), [Gap::Overtime], "how many hours");
        assert_eq!(with(WorkingTerms { overtime: Some(false), overtime_hours: None, ..t.clone() }), []);
        let p = complete();
        assert_eq!(gaps(&PostingFields { hours: None, ..p }), [Gap::Hours]);
        assert_eq!(gaps(&PostingFields { holidays: None, ..p }), [Gap::Holidays]);
        assert_eq!(gaps(&PostingFields { insurance: None, ..p }), [Gap::Insurance]);
        assert_eq!(gaps(&PostingFields { smoking: None, ..p }), [Gap::Smoking]);
        assert_eq!(gaps(&PostingFields { salary: None, ..p }), [Gap::Salary]);
        assert_eq!(gaps(&PostingFields { address: None, ..p }), [Gap::Workplace]);
        assert_eq!(gaps(&PostingFields { address: None, remote: RemoteMode::Remote, ..p }), []);
    }

    #[test]
    fn a_fixed_term_states_its_length_renewal_and_limit() {
        let with = |terms: WorkingTerms| gaps(&PostingFields { terms: Box::leak(Box::new(terms)), ..complete() });
        let fixed = WorkingTerms { contract: Some(ContractKind::Fixed), ..stated().clone() };
        assert_eq!(with(fixed.clone()), [Gap::ContractLength, Gap::Renewal]);
        let length = WorkingTerms { contract_length: Some("1年".into()), ..fixed };
        let renewed = WorkingTerms { renewal: Some(Renewal::Possible), ..length.clone() };
        assert_eq!(with(renewed.clone()), [Gap::RenewalLimit]);
        assert_eq!(with(WorkingTerms { renewal_limit: Some("通算5年まで".into()), ..renewed }), []);
        // Never renewed: there is no limit to state.
        assert_eq!(with(WorkingTerms { renewal: Some(Renewal::Never), ..length }), []);
        assert_eq!(with(WorkingTerms { contract: None, ..stated().clone() }), [Gap::Contract]);
    }

    #[test]
    fn a_trial_period_states_its_length() {
        let t = |trial: Option<bool>| -> &'static WorkingTerms {
            Box::leak(Box::new(WorkingTerms { trial, ..stated().clone() }))
        };
        let p = complete();
        assert_eq!(gaps(&PostingFields { terms: t(Some(true)), trial_period: None, ..p }), [Gap::TrialLength]);
        assert_eq!(gaps(&PostingFields { terms: t(Some(false)), trial_period: None, ..p }), []);
        assert_eq!(gaps(&PostingFields { terms: t(None), trial_period: None, ..p }), [Gap::Trial]);
        // A length from before the question was asked states it.
        assert_eq!(gaps(&PostingFields { terms: t(None), ..p }), []);
    }

    #[test]
    fn fixed_overtime_pay_states_its_amount_and_hours() {
        let with = |terms: WorkingTerms| gaps(&PostingFields { terms: Box::leak(Box::new(terms)), ..complete() });
        let fixed = WorkingTerms { fixed_overtime: Some(true), ..stated().clone() };
        assert_eq!(with(fixed.clone()), [Gap::FixedOvertime]);
        let pay = WorkingTerms { fixed_overtime_pay: Yen::new(30_000), ..fixed };
        assert_eq!(with(pay.clone()), [Gap::FixedOvertime]);
        assert_eq!(with(WorkingTerms { fixed_overtime_hours: Some(20), ..pay }), []);
        assert_eq!(with(WorkingTerms { fixed_overtime: None, ..stated().clone() }), [], "none unless stated");
    }

    #[test]
    fn the_labour_items_apply_to_employees_only() {
        let nothing = PostingFields { terms: Box::leak(Box::default()), insurance: None, smoking: None, ..complete() };
        for t in [T::Volunteer, T::Outsourcing] {
            assert_eq!(gaps(&PostingFields { employment_type: t, ..nothing }), [], "{t}");
        }
        let per_project = Salary::new(Yen::new(50_000), None, SalaryUnit::Project).ok();
        for t in [T::SideJob, T::Internship] {
            assert_eq!(gaps(&PostingFields { employment_type: t, salary: per_project, ..nothing }), [], "{t}");
            assert!(!gaps(&PostingFields { employment_type: t, ..nothing }).is_empty(), "{t} paid monthly");
        }
        for t in [T::FullTime, T::Contract, T::PartTime, T::Other] {
            assert!(!gaps(&PostingFields { employment_type: t, ..nothing }).is_empty(), "{t}");
        }
    }

    #[test]
    fn every_gap_has_a_rule_and_a_unique_code() {
        let mut seen = std::collections::HashSet::new();
        for g in Gap::ALL {
            assert!(seen.insert(g.code()), "{}", g.code());
            assert!(Rule::ALL.contains(&g.rule()));
        }
        assert_eq!(Gap::Renewal.rule(), Rule::Amendment2024);
        assert_eq!(Gap::FixedOvertime.field(), "fixed_overtime_pay");
    }

    #[test]
    fn what_is_not_employment_is_still_warned_about_pay_and_place() {
        let freelance = PostingFields { employment_type: T::Outsourcing, salary: None, address: None, ..complete() };
        assert_eq!(warnings(&freelance, at(1)), ["salary", "address"]);
        let volunteer = PostingFields { employment_type: T::Volunteer, ..freelance };
        assert_eq!(warnings(&volunteer, at(1)), ["address"]);
        // For employees the gaps name them instead.
        let employee = PostingFields { salary: None, address: None, ..complete() };
        assert!(warnings(&employee, at(1)).is_empty());
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
