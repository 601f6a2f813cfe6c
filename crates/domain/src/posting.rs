use crate::{
    Conditions, EmploymentType, Message, ProjectInput, ProjectTerms, RemoteMode, Salary, SalaryUnit, TermsInput,
    WorkingTerms, Yen,
};
use chrono::{NaiveDate, NaiveDateTime};

/// A required piece of text: trimmed, non-empty, bounded in length.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    fn parse(s: &str, max_chars: usize) -> Result<Self, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Message::new("field.text.required"));
        }
        refuse_control(s)?;
        let n = s.chars().count();
        if n > max_chars {
            return Err(Message::new("field.text.too_long").with("max", max_chars).with("count", n));
        }
        Ok(Text(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Text holds no control characters but tab and line breaks: a stray one (pasted from another
/// program) would break a mail header, a feed or a screen reader.
pub(crate) fn refuse_control(s: &str) -> Result<(), Message> {
    if s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(Message::new("field.text.control"));
    }
    Ok(())
}

/// A message about one field, for the person who typed it (worded in their language by the web).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: Message,
}

impl FieldError {
    pub fn new(field: &'static str, message: Message) -> Self {
        FieldError { field, message }
    }
}

/// What arrives from a form, a webhook or the demo data: strings and loose numbers.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PostingInput {
    pub title: String,
    pub description: String,
    pub employment_type: String,
    pub category: String,
    pub prefecture: String,
    pub municipality: String,
    pub area: String,
    pub address: String,
    pub remote: String,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub salary_unit: String,
    pub hours: String,
    pub holidays: String,
    pub insurance: String,
    pub trial_period: String,
    pub smoking: String,
    pub requirements: String,
    pub how_to_apply: String,
    pub valid_through: Option<NaiveDate>,
    /// The working conditions beyond pay and place (労働条件の明示).
    #[serde(flatten)]
    pub terms: TermsInput,
    /// A side job's or project's terms ([`crate::project`]).
    #[serde(flatten)]
    pub project: ProjectInput,
    /// Condition codes ([`crate::Condition`]) people filter on.
    pub conditions: Vec<String>,
}

/// A posting's content once every field has been parsed. Holding one means it can be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingDraft {
    pub title: Text,
    pub description: Text,
    pub employment_type: EmploymentType,
    pub category: Option<String>,
    pub prefecture: String,
    pub municipality: String,
    pub area: Option<String>,
    pub address: Option<String>,
    pub remote: RemoteMode,
    pub salary: Option<Salary>,
    /// 始業・終業の時刻.
    pub hours: Option<String>,
    pub holidays: Option<String>,
    pub insurance: Option<String>,
    /// The trial period's length, when there is one ([`WorkingTerms::trial`]).
    pub trial_period: Option<String>,
    pub smoking: Option<String>,
    pub requirements: Option<String>,
    pub how_to_apply: Text,
    /// The last day the posting is shown (inclusive, Japan time).
    pub valid_through: Option<NaiveDate>,
    pub terms: WorkingTerms,
    pub project: ProjectTerms,
    pub conditions: Conditions,
}

/// Text that may be left out: trimmed, `None` when empty, bounded, no control characters.
pub(crate) fn optional_text(s: &str, max_chars: usize) -> Result<Option<String>, Message> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    refuse_control(s)?;
    let n = s.chars().count();
    if n > max_chars {
        return Err(Message::new("field.text.too_long").with("max", max_chars).with("count", n));
    }
    Ok(Some(s.to_owned()))
}

impl PostingDraft {
    /// Parses every field and reports every problem at once, so a form can mark them all.
    pub fn parse(input: PostingInput) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        fn keep<T>(errors: &mut Vec<FieldError>, field: &'static str, r: Result<T, Message>) -> Option<T> {
            r.map_err(|message| errors.push(FieldError { field, message })).ok()
        }

        let title = keep(&mut errors, "title", Text::parse(&input.title, 100));
        let description = keep(&mut errors, "description", Text::parse(&input.description, 10_000));
        let how_to_apply = keep(&mut errors, "how_to_apply", Text::parse(&input.how_to_apply, 2_000));
        let employment_type = keep(
            &mut errors,
            "employment_type",
            input
                .employment_type
                .trim()
                .parse::<EmploymentType>()
                .map_err(|_| Message::new("field.posting.employment_type.choose")),
        );
        let remote = keep(
            &mut errors,
            "remote",
            match input.remote.trim() {
                "" => Ok(RemoteMode::Onsite),
                s => s.parse::<RemoteMode>().map_err(|_| Message::new("field.posting.remote.choose")),
            },
        );
        let salary = keep(&mut errors, "salary", parse_salary(&input));
        let mut text = |field: &'static str, value: &str, max: usize| -> Option<String> {
            optional_text(value, max).map_err(|message| errors.push(FieldError { field, message })).ok().flatten()
        };
        let category = text("category", &input.category, 100);
        let prefecture = text("prefecture", &input.prefecture, 20).unwrap_or_default();
        let area = text("area", &input.area, 100);
        let address = text("address", &input.address, 200);
        let hours = text("hours", &input.hours, 500);
        let holidays = text("holidays", &input.holidays, 500);
        let insurance = text("insurance", &input.insurance, 500);
        let mut trial_period = text("trial_period", &input.trial_period, 200);
        let smoking = text("smoking", &input.smoking, 500);
        let requirements = text("requirements", &input.requirements, 2_000);
        let terms = WorkingTerms::parse(&input.terms)
            .map_err(|list| errors.extend(list.into_iter().map(|(field, message)| FieldError { field, message })))
            .ok();
        let project = ProjectTerms::parse(&input.project)
            .map_err(|list| errors.extend(list.into_iter().map(|(field, message)| FieldError { field, message })))
            .ok();
        let conditions = keep(&mut errors, "conditions", Conditions::parse(&input.conditions));
        let municipality = keep(
            &mut errors,
            "municipality",
            Text::parse(&input.municipality, 50).map_err(|_| Message::new("field.posting.municipality.required")),
        );

        let (
            Some(title),
            Some(description),
            Some(how_to_apply),
            Some(employment_type),
            Some(remote),
            Some(salary),
            Some(municipality),
            Some(mut terms),
            Some(project),
            Some(conditions),
        ) = (
            title,
            description,
            how_to_apply,
            employment_type,
            remote,
            salary,
            municipality,
            terms,
            project,
            conditions,
        )
        else {
            return Err(errors);
        };
        // An optional field can be wrong when every required one is right: it is refused, not
        // dropped (a form would otherwise save the posting without the hours that were typed).
        if !errors.is_empty() {
            return Err(errors);
        }
        // 「試用期間: なし」 answers the question; a length under "no trial" is dropped.
        terms.trial = terms.has_trial(trial_period.as_deref());
        if terms.trial == Some(false) {
            trial_period = None;
        }
        Ok(PostingDraft {
            title,
            description,
            employment_type,
            category,
            prefecture,
            municipality: municipality.into_string(),
            area,
            address,
            remote,
            salary,
            hours,
            holidays,
            insurance,
            trial_period,
            smoking,
            requirements,
            how_to_apply,
            valid_through: input.valid_through,
            terms,
            project,
            conditions,
        })
    }
}

impl PostingDraft {
    /// The legal items this draft leaves unstated ([`crate::disclosure::gaps`]).
    pub fn gaps(&self) -> Vec<crate::disclosure::Gap> {
        crate::disclosure::gaps(&crate::disclosure::PostingFields {
            employment_type: self.employment_type,
            remote: self.remote,
            salary: self.salary,
            description: self.description.as_str(),
            hours: self.hours.as_deref(),
            holidays: self.holidays.as_deref(),
            insurance: self.insurance.as_deref(),
            trial_period: self.trial_period.as_deref(),
            smoking: self.smoking.as_deref(),
            address: self.address.as_deref(),
            how_to_apply: self.how_to_apply.as_str(),
            terms: &self.terms,
            valid_through: NaiveDateTime::MAX,
            employer_phone: None,
            employer_website: None,
        })
    }
}

fn parse_salary(input: &PostingInput) -> Result<Option<Salary>, Message> {
    let amount = |v: Option<i64>| match v {
        None => Ok(None),
        Some(n) => Yen::new(n).map(Some).ok_or_else(|| Message::new("field.salary.amount.invalid")),
    };
    let (min, max) = (amount(input.salary_min)?, amount(input.salary_max)?);
    match (input.salary_unit.trim(), min, max) {
        ("", None, None) => Ok(None),
        ("", _, _) => Err(Message::new("field.salary.unit.choose")),
        (unit, min, max) => {
            let unit = unit.parse::<SalaryUnit>().map_err(|_| Message::new("field.salary.unit.invalid"))?;
            Salary::new(min, max, unit).map(Some)
        }
    }
}

/// The instant a posting stops being public: the end of its last day in Japan, in UTC.
pub fn end_of_day_utc(day: NaiveDate) -> NaiveDateTime {
    let next_midnight_jst = day.succ_opt().unwrap_or(day).and_time(chrono::NaiveTime::MIN);
    next_midnight_jst - chrono::Duration::hours(9)
}

/// A renewal never puts a posting's end further than this from now.
pub const RENEWAL_MAX_DAYS_AHEAD: i64 = 180;

/// A posting's end after a renewal: `days` more from the current end (or from now, when that is
/// earlier), never more than [`RENEWAL_MAX_DAYS_AHEAD`] days from now. `None` when that would
/// not move the end by at least a day (it is already about as far out as a renewal may go).
pub fn renewed_end(now: NaiveDateTime, current_end: NaiveDateTime, days: u32) -> Option<NaiveDateTime> {
    let end = (current_end.max(now) + chrono::Duration::days(i64::from(days)))
        .min(now + chrono::Duration::days(RENEWAL_MAX_DAYS_AHEAD));
    (end >= current_end + chrono::Duration::days(1)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn valid() -> PostingInput {
        PostingInput {
            title: " 定置網漁の乗組員 ".into(),
            description: "朝の漁に出ます。".into(),
            employment_type: "full_time".into(),
            municipality: "氷見市".into(),
            salary_min: Some(220_000),
            salary_unit: "month".into(),
            how_to_apply: "電話でご連絡ください".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_input_parses_and_is_trimmed() {
        let d = PostingDraft::parse(valid()).unwrap();
        assert_eq!(d.title.as_str(), "定置網漁の乗組員");
        assert_eq!(d.remote, RemoteMode::Onsite);
        assert_eq!(d.salary.unwrap().to_japanese(), "月給 22万円〜");
        assert_eq!(d.area, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let input = PostingInput {
            title: "".into(),
            employment_type: "boss".into(),
            salary_min: Some(1000),
            salary_unit: "".into(),
            ..valid()
        };
        let fields: Vec<_> = PostingDraft::parse(input).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "employment_type", "salary"]);
    }

    #[test]
    fn overlong_text_says_how_long_it_is() {
        let input = PostingInput { title: "あ".repeat(101), ..valid() };
        let errs = PostingDraft::parse(input).unwrap_err();
        assert_eq!(errs[0].message, Message::new("field.text.too_long").with("max", 100).with("count", 101));
    }

    #[test]
    fn no_salary_at_all_is_allowed_for_volunteers() {
        let input =
            PostingInput { salary_min: None, salary_unit: "".into(), employment_type: "volunteer".into(), ..valid() };
        assert_eq!(PostingDraft::parse(input).unwrap().salary, None);
    }

    #[test]
    fn control_characters_and_overlong_optional_text_are_named_by_field() {
        let input = PostingInput {
            title: "漁師\u{7}募集".into(),
            hours: "8:00〜\u{1b}[31m17:00".into(),
            holidays: "日".repeat(501),
            terms: TermsInput { breaks: "60分\u{8}".into(), ..TermsInput::default() },
            description: "一行目\n二行目\tタブ".into(),
            ..valid()
        };
        let errors = PostingDraft::parse(input).unwrap_err();
        let got: Vec<_> = errors.iter().map(|e| (e.field, e.message.key())).collect();
        assert_eq!(
            got,
            [
                ("title", "field.text.control"),
                ("hours", "field.text.control"),
                ("holidays", "field.text.too_long"),
                ("breaks", "field.text.control")
            ]
        );
    }

    #[test]
    fn a_bad_optional_field_alone_is_refused_not_dropped() {
        for input in [
            PostingInput { hours: "8:00〜\u{1b}17:00".into(), ..valid() },
            PostingInput { requirements: "経".repeat(2_001), ..valid() },
        ] {
            let errors = PostingDraft::parse(input).unwrap_err();
            assert_eq!(errors.len(), 1, "{errors:?}");
        }
    }

    #[test]
    fn a_trial_period_of_none_answers_the_question() {
        let d = PostingDraft::parse(PostingInput { trial_period: "なし".into(), ..valid() }).unwrap();
        assert_eq!((d.terms.trial, d.trial_period), (Some(false), None));
        let d = PostingDraft::parse(PostingInput { trial_period: "3か月".into(), ..valid() }).unwrap();
        assert_eq!((d.terms.trial, d.trial_period.as_deref()), (Some(true), Some("3か月")));
        let no = TermsInput { trial: "no".into(), ..TermsInput::default() };
        let d = PostingDraft::parse(PostingInput { trial_period: "3か月".into(), terms: no, ..valid() }).unwrap();
        assert_eq!(d.trial_period, None);
    }

    #[test]
    fn a_bad_term_is_reported_with_the_other_fields() {
        let terms = TermsInput { overtime: "often".into(), ..TermsInput::default() };
        let input = PostingInput { title: "".into(), terms, ..valid() };
        let fields: Vec<_> = PostingDraft::parse(input).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "overtime"]);
    }

    #[test]
    fn end_of_day_is_midnight_in_tokyo() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(end_of_day_utc(day).to_string(), "2026-03-31 15:00:00");
    }

    fn at(days: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|d| d.and_hms_opt(3, 0, 0)).unwrap_or_default()
            + Duration::days(days)
    }

    #[test]
    fn a_renewal_adds_the_period_to_the_later_of_now_and_the_end() {
        assert_eq!(renewed_end(at(0), at(5), 60), Some(at(65)));
        // Already past its end (not yet expired): counted from now.
        assert_eq!(renewed_end(at(0), at(-1), 60), Some(at(60)));
    }

    #[test]
    fn a_renewal_never_reaches_beyond_180_days_and_never_shortens() {
        assert_eq!(renewed_end(at(0), at(150), 60), Some(at(180)));
        assert_eq!(renewed_end(at(0), at(180), 60), None);
        assert_eq!(renewed_end(at(0), at(179) + Duration::hours(1), 60), None);
        assert_eq!(renewed_end(at(0), at(179), 60), Some(at(180)));
        assert_eq!(renewed_end(at(0), at(300), 60), None);
    }
}
