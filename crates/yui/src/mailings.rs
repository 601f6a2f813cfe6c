//! Followers' mailings: `yui digest` and `yui alerts` queue them once and say how many, and
//! `yui serve` runs both on the schedule of `[following]`. Each digest and alert is claimed per
//! period in the transaction that queues it, so a rerun, or a second instance, queues nothing twice.

use std::time::Duration;
use yui_db::DbConnection;
use yui_mail::MailError;
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
    let letters = settings.site.letters().map_err(|e| e.to_string())?;
    let ctx = yui_web::intake::Context { settings, letters: &letters };
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

/// One pass beside the server: the digests and alerts that are due (each period's are claimed
/// once, so running this on every instance is safe).
pub fn pass(conn: &mut DbConnection, ctx: yui_web::intake::Context<'_>) -> Result<String, MailError> {
    let now = yui_db::now();
    let digests = yui_web::mailings::build_digests(conn, ctx, now)?;
    let alerts = yui_web::mailings::build_alerts(conn, ctx, now)?;
    Ok(match (digests, alerts) {
        (0, 0) => String::new(),
        (d, a) => format!("{d} digest(s) and {a} alert(s) queued"),
    })
}
