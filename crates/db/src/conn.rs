use crate::DbError;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use std::path::PathBuf;
use std::time::Duration;

/// One connection type for both backends: queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Where the data lives. The backend is chosen from the URL's scheme, never by trial:
/// a mistyped PostgreSQL URL must not quietly become a new SQLite file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(s.to_owned()));
        }
        let path = s.strip_prefix("sqlite://").unwrap_or(s);
        if path.is_empty() {
            return Err("is empty: give a SQLite file path or a postgres:// URL".into());
        }
        if let Some((scheme, _)) = path.split_once("://") {
            return Err(format!(
                "has the unknown scheme {scheme:?}: use a SQLite file path, sqlite://path or postgres://"
            ));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The value to put in `database.url` to reach the same database.
    #[cfg(feature = "testing")]
    pub fn to_setting(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => p.display().to_string(),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }

    /// The URL without its password, for logs and messages.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => p.display().to_string(),
            DatabaseUrl::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(start), Some(at)) if at > start => format!("{}://…@{}", &url[..start], &url[at + 1..]),
                _ => url.clone(),
            },
        }
    }
}

pub(crate) fn establish_sqlite(path: &std::path::Path) -> Result<SqliteConnection, DbError> {
    establish_sqlite_waiting(path, 5_000)
}

/// [`establish_sqlite`], waiting up to `busy_ms` for another connection's write: the
/// migrations wait longer, since several instances starting at once queue behind the one that
/// migrates, and a fresh database's migrations take seconds on a busy machine.
pub(crate) fn establish_sqlite_waiting(path: &std::path::Path, busy_ms: u32) -> Result<SqliteConnection, DbError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| DbError::Connect(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut conn =
        SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| DbError::Connect(one_line(&e.to_string())))?;
    // busy_timeout first, so that switching to WAL waits for other processes instead of failing.
    // synchronous=FULL: an acknowledged write survives a power cut, not only a crash.
    // mmap (64 MiB): reads share the OS page cache instead of copying pages into each
    // connection; the bound keeps the mapped part of the resident memory small.
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {busy_ms}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         PRAGMA foreign_keys = ON; PRAGMA mmap_size = 67108864;"
    ))
    .map_err(|e| DbError::Connect(one_line(&e.to_string())))?;
    Ok(conn)
}

pub(crate) fn establish_postgres(url: &str) -> Result<PgConnection, DbError> {
    PgConnection::establish(url).map_err(|e| DbError::Connect(one_line(&e.to_string())))
}

pub fn establish(url: &DatabaseUrl) -> Result<DbConnection, DbError> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => DbConnection::Sqlite(establish_sqlite(path)?),
        DatabaseUrl::Postgres(url) => DbConnection::Postgres(establish_postgres(url)?),
    })
}

/// Keeps SQLite's query planner informed. Without statistics it takes any index on `status`
/// as selective and, for a text search, walks every published posting instead of looking up
/// the few the index matched (24 ms against 7 ms at 100,000 postings); with statistics taken
/// while the tables were still empty it misjudges the write path as badly (a webhook at
/// 100,000 postings: 36 instead of 650 a second). So every start analyzes in full (about
/// 150 ms per 100,000 postings), and [`optimize`] keeps the figures current in between.
/// PostgreSQL's autovacuum does both by itself.
pub fn analyze(conn: &mut DbConnection) -> Result<(), DbError> {
    use diesel::connection::SimpleConnection;
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("ANALYZE")?;
    }
    Ok(())
}

/// Re-analyzes the tables whose size changed a lot since they were last analyzed (all tables
/// are checked, not only those this connection used); cheap when nothing did.
pub fn optimize(conn: &mut DbConnection) -> Result<(), DbError> {
    use diesel::connection::SimpleConnection;
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA optimize=0x10002")?;
    }
    Ok(())
}

pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug)]
pub struct Manager(DatabaseUrl);

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        establish(&self.0)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::from)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

/// Builds the pool. Connections are checked at once, so a database that cannot be reached
/// stops start-up here with one clear line.
pub fn pool(url: &DatabaseUrl, max_size: u32) -> Result<DbPool, DbError> {
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(Manager(url.clone()))
        .map_err(|e| DbError::Connect(one_line(&e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_scheme() {
        assert_eq!(DatabaseUrl::parse("data/yui.sqlite").unwrap().backend(), Backend::Sqlite);
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/yui.sqlite").unwrap(),
            DatabaseUrl::Sqlite("data/yui.sqlite".into())
        );
        assert_eq!(DatabaseUrl::parse("postgres://u:p@h/db").unwrap().backend(), Backend::Postgres);
        assert_eq!(DatabaseUrl::parse("postgresql://h/db").unwrap().backend(), Backend::Postgres);
    }

    #[test]
    fn unknown_schemes_and_empty_urls_are_refused() {
        assert!(DatabaseUrl::parse("mysql://h/db").unwrap_err().contains("mysql"));
        assert!(DatabaseUrl::parse("  ").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_never_reach_logs() {
        let url = DatabaseUrl::parse("postgres://yui:s3cret@db.internal:5432/yui").unwrap();
        assert_eq!(url.redacted(), "postgres://…@db.internal:5432/yui");
    }
}
