//! Settings: `config/default.toml` (built in) → `config/default.toml` and `config/{YUI_ENV}.toml`
//! on disk → `YUI__SECTION__KEY` in the environment. Parsed once into types; a bad value stops
//! start-up with one line that names the key.

use config::{Config, Environment, File, FileFormat};
use std::net::SocketAddr;
use std::path::Path;
use yui_db::DatabaseUrl;
use yui_mail::{MailSettings, RawMailSettings};

const BUILT_IN_DEFAULTS: &str = include_str!("../../../config/default.toml");

#[derive(Debug, serde::Deserialize)]
struct Raw {
    server: RawServer,
    database: RawDatabase,
    site: RawSite,
    postings: RawPostings,
    mail: RawMailSettings,
}

#[derive(Debug, serde::Deserialize)]
struct RawServer {
    listen: String,
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
}

#[derive(Debug, serde::Deserialize)]
struct RawPostings {
    per_page: u32,
    default_valid_days: u32,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub database_url: DatabaseUrl,
    pub pool_size: u32,
    pub site: SiteSettings,
    pub per_page: u32,
    pub default_valid_days: u32,
    pub mail: MailSettings,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteSettings {
    pub name: String,
    pub region: String,
    /// Without a trailing slash, so paths can be appended.
    pub base_url: String,
    pub default_lang: String,
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
        Ok(Settings {
            listen,
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
        })
    }
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
            ("[postings]\nper_page = 0", "configuration key postings.per_page: "),
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
