//! Work `yui serve` runs beside the server on a timer: expiry and reminders, followers'
//! mailings. Every pass is safe on several instances at once (each claims what it does).

use std::sync::Arc;
use std::time::Duration;
use yui_db::{DbConnection, DbError, DbPool};
use yui_web::intake::Context;
use yui_web::Settings;

/// Runs `pass` every `interval`, forever, on a blocking thread with a pooled connection. A pass
/// returns a line for the log (empty: nothing worth saying); errors, even a panicking pass, are
/// logged and the loop goes on.
pub async fn every<F, E>(name: &'static str, pool: DbPool, settings: Settings, interval: Duration, pass: F)
where
    F: Fn(&mut DbConnection, Context<'_>) -> Result<String, E> + Send + Sync + 'static,
    E: std::fmt::Display + From<DbError> + Send + 'static,
{
    let letters = match settings.site.letters() {
        Ok(l) => l,
        Err(e) => {
            log::error!("{name}: templates failed to load, this work will not run: {e}");
            return;
        }
    };
    let shared = Arc::new((settings, letters, pass));
    log::info!("{name}: running every {interval:?}");
    loop {
        let (pool, shared) = (pool.clone(), Arc::clone(&shared));
        let done = actix_web::rt::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            let (settings, letters, pass) = &*shared;
            pass(&mut conn, Context { settings, letters })
        })
        .await;
        match done {
            Ok(Ok(line)) if line.is_empty() => {}
            Ok(Ok(line)) => log::info!("{name}: {line}"),
            Ok(Err(e)) => log::error!("{name}: {e}"),
            Err(e) => log::error!("{name}: the pass ended abnormally: {e}"),
        }
        actix_web::rt::time::sleep(interval).await;
    }
}
