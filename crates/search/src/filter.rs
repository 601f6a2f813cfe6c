//! What a seeker asks for on `/jobs`, the API, the feeds and saved searches, and the counts
//! that come back beside the results.

use yui_domain::{Condition, EmploymentType, PageNumber, ProjectFilter, RemoteMode};

/// Hello Work's source code, as `posting_origins.source` stores it.
pub const HELLOWORK: &str = "hellowork";

/// What a seeker asked for on `/jobs`, the API and the feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobsFilter {
    /// Free text; blank means no text search (newest first).
    pub q: Option<String>,
    pub employment_type: Option<EmploymentType>,
    /// Matched exactly against `postings.category` (a category code).
    pub category: Option<String>,
    /// Matched exactly against `postings.area` (the district's name as postings store it).
    pub area: Option<String>,
    pub remote: Option<RemoteMode>,
    /// Monthly equivalent in yen: hour × 160, day × 20, month, year ÷ 12, compared with the
    /// posting's maximum (or its minimum when it names no maximum). Postings without a salary,
    /// or paid per project, are left out when this is set.
    pub salary_min_monthly: Option<i64>,
    /// Whose postings: the employers' own, or Hello Work's.
    pub source: Option<JobSource>,
    /// Conditions every posting must offer (AND), in the list's order without repeats.
    pub conditions: Vec<Condition>,
    /// A side job's or project's terms (「月10時間まで・3か月まで・リモート80%以上」).
    pub project: ProjectFilter,
    pub page: PageNumber,
    pub per_page: u32,
}

/// Where a public posting comes from, as the lists filter it (`?source=yui|hellowork`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobSource {
    /// Written by the employer (any form, or staff on their behalf).
    Yui,
    /// Hello Work's job data, curated by the editors.
    HelloWork,
}

impl JobSource {
    pub fn code(self) -> &'static str {
        match self {
            JobSource::Yui => "yui",
            JobSource::HelloWork => HELLOWORK,
        }
    }

    pub fn parse(code: &str) -> Option<JobSource> {
        [JobSource::Yui, JobSource::HelloWork].into_iter().find(|s| s.code() == code)
    }
}

impl JobsFilter {
    /// Everything public, newest first, first page.
    pub fn all(per_page: u32) -> Self {
        JobsFilter {
            q: None,
            employment_type: None,
            category: None,
            area: None,
            remote: None,
            salary_min_monthly: None,
            source: None,
            conditions: Vec::new(),
            project: ProjectFilter::default(),
            page: PageNumber::FIRST,
            per_page,
        }
    }
}

/// How many postings each choice of a filter would give, for the current query with that
/// filter itself left out (so choosing another value is one click). Categories and areas are
/// the stored values, most postings first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub employment_types: Vec<(EmploymentType, i64)>,
    pub categories: Vec<(String, i64)>,
    pub areas: Vec<(String, i64)>,
    pub remote: Vec<(RemoteMode, i64)>,
    /// For each condition, how many of the results also offer it (conditions combine with AND,
    /// so the chosen ones are not left out): in `Condition::ALL` order, zeros included.
    pub conditions: Vec<(Condition, i64)>,
    /// How many results there would be with no condition chosen (the facet's "any" link).
    pub without_conditions: i64,
}
