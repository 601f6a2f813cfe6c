//! What templates see: plain, pre-formatted values, so templates need no logic.

use crate::i18n::Lang;
use crate::settings::portal::PortalSettings;
use chrono::NaiveDateTime;
use serde::Serialize;
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_domain::{tokyo, EmploymentType, RemoteMode};

/// A UTC timestamp as a date in Japan.
pub fn date(at: NaiveDateTime, lang: Lang) -> String {
    let local = at.and_utc().with_timezone(&tokyo());
    local.format(lang.t("format.date")).to_string()
}

/// The week that starts on `monday`, as its first day.
pub fn week_label(monday: chrono::NaiveDate, lang: Lang) -> String {
    lang.tf("statistics.week_of", &[("date", &monday.format(lang.t("format.date")))])
}

/// A UTC timestamp as a date and time in Japan.
pub fn datetime(at: NaiveDateTime, lang: Lang) -> String {
    at.and_utc().with_timezone(&tokyo()).format(lang.t("format.datetime")).to_string()
}

/// A month: 「2026年11月」, "2026-11".
pub fn month(year: i32, month: u32, lang: Lang) -> String {
    lang.tf("format.month", &[("year", &year), ("month", &month), ("month02", &format!("{month:02}"))])
}

/// A UTC timestamp as the `YYYY-MM-DD` date in Japan (for `<input type="date">`).
pub fn date_iso(at: NaiveDateTime) -> String {
    at.and_utc().with_timezone(&tokyo()).format("%Y-%m-%d").to_string()
}

/// Prefecture, municipality and the district as the reader's language names them: 「富山県 氷見市
/// 十二町」, "Junicho, Himi, Toyama" when `site.region_en` names the town in English.
fn location(p: &Posting, portal: &PortalSettings, lang: Lang) -> String {
    let area = p.area.as_deref().map(|a| portal.area_label(a, lang.code()));
    let japanese = [Some(p.prefecture.clone()), Some(p.municipality.clone()), area.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let english = match &portal.region_en {
        Some((ja, en)) if *ja == format!("{}{}", p.prefecture, p.municipality) => {
            [area, Some(en.clone())].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
        }
        _ => japanese.clone(),
    };
    lang.pick(&japanese, &english).to_owned()
}

/// Where the work is, said once: the street address under its prefecture and municipality
/// (unless it already starts with them), else the card's location.
fn place(p: &Posting, portal: &PortalSettings, lang: Lang) -> String {
    let Some(address) = p.address.as_deref().map(str::trim).filter(|a| !a.is_empty()) else {
        return location(p, portal, lang);
    };
    let head: String = [p.prefecture.as_str(), p.municipality.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty() && !address.contains(*s))
        .collect::<Vec<_>>()
        .join("");
    format!("{head}{address}")
}

/// How the work is done, as a reader reads it (「出勤（オンサイト）」 rather than the bare code).
fn way_of_working(remote: RemoteMode, lang: Lang) -> &'static str {
    match remote {
        RemoteMode::Onsite => lang.t("job.way.onsite"),
        RemoteMode::Hybrid => lang.t("job.way.hybrid"),
        RemoteMode::Remote => lang.t("job.way.remote"),
    }
}

#[derive(Debug, Serialize)]
pub struct PostingCard {
    url: String,
    title: String,
    employer: String,
    type_code: &'static str,
    type_label: &'static str,
    location: String,
    remote: Option<&'static str>,
    salary: Option<String>,
    published: String,
    /// 「ハローワーク求人」 on a Hello Work posting's card; none on the employers' own.
    source_label: Option<&'static str>,
    /// The working hours in short: the first line, cut to fit a card.
    hours: Option<String>,
    /// The conditions people filter on, as chips (set by [`PostingCard::with_conditions`]).
    conditions: Vec<Chip>,
    /// A side job's or project's terms in short (「月10時間」「3か月」), set by [`PostingCard::with_project`].
    project: Vec<String>,
    /// The title with the searched words in `<mark>` (escaped first), on a search's results.
    title_html: Option<String>,
    /// Where the searched words appear in the text, marked, when the card shows no such text.
    excerpt_html: Option<String>,
}

/// One condition as a chip: its code (for the style) and its short label.
#[derive(Debug, Serialize)]
pub struct Chip {
    code: &'static str,
    label: &'static str,
}

impl Chip {
    pub fn label(&self) -> &'static str {
        self.label
    }
}

/// Chips for stored condition codes, in the list's order (unknown codes left out).
pub fn condition_chips(codes: &[String], lang: Lang) -> Vec<Chip> {
    yui_domain::Conditions::lenient(codes)
        .as_slice()
        .iter()
        .map(|c| Chip { code: c.code(), label: c.chip(lang.code()) })
        .collect()
}

/// The checkboxes of a posting form's conditions, `chosen` ticked.
pub fn condition_choices(chosen: &[String], lang: Lang) -> Vec<serde_json::Value> {
    yui_domain::Condition::ALL
        .iter()
        .map(|c| {
            serde_json::json!({
                "code": c.code(),
                "label": c.label(lang.code()),
                "checked": chosen.iter().any(|x| x == c.code()),
            })
        })
        .collect()
}

/// How much of a text a search result quotes around the words found.
const EXCERPT_CHARS: usize = 60;

/// A card has room for one line of hours: the first line written, trimmed, at most 40 characters.
fn short_hours(hours: Option<&str>) -> Option<String> {
    const MAX: usize = 40;
    let line = hours?.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(if line.chars().count() > MAX {
        format!("{}…", line.chars().take(MAX - 1).collect::<String>())
    } else {
        line.to_owned()
    })
}

impl PostingCard {
    pub fn new(p: &Posting, e: &Employer, portal: &PortalSettings, lang: Lang) -> Self {
        PostingCard {
            url: format!("/jobs/{}", p.public_id),
            title: p.title.clone(),
            employer: e.name.clone(),
            type_code: p.employment_type.code(),
            type_label: p.employment_type.label(lang.code()),
            location: location(p, portal, lang),
            remote: (p.remote != yui_domain::RemoteMode::Onsite).then(|| p.remote.label(lang.code())),
            salary: p.salary().map(|s| s.text(lang.code())),
            published: date(p.published_at.unwrap_or(p.created_at), lang),
            source_label: None,
            hours: short_hours(p.hours.as_deref()),
            conditions: Vec::new(),
            project: Vec::new(),
            title_html: None,
            excerpt_html: None,
        }
    }

    /// Marks the searched words (normal form, from the search) in the title, and quotes the
    /// first text that holds one.
    pub fn marked(mut self, p: &Posting, marks: &[String]) -> Self {
        if marks.is_empty() {
            return self;
        }
        self.title_html = Some(yui_search::highlight::mark(&p.title, marks));
        let texts = [
            Some(&p.description),
            p.requirements.as_ref(),
            p.hours.as_ref(),
            p.holidays.as_ref(),
            p.insurance.as_ref(),
        ];
        self.excerpt_html =
            texts.into_iter().flatten().find_map(|t| yui_search::highlight::excerpt(t, marks, EXCERPT_CHARS));
        self
    }

    /// The posting's conditions as chips (stored codes, see `yui_db::postings::conditions_by_posting`).
    pub fn with_conditions(mut self, codes: Option<&Vec<String>>, lang: Lang) -> Self {
        self.conditions = codes.map(|c| condition_chips(c, lang)).unwrap_or_default();
        self
    }

    /// The posting's project terms as chips (see `yui_db::postings::projects_by_posting`).
    pub fn with_project(mut self, terms: Option<&yui_domain::ProjectTerms>, lang: Lang) -> Self {
        self.project = terms.map(|t| project_chips(t, lang)).unwrap_or_default();
        self
    }

    /// Marks the card of a Hello Work posting.
    pub fn from_hellowork(mut self, yes: bool, lang: Lang) -> Self {
        self.source_label = yes.then(|| lang.t("hellowork.label"));
        self
    }
}

#[derive(Debug, Serialize)]
pub struct PostingDetail {
    card: PostingCard,
    description: Vec<String>,
    /// The category's label in the reader's language (a value naming none, as typed).
    category: Option<String>,
    place: String,
    area: Option<String>,
    remote: &'static str,
    hours: Option<String>,
    holidays: Option<String>,
    insurance: Option<String>,
    trial_period: Option<String>,
    smoking: Option<String>,
    requirements: Option<String>,
    how_to_apply: String,
    /// The last day it is shown: the instant it ends, minus a second, in Japan.
    valid_through: String,
    updated: String,
    employer: EmployerView,
}

#[derive(Debug, Serialize)]
struct EmployerView {
    name: String,
    industry: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    phone_href: Option<String>,
    website: Option<String>,
}

impl PostingDetail {
    /// The posting's conditions as chips, on the page as on its card.
    pub fn with_conditions(mut self, codes: &[String], lang: Lang) -> Self {
        self.card.conditions = condition_chips(codes, lang);
        self
    }

    pub fn new(p: &Posting, e: &Employer, portal: &PortalSettings, lang: Lang) -> Self {
        PostingDetail {
            card: PostingCard::new(p, e, portal, lang),
            description: p
                .description
                .split("\n\n")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            category: p.category.as_deref().map(|c| portal.category_label(c, lang.code())),
            place: place(p, portal, lang),
            area: p.area.as_deref().map(|a| portal.area_label(a, lang.code())),
            remote: way_of_working(p.remote, lang),
            hours: p.hours.clone(),
            holidays: p.holidays.clone(),
            insurance: p.insurance.clone(),
            trial_period: p.trial_period.clone(),
            smoking: p.smoking.clone(),
            requirements: p.requirements.clone(),
            how_to_apply: p.how_to_apply.clone(),
            valid_through: date(p.valid_through - chrono::Duration::seconds(1), lang),
            updated: date(p.updated_at, lang),
            employer: EmployerView {
                name: e.name.clone(),
                industry: e.industry.clone(),
                address: e.address.clone(),
                phone_href: e.phone.as_ref().map(|ph| {
                    format!("tel:{}", ph.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())
                }),
                phone: e.phone.clone(),
                // Only web links: a javascript: URL typed into a form must never become a link.
                website: e.website.clone().filter(|w| w.starts_with("https://") || w.starts_with("http://")),
            },
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TypeCount {
    code: &'static str,
    label: &'static str,
    count: i64,
    href: String,
    selected: bool,
}

pub fn type_counts(counts: &[(EmploymentType, i64)], selected: Option<EmploymentType>, lang: Lang) -> Vec<TypeCount> {
    counts
        .iter()
        .map(|(t, n)| TypeCount {
            code: t.code(),
            label: t.label(lang.code()),
            count: *n,
            href: format!("/jobs?type={}", t.code()),
            selected: selected == Some(*t),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct Pagination {
    current: u32,
    last: u32,
    prev: Option<String>,
    next: Option<String>,
}

impl Pagination {
    /// Links keep the filter; `base` is the list URL with its query but no page.
    pub fn new(current: u32, total: i64, per_page: u32, base_query: &[(String, String)]) -> Self {
        let last = u32::try_from((total.max(1) + i64::from(per_page) - 1) / i64::from(per_page)).unwrap_or(u32::MAX);
        let href = |page: u32| {
            let mut pairs = base_query.to_vec();
            if page > 1 {
                pairs.push(("page".into(), page.to_string()));
            }
            let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
            if q.is_empty() {
                "/jobs".to_owned()
            } else {
                format!("/jobs?{q}")
            }
        };
        Pagination {
            current,
            last,
            prev: (current > 1).then(|| href(current - 1)),
            next: (current < last).then(|| href(current + 1)),
        }
    }

    pub fn last(&self) -> u32 {
        self.last
    }
}

/// The open-data licence every list of postings states (API, feeds, search page).
pub fn license(settings: &crate::settings::Settings) -> serde_json::Value {
    serde_json::json!({"name": settings.portal.data_license_name, "url": settings.portal.data_license_url})
}

/// Whole yen with thousands separators: 1234567 → "1,234,567".
pub fn yen(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An article as a list shows it: a feature carries its sponsor (the 「PR」 mark needs it).
pub fn article_card(a: &yui_db::articles::Article, sponsor: Option<&Employer>, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "url": crate::paths::article(a.kind, &a.slug),
        "title": a.title,
        "lede": a.lede,
        "is_feature": a.kind == yui_domain::ArticleKind::Feature,
        "sponsor": sponsor.map(|s| s.name.clone()),
        "hero": a.hero_image.as_ref().map(|h| format!("/media/{h}")),
        "hero_alt": a.hero_alt.clone().unwrap_or_default(),
        "published": a.shown_from().map(|t| date(t, lang)).unwrap_or_default(),
    })
}

#[cfg(test)]
mod card_tests {
    use super::short_hours;

    #[test]
    fn a_card_shows_the_first_line_of_the_hours_cut_to_fit() {
        assert_eq!(short_hours(Some("\n 8:00〜17:00 \n土曜は午前のみ")).as_deref(), Some("8:00〜17:00"));
        assert_eq!(short_hours(Some("  ")), None);
        let long = "あ".repeat(50);
        assert_eq!(short_hours(Some(&long)).map(|s| s.chars().count()), Some(40));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_keeps_the_filter_and_stops_at_the_ends() {
        let q = vec![("type".to_owned(), "part_time".to_owned())];
        let p = Pagination::new(1, 41, 20, &q);
        assert_eq!((p.last, p.prev.as_deref(), p.next.as_deref()), (3, None, Some("/jobs?type=part_time&page=2")));
        let p = Pagination::new(3, 41, 20, &q);
        assert_eq!((p.prev.as_deref(), p.next.as_deref()), (Some("/jobs?type=part_time&page=2"), None));
        let p = Pagination::new(2, 41, 20, &[]);
        assert_eq!(p.prev.as_deref(), Some("/jobs"));
    }

    #[test]
    fn an_empty_list_still_has_one_page() {
        assert_eq!(Pagination::new(1, 0, 20, &[]).last, 1);
    }

    #[test]
    fn dates_are_shown_in_japan_time() {
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(16, 30, 0).unwrap();
        assert_eq!(date(utc, Lang::Ja), "2026年11月25日");
        assert_eq!(date(utc, Lang::En), "25 Nov 2026");
    }

    #[test]
    fn yen_has_thousands_separators() {
        assert_eq!(super::yen(0), "0");
        assert_eq!(super::yen(999), "999");
        assert_eq!(super::yen(1000), "1,000");
        assert_eq!(super::yen(1_234_567), "1,234,567");
        assert_eq!(super::yen(-165_000), "-165,000");
    }
}

/// Which posting form an error summary points into: the public forms (`/submit` and the
/// employer's edit form) and the staff edit form name their controls differently.
#[derive(Clone, Copy)]
pub enum PostingForm {
    Public,
    Staff,
}

/// The list at the top of a posting form that came back with mistakes: one link per field
/// error to the control to fix, named by its label, so a person on a phone (or a screen
/// reader) need not scroll the whole form to find what is wrong.
pub fn posting_error_summary(
    errors: &[yui_domain::FieldError],
    form: PostingForm,
    lang: Lang,
) -> Vec<serde_json::Value> {
    errors
        .iter()
        .map(|e| {
            let (control, label) = posting_control(e.field, form);
            let prefix = match form {
                _ if TERMS_FIELDS.contains(&control) || PROJECT_FIELDS.contains(&control) => "t-",
                PostingForm::Public => "f-",
                PostingForm::Staff => "e-",
            };
            serde_json::json!({
                "href": format!("#{prefix}{control}"),
                "label": label.map(|key| lang.t(key)).unwrap_or(""),
                "message": lang.message(&e.message),
            })
        })
        .collect()
}

/// The control (id without its prefix) that holds a field, and the locale key of its label.
/// A field's error may belong to a group: the salary's to its unit, the first of its controls.
fn posting_control(field: &str, form: PostingForm) -> (&str, Option<&'static str>) {
    let label = match field {
        "title" => "submit.f.title",
        "employment_type" => "submit.f.employment_type",
        "description" => "submit.f.description",
        "category" => "submit.f.category",
        "remote" => "submit.f.remote",
        "salary" | "salary_unit" | "salary_min" | "salary_max" => "submit.f.salary",
        "hours" => "terms.f.hours",
        "holidays" => "terms.f.holidays",
        "insurance" => "terms.f.insurance",
        "duties_scope" => "terms.f.duties_scope",
        "workplace_scope" => "terms.f.workplace_scope",
        "contract" => "terms.f.contract",
        "contract_length" => "terms.f.contract_length",
        "renewal" => "terms.f.renewal",
        "renewal_limit" => "terms.f.renewal_limit",
        "trial" => "terms.f.trial",
        "trial_conditions" => "terms.f.trial_conditions",
        "breaks" => "terms.f.breaks",
        "overtime" => "terms.f.overtime",
        "overtime_hours" => "terms.f.overtime_hours",
        "fixed_overtime" => "terms.f.fixed_overtime",
        "fixed_overtime_pay" => "terms.f.fixed_overtime_pay",
        "fixed_overtime_hours" => "terms.f.fixed_overtime_hours",
        "hours_per_month" => "project.f.hours_per_month",
        "duration_months" => "project.f.duration_months",
        "visits" => "project.f.visits",
        "remote_share" => "project.f.remote_share",
        "travel_support" => "project.f.travel_support",
        "reward" => "project.f.reward",
        "coordinator" => "project.f.coordinator",
        "requirements" => "submit.f.requirements",
        "conditions" => "conditions.f.label",
        "how_to_apply" => "submit.f.how_to_apply",
        "valid_through" => "submit.f.valid_through",
        "employer_name" => "submit.f.employer_name",
        "contact_name" => "submit.f.contact_name",
        "email" => "submit.f.email",
        "phone" => "submit.f.phone",
        "website" => "submit.f.website",
        "trial_period" => "terms.f.trial_period",
        "smoking" => "terms.f.smoking",
        "prefecture" => "admin.prefecture",
        "area" => "admin.area",
        "address" => "admin.address",
        "location" => match form {
            PostingForm::Public => "submit.f.location",
            PostingForm::Staff => "admin.address",
        },
        "municipality" => match form {
            PostingForm::Public => "submit.f.location",
            PostingForm::Staff => "admin.municipality",
        },
        _ => return (field, None),
    };
    let control = match (field, form) {
        ("salary" | "salary_min" | "salary_max", _) => "salary_unit",
        ("municipality", PostingForm::Public) => "location",
        ("employment_type", PostingForm::Staff) => "type",
        ("location", PostingForm::Staff) => "address",
        _ => field,
    };
    (control, Some(label))
}

/// The fields of `partials/terms_fields.hbs`, named as on every posting form (ids `t-<name>`).
pub const TERMS_FIELDS: &[&str] = &[
    "duties_scope",
    "workplace_scope",
    "contract",
    "contract_length",
    "renewal",
    "renewal_limit",
    "trial",
    "trial_period",
    "trial_conditions",
    "hours",
    "breaks",
    "overtime",
    "overtime_hours",
    "holidays",
    "fixed_overtime",
    "fixed_overtime_pay",
    "fixed_overtime_hours",
    "insurance",
    "smoking",
];

/// The fields of `partials/project_fields.hbs` (ids `t-<name>`, like the working conditions').
pub const PROJECT_FIELDS: &[&str] =
    &["hours_per_month", "duration_months", "visits", "remote_share", "travel_support", "reward", "coordinator"];

/// A posting's project terms as the forms' values.
pub fn project_values(terms: &yui_domain::ProjectTerms) -> Vec<(String, String)> {
    let i = terms.to_input();
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    [
        ("hours_per_month", number(i.hours_per_month)),
        ("duration_months", number(i.duration_months)),
        ("visits", i.visits),
        ("remote_share", number(i.remote_share)),
        ("travel_support", i.travel_support),
        ("reward", i.reward),
        ("coordinator", i.coordinator),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The project terms as label and value rows (the posting page, the review page), and as short
/// chips for a card: 「月10時間」「3か月」「リモート80%」「有償」.
pub fn project_rows(terms: &yui_domain::ProjectTerms, lang: Lang) -> Vec<serde_json::Value> {
    let f = &terms.facts;
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(h) = f.hours_per_month {
        rows.push(("project.f.hours_per_month", lang.tf("project.show.hours", &[("n", &h.to_string())])));
    }
    if let Some(m) = f.duration_months {
        rows.push(("project.f.duration_months", lang.tf("project.show.months", &[("n", &m.to_string())])));
    }
    if let Some(v) = f.visits {
        rows.push(("project.f.visits", v.label(lang.code()).to_owned()));
    }
    if let Some(r) = f.remote_share {
        rows.push(("project.f.remote_share", lang.tf("project.show.remote_share", &[("n", &r.to_string())])));
    }
    if let Some(t) = f.travel_support {
        rows.push(("project.f.travel_support", t.label(lang.code()).to_owned()));
    }
    if let Some(r) = f.reward {
        rows.push(("project.f.reward", r.label(lang.code()).to_owned()));
    }
    if let Some(c) = &terms.coordinator {
        rows.push(("project.f.coordinator", c.clone()));
    }
    rows.into_iter().map(|(label, value)| serde_json::json!({"label": lang.t(label), "value": value})).collect()
}

/// The few project terms a card shows, in a seeker's words.
pub fn project_chips(terms: &yui_domain::ProjectTerms, lang: Lang) -> Vec<String> {
    let f = &terms.facts;
    let mut chips = Vec::new();
    chips.extend(f.hours_per_month.map(|h| lang.tf("project.chip.hours", &[("n", &h.to_string())])));
    chips.extend(f.duration_months.map(|m| lang.tf("project.show.months", &[("n", &m.to_string())])));
    chips.extend(
        f.remote_share.filter(|r| *r > 0).map(|r| lang.tf("project.show.remote_share", &[("n", &r.to_string())])),
    );
    chips.extend(f.reward.map(|r| r.label(lang.code()).to_owned()));
    chips
}

/// A project filter of a query in words (「月10時間まで」「有償」); `None` for other parameters.
pub fn project_param_label(key: &str, value: &str, lang: Lang) -> Option<String> {
    let upto = |label: &'static str| lang.tf(label, &[("n", &value)]);
    Some(match key {
        "hours_max" => upto("search.project.hours_upto"),
        "months_max" => upto("search.project.months_upto"),
        "remote_min" => upto("search.project.remote_from"),
        "reward" => {
            value.parse::<yui_domain::project::Reward>().map_or(value.to_owned(), |r| r.label(lang.code()).to_owned())
        }
        _ => return None,
    })
}

/// The project filters of the search form: a few round choices each, and the value asked in the
/// URL when it is none of them (so a shared link shows what it filters by).
pub fn project_filter_choices(current: &dyn Fn(&str) -> Option<String>, lang: Lang) -> serde_json::Value {
    let numbers = |key: &str, steps: &[u16], label: &'static str| -> Vec<serde_json::Value> {
        let chosen = current(key);
        let mut values: Vec<String> = steps.iter().map(u16::to_string).collect();
        values.extend(chosen.clone().filter(|c| !values.contains(c)));
        values
            .into_iter()
            .map(|v| {
                let text = lang.tf(label, &[("n", &v)]);
                serde_json::json!({"code": v, "label": text, "selected": chosen.as_deref() == Some(v.as_str())})
            })
            .collect()
    };
    let reward = current("reward");
    serde_json::json!({
        "hours_max": numbers("hours_max", &[10, 20, 40], "search.project.hours_upto"),
        "months_max": numbers("months_max", &[3, 6, 12], "search.project.months_upto"),
        "remote_min": numbers("remote_min", &[50, 80, 100], "search.project.remote_from"),
        "reward": yui_domain::project::Reward::ALL
            .iter()
            .map(|r| serde_json::json!({"code": r.code(), "label": r.label(lang.code()), "selected": reward.as_deref() == Some(r.code())}))
            .collect::<Vec<_>>(),
    })
}

/// The choices of `partials/terms_fields.hbs`, with the one `value(field)` names selected. The
/// first control of a group has the id the error summary links to.
pub fn terms_choices(value: impl Fn(&str) -> String, lang: Lang) -> serde_json::Value {
    let group = |name: &str, options: Vec<(&'static str, &str)>| -> serde_json::Value {
        let chosen = value(name);
        options
            .into_iter()
            .enumerate()
            .map(|(i, (code, label))| {
                let id = if i == 0 { format!("t-{name}") } else { format!("t-{name}-{code}") };
                serde_json::json!({"code": code, "label": label, "id": id, "selected": chosen == code})
            })
            .collect()
    };
    let yes_no = || vec![("yes", lang.t("terms.yes")), ("no", lang.t("terms.no"))];
    serde_json::json!({
        "contract": group("contract", yui_domain::ContractKind::ALL.iter().map(|c| (c.code(), c.label(lang.code()))).collect()),
        "renewal": group("renewal", yui_domain::Renewal::ALL.iter().map(|r| (r.code(), r.label(lang.code()))).collect()),
        "trial": group("trial", yes_no()),
        "overtime": group("overtime", yes_no()),
        "fixed_overtime": group("fixed_overtime", yes_no()),
        "visits": group("visits", yui_domain::project::Visits::ALL.iter().map(|v| (v.code(), v.label(lang.code()))).collect()),
        "travel_support": group("travel_support", yui_domain::project::TravelSupport::ALL.iter().map(|t| (t.code(), t.label(lang.code()))).collect()),
        "reward": group("reward", yui_domain::project::Reward::ALL.iter().map(|r| (r.code(), r.label(lang.code()))).collect()),
    })
}

/// The stated working conditions as label and value rows, for the posting page and the review
/// page; what is not stated is left out.
pub fn terms_rows(terms: &yui_domain::WorkingTerms, trial_period: Option<&str>, lang: Lang) -> Vec<serde_json::Value> {
    let yes_no = |b: bool| if b { lang.t("terms.yes") } else { lang.t("terms.no") };
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(s) = &terms.duties_scope {
        rows.push(("terms.f.duties_scope", s.clone()));
    }
    if let Some(s) = &terms.workplace_scope {
        rows.push(("terms.f.workplace_scope", s.clone()));
    }
    if let Some(kind) = terms.contract {
        let mut parts = vec![kind.label(lang.code()).to_owned()];
        parts.extend(terms.contract_length.clone());
        parts.extend(terms.renewal.map(|r| r.label(lang.code()).to_owned()));
        parts.extend(terms.renewal_limit.as_ref().map(|l| lang.tf("terms.show.renewal_limit", &[("limit", l)])));
        rows.push(("terms.f.contract", parts.join(" / ")));
    }
    if let Some(trial) = terms.has_trial(trial_period) {
        let mut parts = vec![yes_no(trial).to_owned()];
        if trial {
            parts.extend(trial_period.map(str::to_owned));
            parts.extend(
                terms.trial_conditions.as_ref().map(|c| lang.tf("terms.show.trial_conditions", &[("conditions", c)])),
            );
        }
        rows.push(("terms.f.trial", parts.join(" / ")));
    }
    if let Some(s) = &terms.breaks {
        rows.push(("terms.f.breaks", s.clone()));
    }
    if let Some(overtime) = terms.overtime {
        let text = match (overtime, terms.overtime_hours) {
            (true, Some(h)) => lang.tf("terms.show.overtime_hours", &[("hours", &h.to_string())]),
            (b, _) => yes_no(b).to_owned(),
        };
        rows.push(("terms.f.overtime", text));
    }
    if terms.fixed_overtime == Some(true) {
        let pay = terms.fixed_overtime_pay.map(|y| y.to_japanese()).unwrap_or_default();
        let hours = terms.fixed_overtime_hours.map(|h| h.to_string()).unwrap_or_default();
        rows.push((
            "terms.f.fixed_overtime",
            lang.tf("terms.show.fixed_overtime", &[("pay", &pay), ("hours", &hours)]),
        ));
    }
    rows.into_iter().map(|(label, value)| serde_json::json!({"label": lang.t(label), "value": value})).collect()
}

/// The conditions a form's values hold: a list of codes (checkboxes), or one code.
fn chosen_conditions(values: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    match values.get("conditions") {
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        Some(serde_json::Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// What the staff posting form (`partials/posting_fields`) needs besides its values: the
/// field messages by field, the summary at the top and the choices of each select.
pub fn staff_posting_form(
    values: &serde_json::Map<String, serde_json::Value>,
    errors: &[yui_domain::FieldError],
    portal: &PortalSettings,
    lang: Lang,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::{json, Value};
    let mut by_field = serde_json::Map::new();
    for f in yui_ingest::mapping::Field::ALL {
        by_field.insert(f.code().into(), "".into());
    }
    for e in errors {
        by_field.insert(e.field.into(), lang.message(&e.message).into());
    }
    let pick = |name: &str| values.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
    let options = |all: Vec<(&'static str, &'static str)>, selected: &str| -> Vec<Value> {
        all.iter().map(|(code, label)| json!({"code": code, "label": label, "selected": *code == selected})).collect()
    };
    let types = EmploymentType::ALL.iter().map(|t| (t.code(), t.label(lang.code()))).collect();
    let remotes = RemoteMode::ALL.iter().map(|t| (t.code(), t.label(lang.code()))).collect();
    let units = yui_domain::SalaryUnit::ALL.iter().map(|t| (t.code(), t.label(lang.code()))).collect();
    let ctx = json!({
        "values": values,
        "errors": by_field,
        "error_count": errors.len(),
        "error_summary": posting_error_summary(errors, PostingForm::Staff, lang),
        "types": options(types, &pick("employment_type")),
        "remotes": options(remotes, &pick("remote")),
        "units": options(units, &pick("salary_unit")),
        "categories": portal.category_options(&pick("category"), lang.code()),
        "areas": portal.area_options(&pick("area"), lang.code()),
        "terms_choices": terms_choices(pick, lang),
        "condition_choices": condition_choices(&chosen_conditions(values), lang),
    });
    match ctx {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// Hello Work's public job search, where a seeker finds a job sheet by its 求人番号. It has no
/// stable address per number, so the link opens the search and the page shows the number.
pub const HELLOWORK_SEARCH_URL: &str =
    "https://www.hellowork.mhlw.go.jp/kensaku/GECA110010.do?action=initDisp&screenId=GECA110010";

/// A Hello Work posting's origin as its pages show it: the number, the day the data was taken
/// and where to look it up.
pub fn hellowork_origin(origin: &yui_db::hellowork::Origin, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "number": origin.external_id,
        "taken_on": origin.taken_on.format(lang.t("format.date")).to_string(),
        "search_url": HELLOWORK_SEARCH_URL,
    })
}

/// A CSV cell safe to open in a spreadsheet: software runs a cell that starts with one of
/// these as a formula, so such text gets a leading apostrophe, which shows it as it was typed.
/// Every CSV export of text people typed writes its cells through this.
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}
