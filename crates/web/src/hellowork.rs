//! A Hello Work CSV file into postings: read by `yui_ingest::hellowork`, stored by
//! `yui_db::hellowork::import`. Shared by the editors' upload page and `yui import hellowork`.

use crate::settings::Settings;
use yui_db::hellowork::{ImportFile, ImportRow, ImportRun, Office};
use yui_db::postings::{Actor, PostingContent};
use yui_db::{DbConnection, DbError};
use yui_ingest::hellowork::{FileError, Job, Quarantined};

/// A quarantined row as the report keeps it (JSON in `hellowork_imports.quarantine`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SetAside {
    pub line: u64,
    pub number: Option<String>,
    pub reason: String,
    pub detail: String,
}

impl From<&Quarantined> for SetAside {
    fn from(q: &Quarantined) -> Self {
        SetAside { line: q.line, number: q.number.clone(), reason: q.reason.to_owned(), detail: q.detail.clone() }
    }
}

/// The rows set aside in a stored run.
pub fn set_aside(run: &ImportRun) -> Vec<SetAside> {
    serde_json::from_str(&run.quarantine).unwrap_or_default()
}

fn row(job: Job, settings: &Settings, now: chrono::NaiveDateTime) -> ImportRow {
    let Job { number, row_hash, mut posting, office, .. } = job;
    settings.portal.settle(&mut posting);
    let default_end = now + chrono::Duration::days(i64::from(settings.default_valid_days));
    ImportRow {
        number,
        row_hash,
        content: PostingContent::from_draft(posting, default_end),
        office: Office { name: office.name, address: office.address, phone: office.phone },
    }
}

/// Reads and imports one file: `Ok(Err(_))` when the file as a whole cannot be read (nothing
/// is stored then), `Err(_)` when the database fails (nothing is stored either).
pub fn import(
    conn: &mut DbConnection,
    settings: &Settings,
    bytes: &[u8],
    file_name: &str,
    full_export: bool,
    actor: Actor,
) -> Result<Result<ImportRun, FileError>, DbError> {
    let now = yui_db::now();
    let today = now.date();
    let sheet =
        match yui_ingest::hellowork::parse(bytes, &settings.ingest.hellowork_labels, &settings.ingest.region, today) {
            Ok(sheet) => sheet,
            Err(e) => return Ok(Err(e)),
        };
    let quarantine: Vec<SetAside> = sheet.quarantined.iter().map(SetAside::from).collect();
    let quarantine_json = serde_json::to_string(&quarantine).unwrap_or_else(|_| "[]".into());
    let rows: Vec<ImportRow> = sheet.jobs.into_iter().map(|job| row(job, settings, now)).collect();
    let file = ImportFile {
        file_name,
        full_export,
        taken_on: today,
        quarantine: &quarantine_json,
        quarantined: i32::try_from(quarantine.len()).unwrap_or(i32::MAX),
    };
    let run = yui_db::hellowork::import(conn, &rows, file, actor, now)?;
    log::info!(
        "hellowork import {:?}: {} created, {} updated, {} unchanged, {} ended, {} quarantined",
        file_name,
        run.created,
        run.updated,
        run.unchanged,
        run.ended,
        run.quarantined
    );
    Ok(Ok(run))
}
