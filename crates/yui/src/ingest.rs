use clap::Subcommand;
use yui_web::intake::{self, Outcome, Problem};
use yui_web::Settings;

#[derive(Debug, Subcommand)]
pub enum IngestCommand {
    /// Re-run a stored submission with the current mapping (after fixing ingest.mappings).
    Replay {
        /// The submission number, as in the editors' notice and `yui ingest quarantined`.
        id: i32,
    },
    /// List the submissions that could not become postings, newest first.
    Quarantined,
    /// Store every posting's 職種 and 地区 as the configured choice they name (code, label or
    /// synonym in [portal]); values naming none are left for the editors' review page.
    SettleChoices,
}

pub fn run(settings: &Settings, command: IngestCommand) -> Result<(), String> {
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    match command {
        IngestCommand::Replay { id } => {
            let letters = settings.site.letters().map_err(|e| e.to_string())?;
            let ctx = intake::Context { settings, letters: &letters };
            match intake::replay(&mut conn, ctx, id).map_err(|e| e.to_string())? {
                Outcome::Accepted { posting_id, .. } => {
                    println!("submission {id}: accepted as pending posting {posting_id}; the employer and the editors were mailed");
                    Ok(())
                }
                Outcome::Replayed { posting_id, .. } => {
                    println!(
                        "submission {id}: already became posting {}; nothing changed",
                        posting_id.unwrap_or_default()
                    );
                    Ok(())
                }
                Outcome::Quarantined { problem, .. } => {
                    let detail = match &problem {
                        Problem::Missing(errors) => errors
                            .iter()
                            .map(|e| {
                                format!(
                                    "\n  {} ({}): {}",
                                    intake::field_label(e.field),
                                    e.field,
                                    yui_web::i18n::Lang::Ja.message(&e.message)
                                )
                            })
                            .collect(),
                        Problem::Unreadable(_) => String::new(),
                    };
                    Err(format!("submission {id} is still quarantined: {}{detail}", problem.summary()))
                }
            }
        }
        IngestCommand::SettleChoices => {
            let changed = intake::settle_stored_choices(&mut conn, settings).map_err(|e| e.to_string())?;
            println!("{} postings settled to the configured choices: {}", changed.len(), changed.join(" "));
            Ok(())
        }
        IngestCommand::Quarantined => {
            let list = yui_db::submissions::quarantined(&mut conn, 100).map_err(|e| e.to_string())?;
            if list.is_empty() {
                println!("no quarantined submissions");
            }
            for s in list {
                println!(
                    "{}\t{}\t{}\t{} bytes\t{}",
                    s.id,
                    s.source,
                    s.received_at.format("%Y-%m-%d %H:%M UTC"),
                    s.raw_body.len(),
                    s.error.unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}
