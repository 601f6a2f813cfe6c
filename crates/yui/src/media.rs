//! `yui media import [DIR]`: images that an earlier version kept in a directory
//! (`editorial.media_dir`) are loaded into the database, under their old names too, so the
//! articles and links that hold those names keep working. Safe to run again: a name already
//! imported is skipped.

use clap::Subcommand;
use std::path::{Path, PathBuf};
use yui_web::Settings;

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Load the images of an old media directory into the database (once; safe to repeat).
    Import {
        /// The directory; `editorial.media_dir` when left out.
        dir: Option<PathBuf>,
    },
}

pub fn run(settings: &Settings, command: MediaCommand) -> Result<(), String> {
    match command {
        MediaCommand::Import { dir } => {
            let dir = dir
                .or_else(|| settings.editorial.legacy_media_dir.clone())
                .ok_or("media import: name the directory (yui media import DIR); editorial.media_dir is not set")?;
            import(settings, &dir)
        }
    }
}

/// The files an earlier version wrote: 32 hex digits and the image's extension. Anything else
/// in the directory (a half-written `.part` file) was never shown to anyone.
fn old_names(dir: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("media import: cannot read {}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_old_name(n))
        .collect();
    names.sort();
    Ok(names)
}

fn is_old_name(name: &str) -> bool {
    name.split_once('.').is_some_and(|(stem, ext)| {
        stem.len() == 32
            && stem.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && matches!(ext, "jpg" | "png" | "webp")
    })
}

fn import(settings: &Settings, dir: &Path) -> Result<(), String> {
    let names = old_names(dir)?;
    yui_db::migrate::run_pending(&settings.database_url).map_err(|e| e.to_string())?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let (mut imported, mut known, mut skipped) = (0, 0, 0);
    for name in &names {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).map_err(|e| format!("media import: cannot read {}: {e}", path.display()))?;
        let Some((content_type, width, height)) = yui_web::hero_image::describe(&bytes) else {
            log::warn!("media import: {} is not a readable image: skipped", path.display());
            skipped += 1;
            continue;
        };
        let added = yui_db::media::import(&mut conn, name, content_type, &bytes, (width, height), yui_db::now())
            .map_err(|e| format!("media import: {name}: {e}"))?;
        if added {
            imported += 1;
        } else {
            known += 1;
        }
    }
    println!("{imported} image(s) imported, {known} already there, {skipped} skipped (not an image)");
    Ok(())
}

/// Refuses to serve while the old directory holds images the database lacks: every page that
/// shows one would answer 404 for it.
pub fn check_before_serving(settings: &Settings) -> Result<(), String> {
    let Some(dir) = &settings.editorial.legacy_media_dir else { return Ok(()) };
    if !dir.exists() {
        log::warn!("editorial.media_dir ({}) is no longer used and can be removed", dir.display());
        return Ok(());
    }
    let names = old_names(dir)?;
    let mut conn = yui_db::conn::establish(&settings.database_url).map_err(|e| e.to_string())?;
    let mut missing = 0;
    for name in &names {
        if yui_db::media::is_aliased(&mut conn, name).map_err(|e| e.to_string())? {
            continue;
        }
        // What import skips (not a readable image) never holds serving back.
        let readable = std::fs::read(dir.join(name)).ok().and_then(|b| yui_web::hero_image::describe(&b)).is_some();
        if readable {
            missing += 1;
        }
    }
    if missing > 0 {
        return Err(format!(
            "editorial.media_dir: {} holds {missing} image(s) not in the database yet; images are kept in the \
             database now: run `yui media import` once, then remove the setting",
            dir.display()
        ));
    }
    log::warn!("editorial.media_dir ({}) is imported and no longer used: the setting can be removed", dir.display());
    Ok(())
}
