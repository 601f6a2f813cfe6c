//! Postings' lifecycle beside the server: expiry and the employers' reminders a week before
//! the end (`yui_web::lifecycle`), and `yui expire` for running the expiry by hand or from cron.

use std::time::Duration;
use yui_db::DbConnection;
use yui_mail::MailError;
use yui_web::Settings;

/// How often `yui serve` looks for postings to expire and employers to remind (and refreshes
/// SQLite's planner statistics).
pub const INTERVAL: Duration = Duration::from_secs(10 * 60);

/// `yui expire`: expires every published posting whose end has come, once, and says how many.
pub fn expire_once(settings: &Settings) -> Result<(), String> {
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let expired = yui_db::postings::expire_due(&mut conn, yui_db::now()).map_err(|e| e.to_string())?;
    for id in &expired {
        log::info!("posting {id} expired");
    }
    println!("{} posting(s) expired", expired.len());
    Ok(())
}

/// One pass beside the server: expiry and reminders, forgotten sign-ups, planner statistics.
pub fn pass(conn: &mut DbConnection, ctx: yui_web::intake::Context<'_>) -> Result<String, MailError> {
    let report = yui_web::lifecycle::run_once(conn, ctx, yui_db::now())?;
    // Supporters who never confirmed are forgotten once their link has run out.
    let pruned = yui_db::supporters::prune_unconfirmed(conn, yui_db::now())?;
    // The planner's statistics follow the tables as they grow (cheap when nothing did).
    yui_db::conn::optimize(conn)?;
    Ok(match (report.is_empty(), pruned) {
        (true, 0) => String::new(),
        (_, 0) => report.to_string(),
        _ => format!("{report}, {pruned} unconfirmed supporter sign-up(s) removed"),
    })
}
