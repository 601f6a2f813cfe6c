//! Mailings to followers: the confirmation (double opt-in), the weekly digest and the job
//! alerts, and the signed links they carry (manage, one-click unsubscribe, private feeds).
//!
//! Every mailing goes through the outbox with `List-Unsubscribe` (a signed link),
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058) and `List-Id` (the letters
//! in `yui_mail::letters::followers` add them), plus a visible unsubscribe link and the manage
//! link in the body. Each digest and alert is claimed once per period (see
//! `yui_db::following`) in the transaction that queues it.

use crate::i18n::Lang;
use crate::intake::Context;
use crate::search_model::{published_between, Window};
use crate::settings::Settings;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use yui_db::employers::Employer;
use yui_db::following::{Follower, SavedSearch};
use yui_db::postings::Posting;
use yui_db::{DbConnection, DbResult};
use yui_domain::following::{tokyo_date, Frequency};
use yui_domain::{EmploymentType, PageNumber, RemoteMode};
use yui_mail::letters::followers::{
    FollowAlert, FollowAlready, FollowConfirm, FollowDigest, FollowedSearch, ListedArticle, ListedPosting,
};
use yui_mail::MailError;
use yui_search::JobsFilter;

/// The most postings one alert or digest lists; an alert with more leaves the rest for the next one.
pub const MAX_ITEMS: i64 = 30;
/// Alerts look this far back behind their high-water mark: a posting whose approval committed
/// a moment after an alert run began still arrives (the sent-items table keeps it from coming twice).
pub const ALERT_GRACE: Duration = Duration::minutes(10);
/// One confirmation (or manage-link) mail per address at most this often.
pub const RESEND_AFTER: Duration = Duration::minutes(5);

/// What a signed link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The follower's manage page (id: follower).
    Manage,
    /// Stop the digest (id: follower).
    StopDigest,
    /// Stop one saved search's alerts (id: saved search).
    StopAlert,
    /// A saved search's private feeds (id: saved search).
    Feed,
}

impl Link {
    fn tag(self) -> char {
        match self {
            Link::Manage => 'm',
            Link::StopDigest => 'd',
            Link::StopAlert => 'a',
            Link::Feed => 'f',
        }
    }
}

const MAC_CHARS: usize = 43;

fn mac(key: &[u8], link: Link, id: i32, salt: &str) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(format!("yui-follow:{}:{id}:{salt}", link.tag()).as_bytes());
    Some(mac)
}

/// A signed link token: the kind, the id, and an HMAC over both and the follower's salt under
/// the server key. Nothing to store, and no copy of the database can forge one.
pub fn sign(key: &[u8], link: Link, id: i32, salt: &str) -> String {
    let code = mac(key, link, id, salt).map(|m| URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())).unwrap_or_default();
    format!("{}{id}{code}", link.tag())
}

/// The kind and id a token claims, before its signature is checked with [`verify`].
pub fn read(token: &str) -> Option<(Link, i32)> {
    if !token.is_ascii() || token.len() <= MAC_CHARS + 1 {
        return None;
    }
    let link = match token.as_bytes()[0] {
        b'm' => Link::Manage,
        b'd' => Link::StopDigest,
        b'a' => Link::StopAlert,
        b'f' => Link::Feed,
        _ => return None,
    };
    let digits = &token[1..token.len() - MAC_CHARS];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return None;
    }
    Some((link, digits.parse().ok()?))
}

/// Constant-time check of a token against the row it claims to open.
pub fn verify(key: &[u8], token: &str, link: Link, id: i32, salt: &str) -> bool {
    let Some(code) = token.get(token.len().saturating_sub(MAC_CHARS)..) else {
        return false;
    };
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(code) else {
        return false;
    };
    read(token) == Some((link, id)) && mac(key, link, id, salt).is_some_and(|m| m.verify_slice(&bytes).is_ok())
}

pub fn manage_url(settings: &Settings, f: &Follower) -> String {
    format!("{}{}", settings.site.base_url, manage_path(settings, f))
}

/// The manage page's path, for links within the site.
pub fn manage_path(settings: &Settings, f: &Follower) -> String {
    format!("/follow/manage/{}", sign(&settings.secret_key, Link::Manage, f.id, &f.link_salt))
}

pub fn unsubscribe_url(settings: &Settings, link: Link, id: i32, f: &Follower) -> String {
    format!("{}/unsubscribe/{}", settings.site.base_url, sign(&settings.secret_key, link, id, &f.link_salt))
}

/// `ext` is `atom` or `json`.
pub fn feed_url(settings: &Settings, search: &SavedSearch, f: &Follower, ext: &str) -> String {
    let token = sign(&settings.secret_key, Link::Feed, search.id, &f.link_salt);
    format!("{}/follow/feeds/{token}.{ext}", settings.site.base_url)
}

/// The filter a saved search stands for: exactly what `/jobs?{query}` would show.
pub fn search_filter(settings: &Settings, query: &str) -> Option<JobsFilter> {
    let parsed = crate::jobs_query::parse(query, settings).ok()?;
    Some(JobsFilter { page: PageNumber::FIRST, per_page: MAX_ITEMS as u32, ..parsed.filter })
}

/// A saved search in words: 「キーワード「介護」・正社員・比美町」.
pub fn describe(settings: &Settings, query: &str, lang: &str) -> String {
    let words = Lang::from_code(lang);
    let mut parts = Vec::new();
    for (key, value) in crate::i18n::query_pairs(query) {
        let part = match key.as_str() {
            "q" => words.tf("follow.describe.q", &[("q", &value)]),
            "type" => value.parse::<EmploymentType>().map(|t| t.label(lang).to_owned()).unwrap_or(value),
            "remote" => value.parse::<RemoteMode>().map(|r| r.label(lang).to_owned()).unwrap_or(value),
            "area" => settings.portal.area(&value).map(|a| a.label(lang).to_owned()).unwrap_or(value),
            "category" => settings.portal.category(&value).map(|c| c.label(lang).to_owned()).unwrap_or(value),
            "salary_min" => words.tf("follow.describe.salary_min", &[("n", &value)]),
            "cond" => value.parse::<yui_domain::Condition>().map(|c| c.chip(lang).to_owned()).unwrap_or(value),
            other => match crate::views::project_param_label(other, &value, words) {
                Some(label) => label,
                None => continue,
            },
        };
        parts.push(part);
    }
    if parts.is_empty() {
        return words.t("follow.describe.all").into();
    }
    parts.join(words.t("follow.describe.separator"))
}

/// The follower's language, as stored at sign-up: `en` or Japanese.
fn lang_of(f: &Follower) -> &'static str {
    if f.lang == "en" {
        "en"
    } else {
        "ja"
    }
}

/// A link into the site that opens in `lang` (English is not the default, so it is asked for).
fn site_url(settings: &Settings, path: &str, lang: &str) -> String {
    let base = &settings.site.base_url;
    match lang {
        "en" if path.contains('?') => format!("{base}{path}&lang=en"),
        "en" => format!("{base}{path}?lang=en"),
        _ => format!("{base}{path}"),
    }
}

fn item(settings: &Settings, p: &Posting, e: &Employer, lang: &str) -> ListedPosting {
    // The district as the reader's language names it, like the posting page.
    let area = p.area.as_deref().map(|a| settings.portal.area_label(a, lang));
    let place: Vec<String> =
        [Some(p.municipality.clone()), area].into_iter().flatten().filter(|s| !s.is_empty()).collect();
    ListedPosting {
        title: p.title.clone(),
        url: site_url(settings, &format!("/jobs/{}", p.public_id), lang),
        employer: e.name.clone(),
        kind: p.employment_type.label(lang).to_owned(),
        place: place.join(" "),
        salary: p.salary().map(|s| s.to_japanese()).unwrap_or_default(),
    }
}

/// The confirmation mail of a sign-up, with the link (valid `following.link_valid`) that `token` opens.
pub fn queue_confirmation(
    conn: &mut DbConnection,
    ctx: Context<'_>,
    f: &Follower,
    token: &str,
) -> Result<i32, MailError> {
    let s = ctx.settings;
    let searches = yui_db::following::searches(conn, f.id)?;
    let lang = lang_of(f);
    let alerts: Vec<FollowedSearch> = searches
        .iter()
        .map(|x| FollowedSearch { what: describe(s, &x.query, lang), frequency: x.frequency().label(lang).to_owned() })
        .collect();
    let args = FollowConfirm {
        confirm_url: &format!("{}/follow/confirm/{token}", s.site.base_url),
        valid_hours: s.following.link_valid.num_hours(),
        digest: f.wants_digest,
        alerts: &alerts,
    };
    ctx.letters.follow_confirm(conn, &f.email, yui_mail::Lang::from_code(lang), &args)
}

/// For an address that already follows and signed up again: its manage link, nothing changed.
pub fn queue_already_following(conn: &mut DbConnection, ctx: Context<'_>, f: &Follower) -> Result<i32, MailError> {
    let args = FollowAlready { manage_url: &manage_url(ctx.settings, f) };
    ctx.letters.follow_already(conn, &f.email, yui_mail::Lang::from_code(lang_of(f)), &args)
}

/// Queues this period's digest for every confirmed follower who wants it and has not had it:
/// postings and articles published in the seven days before the period began. Returns how
/// many were queued; with nothing new in the week, none.
pub fn build_digests(conn: &mut DbConnection, ctx: Context<'_>, now: NaiveDateTime) -> Result<usize, MailError> {
    let s = ctx.settings;
    let period = s.following.schedule.digest_period(now);
    let (from, to) = (period.starts - Duration::days(7), period.starts);
    let week = Window { after: from, before: Some(to), exclude: &[] };
    let postings = published_between(conn, s, now, &JobsFilter::all(MAX_ITEMS as u32), week, MAX_ITEMS as usize)?;
    let articles = yui_db::following::articles_between(conn, from, to)?;
    if postings.is_empty() && articles.is_empty() {
        log::info!("digest {}: nothing was published in the week, nothing queued", period.key);
        return Ok(0);
    }
    let week = |lang: &str| {
        let (first, last) = (tokyo_date(from, lang), tokyo_date(to - Duration::seconds(1), lang));
        Lang::from_code(lang).tf("follow.digest.week", &[("first", &first), ("last", &last)])
    };
    // The week's lists in each language, made once for every follower.
    let lists = |lang: &str| {
        let postings: Vec<ListedPosting> = postings.iter().rev().map(|(p, e)| item(s, p, e, lang)).collect();
        let articles: Vec<ListedArticle> = articles
            .iter()
            .filter_map(|a| {
                let kind = a.kind.parse::<yui_domain::ArticleKind>().ok()?;
                Some(ListedArticle {
                    title: a.title.clone(),
                    lede: a.lede.clone(),
                    pr: kind == yui_domain::ArticleKind::Feature,
                    url: site_url(s, &crate::paths::article(kind, &a.slug), lang),
                })
            })
            .collect();
        (postings, articles)
    };
    let (ja, en) = (lists("ja"), lists("en"));
    let mut queued = 0;
    for f in yui_db::following::digest_due(conn, &period.key)? {
        let unsubscribe = unsubscribe_url(s, Link::StopDigest, f.id, &f);
        let lang = lang_of(&f);
        let (postings, articles) = if lang == "en" { &en } else { &ja };
        let (week, manage) = (week(lang), manage_url(s, &f));
        let args = FollowDigest { week: &week, postings, articles, manage_url: &manage, unsubscribe_url: &unsubscribe };
        let sent = yui_db::transaction(conn, |conn| {
            if !yui_db::following::claim_digest(conn, f.id, &period.key)? {
                return Ok(false);
            }
            ctx.letters.follow_digest(conn, &f.email, yui_mail::Lang::from_code(lang), &args)?;
            Ok::<_, MailError>(true)
        })?;
        if sent {
            queued += 1;
        }
    }
    log::info!("digest {}: {queued} queued", period.key);
    Ok(queued)
}

/// The postings the next alert of `search` would carry: public, matching the saved search as
/// `/jobs` would, published after its high-water mark (less [`ALERT_GRACE`]) and never sent
/// before. Oldest first; one more than [`MAX_ITEMS`] tells that there are more.
pub fn alert_candidates(
    conn: &mut DbConnection,
    settings: &Settings,
    search: &SavedSearch,
    now: NaiveDateTime,
) -> DbResult<Option<Vec<(Posting, Employer)>>> {
    let Some(filter) = search_filter(settings, &search.query) else {
        return Ok(None);
    };
    let sent = yui_db::following::alerted_posting_ids(conn, search.id)?;
    let since = search.alert_after - ALERT_GRACE;
    // Never before the follower confirmed: the grace is for late commits, not older postings.
    let since = since.max(search.created_at.min(search.alert_after));
    let window = Window { after: since, before: None, exclude: &sent };
    Ok(Some(published_between(conn, settings, now, &filter, window, MAX_ITEMS as usize + 1)?))
}

/// Queues one saved search's alert for the current period, if it has anything new and has not
/// had this period's alert. Returns whether a mail was queued.
pub fn alert_one(
    conn: &mut DbConnection,
    ctx: Context<'_>,
    search: &SavedSearch,
    f: &Follower,
    now: NaiveDateTime,
) -> Result<bool, MailError> {
    let s = ctx.settings;
    let period = s.following.schedule.alert_period(search.frequency(), now);
    if search.alert_period.as_deref() == Some(period.key.as_str()) {
        return Ok(false);
    }
    let Some(mut items) = alert_candidates(conn, s, search, now)? else {
        log::warn!("alert {}: its saved search no longer parses (a category or district was removed?)", search.id);
        return Ok(false);
    };
    if items.is_empty() {
        return Ok(false);
    }
    let more = items.len() as i64 > MAX_ITEMS;
    items.truncate(MAX_ITEMS as usize);
    // With more than one mail's worth, the mark stays: the rest come next time (sent ones are skipped).
    let mark = (!more).then_some(now);
    let ids: Vec<i32> = items.iter().map(|(p, _)| p.id).collect();
    let unsubscribe = unsubscribe_url(s, Link::StopAlert, search.id, f);
    let lang = lang_of(f);
    let postings: Vec<ListedPosting> = items.iter().map(|(p, e)| item(s, p, e, lang)).collect();
    let search_path = crate::paths::href("/jobs", &crate::i18n::query_pairs(&search.query).collect::<Vec<_>>());
    let args = FollowAlert {
        what: &describe(s, &search.query, lang),
        frequency: search.frequency().label(lang),
        count: items.len(),
        more,
        postings: &postings,
        search_url: &site_url(s, &search_path, lang),
        feed_url: &feed_url(s, search, f, "atom"),
        manage_url: &manage_url(s, f),
        unsubscribe_url: &unsubscribe,
    };
    let result = yui_db::transaction(conn, |conn| {
        if !yui_db::following::claim_alert(conn, search.id, &period.key, mark)? {
            return Ok(false);
        }
        let email = ctx.letters.follow_alert(conn, &f.email, yui_mail::Lang::from_code(lang), &args)?;
        yui_db::following::record_alert_items(conn, search.id, &ids, email, now)?;
        Ok(true)
    });
    match result {
        Err(MailError::Db(e)) if yui_db::following::is_duplicate(&e) => {
            log::info!("alert {}: already queued by another run", search.id);
            Ok(false)
        }
        other => other,
    }
}

/// [`build_alerts`], calling `before_each(search id)` before each saved search: an error from it
/// ends the run there (what the saved searches before it got stays queued).
pub fn build_alerts_with(
    conn: &mut DbConnection,
    ctx: Context<'_>,
    now: NaiveDateTime,
    before_each: &mut dyn FnMut(i32) -> DbResult<()>,
) -> Result<usize, MailError> {
    let mut queued = 0;
    for (search, f) in yui_db::following::confirmed_searches(conn)? {
        before_each(search.id)?;
        if alert_one(conn, ctx, &search, &f, now)? {
            queued += 1;
        }
    }
    if queued > 0 {
        log::info!("alerts: {queued} queued");
    }
    Ok(queued)
}

/// Queues the job alerts due now: for each confirmed saved search whose period (daily or
/// weekly) has no alert yet and that has new postings. Returns how many were queued.
pub fn build_alerts(conn: &mut DbConnection, ctx: Context<'_>, now: NaiveDateTime) -> Result<usize, MailError> {
    build_alerts_with(conn, ctx, now, &mut |_| Ok(()))
}

/// Whether `frequency` is one a form may choose.
pub fn frequency(code: &str) -> Option<Frequency> {
    code.parse().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn signed_links_open_only_what_they_were_made_for() {
        let key = b"0123456789abcdef0123456789abcdef";
        let t = sign(key, Link::StopAlert, 42, "salt");
        assert_eq!(read(&t), Some((Link::StopAlert, 42)));
        assert!(verify(key, &t, Link::StopAlert, 42, "salt"));
        assert!(!verify(key, &t, Link::StopAlert, 42, "other salt"), "a deleted and re-made row voids old links");
        assert!(!verify(key, &t, Link::StopDigest, 42, "salt"));
        assert!(!verify(b"another key another key another k", &t, Link::StopAlert, 42, "salt"));
        let forged = format!("a43{}", &t[3..]);
        assert!(!verify(key, &forged, Link::StopAlert, 43, "salt"));
        let mut flipped = t.clone();
        flipped.replace_range(t.len() - 1.., if t.ends_with('A') { "B" } else { "A" });
        assert!(!verify(key, &flipped, Link::StopAlert, 42, "salt"));
        assert_eq!(read("x42abc"), None);
        assert_eq!(read("m"), None);
    }
}
