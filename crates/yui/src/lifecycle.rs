//! Postings' lifecycle beside the server: expiry and the employers' reminders a week before
//! the end (`yui_web::lifecycle`), and `yui expire` for running the expiry by hand or from cron.

use std::sync::Arc;
use std::time::Duration;
use yui_db::DbPool;
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

/// Runs forever: every `interval`, one [`yui_web::lifecycle::run_once`] pass on a blocking
/// thread. Logs one line per pass that did something; errors (even a panicking pass) are
/// logged and the loop goes on. Spawn it beside the server, like the mail worker.
pub async fn run(pool: DbPool, settings: Settings, interval: Duration) {
    let templates = match yui_web::templates::registry() {
        Ok(t) => t,
        Err(e) => {
            log::error!("lifecycle: templates failed to load, no expiry or reminders will run: {e}");
            return;
        }
    };
    let shared = Arc::new((settings, templates));
    log::info!("lifecycle: expiring postings and sending reminders every {interval:?}");
    loop {
        let (pool, shared) = (pool.clone(), Arc::clone(&shared));
        let pass = actix_web::rt::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            let (settings, templates) = &*shared;
            let ctx = yui_web::intake::Context { settings, templates };
            let report = yui_web::lifecycle::run_once(&mut conn, ctx, yui_db::now())?;
            // Supporters who never confirmed are forgotten once their link has run out.
            let pruned = yui_db::supporters::prune_unconfirmed(&mut conn, yui_db::now())?;
            if pruned > 0 {
                log::info!("lifecycle: {pruned} unconfirmed supporter sign-up(s) removed");
            }
            // The planner's statistics follow the tables as they grow (cheap when nothing did).
            yui_db::conn::optimize(&mut conn)?;
            Ok::<_, yui_db::DbError>(report)
        })
        .await;
        match pass {
            Ok(Ok(report)) if report.is_empty() => {}
            Ok(Ok(report)) => log::info!("lifecycle: {report}"),
            Ok(Err(e)) => log::error!("lifecycle: {e}"),
            Err(e) => log::error!("lifecycle: the pass ended abnormally: {e}"),
        }
        actix_web::rt::time::sleep(interval).await;
    }
}
