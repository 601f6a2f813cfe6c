//! The `yui` command. Every subcommand works against whichever backend `database.url` names.

mod admin;
mod background;
mod forms;
mod import;
mod ingest;
mod lifecycle;
mod mailings;
mod media;
mod org;
mod seed;
mod seed_editorial;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use yui_web::{Application, Settings};

#[derive(Debug, Parser)]
#[command(name = "yui", version, about = "Yui 結: a commons job portal for a region")]
struct Cli {
    /// Directory holding default.toml and {YUI_ENV}.toml.
    #[arg(long, env = "YUI_CONFIG_DIR", default_value = "config", global = true)]
    config_dir: PathBuf,
    /// Which settings file to layer over the defaults.
    #[arg(long = "env", env = "YUI_ENV", default_value = "development", global = true)]
    env_name: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the portal.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Fill an empty database with demo organizations, employers and about 60 postings.
    SeedDemo,
    /// For `make bench`: the demo data plus COUNT published postings with Japanese text.
    SeedBench { count: usize },
    /// Manage staff accounts.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Expire every published posting whose end has come, once (`serve` does it every 10 minutes).
    Expire,
    /// Queue this week's digest for every confirmed follower who has not had it, and print how many.
    Digest,
    /// Queue the job alerts that are due (new postings for a saved search), and print how many.
    Alerts,
    /// The member organisations: create, list, rename.
    Org {
        #[command(subcommand)]
        command: org::OrgCommand,
    },
    /// Form tools: print a Google Apps Script that creates a form with Yui's questions.
    Forms {
        #[command(subcommand)]
        command: forms::FormsCommand,
    },
    /// Job data from elsewhere: `yui import hellowork FILE [--full]`.
    Import {
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Form submissions: re-run a quarantined one, list them.
    Ingest {
        #[command(subcommand)]
        command: ingest::IngestCommand,
    },
    /// Copy the whole database into DIR (new or empty), consistently while Yui serves.
    Backup { dir: PathBuf },
    /// Bring a backup made by `yui backup` into the empty database that database.url names.
    Restore { dir: PathBuf },
    /// Write the bulk open data (every posting ever published, CSV and JSON Lines, gzipped) into
    /// DIR, or into open_data.dir when none is given (`serve` does it once a day).
    ExportData { dir: Option<PathBuf> },
    /// Uploaded images: `yui media import [DIR]` loads an earlier version's media directory.
    Media {
        #[command(subcommand)]
        command: media::MediaCommand,
    },
}

fn main() -> ExitCode {
    // Every line passes the same mask, whatever wrote it: a database or relay error quoting an
    // address or a key a caller forgot to mask still reaches the log without it.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format(|buf, record| {
            use std::io::Write;
            let text = yui_domain::redact::masked(&record.args().to_string());
            writeln!(buf, "[{} {:<5} {}] {text}", buf.timestamp(), record.level(), record.target())
        })
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // One line, naming what is wrong: operators read this in a terminal or a unit's log.
            eprintln!("yui: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let settings = Settings::load(&cli.config_dir, &cli.env_name).map_err(|e| e.to_string())?;
    match cli.command {
        Command::Serve => serve(settings),
        Command::Migrate => {
            let applied = yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
            println!("{} migration(s) applied on {}", applied.len(), settings.database_url.backend().name());
            Ok(())
        }
        Command::SeedDemo => seed::run(&settings),
        Command::SeedBench { count } => seed::bench(&settings, count),
        Command::Admin { command } => admin::run(&settings, command),
        Command::Ingest { command } => ingest::run(&settings, command),
        Command::Import { command } => import::run(&settings, command),
        Command::Forms { command } => forms::run(&settings, command),
        Command::Org { command } => org::run(&settings, command),
        Command::Media { command } => media::run(&settings, command),
        Command::Backup { dir } => {
            let m = yui_db::backup::backup(&settings.database_url, &dir).map_err(|e| e.to_string())?;
            let rows: i64 = m.tables.values().sum();
            println!(
                "backup of {} written to {}: {} tables, {rows} rows, last migration {}",
                m.backend,
                dir.display(),
                m.tables.len(),
                m.last_migration
            );
            Ok(())
        }
        Command::Restore { dir } => {
            let r = yui_db::backup::restore(&settings.database_url, &dir).map_err(|e| e.to_string())?;
            println!(
                "restored the backup of {} ({} tables) into {}; {} migration(s) applied since",
                r.manifest.taken_at,
                r.manifest.tables.len(),
                settings.database_url.redacted(),
                r.migrations_applied.len()
            );
            Ok(())
        }
        Command::ExportData { dir } => {
            yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
            let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
            let dir = dir.unwrap_or_else(|| settings.open_data_dir.clone());
            let report = yui_web::open_data::export(&mut conn, &settings, &dir).map_err(|e| e.to_string())?;
            println!("{report} into {}", dir.display());
            Ok(())
        }
        Command::Expire => lifecycle::expire_once(&settings),
        Command::Digest => mailings::once(&settings, mailings::Mailing::Digest),
        Command::Alerts => mailings::once(&settings, mailings::Mailing::Alerts),
    }
}

fn serve(settings: Settings) -> Result<(), String> {
    let runtime = actix_web::rt::System::new();
    runtime.block_on(async move {
        let listen = settings.listen;
        let database = settings.database_url.clone();
        let mailer = yui_mail::Mailer::new(&settings.mail);
        let interval = settings.mail.worker_interval;
        let lifecycle_settings = settings.clone();
        let mailing_settings = settings.clone();
        let media_settings = settings.clone();
        let open_data_settings = settings.clone();
        let statistics_settings = settings.clone();
        let app = Application::build(settings).map_err(|e| e.to_string())?;
        // After the migrations (build runs them), before the first request.
        media::check_before_serving(&media_settings)?;
        // The outbox worker runs beside the server: every instance may run one, they claim
        // emails with a lease, so none is lost and none is sent by two workers at once (a crash
        // mid-delivery repeats it, with the same Message-ID: at least once, not exactly once).
        actix_web::rt::spawn(yui_mail::run_worker(app.pool(), mailer, interval));
        // Expiry and the reminders a week before the end; safe on several instances too.
        actix_web::rt::spawn(background::every(
            "lifecycle",
            app.pool(),
            lifecycle_settings,
            lifecycle::INTERVAL,
            lifecycle::pass,
        ));
        // Followers' digest and job alerts on the [following] schedule; each period is claimed once.
        actix_web::rt::spawn(background::every(
            "mailings",
            app.pool(),
            mailing_settings,
            mailings::INTERVAL,
            mailings::pass,
        ));
        // The bulk open data, once a day (each pass checks the files' date; an hourly look is
        // cheap). Two instances exporting the same day each rename a whole file into place.
        actix_web::rt::spawn(background::every(
            "open data",
            app.pool(),
            open_data_settings,
            std::time::Duration::from_secs(60 * 60),
            |conn, ctx| yui_web::open_data::export_if_due(conn, ctx.settings, yui_db::now()),
        ));
        // The weekly note to operators and the sponsors' reports; each claimed once in the database.
        actix_web::rt::spawn(background::every(
            "statistics",
            app.pool(),
            statistics_settings,
            std::time::Duration::from_secs(5 * 60),
            yui_web::reports::pass,
        ));
        let host = if listen.ip().is_unspecified() { "127.0.0.1".to_owned() } else { listen.ip().to_string() };
        println!(
            "Yui is serving on http://{host}:{}/ (database: {} at {})",
            app.port(),
            database.backend().name(),
            database.redacted()
        );
        app.run_until_stopped().await.map_err(|e| format!("server stopped: {e}"))
    })
}
