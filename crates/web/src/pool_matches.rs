//! Which takeover-pool entries fit a succession listing, and the coordinators' notice of them.
//! Run when a listing is published, when it is open again after talks fell through, and when an
//! entry is confirmed. The notice counts people and names none; neither the candidate nor the
//! owner is told: coordinators introduce by hand.
//!
//! Who is told is who can read the entries: the listing's coordinators, of the entries that
//! named their organisation; the admins (who read every entry) of all, when some fitting entry
//! named another organisation or left the choice to Yui.

use crate::settings::Settings;
use yui_db::succession::Listing;
use yui_db::succession_pool::Entry;
use yui_db::DbConnection;
use yui_mail::letters::succession_pool::PoolMatches;
use yui_mail::{Letters, MailError};

/// A listing's industry and district as the pool spells them: a category code (a listing may
/// store the code or its label) and a district's Japanese name.
pub fn spelled(settings: &Settings, listing: &Listing) -> (String, String) {
    let portal = &settings.portal;
    let industry = portal.category_of(&listing.industry).map_or_else(|| listing.industry.clone(), |c| c.code.clone());
    let area = portal.area_of(&listing.area).map_or_else(|| listing.area.clone(), |c| c.ja.clone());
    (industry, area)
}

/// The entries among `entries` that fit `listing`.
pub fn fitting<'a>(settings: &Settings, listing: &Listing, entries: &'a [Entry]) -> Vec<&'a Entry> {
    let (industry, area) = spelled(settings, listing);
    entries.iter().filter(|e| e.fits(&[industry.as_str()], &area)).collect()
}

/// Queues the notice for one listing, in the caller's transaction; returns how many fit.
pub fn notify(
    conn: &mut DbConnection,
    settings: &Settings,
    letters: &Letters,
    listing: &Listing,
) -> Result<usize, MailError> {
    let entries = yui_db::succession_pool::list(conn, None)?;
    let fit = fitting(settings, listing, &entries);
    if fit.is_empty() {
        return Ok(0);
    }
    let org = listing.coordinator_organization_id;
    let admin_url = format!("{}/admin/succession/pool?listing={}", settings.site.base_url, listing.public_id);
    let theirs = fit.iter().filter(|e| e.organization_id == Some(org)).count();
    let mut told: Vec<String> = Vec::new();
    if theirs > 0 {
        let to = yui_db::succession::coordinator_emails(conn, org)?;
        send(conn, letters, &to, theirs, listing, &admin_url)?;
        told = to;
    }
    if theirs < fit.len() {
        let admins: Vec<String> =
            yui_db::staff::admin_emails(conn)?.into_iter().filter(|a| !told.contains(a)).collect();
        send(conn, letters, &admins, fit.len(), listing, &admin_url)?;
    }
    Ok(fit.len())
}

fn send(
    conn: &mut DbConnection,
    letters: &Letters,
    to: &[String],
    count: usize,
    listing: &Listing,
    admin_url: &str,
) -> Result<(), MailError> {
    if to.is_empty() {
        return Ok(());
    }
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    let notice = PoolMatches { count, listing: &listing.public_name, admin_url };
    letters.succession_pool_matches(conn, &to, &notice)?;
    Ok(())
}

/// After an entry is confirmed: the notice for every public listing it fits.
pub fn notify_for_entry(
    conn: &mut DbConnection,
    settings: &Settings,
    letters: &Letters,
    entry: &Entry,
) -> Result<usize, MailError> {
    let listings = yui_db::succession::listed(conn)?;
    let mut told = 0;
    for (listing, _) in listings.iter().filter(|(l, _)| l.status == yui_domain::SuccessionStatus::Open) {
        let (industry, area) = spelled(settings, listing);
        if entry.fits(&[industry.as_str()], &area) {
            notify(conn, settings, letters, listing)?;
            told += 1;
        }
    }
    Ok(told)
}
