//! The bulk open data: every posting ever published (published, expired, closed, filled), with
//! the fields `/api/v1/jobs/{id}` shows plus its status and dates, as `postings.csv.gz` and
//! `postings.jsonl.gz` in `open_data.dir`. `yui serve` writes them once a day (the first pass
//! after midnight in Japan), `yui export-data` on demand; `/data` serves them and explains them.
//!
//! Each file is written whole under a temporary name in the same directory and then renamed
//! into place, so a download sees yesterday's file or today's, never half of one. Two instances
//! that export the same day each rename a complete file: the last one stays.
//!
//! [`COLUMNS`] is the one list of fields: the CSV header, the JSON keys and the data
//! dictionary on `/data` all come from it, so they cannot drift apart.

use crate::atom::rfc3339;
use crate::error::WebError;
use crate::settings::Settings;
use chrono::NaiveDateTime;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use yui_db::open_data::ExportRow;
use yui_db::DbConnection;

pub const CSV_FILE: &str = "postings.csv.gz";
pub const JSONL_FILE: &str = "postings.jsonl.gz";

/// Postings read per query while exporting.
const CHUNK: i64 = 500;

/// A column of the export: its name, its type as the dictionary states it, and an example.
/// Its meaning is the locale key `data.column.{name}`.
pub struct Column {
    pub name: &'static str,
    pub kind: &'static str,
    pub example: &'static str,
}

const fn col(name: &'static str, kind: &'static str, example: &'static str) -> Column {
    Column { name, kind, example }
}

pub const COLUMNS: [Column; 37] = [
    col("id", "string", "Ab3dE5fG7h"),
    col("url", "string (URL)", "https://jobs.example/jobs/Ab3dE5fG7h"),
    col("title", "string", "定置網漁の乗組員"),
    col("status", "enum", "filled"),
    col("employment_type", "enum", "full_time"),
    col("category_code", "string | null", "fishery"),
    col("category_label", "string | null", "漁業・水産"),
    col("employer_name", "string", "株式会社氷見浜水産"),
    col("employer_website", "string (URL) | null", "https://hama.example"),
    col("prefecture", "string", "富山県"),
    col("municipality", "string", "氷見市"),
    col("area", "string | null", "十二町"),
    col("area_code", "string | null", "junicho"),
    col("address", "string | null", "氷見市比美町1-1"),
    col("remote", "enum", "onsite"),
    col("salary_min", "integer | null", "200000"),
    col("salary_max", "integer | null", "260000"),
    col("salary_unit", "enum | null", "month"),
    col("salary_text", "string | null", "月給 200,000円〜260,000円"),
    col("hours", "string | null", "5:00〜12:00"),
    col("description", "string", "朝の定置網漁の船に乗ります。"),
    col("how_to_apply", "string", "電話でご連絡ください。"),
    col("conditions", "list of codes", "dorm transport"),
    col("source", "enum", "yui"),
    col("hellowork_number", "string | null", "16010-01234561"),
    col("published_at", "RFC 3339", "2026-11-25T06:00:00Z"),
    col("updated_at", "RFC 3339", "2026-12-01T02:30:00Z"),
    col("valid_through", "RFC 3339", "2027-01-24T15:00:00Z"),
    col("ended_at", "RFC 3339 | null", "2026-12-20T09:00:00Z"),
    col("end_reason", "enum | null", "filled"),
    col("hours_per_month", "integer | null", "10"),
    col("duration_months", "integer | null", "3"),
    col("visits", "enum | null", "few"),
    col("remote_share", "integer (percent) | null", "80"),
    col("travel_support", "enum | null", "full"),
    col("reward", "enum | null", "paid"),
    col("coordinator", "string | null", "氷見市移住・交流センター"),
];

/// One posting's values, in [`COLUMNS`] order.
fn values(r: &ExportRow, settings: &Settings) -> [Value; 37] {
    let (p, e) = (&r.posting, &r.employer);
    let category = p.category.as_deref().map(|stored| match settings.portal.category_of(stored) {
        Some(c) => (Some(c.code.clone()), c.label("ja").to_owned()),
        None => (None, stored.to_owned()),
    });
    let salary = p.salary();
    let ended = p.status != yui_domain::PostingStatus::Published;
    let facts = r.project.as_ref().map(|t| t.facts).unwrap_or_default();
    [
        p.public_id.clone().into(),
        format!("{}/jobs/{}", settings.site.base_url, p.public_id).into(),
        p.title.clone().into(),
        p.status.code().into(),
        p.employment_type.code().into(),
        category.as_ref().and_then(|(code, _)| code.clone()).into(),
        category.map(|(_, label)| label).into(),
        e.name.clone().into(),
        e.website.clone().filter(|w| w.starts_with("https://") || w.starts_with("http://")).into(),
        p.prefecture.clone().into(),
        p.municipality.clone().into(),
        p.area.clone().into(),
        p.area.as_deref().and_then(|a| settings.portal.area_of(a)).map(|a| a.code.clone()).into(),
        p.address.clone().into(),
        p.remote.code().into(),
        salary.as_ref().and_then(|s| s.min()).map(|y| y.get()).into(),
        salary.as_ref().and_then(|s| s.max()).map(|y| y.get()).into(),
        salary.as_ref().map(|s| s.unit().code()).into(),
        salary.as_ref().map(|s| s.to_japanese()).into(),
        p.hours.clone().into(),
        p.description.clone().into(),
        p.how_to_apply.clone().into(),
        json!(r.conditions),
        if r.hellowork_number.is_some() { "hellowork" } else { "yui" }.into(),
        r.hellowork_number.clone().into(),
        p.published_at.map(rfc3339).into(),
        rfc3339(p.updated_at).into(),
        rfc3339(p.valid_through).into(),
        r.ended_at.map(rfc3339).into(),
        ended.then(|| p.status.code()).into(),
        facts.hours_per_month.into(),
        facts.duration_months.into(),
        facts.visits.map(|v| v.code()).into(),
        facts.remote_share.into(),
        facts.travel_support.map(|v| v.code()).into(),
        facts.reward.map(|v| v.code()).into(),
        r.project.as_ref().and_then(|t| t.coordinator.clone()).into(),
    ]
}

/// A value as a CSV cell: nothing for null, lists joined by spaces (codes have none).
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

/// What one export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub rows: usize,
    pub csv_bytes: u64,
    pub jsonl_bytes: u64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} posting(s) exported ({CSV_FILE}: {} bytes, {JSONL_FILE}: {} bytes)",
            self.rows, self.csv_bytes, self.jsonl_bytes
        )
    }
}

/// A file being written under a temporary name beside its final one; [`Pending::commit`]
/// renames it into place, and dropping it uncommitted removes it.
struct Pending {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Pending {
    fn new(dir: &Path, name: &str) -> Pending {
        // Unique per process and call, so instances exporting at once never share a temp file.
        let tag: u64 = rand::random();
        Pending {
            tmp: dir.join(format!(".{name}.{}.{tag:016x}.tmp", std::process::id())),
            target: dir.join(name),
            done: false,
        }
    }

    fn commit(mut self) -> std::io::Result<u64> {
        std::fs::rename(&self.tmp, &self.target)?;
        self.done = true;
        Ok(std::fs::metadata(&self.target)?.len())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

fn io(what: &str, path: &Path, e: impl std::fmt::Display) -> WebError {
    WebError::OpenData(format!("{what} {}: {e}", path.display()))
}

/// Removes temporary files that an export killed mid-write left behind (a day old: an export
/// running on another instance now is never that old).
fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(24 * 60 * 60);
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with(".postings.") && name.ends_with(".tmp");
        let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < day_ago);
        if ours && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes both files into `dir` from the database, atomically each.
pub fn export(conn: &mut DbConnection, settings: &Settings, dir: &Path) -> Result<Report, WebError> {
    std::fs::create_dir_all(dir).map_err(|e| io("cannot create", dir, e))?;
    sweep(dir);
    let (csv_file, jsonl_file) = (Pending::new(dir, CSV_FILE), Pending::new(dir, JSONL_FILE));
    let open = |p: &Pending| {
        let file = std::fs::File::create(&p.tmp).map_err(|e| io("cannot write", &p.tmp, e))?;
        Ok::<_, WebError>(GzEncoder::new(std::io::BufWriter::new(file), Compression::default()))
    };
    let mut csv = csv::Writer::from_writer(open(&csv_file)?);
    let mut jsonl = open(&jsonl_file)?;
    csv.write_record(COLUMNS.iter().map(|c| c.name)).map_err(|e| io("cannot write", &csv_file.tmp, e))?;
    let (mut after, mut rows) = (0, 0);
    loop {
        let chunk = yui_db::open_data::published_ever_after(conn, after, CHUNK)?;
        let Some(last) = chunk.last() else { break };
        after = last.posting.id;
        for r in &chunk {
            let vals = values(r, settings);
            csv.write_record(vals.iter().map(cell)).map_err(|e| io("cannot write", &csv_file.tmp, e))?;
            let object: Map<String, Value> = COLUMNS.iter().map(|c| c.name.to_owned()).zip(vals).collect();
            serde_json::to_writer(&mut jsonl, &object).map_err(|e| io("cannot write", &jsonl_file.tmp, e))?;
            jsonl.write_all(b"\n").map_err(|e| io("cannot write", &jsonl_file.tmp, e))?;
            rows += 1;
        }
    }
    let finish = |gz: GzEncoder<std::io::BufWriter<std::fs::File>>, p: &Pending| {
        let file = gz.finish().and_then(|mut w| w.flush().map(|_| w)).map_err(|e| io("cannot write", &p.tmp, e))?;
        let file = file.into_inner().map_err(|e| io("cannot write", &p.tmp, e.error()))?;
        file.sync_all().map_err(|e| io("cannot write", &p.tmp, e))
    };
    let gz = csv.into_inner().map_err(|e| io("cannot write", &csv_file.tmp, e.error()))?;
    finish(gz, &csv_file)?;
    finish(jsonl, &jsonl_file)?;
    let csv_bytes = csv_file.commit().map_err(|e| io("cannot rename into", dir, e))?;
    let jsonl_bytes = jsonl_file.commit().map_err(|e| io("cannot rename into", dir, e))?;
    Ok(Report { rows, csv_bytes, jsonl_bytes })
}

/// One served file as `/data` lists it.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub name: &'static str,
    pub path: PathBuf,
    pub bytes: u64,
    pub modified: NaiveDateTime,
}

/// The file `name` of the export in `dir`, if it has been written.
pub fn file(dir: &Path, name: &'static str) -> Option<FileInfo> {
    let path = dir.join(name);
    let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
    let modified = chrono::DateTime::<chrono::Utc>::from(meta.modified().ok()?).naive_utc();
    Some(FileInfo { name, path, bytes: meta.len(), modified })
}

/// The day in Japan, which is when "daily" turns over for the people who use the data.
fn day_in_japan(at: NaiveDateTime) -> chrono::NaiveDate {
    (at + chrono::Duration::hours(9)).date()
}

/// The background pass: exports unless both files were already written today (in Japan).
pub fn export_if_due(conn: &mut DbConnection, settings: &Settings, now: NaiveDateTime) -> Result<String, WebError> {
    let dir = &settings.open_data_dir;
    let today = day_in_japan(now);
    let fresh = [CSV_FILE, JSONL_FILE].iter().all(|n| file(dir, n).is_some_and(|f| day_in_japan(f.modified) == today));
    if fresh {
        return Ok(String::new());
    }
    Ok(export(conn, settings, dir)?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_file_replaces_the_old_whole_and_an_abandoned_one_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CSV_FILE), b"old").unwrap();
        let p = Pending::new(dir.path(), CSV_FILE);
        std::fs::write(&p.tmp, b"new and whole").unwrap();
        // Until the rename, readers see the old file.
        assert_eq!(std::fs::read(dir.path().join(CSV_FILE)).unwrap(), b"old");
        assert_eq!(p.commit().unwrap(), 13);
        assert_eq!(std::fs::read(dir.path().join(CSV_FILE)).unwrap(), b"new and whole");
        let abandoned = Pending::new(dir.path(), JSONL_FILE);
        std::fs::write(&abandoned.tmp, b"half").unwrap();
        drop(abandoned);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![CSV_FILE.to_owned()]);
    }

    #[test]
    fn the_day_turns_at_midnight_in_japan() {
        let t = |h| chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(h, 0, 0).unwrap();
        assert_eq!(day_in_japan(t(0)), day_in_japan(t(14)));
        assert_ne!(day_in_japan(t(14)), day_in_japan(t(15)));
    }

    #[test]
    fn cells_write_nulls_empty_and_lists_spaced() {
        assert_eq!(cell(&Value::Null), "");
        assert_eq!(cell(&json!(["dorm", "transport"])), "dorm transport");
        assert_eq!(cell(&json!(12)), "12");
    }
}
