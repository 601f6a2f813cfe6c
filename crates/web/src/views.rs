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

/// Prefecture, municipality and the district as the reader's language names it.
fn location(p: &Posting, portal: &PortalSettings, lang: Lang) -> String {
    let area = p.area.as_deref().map(|a| portal.area_label(a, lang.code()));
    [Some(p.prefecture.clone()), Some(p.municipality.clone()), area]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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
            salary: p.salary().map(|s| s.to_japanese()),
            published: date(p.published_at.unwrap_or(p.created_at), lang),
        }
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
        assert_eq!(date(utc, Lang::En), "2026-11-25");
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
        "hours" => "submit.f.hours",
        "holidays" => "submit.f.holidays",
        "insurance" => "submit.f.insurance",
        "requirements" => "submit.f.requirements",
        "how_to_apply" => "submit.f.how_to_apply",
        "valid_through" => "submit.f.valid_through",
        "employer_name" => "submit.f.employer_name",
        "contact_name" => "submit.f.contact_name",
        "email" => "submit.f.email",
        "phone" => "submit.f.phone",
        "website" => "submit.f.website",
        "trial_period" => "job.trial_period",
        "smoking" => "job.smoking",
        "prefecture" => "admin.prefecture",
        "area" => "admin.area",
        "address" => "admin.address",
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
        _ => field,
    };
    (control, Some(label))
}
