//! `yui backup DIR` and `yui restore DIR`: a consistent copy of the whole database while Yui
//! serves and writes, and its return into an empty database. Uploaded images are rows
//! (`media`), so the database file or dump is everything there is to keep.
//!
//! SQLite: `VACUUM INTO` copies one read snapshot into `DIR/yui.sqlite`. PostgreSQL: a
//! repeatable-read transaction exports its snapshot, `pg_dump --snapshot` dumps exactly that
//! into `DIR/yui.dump`, and the row counts of the manifest are taken in the same snapshot, so
//! they describe the dump exactly. `DIR/manifest.json` is written last: a directory without it
//! is not a finished backup.

use crate::conn::{establish_postgres, establish_sqlite, one_line, DatabaseUrl};
use crate::{DbConnection, DbError, DbResult};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "yui.sqlite";
const PG_FILE: &str = "yui.dump";

/// What a backup holds, written beside it as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub yui_version: String,
    pub backend: String,
    pub last_migration: String,
    /// When the copy's snapshot was taken (UTC, RFC 3339).
    pub taken_at: String,
    /// Rows per table, as in the copy.
    pub tables: BTreeMap<String, i64>,
    /// File name → SHA-256 (hex).
    pub files: BTreeMap<String, String>,
}

fn fail(message: impl Into<String>) -> DbError {
    DbError::Invalid(message.into())
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every table of Yui's schema (on PostgreSQL, of the connection's schema).
fn table_names(conn: &mut DbConnection) -> DbResult<Vec<String>> {
    let rows: Vec<Name> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT CAST(tablename AS TEXT) AS name FROM pg_tables WHERE schemaname = current_schema() \
             ORDER BY tablename",
        )
        .load(c)?,
    };
    Ok(rows.into_iter().map(|r| r.name).collect())
}

fn row_counts(conn: &mut DbConnection) -> DbResult<BTreeMap<String, i64>> {
    let mut counts = BTreeMap::new();
    for table in table_names(conn)? {
        // Names come from the catalog, quoted all the same.
        let sql = format!("SELECT COUNT(*) AS n FROM \"{}\"", table.replace('"', "\"\""));
        let n: Count = match conn {
            DbConnection::Sqlite(c) => diesel::sql_query(sql).get_result(c)?,
            DbConnection::Postgres(c) => diesel::sql_query(sql).get_result(c)?,
        };
        counts.insert(table, n.n);
    }
    Ok(counts)
}

fn last_migration(conn: &mut DbConnection) -> DbResult<String> {
    use crate::schema::__diesel_schema_migrations::dsl::*;
    let last: Option<String> = __diesel_schema_migrations.select(diesel::dsl::max(version)).first(conn)?;
    last.ok_or_else(|| fail("the database has no migrations applied: nothing to back up"))
}

fn sha256_file(path: &Path) -> DbResult<String> {
    let mut file = std::fs::File::open(path).map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// `dir` must be new or empty: a backup never mixes with, or overwrites, another.
fn prepare_target(dir: &Path) -> DbResult<()> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| fail(format!("backup: cannot use {}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(fail(format!(
                "backup: {} exists and is not empty: give a new directory (a backup never overwrites another)",
                dir.display()
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| fail(format!("backup: cannot create {}: {e}", dir.display())))
}

/// A PostgreSQL URL without its password, and the password (percent-decoded) for PGPASSWORD:
/// a password in a process's arguments is visible to every user of the machine.
pub fn split_password(url: &str) -> (String, Option<String>) {
    let Some(start) = url.find("://").map(|i| i + 3) else { return (url.to_owned(), None) };
    let end = url[start..].find(['/', '?']).map_or(url.len(), |i| start + i);
    let authority = &url[start..end];
    let Some(at) = authority.rfind('@') else { return (url.to_owned(), None) };
    let Some((user, password)) = authority[..at].split_once(':') else { return (url.to_owned(), None) };
    let without = format!("{}{user}{}", &url[..start], &url[start + at..]);
    (without, Some(percent_decode(password)))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs a PostgreSQL client tool against `url`, the password passed by environment.
fn pg_tool(tool: &str, url: &str, args: &[&str]) -> DbResult<()> {
    let (url, password) = split_password(url);
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(format!("--dbname={url}"));
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => fail(format!(
            "{tool} is not on PATH: install the PostgreSQL client tools of the server's major version \
             (Debian: apt-get install postgresql-client)"
        )),
        _ => fail(format!("cannot run {tool}: {e}")),
    })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(fail(format!("{tool} failed ({}): {}", out.status, one_line(last))));
    }
    Ok(())
}

/// Copies the database at `url` into the new or empty directory `dir`, consistently while
/// others write, and returns the manifest written beside the copy.
pub fn backup(url: &DatabaseUrl, dir: &Path) -> DbResult<Manifest> {
    prepare_target(dir)?;
    let made = take(url, dir);
    if made.is_err() {
        // The directory was new or empty: what a failed run left in it is no backup, and would
        // only make the next run into it refuse.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    made
}

fn take(url: &DatabaseUrl, dir: &Path) -> DbResult<Manifest> {
    let taken_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (file, tables, last) = match url {
        DatabaseUrl::Sqlite(path) => {
            if !path.exists() {
                return Err(fail(format!("database.url: {} does not exist: nothing to back up", path.display())));
            }
            let target = dir.join(SQLITE_FILE);
            let mut conn = DbConnection::Sqlite(establish_sqlite(path)?);
            let quoted = target.to_string_lossy().replace('\'', "''");
            conn.batch_execute(&format!("VACUUM INTO '{quoted}'"))?;
            drop(conn);
            // Counted in the copy itself, opened read-only so that it stays byte for byte as made.
            let mut copy = DbConnection::Sqlite(read_only_sqlite(&target)?);
            let tables = row_counts(&mut copy)?;
            let last = last_migration(&mut copy)?;
            (SQLITE_FILE, tables, last)
        }
        DatabaseUrl::Postgres(u) => {
            let mut conn = DbConnection::Postgres(establish_postgres(u)?);
            conn.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            let result = (|| {
                let snapshot: Name = match &mut conn {
                    DbConnection::Postgres(c) => {
                        diesel::sql_query("SELECT pg_export_snapshot() AS name").get_result(c)?
                    }
                    DbConnection::Sqlite(_) => unreachable!("a postgres:// URL"),
                };
                let tables = row_counts(&mut conn)?;
                let last = last_migration(&mut conn)?;
                let target = dir.join(PG_FILE);
                let target = target.to_string_lossy();
                pg_tool(
                    "pg_dump",
                    u,
                    &["--format=custom", &format!("--snapshot={}", snapshot.name), &format!("--file={target}")],
                )?;
                Ok::<_, DbError>((PG_FILE, tables, last))
            })();
            // The snapshot must stay open until pg_dump has taken it; ending it is all that is left.
            let _ = conn.batch_execute("COMMIT");
            result?
        }
    };
    let mut files = BTreeMap::new();
    files.insert(file.to_owned(), sha256_file(&dir.join(file))?);
    let manifest = Manifest {
        yui_version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: url.backend().name().to_owned(),
        last_migration: last,
        taken_at,
        tables,
        files,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| fail(e.to_string()))?;
    std::fs::write(dir.join(MANIFEST), json + "\n")
        .map_err(|e| fail(format!("backup: cannot write {}: {e}", dir.join(MANIFEST).display())))?;
    Ok(manifest)
}

fn read_only_sqlite(path: &Path) -> DbResult<diesel::SqliteConnection> {
    let uri = format!("file:{}?mode=ro", path.to_string_lossy().replace('?', "%3f").replace('#', "%23"));
    diesel::SqliteConnection::establish(&uri).map_err(|e| DbError::Connect(one_line(&e.to_string())))
}

/// Reads and checks `dir/manifest.json` and the files it names.
pub fn read_manifest(dir: &Path) -> DbResult<Manifest> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|_| {
        fail(format!("restore: {} is not a finished Yui backup (no readable {MANIFEST})", dir.display()))
    })?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| fail(format!("restore: {} is unreadable: {e}", path.display())))?;
    for (file, sum) in &manifest.files {
        if &sha256_file(&dir.join(file))? != sum {
            return Err(fail(format!(
                "restore: {file} does not match its checksum in {MANIFEST}: the copy is damaged"
            )));
        }
    }
    Ok(manifest)
}

/// How many tables the database at `url` has (0: empty, or not made yet).
fn tables_in(url: &DatabaseUrl) -> DbResult<usize> {
    match url {
        DatabaseUrl::Sqlite(path) if !path.exists() => Ok(0),
        DatabaseUrl::Sqlite(path) => Ok(table_names(&mut DbConnection::Sqlite(read_only_sqlite(path)?))?.len()),
        DatabaseUrl::Postgres(u) => Ok(table_names(&mut DbConnection::Postgres(establish_postgres(u)?))?.len()),
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// Migrations applied after the copy came back (a backup from an older version).
    pub migrations_applied: Vec<String>,
}

/// Brings the backup in `dir` into the empty database at `url`, checks that every table has
/// the rows the manifest counted, then applies pending migrations. Never touches a database
/// that has tables.
pub fn restore(url: &DatabaseUrl, dir: &Path) -> DbResult<Restored> {
    let manifest = read_manifest(dir)?;
    if manifest.backend != url.backend().name() {
        return Err(fail(format!(
            "restore: the backup is of a {} database and database.url names {}: restore into the same kind \
             (moving between SQLite and PostgreSQL is not supported)",
            manifest.backend,
            url.backend().name()
        )));
    }
    let existing = tables_in(url)?;
    if existing > 0 {
        return Err(fail(format!(
            "restore: database.url ({}) is not empty ({existing} tables): restore only into a new, empty database",
            url.redacted()
        )));
    }
    match url {
        DatabaseUrl::Sqlite(path) => restore_sqlite(path, &dir.join(SQLITE_FILE))?,
        DatabaseUrl::Postgres(u) => {
            let file = dir.join(PG_FILE);
            let file = file.to_string_lossy();
            pg_tool(
                "pg_restore",
                u,
                &["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", &file],
            )?
        }
    }
    let counts = row_counts(&mut crate::conn::establish(url)?)?;
    if counts != manifest.tables {
        let differ: Vec<String> = manifest
            .tables
            .iter()
            .filter(|(t, n)| counts.get(*t) != Some(n))
            .map(|(t, n)| format!("{t} {n}→{}", counts.get(t).copied().unwrap_or(-1)))
            .collect();
        return Err(fail(format!("restore: the restored rows differ from the manifest: {}", differ.join(", "))));
    }
    let migrations_applied = crate::migrate::run_pending(url)?;
    Ok(Restored { manifest, migrations_applied })
}

/// Copies next to the target and renames, so the target is either absent or whole.
fn restore_sqlite(target: &Path, copy: &Path) -> DbResult<()> {
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| fail(format!("restore: cannot create {}: {e}", parent.display())))?;
    }
    let part = PathBuf::from(format!("{}.restoring", target.display()));
    std::fs::copy(copy, &part).map_err(|e| fail(format!("restore: cannot write {}: {e}", part.display())))?;
    // An empty database left by an earlier start may have its journal files beside it.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    std::fs::rename(&part, target).map_err(|e| fail(format!("restore: cannot write {}: {e}", target.display())))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testing::{migrated, TestDatabase};

    #[test]
    fn a_backup_of_an_older_schema_comes_up_to_date_on_restore() {
        let (db, conn) = migrated();
        drop(conn);
        // The schema as a version before the media tables left it.
        crate::migrate::revert_from(&db.url, "20261206000008").unwrap();
        let tmp = std::env::temp_dir().join(format!("yui-backup-old-{}", yui_domain::PublicId::generate()));
        let manifest = backup(&db.url, &tmp).unwrap();
        assert!(!manifest.tables.contains_key("media"));
        assert!(manifest.last_migration.as_str() < "20261206000008");
        let fresh = TestDatabase::fresh();
        let restored = restore(&fresh.url, &tmp).unwrap();
        assert_eq!(restored.migrations_applied.first().map(String::as_str), Some("20261206000008"));
        let mut conn = crate::conn::establish(&fresh.url).unwrap();
        assert_eq!(crate::migrate::missing(&mut conn).unwrap(), Vec::<String>::new(), "up to date");
        assert_eq!(crate::media::count(&mut conn).unwrap(), 0, "the media table exists now");
        std::fs::remove_dir_all(&tmp).ok();
    }

    #[test]
    fn the_password_leaves_the_url() {
        assert_eq!(
            split_password("postgres://yui:s%40cret@db.example:5432/yui?sslmode=require"),
            ("postgres://yui@db.example:5432/yui?sslmode=require".to_owned(), Some("s@cret".to_owned()))
        );
        assert_eq!(split_password("postgres://yui@db/yui"), ("postgres://yui@db/yui".to_owned(), None));
        assert_eq!(split_password("postgres:///yui?host=/tmp"), ("postgres:///yui?host=/tmp".to_owned(), None));
    }
}
