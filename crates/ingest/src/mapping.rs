//! From answers to a posting: which question fills which field, and reading each value into
//! its domain type. Japanese (and English) question labels work without any configuration;
//! a mapping from config adds labels per source or per form.
//!
//! Nothing the employer typed is dropped: answers to questions no field claims, and values
//! that cannot be read with confidence (「給与: 応相談」), are appended to the description
//! under their question, where editors and seekers both see them.

use crate::values;
use crate::{Answer, FormAnswers};
use std::collections::HashMap;
use yui_domain::{EmailAddress, FieldError, Message, PostingDraft, PostingInput, ProjectInput};

macro_rules! fields {
    ($($variant:ident => $code:literal, $ja:literal, [$($label:literal),*];)+) => {
        /// A posting or employer field a question can fill.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field { $($variant),+ }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// The code used in config mappings and as the name of Yui's own form fields.
            pub fn code(self) -> &'static str {
                match self { $(Field::$variant => $code),+ }
            }

            /// The question as Yui's documentation names it.
            pub fn label_ja(self) -> &'static str {
                match self { $(Field::$variant => $ja),+ }
            }

            fn default_labels(self) -> &'static [&'static str] {
                match self { $(Field::$variant => &[$ja, $($label),*]),+ }
            }
        }

        impl std::str::FromStr for Field {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($code => Ok(Field::$variant),)+
                    other => Err(format!("{other:?} is not a posting field")),
                }
            }
        }
    };
}

fields! {
    Title => "title", "求人タイトル", ["タイトル", "募集タイトル", "求人名", "job title", "title"];
    Description => "description", "仕事内容", ["業務内容", "仕事の内容", "募集内容", "job description", "description"];
    EmploymentType => "employment_type", "雇用形態", ["働き方", "雇用区分", "employment type"];
    Category => "category", "職種", ["募集職種", "category", "job category"];
    Location => "location", "勤務地", ["勤務場所", "就業場所", "location", "work location"];
    Prefecture => "prefecture", "都道府県", ["prefecture"];
    Municipality => "municipality", "市区町村", ["municipality", "city"];
    Area => "area", "地区", ["エリア", "area", "district"];
    Address => "address", "住所", ["所在地", "address"];
    Remote => "remote", "勤務形態", ["リモート", "リモートワーク", "在宅勤務", "remote", "remote work"];
    Salary => "salary", "給与", ["給料", "賃金", "報酬", "salary", "pay"];
    SalaryUnit => "salary_unit", "給与の単位", ["給与形態", "salary unit"];
    SalaryMin => "salary_min", "給与(下限)", ["給与下限", "salary min", "minimum salary"];
    SalaryMax => "salary_max", "給与(上限)", ["給与上限", "salary max", "maximum salary"];
    DutiesScope => "duties_scope", "業務内容の変更の範囲", ["従事すべき業務の変更の範囲", "業務の変更の範囲", "scope of change of duties", "duties scope"];
    WorkplaceScope => "workplace_scope", "就業場所の変更の範囲", ["勤務地の変更の範囲", "勤務場所の変更の範囲", "scope of change of workplace", "workplace scope"];
    Contract => "contract", "契約期間の定め", ["期間の定め", "期間の定めの有無", "雇用期間の定め", "fixed term", "contract type"];
    ContractLength => "contract_length", "契約期間", ["雇用期間", "contract length", "contract period"];
    Renewal => "renewal", "契約更新の有無", ["更新の有無", "契約の更新", "renewal", "contract renewal"];
    RenewalLimit => "renewal_limit", "更新上限", ["契約更新の上限", "更新上限の有無", "renewal limit"];
    Trial => "trial", "試用期間の有無", ["probation", "trial"];
    TrialPeriod => "trial_period", "試用期間", ["試用期間の長さ", "trial period", "probation period"];
    TrialConditions => "trial_conditions", "試用期間中の条件", ["試用期間中の労働条件", "trial conditions", "probation conditions"];
    Hours => "hours", "勤務時間", ["始業・終業時刻", "始業・終業の時刻", "就業時間", "working hours", "hours"];
    Breaks => "breaks", "休憩時間", ["休憩", "break", "breaks", "break time"];
    Overtime => "overtime", "時間外労働の有無", ["時間外労働", "残業", "残業の有無", "overtime"];
    OvertimeHours => "overtime_hours", "月平均の時間外労働", ["月平均残業時間", "残業時間", "時間外労働(月平均)", "average overtime", "overtime hours"];
    Holidays => "holidays", "休日", ["休日・休暇", "休暇", "holidays"];
    FixedOvertime => "fixed_overtime", "固定残業代の有無", ["固定残業代", "みなし残業", "みなし残業代", "fixed overtime pay"];
    FixedOvertimePay => "fixed_overtime_pay", "固定残業代の額", ["固定残業代(月額)", "固定残業手当", "fixed overtime amount"];
    FixedOvertimeHours => "fixed_overtime_hours", "固定残業時間", ["みなし残業時間", "固定残業代に含む時間", "fixed overtime hours"];
    HoursPerMonth => "hours_per_month", "月の稼働時間", ["稼働時間(月)", "月あたりの稼働時間", "hours per month", "monthly hours"];
    DurationMonths => "duration_months", "プロジェクト期間(月数)", ["プロジェクト期間", "活動期間", "duration", "duration in months"];
    Visits => "visits", "現地訪問", ["現地訪問の頻度", "訪問頻度", "on-site visits", "visits"];
    RemoteShare => "remote_share", "リモートの割合", ["リモート比率", "リモート率", "remote share"];
    TravelSupport => "travel_support", "交通費・宿泊費の支給", ["旅費", "旅費の支給", "travel support", "travel costs"];
    Reward => "reward", "報酬の形", ["報酬形態", "有償・無償", "reward", "compensation type"];
    Coordinator => "coordinator", "伴走する団体", ["コーディネート団体", "コーディネーター", "coordinator", "coordinating organisation"];
    Insurance => "insurance", "社会保険", ["加入保険", "保険", "insurance"];
    Smoking => "smoking", "受動喫煙対策", ["受動喫煙防止措置", "喫煙", "smoking"];
    Requirements => "requirements", "応募資格", ["必要な資格", "資格", "requirements"];
    Conditions => "conditions", "こだわり条件", ["働く条件", "待遇・条件", "特徴・条件", "conditions", "features"];
    HowToApply => "how_to_apply", "応募方法", ["how to apply"];
    ValidThrough => "valid_through", "掲載終了日", ["募集期限", "応募締切", "締切日", "掲載期限", "valid through", "deadline"];
    EmployerName => "employer_name", "事業所名", ["会社名", "企業名", "団体名", "店舗名", "屋号", "employer", "company", "company name", "organization"];
    ContactName => "contact_name", "担当者名", ["担当者", "ご担当者名", "contact name", "contact person"];
    Email => "email", "メールアドレス", ["メール", "email", "email address", "e-mail"];
    Phone => "phone", "電話番号", ["電話", "phone", "phone number", "tel"];
    Website => "website", "ウェブサイト", ["ホームページ", "url", "website"];
    Industry => "industry", "業種", ["industry"];
    Ignore => "ignore", "タイムスタンプ", ["timestamp", "送信日時", "回答日時"];
}

/// Which question label fills which field.
#[derive(Debug, Clone)]
pub struct Mapping {
    by_label: HashMap<String, Field>,
}

impl Default for Mapping {
    /// The Japanese labels of docs/forms.md, and their English counterparts.
    fn default() -> Self {
        let mut mapping = Mapping { by_label: HashMap::new() };
        for field in Field::ALL {
            mapping.add(*field, field.default_labels());
        }
        mapping
    }
}

impl Mapping {
    /// Later labels win, so a form's own mapping can re-point a default label.
    pub fn add<S: AsRef<str>>(&mut self, field: Field, labels: &[S]) {
        for label in labels {
            self.by_label.insert(values::label_key(label.as_ref()), field);
        }
    }

    /// The exact label first (「給与（下限）」), then its part before a parenthesis
    /// (「求人タイトル（30文字以内）」 → 求人タイトル).
    pub fn field_for(&self, label: &str) -> Option<Field> {
        self.by_label.get(&values::label_key(label)).or_else(|| self.by_label.get(&values::label_stem(label))).copied()
    }
}

/// An editor's rule from the browser: this question label fills this field (the same as a
/// label under `[[ingest.mappings]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    label: String,
    field: Field,
}

impl Rule {
    /// Longer labels are not questions but pasted text.
    pub const MAX_LABEL_CHARS: usize = 200;

    /// The label as typed (trimmed): not empty, one line, at most [`Rule::MAX_LABEL_CHARS`]; the
    /// field by its code.
    pub fn parse(label: &str, field: &str) -> Result<Self, Message> {
        let label = label.trim();
        if label.is_empty() {
            return Err(Message::new("field.mapping.label.required"));
        }
        if label.chars().any(char::is_control) {
            return Err(Message::new("field.mapping.label.control"));
        }
        if label.chars().count() > Self::MAX_LABEL_CHARS {
            return Err(Message::new("field.mapping.label.too_long").with("max", Self::MAX_LABEL_CHARS));
        }
        let field = field.parse::<Field>().map_err(|_| Message::new("field.mapping.field.unknown"))?;
        Ok(Rule { label: label.to_owned(), field })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn field(&self) -> Field {
        self.field
    }

    /// The label as a [`Mapping`] compares labels: rules with the same key are one rule.
    pub fn key(&self) -> String {
        values::label_key(&self.label)
    }
}

/// Where a posting is when the answers do not say: the region the portal serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub prefecture: String,
    pub municipality: String,
}

impl Region {
    /// 「富山県氷見市」 → 富山県 / 氷見市.
    pub fn parse(s: &str) -> Option<Self> {
        let place = values::place(s);
        Some(Region { prefecture: place.prefecture.unwrap_or_default(), municipality: place.municipality? })
    }
}

/// The employer as the answers describe them; matched to an existing one by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerDraft {
    pub name: String,
    pub contact_name: Option<String>,
    pub email: EmailAddress,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
}

/// A submission that can become a pending posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    pub posting: PostingDraft,
    pub employer: EmployerDraft,
}

/// Maps a webhook's answers. Errors list every missing or unreadable required field.
pub fn map_answers(answers: &FormAnswers, mapping: &Mapping, region: &Region) -> Result<Intake, Vec<FieldError>> {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for answer in &answers.answers {
        match mapping.field_for(&answer.label) {
            Some(Field::Ignore) => {}
            Some(field) => known.push((field, answer.clone())),
            None => unknown.push(answer.clone()),
        }
    }
    assemble(known, unknown, region, Mode::Webhook)
}

/// Yui's own form: its fields are named by [`Field::code`], so no mapping is needed.
pub fn map_fields(fields: &[(String, String)], region: &Region) -> Result<Intake, Vec<FieldError>> {
    let known = fields
        .iter()
        .filter_map(|(name, value)| {
            let field = name.parse::<Field>().ok().filter(|f| *f != Field::Ignore)?;
            Some((field, Answer { label: field.label_ja().to_owned(), value: value.clone() }))
        })
        .collect();
    assemble(known, Vec::new(), region, Mode::Form)
}

/// Who is on the other end when something cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A form tool: nobody can correct the answers, so what cannot be read is kept as text.
    Webhook,
    /// Yui's own form: the person is there, so a wrong value is shown next to its field.
    Form,
}

fn assemble(
    known: Vec<(Field, Answer)>,
    unknown: Vec<Answer>,
    region: &Region,
    mode: Mode,
) -> Result<Intake, Vec<FieldError>> {
    let mut by_field: HashMap<Field, Answer> = HashMap::new();
    for (field, answer) in known {
        if answer.value.trim().is_empty() {
            continue;
        }
        match by_field.get_mut(&field) {
            // Two questions for one field (「仕事内容」 and 「業務内容」): keep both.
            Some(existing) => {
                existing.value.push('\n');
                existing.value.push_str(&answer.value);
            }
            None => {
                by_field.insert(field, answer);
            }
        }
    }
    let text = |f: Field| by_field.get(&f).map(|a| a.value.trim().to_owned()).unwrap_or_default();
    // Values kept as text because they could not be read into their type.
    let mut notes: Vec<Answer> = Vec::new();
    let mut note = |f: Field| {
        if let Some(a) = by_field.get(&f) {
            notes.push(a.clone());
        }
    };

    let employment_type = match by_field.get(&Field::EmploymentType) {
        None => String::new(),
        Some(a) => match values::employment_type(&a.value) {
            Some(t) => t.code().to_owned(),
            None => {
                note(Field::EmploymentType);
                yui_domain::EmploymentType::Other.code().to_owned()
            }
        },
    };

    let location = values::place(&text(Field::Location));
    let mut prefecture = non_empty(text(Field::Prefecture)).or(location.prefecture);
    let mut municipality = non_empty(text(Field::Municipality)).or(location.municipality);
    let address = non_empty(text(Field::Address)).or(location.rest);
    if municipality.is_none() {
        municipality = Some(region.municipality.clone());
        prefecture = prefecture.or_else(|| Some(region.prefecture.clone()));
    }
    let prefecture = prefecture.unwrap_or_else(|| region.prefecture.clone());

    let remote = match by_field.get(&Field::Remote) {
        Some(a) => values::remote_mode(&a.value).map(|r| r.code()).unwrap_or_else(|| {
            note(Field::Remote);
            ""
        }),
        // 「勤務地: フルリモート」 says it too.
        None => values::remote_mode(&text(Field::Location)).map_or("", |r| r.code()),
    };

    let unit_hint = by_field.get(&Field::SalaryUnit).and_then(|a| values::salary_unit(&a.value));
    let (mut salary_min, mut salary_max, mut salary_unit) = (None, None, String::new());
    if let Some(a) = by_field.get(&Field::Salary) {
        match values::salary(&a.value, unit_hint) {
            Some(s) => {
                salary_min = s.min().map(|y| y.get());
                salary_max = s.max().map(|y| y.get());
                salary_unit = s.unit().code().to_owned();
            }
            None => note(Field::Salary),
        }
    } else if by_field.contains_key(&Field::SalaryMin) || by_field.contains_key(&Field::SalaryMax) {
        salary_min = values::yen(&text(Field::SalaryMin));
        salary_max = values::yen(&text(Field::SalaryMax));
        salary_unit = unit_hint.map(|u| u.code().to_owned()).unwrap_or_else(|| text(Field::SalaryUnit));
        let readable = unit_hint.is_some_and(|unit| {
            let yen = |v: Option<i64>| v.and_then(yui_domain::Yen::new);
            yui_domain::Salary::new(yen(salary_min), yen(salary_max), unit).is_ok()
        });
        // A person at Yui's form fixes the field; a webhook's answers stay as text instead.
        if !readable && mode == Mode::Webhook {
            for f in [Field::SalaryUnit, Field::SalaryMin, Field::SalaryMax] {
                note(f);
            }
            (salary_min, salary_max, salary_unit) = (None, None, String::new());
        }
    }

    let valid_through = by_field.get(&Field::ValidThrough).and_then(|a| {
        let d = values::date(&a.value);
        if d.is_none() {
            note(Field::ValidThrough);
        }
        d
    });

    // Values that read well but cannot be true: a person at Yui's form corrects the pay; a
    // webhook's submission is quarantined with the reason (docs/forms.md, "Impossible values").
    let mut errors = Vec::new();
    let pay_text: Vec<String> = [Field::Salary, Field::SalaryMin, Field::SalaryMax].into_iter().map(text).collect();
    if pay_text.iter().any(|t| values::is_negative_amount(t)) {
        errors.push(FieldError::new(Field::Salary.code(), Message::new("field.intake.salary.negative")));
    } else if let Ok(unit) = salary_unit.parse::<yui_domain::SalaryUnit>() {
        let ceiling = values::plausible_pay_ceiling(unit);
        if salary_min.max(salary_max).is_some_and(|yen| yen > ceiling) {
            let message = Message::new("field.intake.salary.absurd")
                .with("max", yui_domain::Yen::new(ceiling).map_or(String::new(), |y| y.to_japanese()));
            errors.push(FieldError::new(Field::Salary.code(), message));
        }
    }
    // Only a form tool's date: Yui's forms show the stored end again (an employer correcting
    // an ad whose end has passed must still be able to save it).
    if let Some(day) = valid_through.filter(|day| mode == Mode::Webhook && *day < yui_domain::today()) {
        errors.push(FieldError::new(
            Field::ValidThrough.code(),
            Message::new("field.intake.valid_through.past").with("date", day),
        ));
    }

    let terms = read_terms(&by_field, mode, &mut note);
    let project = read_project(&by_field, mode, &mut note);
    let conditions = read_conditions(by_field.get(&Field::Conditions), mode, &mut note);

    let mut description = text(Field::Description);
    if !description.is_empty() {
        for extra in notes.iter().chain(&unknown).filter(|a| !a.value.trim().is_empty()) {
            description.push_str(&format!("\n\n■ {}\n{}", extra.label.trim(), extra.value.trim()));
        }
    }

    let input = PostingInput {
        title: text(Field::Title),
        description,
        employment_type,
        category: text(Field::Category),
        prefecture,
        municipality: municipality.unwrap_or_default(),
        area: text(Field::Area),
        address: address.unwrap_or_default(),
        remote: remote.to_owned(),
        salary_min,
        salary_max,
        salary_unit,
        hours: text(Field::Hours),
        holidays: text(Field::Holidays),
        insurance: text(Field::Insurance),
        trial_period: text(Field::TrialPeriod),
        smoking: text(Field::Smoking),
        requirements: text(Field::Requirements),
        how_to_apply: text(Field::HowToApply),
        valid_through,
        terms,
        project,
        conditions,
    };

    let employer_name = text(Field::EmployerName);
    if employer_name.is_empty() {
        errors.push(FieldError::new(Field::EmployerName.code(), Message::new("field.intake.employer_name.required")));
    } else if employer_name.chars().count() > 100 {
        errors.push(FieldError::new(
            Field::EmployerName.code(),
            Message::new("field.intake.employer_name.too_long").with("max", 100),
        ));
    }
    let email = match text(Field::Email).as_str() {
        "" => {
            errors.push(FieldError::new(Field::Email.code(), Message::new("field.email.required")));
            None
        }
        s => EmailAddress::parse(s)
            .map_err(|_| errors.push(FieldError::new(Field::Email.code(), Message::new("field.email.invalid"))))
            .ok(),
    };
    let posting = PostingDraft::parse(input).map_err(|mut e| errors.append(&mut e)).ok();
    match (posting, email) {
        (Some(posting), Some(email)) if errors.is_empty() => Ok(Intake {
            posting,
            employer: EmployerDraft {
                name: employer_name,
                contact_name: non_empty(text(Field::ContactName)),
                email,
                phone: non_empty(text(Field::Phone)),
                website: non_empty(text(Field::Website)),
                industry: non_empty(text(Field::Industry)),
            },
        }),
        _ => Err(errors),
    }
}

/// One submission's answers as a section reads them: text as typed, people's words for a choice
/// as its code, numbers. A webhook's answer that cannot be read is kept as text (`note`); on
/// Yui's own form it is passed on, for the domain to refuse next to its field.
struct Reader<'a, N: FnMut(Field)> {
    by_field: &'a HashMap<Field, Answer>,
    mode: Mode,
    note: &'a mut N,
}

impl<N: FnMut(Field)> Reader<'_, N> {
    fn text(&self, f: Field) -> String {
        self.by_field.get(&f).map(|a| a.value.trim().to_owned()).unwrap_or_default()
    }

    fn choice(&mut self, f: Field, read: &dyn Fn(&str) -> Option<&'static str>) -> String {
        let typed = self.text(f);
        match (typed.as_str(), read(&typed)) {
            ("", _) => String::new(),
            (_, Some(code)) => code.to_owned(),
            (_, None) if self.mode == Mode::Form => typed,
            (_, None) => {
                (self.note)(f);
                String::new()
            }
        }
    }

    fn number(&mut self, f: Field, read: fn(&str) -> Option<i64>) -> Option<i64> {
        let typed = self.text(f);
        if typed.is_empty() {
            return None;
        }
        let n = read(&typed);
        if n.is_none() {
            (self.note)(f);
        }
        n
    }
}

/// The working conditions: people's words for the choices (「期間の定めなし」「自動更新」「あり」)
/// become the form's codes.
fn read_terms(by_field: &HashMap<Field, Answer>, mode: Mode, note: &mut impl FnMut(Field)) -> yui_domain::TermsInput {
    let mut r = Reader { by_field, mode, note };
    let yes_no = |s: &str| values::yes_no(s).map(|b| if b { "yes" } else { "no" });
    yui_domain::TermsInput {
        duties_scope: r.text(Field::DutiesScope),
        workplace_scope: r.text(Field::WorkplaceScope),
        contract: r.choice(Field::Contract, &|s| values::contract_kind(s).map(|c| c.code())),
        contract_length: r.text(Field::ContractLength),
        renewal: r.choice(Field::Renewal, &|s| values::renewal(s).map(|r| r.code())),
        renewal_limit: r.text(Field::RenewalLimit),
        trial: r.choice(Field::Trial, &yes_no),
        trial_conditions: r.text(Field::TrialConditions),
        breaks: r.text(Field::Breaks),
        overtime: r.choice(Field::Overtime, &yes_no),
        overtime_hours: r.number(Field::OvertimeHours, values::count),
        fixed_overtime: r.choice(Field::FixedOvertime, &yes_no),
        fixed_overtime_pay: r.number(Field::FixedOvertimePay, values::yen),
        fixed_overtime_hours: r.number(Field::FixedOvertimeHours, values::count),
    }
}

/// A side job's or project's terms: people's words (「8割」「3か月」「プロボノ」) become numbers
/// and codes, as for the working conditions.
fn read_project(by_field: &HashMap<Field, Answer>, mode: Mode, note: &mut impl FnMut(Field)) -> ProjectInput {
    let mut r = Reader { by_field, mode, note };
    ProjectInput {
        hours_per_month: r.number(Field::HoursPerMonth, values::count),
        duration_months: r.number(Field::DurationMonths, values::months),
        visits: r.choice(Field::Visits, &|s| values::visits(s).map(|v| v.code())),
        remote_share: r.number(Field::RemoteShare, values::remote_share),
        travel_support: r.choice(Field::TravelSupport, &|s| values::travel_support(s).map(|t| t.code())),
        reward: r.choice(Field::Reward, &|s| values::reward(s).map(|r| r.code())),
        coordinator: r.text(Field::Coordinator),
    }
}

/// The conditions chosen, as codes. Several choices arrive joined (「寮・社宅あり、駐車場あり」, or
/// one per line from Yui's checkboxes). Yui's own form sends codes, passed on for the domain to
/// refuse an unknown one; a form tool's answer is read from people's words, and one that holds
/// a choice Yui does not know is also kept as text (`note`), so nothing is lost.
fn read_conditions(answer: Option<&Answer>, mode: Mode, note: &mut impl FnMut(Field)) -> Vec<String> {
    let Some(answer) = answer else { return Vec::new() };
    let parts = answer.value.split(['\n', ',', '、', '，', ';', '；']).map(str::trim).filter(|p| !p.is_empty());
    if mode == Mode::Form {
        return parts.map(str::to_owned).collect();
    }
    let mut unread = false;
    let codes = parts
        .filter_map(|p| {
            let c = yui_domain::Condition::from_words(p);
            unread |= c.is_none();
            c.map(|c| c.code().to_owned())
        })
        .collect();
    if unread {
        note(Field::Conditions);
    }
    codes
}

fn non_empty(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use yui_domain::{EmploymentType, RemoteMode};

    fn region() -> Region {
        Region::parse("富山県氷見市").unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> FormAnswers {
        FormAnswers {
            external_id: Some("evt_1".into()),
            form_id: None,
            answers: pairs.iter().map(|(l, v)| Answer { label: (*l).into(), value: (*v).into() }).collect(),
        }
    }

    fn complete() -> Vec<(&'static str, &'static str)> {
        vec![
            ("タイムスタンプ", "2026/11/25 10:00:00"),
            ("求人タイトル（30文字以内）", "定置網の乗組員"),
            ("仕事内容", "朝の漁に出ます。"),
            ("雇用形態", "正社員"),
            ("勤務地", "富山県氷見市比美町1-2"),
            ("給与", "月給22万円〜28万円"),
            ("掲載終了日", "2027年3月31日"),
            ("応募方法", "お電話ください"),
            ("事業所名", "氷見定置網組合"),
            ("担当者名", "浜田"),
            ("メールアドレス", "ami@example.jp"),
            ("社宅の有無", "あり（家賃補助）"),
        ]
    }

    #[test]
    fn japanese_labels_work_without_configuration() {
        let intake = map_answers(&answers(&complete()), &Mapping::default(), &region()).unwrap();
        let p = &intake.posting;
        assert_eq!(p.title.as_str(), "定置網の乗組員");
        assert_eq!(p.employment_type, EmploymentType::FullTime);
        assert_eq!((p.prefecture.as_str(), p.municipality.as_str()), ("富山県", "氷見市"));
        assert_eq!(p.address.as_deref(), Some("比美町1-2"));
        assert_eq!(p.salary.unwrap().to_japanese(), "月給 22万円〜28万円");
        assert_eq!(p.valid_through.unwrap().to_string(), "2027-03-31");
        assert_eq!(intake.employer.email.as_str(), "ami@example.jp");
        assert_eq!(intake.employer.contact_name.as_deref(), Some("浜田"));
        // The question nobody mapped is kept, the timestamp is not.
        assert!(p.description.as_str().ends_with("■ 社宅の有無\nあり（家賃補助）"), "{}", p.description.as_str());
        assert!(!p.description.as_str().contains("2026/11/25"));
    }

    #[test]
    fn impossible_values_are_refused_with_the_reason() {
        let with = |label: &'static str, value: &'static str| {
            let mut pairs = complete();
            pairs.retain(|(l, _)| *l != label);
            pairs.push((label, value));
            let errors = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap_err();
            errors.iter().map(|e| (e.field, e.message.key())).collect::<Vec<_>>()
        };
        assert_eq!(with("掲載終了日", "1900-01-01"), [("valid_through", "field.intake.valid_through.past")]);
        assert_eq!(with("給与", "月給-5000円"), [("salary", "field.intake.salary.negative")]);
        assert_eq!(with("給与", "時給 250,000円"), [("salary", "field.intake.salary.absurd")]);
        // A range mark between two amounts is not a minus.
        assert!(map_answers(&answers(&[("給与", "時給1000-1200円")]), &Mapping::default(), &region())
            .unwrap_err()
            .iter()
            .all(|e| e.field != "salary"));
    }

    #[test]
    fn the_working_terms_are_read_from_japanese_and_english_answers() {
        let mut pairs = complete();
        pairs.extend([
            ("業務内容の変更の範囲", "会社の定める業務"),
            ("就業場所の変更の範囲", "変更なし"),
            ("契約期間の定め", "期間の定めあり"),
            ("契約期間", "1年"),
            ("契約更新の有無", "更新する場合あり"),
            ("更新上限", "通算5年まで"),
            ("試用期間", "なし"),
            ("休憩時間", "60分"),
            ("残業", "あり"),
            ("月平均の時間外労働", "月平均10時間"),
            ("固定残業代", "なし"),
        ]);
        let t = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap().posting;
        assert_eq!(t.terms.contract, Some(yui_domain::ContractKind::Fixed));
        assert_eq!(t.terms.renewal, Some(yui_domain::Renewal::Possible));
        assert_eq!((t.terms.trial, t.trial_period), (Some(false), None));
        assert_eq!((t.terms.overtime, t.terms.overtime_hours), (Some(true), Some(10)));
        assert_eq!(t.terms.fixed_overtime, Some(false));

        let english = [
            ("Job title", "Cook"),
            ("Job description", "Cook lunches."),
            ("Employment type", "Part-time"),
            ("How to apply", "Call us"),
            ("Company name", "Himi Kitchen"),
            ("Email", "k@example.jp"),
            ("Fixed term", "No fixed term"),
            ("Overtime", "No"),
            ("Probation", "Yes"),
            ("Probation period", "1 month"),
            ("Break time", "45 minutes"),
        ];
        let t = map_answers(&answers(&english), &Mapping::default(), &region()).unwrap().posting;
        assert_eq!(t.terms.contract, Some(yui_domain::ContractKind::Indefinite));
        assert_eq!(t.terms.overtime, Some(false));
        assert_eq!((t.terms.trial, t.trial_period.as_deref()), (Some(true), Some("1 month")));
        assert_eq!(t.terms.breaks.as_deref(), Some("45 minutes"));
    }

    #[test]
    fn an_unreadable_term_is_kept_as_text_from_a_webhook() {
        let mut pairs = complete();
        pairs.push(("契約更新の有無", "要相談"));
        let p = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap().posting;
        assert_eq!(p.terms.renewal, None);
        assert!(p.description.as_str().contains("■ 契約更新の有無\n要相談"), "{}", p.description.as_str());
    }

    #[test]
    fn chosen_conditions_are_read_and_an_unknown_choice_is_kept_as_text() {
        let mut pairs = complete();
        pairs.push(("こだわり条件", "寮・社宅あり、マイカー通勤可、プールあり"));
        let p = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap().posting;
        assert_eq!(p.conditions.codes(), ["dorm", "car"]);
        assert!(p.description.as_str().contains("■ こだわり条件\n寮・社宅あり"), "{}", p.description.as_str());

        let form = |codes: &[&str]| {
            let mut fields: Vec<(String, String)> = [
                ("title", "t"),
                ("description", "d"),
                ("employment_type", "part_time"),
                ("how_to_apply", "a"),
                ("employer_name", "e"),
                ("email", "e@example.jp"),
            ]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
            fields.extend(codes.iter().map(|c| ("conditions".to_owned(), (*c).to_owned())));
            map_fields(&fields, &region())
        };
        assert_eq!(form(&["parking", "beginner"]).unwrap().posting.conditions.codes(), ["parking", "beginner"]);
        let errors = form(&["parking", "pool"]).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| (e.field, e.message.key())).collect::<Vec<_>>(),
            [("conditions", "field.posting.conditions.unknown")]
        );
    }

    #[test]
    fn english_labels_work_too() {
        let pairs = [
            ("Job title", "Web developer"),
            ("Job description", "Build our shop."),
            ("Employment type", "Freelance"),
            ("Remote work", "Fully remote"),
            ("Salary", "300000 per month"),
            ("How to apply", "Email us"),
            ("Company name", "Himi Web"),
            ("Email", "web@example.jp"),
        ];
        let p = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap().posting;
        assert_eq!(p.employment_type, EmploymentType::Outsourcing);
        assert_eq!(p.remote, RemoteMode::Remote);
        assert_eq!(p.municipality, "氷見市", "the region stands in for a missing location");
        assert_eq!(p.salary.unwrap().to_japanese(), "月給 30万円");
    }

    #[test]
    fn unreadable_values_are_kept_as_text_not_guessed() {
        let mut pairs = complete();
        pairs[5] = ("給与", "経験により応相談");
        pairs[6] = ("掲載終了日", "来年の春ごろ");
        let p = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap().posting;
        assert_eq!(p.salary, None);
        assert_eq!(p.valid_through, None);
        let d = p.description.as_str();
        assert!(d.contains("■ 給与\n経験により応相談") && d.contains("■ 掲載終了日\n来年の春ごろ"), "{d}");
    }

    #[test]
    fn missing_required_answers_are_all_listed() {
        let pairs = [("求人タイトル", "漁師"), ("メールアドレス", "not-an-address")];
        let errors = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["employer_name", "email", "description", "how_to_apply", "employment_type"]);
        assert_eq!(errors[0].message.key(), "field.intake.employer_name.required");
        assert_eq!(errors[1].message.key(), "field.email.invalid");
    }

    #[test]
    fn a_configured_label_repoints_a_question() {
        let mut mapping = Mapping::default();
        mapping.add(Field::Title, &["募集する仕事"]);
        mapping.add(Field::Description, &["給与"]);
        let mut pairs = complete();
        pairs[1] = ("募集する仕事", "網の修理");
        let p = map_answers(&answers(&pairs), &mapping, &region()).unwrap().posting;
        assert_eq!(p.title.as_str(), "網の修理");
        assert_eq!(p.salary, None);
        assert!(p.description.as_str().contains("月給22万円〜28万円"));
    }

    #[test]
    fn separate_salary_questions() {
        let mut pairs = complete();
        pairs.remove(5);
        pairs.extend([("給与の単位", "時給"), ("給与（下限）", "1,000"), ("給与（上限）", "1,200円")]);
        let p = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap().posting;
        assert_eq!(p.salary.unwrap().to_japanese(), "時給 1,000円〜1,200円");
    }

    #[test]
    fn an_amount_without_a_unit_is_kept_as_text_from_a_webhook_but_refused_on_yuis_form() {
        let mut pairs = complete();
        pairs[5] = ("給与（下限）", "1200");
        let p = map_answers(&answers(&pairs), &Mapping::default(), &region()).unwrap().posting;
        assert_eq!(p.salary, None);
        assert!(p.description.as_str().contains("■ 給与（下限）\n1200"), "{}", p.description.as_str());
        let fields: Vec<(String, String)> = [
            ("title", "t"),
            ("description", "d"),
            ("employment_type", "part_time"),
            ("salary_min", "1200"),
            ("how_to_apply", "a"),
            ("employer_name", "e"),
            ("email", "e@example.jp"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let errors = map_fields(&fields, &region()).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), ["salary"]);
    }

    #[test]
    fn yuis_own_form_uses_field_codes() {
        let fields: Vec<(String, String)> = [
            ("title", "民宿の手伝い"),
            ("description", "布団の上げ下ろし"),
            ("employment_type", "part_time"),
            ("salary_unit", "hour"),
            ("salary_min", "1000"),
            ("how_to_apply", "電話"),
            ("employer_name", "民宿はま"),
            ("email", "hama@example.jp"),
            ("website_url", "spam"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let intake = map_fields(&fields, &region()).unwrap();
        assert_eq!(intake.posting.salary.unwrap().to_japanese(), "時給 1,000円〜");
        assert!(!intake.posting.description.as_str().contains("spam"));
    }

    #[test]
    fn every_field_code_round_trips_and_default_labels_are_unique() {
        let mut seen = HashMap::new();
        for f in Field::ALL {
            assert_eq!(f.code().parse::<Field>(), Ok(*f));
            for label in f.default_labels() {
                let key = values::label_key(label);
                assert_eq!(seen.insert(key.clone(), *f), None, "label {label:?} claimed twice");
                assert_eq!(Mapping::default().field_for(label), Some(*f), "{label}");
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod rule_tests {
    use super::*;

    #[test]
    fn a_rule_keeps_a_trimmed_label_and_refuses_what_is_no_question_or_no_field() {
        let rule = Rule::parse("  募集する仕事 ", "title").unwrap();
        assert_eq!((rule.label(), rule.field()), ("募集する仕事", Field::Title));
        let refused = |label: &str, field: &str| Rule::parse(label, field).unwrap_err().key();
        assert_eq!(refused(" ", "title"), "field.mapping.label.required");
        assert_eq!(refused("仕事\0", "title"), "field.mapping.label.control");
        assert_eq!(refused(&"あ".repeat(201), "title"), "field.mapping.label.too_long");
        assert!(Rule::parse(&"あ".repeat(200), "title").is_ok());
        assert_eq!(refused("募集する仕事", "salary_maximum"), "field.mapping.field.unknown");
    }
}
