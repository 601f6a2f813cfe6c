//! Followers' mailings: `yui digest` and `yui alerts` queue them once and say how many, and
//! `yui serve` runs both on the schedule of `[following]`. Each digest and alert is claimed per
//! period in the transaction that queues it, so a rerun, or a second instance, queues nothing twice.

use std::sync::Arc;
use std::time::Duration;
use yui_db::DbPool;
use yui_web::Settings;

/// How often `yui serve` looks for mailings that are due.
pub const INTERVAL: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Clone, Copy)]
pub enum Mailing {
    Digest,
    Alerts,
}

fn warn_about_the_key(settings: &Settings) {
    if settings.secret_key_is_random {
        eprintln!(
            "yui: server.secret_key is not set: the manage and unsubscribe links in these mails are signed with a \
             random key and will not open on the server (set YUI__SERVER__SECRET_KEY)"
        );
    }
}

/// `yui digest` / `yui alerts`: queues what is due now and prints how many.
pub fn once(settings: &Settings, mailing: Mailing) -> Result<(), String> {
    warn_about_the_key(settings);
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let templates = yui_web::templates::registry().map_err(|e| e.to_string())?;
    let ctx = yui_web::intake::Context { settings, templates: &templates };
    let now = yui_db::now();
    match mailing {
        Mailing::Digest => {
            let n = yui_web::mailings::build_digests(&mut conn, ctx, now).map_err(|e| e.to_string())?;
            println!("{n} digest(s) queued");
        }
        Mailing::Alerts => {
            let n = yui_web::mailings::build_alerts(&mut conn, ctx, now).map_err(|e| e.to_string())?;
            println!("{n} alert(s) queued");
        }
    }
    Ok(())
}

/// Runs forever beside the server: every `interval`, queues the digests and alerts that are due
/// (each period's are claimed once, so running this on every instance is safe). Errors are
/// logged and the loop goes on.
pub async fn run(pool: DbPool, settings: Settings, interval: Duration) {
    let templates = match yui_web::templates::registry() {
        Ok(t) => t,
        Err(e) => {
            log::error!("mailings: templates failed to load, no digest or alerts will be sent: {e}");
            return;
        }
    };
    let shared = Arc::new((settings, templates));
    log::info!("mailings: looking for due digests and job alerts every {interval:?}");
    loop {
        let (pool, shared) = (pool.clone(), Arc::clone(&shared));
        let pass = actix_web::rt::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            let (settings, templates) = &*shared;
            let ctx = yui_web::intake::Context { settings, templates };
            let now = yui_db::now();
            let digests = yui_web::mailings::build_digests(&mut conn, ctx, now)?;
            let alerts = yui_web::mailings::build_alerts(&mut conn, ctx, now)?;
            Ok::<_, yui_db::DbError>((digests, alerts))
        })
        .await;
        match pass {
            Ok(Ok((0, 0))) => {}
            Ok(Ok((d, a))) => log::info!("mailings: {d} digest(s) and {a} alert(s) queued"),
            Ok(Err(e)) => log::error!("mailings: {e}"),
            Err(e) => log::error!("mailings: the pass ended abnormally: {e}"),
        }
        actix_web::rt::time::sleep(interval).await;
    }
}
