//! `yui import hellowork FILE [--full]`: the same import as the editors' upload page.

use clap::Subcommand;
use std::path::PathBuf;
use yui_web::Settings;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a Hello Work CSV file (UTF-8 or Shift_JIS) as pending postings, and print the report.
    Hellowork {
        file: PathBuf,
        /// The file is a full export: postings whose 求人番号 it lacks end (掲載終了).
        #[arg(long)]
        full: bool,
    },
}

pub fn run(settings: &Settings, command: ImportCommand) -> Result<(), String> {
    let ImportCommand::Hellowork { file, full } = command;
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let meta = std::fs::metadata(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    if meta.len() > yui_ingest::hellowork::MAX_BYTES as u64 {
        return Err(format!("{}: larger than 20 MB; split the export", file.display()));
    }
    let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let started = std::time::Instant::now();
    let run = yui_web::hellowork::import(&mut conn, settings, &bytes, &name, full, Default::default())
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("{}: {e}; nothing was imported", file.display()))?;
    let secs = started.elapsed().as_secs_f64();
    let rows = run.created + run.updated + run.unchanged + run.quarantined;
    println!(
        "{name}: {} created, {} updated, {} unchanged, {} ended, {} quarantined ({secs:.2} s, {:.0} rows/s)",
        run.created,
        run.updated,
        run.unchanged,
        run.ended,
        run.quarantined,
        f64::from(rows) / secs.max(0.001)
    );
    for q in yui_web::hellowork::set_aside(&run) {
        println!("  line {}\t{}\t{}\t{}", q.line, q.number.unwrap_or_default(), q.reason, q.detail);
    }
    Ok(())
}
