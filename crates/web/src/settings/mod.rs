//! Settings: `config/default.toml` (built in) → `config/default.toml` and `config/{YUI_ENV}.toml`
//! on disk → `YUI__SECTION__KEY` in the environment. Parsed once into types; a bad value stops
//! start-up with one line that names the key.

pub mod campaigns;
pub mod editorial;
pub mod following;
pub mod home;
pub mod portal;
pub mod statistics;
pub mod succession;

use config::{Config, Environment, File, FileFormat};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use yui_db::DatabaseUrl;
use yui_ingest::mapping::{Field, Mapping, Region};
use yui_ingest::source::{Secrets, Source};
use yui_ingest::standard_webhooks;
use yui_mail::{MailSettings, RawMailSettings};

const BUILT_IN_DEFAULTS: &str = include_str!("../../../../config/default.toml");

#[derive(Debug, serde::Deserialize)]
struct Raw {
    server: RawServer,
    database: RawDatabase,
    site: RawSite,
    postings: RawPostings,
    mail: RawMailSettings,
    ingest: RawIngest,
    review: ReviewSettings,
    portal: crate::settings::portal::RawPortal,
    editorial: crate::settings::editorial::RawEditorial,
    following: following::RawFollowing,
    campaigns: campaigns::RawCampaigns,
    succession: succession::RawSuccession,
    #[serde(default)]
    home: home::RawHome,
    #[serde(default)]
    metrics: RawMetrics,
    #[serde(default)]
    search: RawSearch,
    statistics: statistics::RawStatistics,
    #[serde(default)]
    open_data: RawOpenData,
}

#[derive(Debug, Default, serde::Deserialize)]
struct RawOpenData {
    #[serde(default)]
    dir: String,
}

#[derive(Debug, Default, serde::Deserialize)]
struct RawSearch {
    #[serde(default)]
    synonyms: Vec<Vec<String>>,
    #[serde(default)]
    poll_ms: Option<u64>,
}

/// `[search]`: the operators' synonyms and how often the change sequence is read.
#[derive(Debug, Clone)]
pub struct SearchSettings {
    pub synonyms: Vec<Vec<String>>,
    pub poll: std::time::Duration,
}

#[derive(Default, serde::Deserialize)]
struct RawMetrics {
    #[serde(default)]
    token: String,
}

impl std::fmt::Debug for RawMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawMetrics").finish_non_exhaustive()
    }
}

/// `metrics.token`: what a Prometheus scrape must present. `Debug` never shows it.
#[derive(Clone)]
pub struct MetricsToken(String);

/// Long enough that guessing is hopeless even without a rate limit on `/metrics`.
const METRICS_TOKEN_MIN_CHARS: usize = 32;

impl MetricsToken {
    /// `None` for an empty setting (metrics off).
    pub fn parse(raw: &str) -> Result<Option<MetricsToken>, String> {
        match raw.trim() {
            "" => Ok(None),
            t if t.chars().count() < METRICS_TOKEN_MIN_CHARS => Err(format!(
                "must be at least {METRICS_TOKEN_MIN_CHARS} characters (e.g. openssl rand -hex 32), \
                 or empty to switch /metrics off"
            )),
            t if !t.chars().all(|c| c.is_ascii_graphic()) => {
                Err("may hold only printable ASCII characters without spaces".into())
            }
            t => Ok(Some(MetricsToken(t.to_owned()))),
        }
    }

    /// Compares digests in constant time, so neither the token's bytes nor its length leak
    /// through the time a refusal takes.
    pub fn matches(&self, offered: &str) -> bool {
        use sha2::{Digest, Sha256};
        use subtle::ConstantTimeEq;
        Sha256::digest(offered.as_bytes()).ct_eq(&Sha256::digest(self.0.as_bytes())).into()
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

/// The review queue's rules.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ReviewSettings {
    /// An editor may not approve a posting of an employer linked to their own organisation.
    pub block_own_organization: bool,
    /// An editor who changed a posting's content may not also approve it: a second editor must.
    pub four_eyes: bool,
    /// Login attempts per minute, per address and per account.
    pub login_per_minute: u32,
}

#[derive(Debug, serde::Deserialize)]
struct RawIngest {
    max_body_bytes: usize,
    submit_per_hour: u32,
    #[serde(default)]
    sources: HashMap<String, RawSource>,
    #[serde(default)]
    mappings: Vec<RawMapping>,
    /// Hello Work CSV: column code → header labels beyond the job sheet's own.
    #[serde(default)]
    hellowork_labels: HashMap<String, Vec<String>>,
}

#[derive(Debug, serde::Deserialize)]
struct RawSource {
    #[serde(default)]
    secret: String,
}

#[derive(Debug, serde::Deserialize)]
struct RawMapping {
    source: String,
    #[serde(default)]
    form_id: Option<String>,
    /// Field code → the question labels that fill it.
    fields: HashMap<String, Vec<String>>,
}

#[derive(Debug, serde::Deserialize)]
struct RawServer {
    listen: String,
    page_cache_secs: u64,
    body_timeout_secs: u64,
    #[serde(default)]
    secret_key: String,
    #[serde(default)]
    trusted_proxies: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct RawDatabase {
    url: String,
    pool_size: u32,
}

#[derive(Debug, serde::Deserialize)]
struct RawSite {
    name: String,
    region: String,
    base_url: String,
    default_lang: String,
    #[serde(default)]
    pages_dir: String,
    /// The region as English pages name it ("Himi, Toyama"); empty: as written in `region`.
    #[serde(default)]
    region_en: String,
}

#[derive(Debug, serde::Deserialize)]
struct RawPostings {
    per_page: u32,
    default_valid_days: u32,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    /// How long a rendered public page may be served from memory; 0 switches the cache off.
    pub page_cache_secs: u64,
    /// How long a request's body may take to arrive, from its headers on (`server.body_timeout_secs`).
    pub body_timeout: std::time::Duration,
    /// Peers whose `Forwarded` / `X-Forwarded-*` headers are believed (`server.trusted_proxies`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where the operator's own `about`, `privacy` and `terms` pages are (`site.pages_dir`):
    /// `{name}.{ja|en}.md` there replaces the shipped text.
    pub pages_dir: Option<std::path::PathBuf>,
    pub database_url: DatabaseUrl,
    pub pool_size: u32,
    pub site: SiteSettings,
    pub per_page: u32,
    pub default_valid_days: u32,
    pub mail: MailSettings,
    pub ingest: IngestSettings,
    pub review: ReviewSettings,
    /// Categories, districts and the open-data licence of the portal.
    pub portal: crate::settings::portal::PortalSettings,
    pub editorial: crate::settings::editorial::EditorialSettings,
    /// `/follow`: the digest and alert schedule, the confirmation link's validity.
    pub following: following::FollowingSettings,
    pub home: home::HomeSettings,
    /// `[campaigns]`: how long entries are kept after a campaign ends, and their rate limit.
    pub campaigns: campaigns::CampaignSettings,
    /// `[succession]`: how long owners' requests are kept once closed, and their rate limit.
    pub succession: succession::SuccessionSettings,
    pub statistics: statistics::StatisticsSettings,
    /// Keys the CSRF tokens (and later the sessions): the same on every instance.
    pub secret_key: Vec<u8>,
    /// True when `server.secret_key` was empty and a random key stands in.
    pub secret_key_is_random: bool,
    /// `GET /metrics` is served only when this is set (`metrics.token`).
    pub metrics_token: Option<MetricsToken>,
    pub search: SearchSettings,
    /// Where the daily bulk export is written and served from (`open_data.dir`); created at start.
    pub open_data_dir: std::path::PathBuf,
}

/// Form intake: which senders are switched on, with which secrets, and how their questions map.
#[derive(Debug, Clone)]
pub struct IngestSettings {
    pub max_body_bytes: usize,
    /// Submissions of Yui's own form per visitor address and hour.
    pub submit_per_hour: u32,
    /// Only sources with a secret are here: the others answer 404.
    pub secrets: HashMap<Source, Secrets>,
    /// Per source, and per (source, form id): the default labels plus the configured ones.
    mappings: HashMap<(Source, Option<String>), Mapping>,
    /// Where a posting is when its answers do not say (parsed from `site.region`).
    pub region: Region,
    /// The header labels of a Hello Work CSV file: the job sheet's, plus `[ingest.hellowork_labels]`.
    pub hellowork_labels: yui_ingest::hellowork::Labels,
}

impl IngestSettings {
    /// The mapping for a form: its own if configured, else its source's, else the defaults.
    pub fn mapping(&self, source: Source, form_id: Option<&str>) -> Mapping {
        form_id
            .and_then(|id| self.mappings.get(&(source, Some(id.to_owned()))))
            .or_else(|| self.mappings.get(&(source, None)))
            .cloned()
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteSettings {
    pub name: String,
    pub region: String,
    /// Without a trailing slash, so paths can be appended.
    pub base_url: String,
    pub default_lang: String,
}

impl SiteSettings {
    /// The email templates, speaking for this site.
    pub fn letters(&self) -> Result<yui_mail::Letters, yui_mail::MailError> {
        yui_mail::Letters::new(yui_mail::Site {
            name: self.name.clone(),
            region: self.region.clone(),
            base_url: self.base_url.clone(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration key {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

fn invalid(key: &'static str, message: impl Into<String>) -> SettingsError {
    SettingsError::Invalid { key, message: message.into() }
}

impl Settings {
    /// Loads the layers from `config_dir` and the process environment.
    pub fn load(config_dir: &Path, env_name: &str) -> Result<Self, SettingsError> {
        let env_file = config_dir.join(format!("{env_name}.toml"));
        if env_name != "development" && !env_file.exists() {
            return Err(invalid("YUI_ENV", format!("{env_name:?} has no file {}", env_file.display())));
        }
        let config = Config::builder()
            .add_source(File::from_str(BUILT_IN_DEFAULTS, FileFormat::Toml))
            .add_source(File::from(config_dir.join("default.toml")).required(false))
            .add_source(File::from(env_file).required(false))
            .add_source(Environment::with_prefix("YUI").prefix_separator("__").separator("__").try_parsing(true))
            .build()?;
        Self::parse(config.try_deserialize()?)
    }

    fn parse(raw: Raw) -> Result<Self, SettingsError> {
        let listen = raw.server.listen.parse().map_err(|_| {
            invalid("server.listen", format!("{:?} is not an address such as 127.0.0.1:8080", raw.server.listen))
        })?;
        let database_url = DatabaseUrl::parse(&raw.database.url).map_err(|m| invalid("database.url", m))?;
        if !(1..=256).contains(&raw.database.pool_size) {
            return Err(invalid("database.pool_size", "must be between 1 and 256"));
        }
        let base_url = raw.site.base_url.trim().trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) || base_url.len() < "http://x".len() {
            return Err(invalid(
                "site.base_url",
                format!("{:?} must start with http:// or https://", raw.site.base_url),
            ));
        }
        if raw.site.name.trim().is_empty() {
            return Err(invalid("site.name", "is empty"));
        }
        if !matches!(raw.site.default_lang.as_str(), "ja" | "en") {
            return Err(invalid("site.default_lang", format!("{:?} is not \"ja\" or \"en\"", raw.site.default_lang)));
        }
        if !(1..=200).contains(&raw.postings.per_page) {
            return Err(invalid("postings.per_page", "must be between 1 and 200"));
        }
        if !(1..=366).contains(&raw.postings.default_valid_days) {
            return Err(invalid("postings.default_valid_days", "must be between 1 and 366"));
        }
        let mail = MailSettings::try_from(raw.mail).map_err(|e| invalid(e.key, e.message))?;
        let region = Region::parse(&raw.site.region).ok_or_else(|| {
            invalid("site.region", format!("{:?} names no municipality, e.g. 富山県氷見市", raw.site.region))
        })?;
        let ingest = parse_ingest(raw.ingest, region)?;
        let mut portal =
            crate::settings::portal::PortalSettings::parse(raw.portal).map_err(|(key, m)| invalid(key, m))?;
        if !raw.site.region_en.trim().is_empty() {
            portal.region_en = Some((raw.site.region.trim().to_owned(), raw.site.region_en.trim().to_owned()));
        }
        let editorial =
            crate::settings::editorial::EditorialSettings::parse(raw.editorial).map_err(|(key, m)| invalid(key, m))?;
        let following = following::FollowingSettings::parse(raw.following).map_err(|(key, m)| invalid(key, m))?;
        let home = home::HomeSettings::parse(raw.home).map_err(|(key, m)| invalid(key, m))?;
        let campaigns = campaigns::CampaignSettings::parse(raw.campaigns).map_err(|(key, m)| invalid(key, m))?;
        let succession = succession::SuccessionSettings::parse(raw.succession).map_err(|(key, m)| invalid(key, m))?;
        let statistics = statistics::StatisticsSettings::parse(raw.statistics).map_err(|(key, m)| invalid(key, m))?;
        if raw.review.login_per_minute == 0 {
            return Err(invalid("review.login_per_minute", "must be at least 1"));
        }
        let secret_key = match raw.server.secret_key.trim() {
            // Fine for one instance; `serve` warns, since forms then break on restart.
            "" => rand::random::<[u8; 32]>().to_vec(),
            k if k.len() < 32 => return Err(invalid("server.secret_key", "must be at least 32 characters")),
            k => k.as_bytes().to_vec(),
        };
        if raw.server.body_timeout_secs == 0 {
            return Err(invalid("server.body_timeout_secs", "must be at least 1"));
        }
        let trusted_proxies = crate::client::parse_trusted(&raw.server.trusted_proxies)
            .map_err(|why| invalid("server.trusted_proxies", &why))?;
        let pages_dir = match raw.site.pages_dir.trim() {
            "" => None,
            dir if std::path::Path::new(dir).is_dir() => Some(std::path::PathBuf::from(dir)),
            _ => return Err(invalid("site.pages_dir", "is not a directory")),
        };
        let metrics_token = MetricsToken::parse(&raw.metrics.token).map_err(|m| invalid("metrics.token", m))?;
        let poll_ms = raw.search.poll_ms.unwrap_or(250);
        if !(10..=10_000).contains(&poll_ms) {
            return Err(invalid("search.poll_ms", "must be between 10 and 10000"));
        }
        if let Some(group) = raw.search.synonyms.iter().find(|g| g.iter().filter(|w| !w.trim().is_empty()).count() < 2)
        {
            return Err(invalid("search.synonyms", format!("each group needs two or more words, not {group:?}")));
        }
        let search = SearchSettings { synonyms: raw.search.synonyms, poll: std::time::Duration::from_millis(poll_ms) };
        if raw.server.page_cache_secs > 300 {
            return Err(invalid("server.page_cache_secs", "must be at most 300"));
        }
        let open_data_dir = match raw.open_data.dir.trim() {
            "" => return Err(invalid("open_data.dir", "is empty")),
            dir => std::path::PathBuf::from(dir),
        };
        Ok(Settings {
            listen,
            page_cache_secs: raw.server.page_cache_secs,
            body_timeout: std::time::Duration::from_secs(raw.server.body_timeout_secs),
            trusted_proxies,
            pages_dir,
            database_url,
            pool_size: raw.database.pool_size,
            site: SiteSettings {
                name: raw.site.name,
                region: raw.site.region,
                base_url,
                default_lang: raw.site.default_lang,
            },
            per_page: raw.postings.per_page,
            default_valid_days: raw.postings.default_valid_days,
            mail,
            ingest,
            review: raw.review,
            portal,
            editorial,
            following,
            home,
            campaigns,
            succession,
            statistics,
            secret_key_is_random: raw.server.secret_key.trim().is_empty(),
            secret_key,
            metrics_token,
            search,
            open_data_dir,
        })
    }
}

fn parse_ingest(raw: RawIngest, region: Region) -> Result<IngestSettings, SettingsError> {
    if !(1024..=16 * 1024 * 1024).contains(&raw.max_body_bytes) {
        return Err(invalid("ingest.max_body_bytes", "must be between 1024 and 16777216"));
    }
    if raw.submit_per_hour == 0 {
        return Err(invalid("ingest.submit_per_hour", "must be at least 1"));
    }
    let mut secrets = HashMap::new();
    for (code, source) in raw.sources {
        let Some(src) = Source::from_code(&code).filter(|s| *s != Source::Native) else {
            return Err(invalid(
                "ingest.sources",
                format!("{code:?} is not one of standard, google_forms, tally, typeform"),
            ));
        };
        // Several secrets, separated by spaces, while one is being rotated.
        let values: Vec<String> = source.secret.split_whitespace().map(str::to_owned).collect();
        if values.is_empty() {
            continue;
        }
        let parsed = match src {
            Source::Standard => Secrets::Standard(
                values
                    .iter()
                    .map(|v| standard_webhooks::Secret::parse(v))
                    .collect::<Result<_, _>>()
                    .map_err(|e| invalid("ingest.sources.standard.secret", e.0))?,
            ),
            _ if values.iter().any(|v| v.len() < 16) => {
                return Err(invalid("ingest.sources", format!("the {code} secret must be at least 16 characters")))
            }
            _ => Secrets::Shared(values),
        };
        secrets.insert(src, parsed);
    }
    let mut mappings: HashMap<(Source, Option<String>), Mapping> = HashMap::new();
    // Source-wide rules first, so a form's own rules start from them.
    let mut rules = raw.mappings;
    rules.sort_by_key(|r| r.form_id.is_some());
    for rule in rules {
        let source = Source::from_code(&rule.source)
            .ok_or_else(|| invalid("ingest.mappings", format!("source {:?} is unknown", rule.source)))?;
        let mut mapping = match &rule.form_id {
            Some(_) => mappings.get(&(source, None)).cloned().unwrap_or_default(),
            None => Mapping::default(),
        };
        for (code, labels) in &rule.fields {
            let field = code.parse::<Field>().map_err(|m| invalid("ingest.mappings", m))?;
            mapping.add(field, labels);
        }
        mappings.insert((source, rule.form_id), mapping);
    }
    let mut hellowork_labels = yui_ingest::hellowork::Labels::default();
    for (code, labels) in raw.hellowork_labels {
        let column = yui_ingest::hellowork::Column::from_code(&code)
            .ok_or_else(|| invalid("ingest.hellowork_labels", format!("{code:?} is not a Hello Work column")))?;
        hellowork_labels.add(column, &labels);
    }
    Ok(IngestSettings {
        max_body_bytes: raw.max_body_bytes,
        submit_per_hour: raw.submit_per_hour,
        secrets,
        mappings,
        region,
        hellowork_labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(overrides: &str) -> Result<Settings, SettingsError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("test.toml"), overrides).unwrap();
        Settings::load(dir.path(), "test")
    }

    #[test]
    fn built_in_defaults_are_complete_and_valid() {
        let s = load_with("").unwrap();
        assert_eq!(s.database_url.backend(), yui_db::Backend::Sqlite);
        assert_eq!(s.site.default_lang, "ja");
    }

    #[test]
    fn the_environment_file_overrides_the_defaults() {
        let s =
            load_with("[database]\nurl = \"postgres://localhost/yui\"\n[site]\nbase_url = \"https://jobs.example/\"")
                .unwrap();
        assert_eq!(s.database_url.backend(), yui_db::Backend::Postgres);
        assert_eq!(s.site.base_url, "https://jobs.example");
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            ("[server]\nlisten = \"everywhere\"", "configuration key server.listen: "),
            ("[database]\nurl = \"mysql://x/y\"", "configuration key database.url: "),
            ("[site]\nbase_url = \"jobs.example\"", "configuration key site.base_url: "),
            ("[mail]\nurl = \"pigeon://loft\"", "configuration key mail.url: "),
            ("[mail]\nurl = \"smtps://yui:hunter2@:465\"", "configuration key mail.url: smtps:// needs a host"),
            (
                "[mail]\nurl = \"smtp+starttls://relay.example\"\nca_file = \"/nonexistent/ca.pem\"",
                "configuration key mail.ca_file: cannot read /nonexistent/ca.pem",
            ),
            ("[postings]\nper_page = 0", "configuration key postings.per_page: "),
            ("[metrics]\ntoken = \"short\"", "configuration key metrics.token: must be at least 32 characters"),
            (
                "[metrics]\ntoken = \"0123456789abcdef0123456789abcdéf\"",
                "configuration key metrics.token: may hold only",
            ),
        ];
        for (toml, prefix) in cases {
            let err = load_with(toml).unwrap_err().to_string();
            assert!(err.starts_with(prefix), "{toml:?} gave {err:?}");
            assert!(!err.contains('\n'));
        }
    }

    #[test]
    fn wrong_types_name_their_key() {
        let err = load_with("[database]\npool_size = \"many\"").unwrap_err().to_string();
        assert!(err.contains("database.pool_size"), "{err}");
    }

    #[test]
    fn an_unknown_environment_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = Settings::load(dir.path(), "staging").unwrap_err().to_string();
        assert!(err.starts_with("configuration key YUI_ENV: "), "{err}");
    }
}
