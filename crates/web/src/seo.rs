//! What search engines and social sites read: schema.org `JobPosting` JSON-LD and Open Graph
//! tags. Built in Rust so templates only print them.

use crate::i18n::Lang;
use crate::settings::SiteSettings;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{json, Map, Value};
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_domain::{tokyo, EmploymentType, RemoteMode, SalaryUnit};

/// Google's `employmentType` vocabulary for Yui's 雇用形態.
///
/// 契約社員 is a fixed-term *employee* (not a contractor: that is 業務委託), so it maps to
/// `TEMPORARY`; 副業・兼業 is paid work beside another job, which Google calls `PART_TIME`.
pub fn google_employment_type(t: EmploymentType) -> &'static str {
    match t {
        EmploymentType::FullTime => "FULL_TIME",
        EmploymentType::Contract => "TEMPORARY",
        EmploymentType::PartTime | EmploymentType::SideJob => "PART_TIME",
        EmploymentType::Outsourcing => "CONTRACTOR",
        EmploymentType::Internship => "INTERN",
        EmploymentType::Volunteer => "VOLUNTEER",
        EmploymentType::Other => "OTHER",
    }
}

/// schema.org's `unitText` for a pay unit; a per-project fee has none.
fn unit_text(unit: SalaryUnit) -> Option<&'static str> {
    match unit {
        SalaryUnit::Hour => Some("HOUR"),
        SalaryUnit::Day => Some("DAY"),
        SalaryUnit::Month => Some("MONTH"),
        SalaryUnit::Year => Some("YEAR"),
        SalaryUnit::Project => None,
    }
}

/// ISO 8601 in Japan's time, as Google's examples write dates.
fn iso(at: NaiveDateTime) -> String {
    at.and_utc().with_timezone(&tokyo()).to_rfc3339()
}

fn web_link(url: Option<&String>) -> Option<&str> {
    url.map(String::as_str).filter(|w| w.starts_with("https://") || w.starts_with("http://"))
}

/// The `JobPosting` of a public posting. `direct_apply` says whether the contact form is offered.
pub fn job_posting(site: &SiteSettings, p: &Posting, e: &Employer, direct_apply: bool) -> Value {
    let mut org = Map::new();
    org.insert("@type".into(), "Organization".into());
    org.insert("name".into(), e.name.clone().into());
    if let Some(site_url) = web_link(e.website.as_ref()) {
        org.insert("sameAs".into(), site_url.into());
    }
    let mut address = Map::new();
    address.insert("@type".into(), "PostalAddress".into());
    address.insert("addressCountry".into(), "JP".into());
    address.insert("addressRegion".into(), p.prefecture.clone().into());
    address.insert("addressLocality".into(), p.municipality.clone().into());
    if let Some(street) = p.address.as_ref().filter(|a| !a.trim().is_empty()) {
        address.insert("streetAddress".into(), street.clone().into());
    }
    let mut ld = Map::new();
    ld.insert("@context".into(), "https://schema.org/".into());
    ld.insert("@type".into(), "JobPosting".into());
    ld.insert("title".into(), p.title.clone().into());
    ld.insert("description".into(), p.description.clone().into());
    ld.insert("datePosted".into(), iso(p.published_at.unwrap_or(p.created_at)).into());
    ld.insert("validThrough".into(), iso(p.valid_through).into());
    ld.insert("employmentType".into(), google_employment_type(p.employment_type).into());
    ld.insert("hiringOrganization".into(), Value::Object(org));
    ld.insert("jobLocation".into(), json!({"@type": "Place", "address": Value::Object(address)}));
    if p.remote == RemoteMode::Remote {
        ld.insert("jobLocationType".into(), "TELECOMMUTE".into());
        ld.insert("applicantLocationRequirements".into(), json!({"@type": "Country", "name": "JP"}));
    }
    if let Some(salary) = p.salary() {
        if let Some(unit) = unit_text(salary.unit()) {
            let mut value = Map::new();
            value.insert("@type".into(), "QuantitativeValue".into());
            match (salary.min(), salary.max()) {
                (Some(lo), Some(hi)) if lo == hi => {
                    value.insert("value".into(), lo.get().into());
                }
                (lo, hi) => {
                    if let Some(lo) = lo {
                        value.insert("minValue".into(), lo.get().into());
                    }
                    if let Some(hi) = hi {
                        value.insert("maxValue".into(), hi.get().into());
                    }
                }
            }
            value.insert("unitText".into(), unit.into());
            ld.insert(
                "baseSalary".into(),
                json!({"@type": "MonetaryAmount", "currency": "JPY", "value": Value::Object(value)}),
            );
        }
    }
    ld.insert("directApply".into(), direct_apply.into());
    ld.insert("identifier".into(), json!({"@type": "PropertyValue", "name": site.name, "value": p.public_id}));
    ld.insert("url".into(), format!("{}/jobs/{}", site.base_url, p.public_id).into());
    Value::Object(ld)
}

/// The `Article` of a public feature or column: credits as authors, the site as publisher, and
/// for a feature the sponsor (so the paid relation is machine-readable too).
pub fn article(
    site: &SiteSettings,
    a: &yui_db::articles::Article,
    sponsor: Option<&Employer>,
    path: &str,
    image: Option<&str>,
) -> Value {
    let people = |name: &Option<String>| name.as_ref().map(|n| json!({"@type": "Person", "name": n}));
    let authors: Vec<Value> =
        [people(&a.writer_credit), people(&a.photographer_credit)].into_iter().flatten().collect();
    let mut ld = Map::new();
    ld.insert("@context".into(), "https://schema.org/".into());
    ld.insert("@type".into(), "Article".into());
    ld.insert("headline".into(), a.title.clone().into());
    ld.insert("description".into(), a.lede.clone().into());
    ld.insert("datePublished".into(), iso(a.shown_from().unwrap_or(a.created_at)).into());
    ld.insert("dateModified".into(), iso(a.updated_at.max(a.shown_from().unwrap_or(a.updated_at))).into());
    ld.insert(
        "author".into(),
        if authors.is_empty() { json!([{"@type": "Organization", "name": site.name}]) } else { Value::Array(authors) },
    );
    if let Some(editor) = people(&a.editor_credit) {
        ld.insert("editor".into(), editor);
    }
    if let Some(image) = image {
        ld.insert("image".into(), json!([image]));
    }
    ld.insert("publisher".into(), json!({"@type": "Organization", "name": site.name, "url": site.base_url}));
    if let Some(s) = sponsor {
        ld.insert("sponsor".into(), json!({"@type": "Organization", "name": s.name}));
    }
    let url = format!("{}{}", site.base_url, path);
    ld.insert("mainEntityOfPage".into(), json!({"@type": "WebPage", "@id": url}));
    ld.insert("url".into(), url.into());
    Value::Object(ld)
}

/// JSON for a `<script type="application/ld+json">` block: every `<` is written `\u003c`, so
/// nothing inside (not `</script>`, not `<!--`) can end the block early. Still valid JSON.
pub fn script_json(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e")
}

/// Open Graph and Twitter card values for `layouts/base`.
#[derive(Debug, Serialize)]
pub struct OpenGraph {
    pub title: String,
    pub description: String,
    pub url: String,
    /// `website` for the top page, `article` for a posting.
    pub kind: &'static str,
    pub site_name: String,
    pub locale: &'static str,
    /// An absolute image URL (an article's hero image), when there is one.
    pub image: Option<String>,
    /// The image's size, when known (`og:image:width` / `og:image:height`).
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    /// A photo: Twitter shows it large (`summary_large_image`).
    pub large: bool,
}

impl OpenGraph {
    pub fn new(
        site: &SiteSettings,
        path: &str,
        title: &str,
        description: &str,
        kind: &'static str,
        lang: Lang,
    ) -> Self {
        OpenGraph {
            title: title.to_owned(),
            description: summary(description, 120),
            url: format!("{}{}", site.base_url, path),
            kind,
            site_name: site.name.clone(),
            locale: lang.t("og.locale"),
            image: None,
            image_width: None,
            image_height: None,
            large: false,
        }
    }

    /// With an image: its absolute URL, its size, and whether it is a photo to show large.
    pub fn with_image(mut self, (url, width, height, large): (String, u32, u32, bool)) -> Self {
        self.image = Some(url);
        self.image_width = Some(width);
        self.image_height = Some(height);
        self.large = large;
        self
    }
}

impl OpenGraph {
    /// The top page.
    pub fn home(site: &SiteSettings, lang: Lang) -> Self {
        let description = lang.tf("og.home_description", &[("region", &site.region)]);
        OpenGraph::new(site, "/", &site.name, &description, "website", lang)
    }
}

/// The first `max` characters of a text on one line, with an ellipsis when cut.
pub fn summary(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_employment_type_maps_into_googles_vocabulary() {
        let google = ["FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"];
        for t in EmploymentType::ALL {
            assert!(google.contains(&google_employment_type(*t)), "{t}");
        }
        assert_eq!(google_employment_type(EmploymentType::Contract), "TEMPORARY");
        assert_eq!(google_employment_type(EmploymentType::Outsourcing), "CONTRACTOR");
    }

    #[test]
    fn the_script_cannot_be_closed_from_inside() {
        let v = json!({"title": "</script><script>alert(1)</script><!--"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }

    #[test]
    fn summaries_are_one_line_and_cut() {
        assert_eq!(summary("あい\n\nうえお", 10), "あい うえお");
        assert_eq!(summary("あいうえお", 3), "あいう…");
    }
}
