//! The working conditions a Japanese job ad must state beyond pay and place (労働条件の明示,
//! 職業安定法第5条の3 and its ordinance): the scope in which duties and workplace may change,
//! the contract's term and renewal, the trial period, breaks and overtime, and fixed overtime
//! pay. Each is parsed once from its form codes; what nobody stated stays `None`, so the check
//! in [`crate::disclosure`] can name it.

use crate::{coded_enum, Message, Yen};

coded_enum! {
    /// 労働契約の期間: with or without a fixed term.
    ContractKind, "contract kind" {
        Indefinite => "indefinite", "期間の定めなし", "No fixed term";
        Fixed => "fixed", "期間の定めあり", "Fixed term";
    }
}

coded_enum! {
    /// 契約更新の有無, for a fixed-term contract.
    Renewal, "renewal" {
        Automatic => "automatic", "自動更新", "Renewed automatically";
        Possible => "possible", "更新する場合あり", "May be renewed";
        Never => "none", "更新しない", "Not renewed";
    }
}

/// What arrives for the terms: codes from Yui's form (the webhook mapping turns people's words
/// into these codes first), free text and loose numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct TermsInput {
    pub duties_scope: String,
    pub workplace_scope: String,
    pub contract: String,
    pub contract_length: String,
    pub renewal: String,
    pub renewal_limit: String,
    /// `yes` or `no`; empty when not stated.
    pub trial: String,
    pub trial_conditions: String,
    pub breaks: String,
    pub overtime: String,
    pub overtime_hours: Option<i64>,
    pub fixed_overtime: String,
    pub fixed_overtime_pay: Option<i64>,
    pub fixed_overtime_hours: Option<i64>,
}

/// The terms as stated. A detail that only makes sense under an answer (a renewal limit under a
/// fixed term, overtime hours under overtime) is dropped when the answer says otherwise, so a
/// stored posting never says 「期間の定めなし・更新上限3年」.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WorkingTerms {
    /// 従事すべき業務の変更の範囲.
    pub duties_scope: Option<String>,
    /// 就業場所の変更の範囲.
    pub workplace_scope: Option<String>,
    pub contract: Option<ContractKind>,
    /// 契約期間 (「1年」「2027年3月31日まで」), fixed term only.
    pub contract_length: Option<String>,
    pub renewal: Option<Renewal>,
    /// 更新上限 (「通算5年まで」「なし」), when the contract may be renewed.
    pub renewal_limit: Option<String>,
    /// Whether there is a trial period; its length is the posting's `trial_period`.
    pub trial: Option<bool>,
    /// 試用期間中の労働条件 (「本採用と同じ」).
    pub trial_conditions: Option<String>,
    /// 休憩時間.
    pub breaks: Option<String>,
    /// 時間外労働の有無.
    pub overtime: Option<bool>,
    /// 時間外労働の月平均時間, when there is overtime.
    pub overtime_hours: Option<u16>,
    /// Whether the pay includes fixed overtime pay (固定残業代).
    pub fixed_overtime: Option<bool>,
    /// 固定残業代 per month, and the hours it covers.
    pub fixed_overtime_pay: Option<Yen>,
    pub fixed_overtime_hours: Option<u16>,
}

/// At most a month's worth of hours: 744 is every hour of a 31-day month.
const MAX_MONTHLY_HOURS: i64 = 744;

fn optional(s: &str, max_chars: usize) -> Result<Option<String>, Message> {
    crate::posting::optional_text(s, max_chars)
}

fn yes_no(s: &str) -> Result<Option<bool>, Message> {
    match s.trim() {
        "" => Ok(None),
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        _ => Err(Message::new("field.terms.choose")),
    }
}

fn code<T: std::str::FromStr>(s: &str) -> Result<Option<T>, Message> {
    match s.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| Message::new("field.terms.choose")),
    }
}

fn monthly_hours(v: Option<i64>) -> Result<Option<u16>, Message> {
    match v {
        None => Ok(None),
        Some(n) if (0..=MAX_MONTHLY_HOURS).contains(&n) => Ok(u16::try_from(n).ok()),
        Some(_) => Err(Message::new("field.terms.hours.invalid").with("max", MAX_MONTHLY_HOURS)),
    }
}

impl WorkingTerms {
    /// Parses every field, reporting each problem under its form field's name. A detail given
    /// without its answer states the answer (overtime hours mean there is overtime); a detail
    /// under the other answer is dropped.
    pub fn parse(input: &TermsInput) -> Result<Self, Vec<(&'static str, Message)>> {
        let mut errors = Vec::new();
        macro_rules! take {
            ($field:literal, $r:expr) => {
                $r.map_err(|m| errors.push(($field, m))).ok().flatten()
            };
        }
        let mut t = WorkingTerms {
            duties_scope: take!("duties_scope", optional(&input.duties_scope, 500)),
            workplace_scope: take!("workplace_scope", optional(&input.workplace_scope, 500)),
            contract: take!("contract", code(&input.contract)),
            contract_length: take!("contract_length", optional(&input.contract_length, 200)),
            renewal: take!("renewal", code(&input.renewal)),
            renewal_limit: take!("renewal_limit", optional(&input.renewal_limit, 200)),
            trial: take!("trial", yes_no(&input.trial)),
            trial_conditions: take!("trial_conditions", optional(&input.trial_conditions, 500)),
            breaks: take!("breaks", optional(&input.breaks, 200)),
            overtime: take!("overtime", yes_no(&input.overtime)),
            overtime_hours: take!("overtime_hours", monthly_hours(input.overtime_hours)),
            fixed_overtime: take!("fixed_overtime", yes_no(&input.fixed_overtime)),
            fixed_overtime_pay: take!(
                "fixed_overtime_pay",
                match input.fixed_overtime_pay {
                    None => Ok(None),
                    Some(n) => Yen::new(n).map(Some).ok_or_else(|| Message::new("field.salary.amount.invalid")),
                }
            ),
            fixed_overtime_hours: take!("fixed_overtime_hours", monthly_hours(input.fixed_overtime_hours)),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        t.settle();
        Ok(t)
    }

    fn settle(&mut self) {
        if self.contract.is_none() && (self.renewal.is_some() || self.contract_length.is_some()) {
            self.contract = Some(ContractKind::Fixed);
        }
        if self.contract == Some(ContractKind::Indefinite) {
            (self.contract_length, self.renewal, self.renewal_limit) = (None, None, None);
        }
        if self.renewal == Some(Renewal::Never) {
            self.renewal_limit = None;
        }
        if self.trial == Some(false) {
            self.trial_conditions = None;
        }
        if self.overtime.is_none() {
            self.overtime = self.overtime_hours.map(|h| h > 0);
        }
        if self.overtime == Some(false) {
            self.overtime_hours = None;
        }
        if self.fixed_overtime.is_none() && (self.fixed_overtime_pay.is_some() || self.fixed_overtime_hours.is_some()) {
            self.fixed_overtime = Some(true);
        }
        if self.fixed_overtime == Some(false) {
            (self.fixed_overtime_pay, self.fixed_overtime_hours) = (None, None);
        }
    }

    /// Whether a trial period is stated, reading a length given without the yes/no answer
    /// (postings from before the question) as "yes" unless it says there is none.
    pub fn has_trial(&self, trial_period: Option<&str>) -> Option<bool> {
        self.trial.or_else(|| trial_period.map(|t| !says_none(t)))
    }

    /// The form's codes again, for a form that shows the stored terms.
    pub fn to_input(&self) -> TermsInput {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let yes_no = |v: Option<bool>| match v {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => String::new(),
        };
        TermsInput {
            duties_scope: text(&self.duties_scope),
            workplace_scope: text(&self.workplace_scope),
            contract: self.contract.map(|c| c.code().to_owned()).unwrap_or_default(),
            contract_length: text(&self.contract_length),
            renewal: self.renewal.map(|r| r.code().to_owned()).unwrap_or_default(),
            renewal_limit: text(&self.renewal_limit),
            trial: yes_no(self.trial),
            trial_conditions: text(&self.trial_conditions),
            breaks: text(&self.breaks),
            overtime: yes_no(self.overtime),
            overtime_hours: self.overtime_hours.map(i64::from),
            fixed_overtime: yes_no(self.fixed_overtime),
            fixed_overtime_pay: self.fixed_overtime_pay.map(|y| y.get()),
            fixed_overtime_hours: self.fixed_overtime_hours.map(i64::from),
        }
    }
}

/// 「なし」「無し」「いいえ」「none」「no」: an answer that says there is none (a form tool's
/// unticked checkbox arrives as 「いいえ」).
pub fn says_none(s: &str) -> bool {
    let s = s.trim().to_lowercase();
    ["なし", "無し", "無", "ない", "いいえ", "none", "no", "false", "n/a", "-", "ー"].contains(&s.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> TermsInput {
        TermsInput {
            duties_scope: "会社の定める業務".into(),
            contract: "fixed".into(),
            contract_length: "1年".into(),
            renewal: "possible".into(),
            renewal_limit: "通算5年まで".into(),
            trial: "yes".into(),
            overtime: "yes".into(),
            overtime_hours: Some(10),
            fixed_overtime: "no".into(),
            ..TermsInput::default()
        }
    }

    #[test]
    fn a_stated_fixed_term_parses_and_round_trips_to_the_form() {
        let t = WorkingTerms::parse(&input()).unwrap();
        assert_eq!(t.contract, Some(ContractKind::Fixed));
        assert_eq!(t.renewal, Some(Renewal::Possible));
        assert_eq!(t.overtime_hours, Some(10));
        assert_eq!(WorkingTerms::parse(&t.to_input()).unwrap(), t);
    }

    #[test]
    fn details_under_the_other_answer_are_dropped() {
        let t = WorkingTerms::parse(&TermsInput { contract: "indefinite".into(), ..input() }).unwrap();
        assert_eq!((t.contract_length, t.renewal, t.renewal_limit), (None, None, None));
        let t = WorkingTerms::parse(&TermsInput { renewal: "none".into(), ..input() }).unwrap();
        assert_eq!(t.renewal_limit, None);
        let t = WorkingTerms::parse(&TermsInput { overtime: "no".into(), ..input() }).unwrap();
        assert_eq!(t.overtime_hours, None);
        let t = WorkingTerms::parse(&TermsInput {
            fixed_overtime_pay: Some(30_000),
            fixed_overtime: "no".into(),
            ..input()
        })
        .unwrap();
        assert_eq!(t.fixed_overtime_pay, None);
    }

    #[test]
    fn a_detail_without_its_answer_states_it() {
        let t = WorkingTerms::parse(&TermsInput {
            contract: "".into(),
            overtime: "".into(),
            fixed_overtime: "".into(),
            fixed_overtime_pay: Some(30_000),
            ..input()
        })
        .unwrap();
        assert_eq!(t.contract, Some(ContractKind::Fixed), "a renewal answer means a fixed term");
        assert_eq!(t.overtime, Some(true));
        assert_eq!(t.fixed_overtime, Some(true));
        let t = WorkingTerms::parse(&TermsInput { overtime: "".into(), overtime_hours: Some(0), ..input() }).unwrap();
        assert_eq!(t.overtime, Some(false), "zero hours a month is no overtime");
    }

    #[test]
    fn bad_values_are_named_by_field() {
        let bad = TermsInput {
            contract: "forever".into(),
            trial: "maybe".into(),
            overtime_hours: Some(1000),
            fixed_overtime_pay: Some(-1),
            breaks: "あ".repeat(201),
            ..input()
        };
        let fields: Vec<_> = WorkingTerms::parse(&bad).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["contract", "trial", "breaks", "overtime_hours", "fixed_overtime_pay"]);
    }

    #[test]
    fn a_trial_length_from_before_the_question_counts() {
        let t = WorkingTerms::default();
        assert_eq!(t.has_trial(None), None);
        assert_eq!(t.has_trial(Some("3か月")), Some(true));
        assert_eq!(t.has_trial(Some("なし")), Some(false));
        let stated = WorkingTerms { trial: Some(false), ..t };
        assert_eq!(stated.has_trial(Some("3か月")), Some(false));
    }
}
