use crate::conn::{establish_postgres, establish_sqlite_waiting, DatabaseUrl};
use crate::DbError;
use diesel::migration::MigrationSource;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Key of the PostgreSQL advisory lock that lets one instance at a time migrate.
const MIGRATION_LOCK: i64 = 0x0079_7569_5f6d_6967; // "yui_mig" in ASCII

/// Applies pending migrations on a connection of its own, before any pool exists.
/// Returns the versions applied now (empty when the schema was already current).
///
/// Instances started at the same moment take turns: on PostgreSQL behind an advisory lock, on
/// SQLite inside one IMMEDIATE transaction (each migration's own becomes a savepoint). The
/// second finds nothing left to do instead of failing on a table the first has just made.
/// How long an instance waits for another that is migrating the same SQLite file.
const MIGRATION_WAIT_MS: u32 = 120_000;

/// `attempt` again while SQLite says "database is locked", up to [`MIGRATION_WAIT_MS`]: it can
/// refuse a lock at once rather than wait (a connection switching a fresh file to WAL while
/// another starts), which instances starting together must ride out.
fn retry_while_locked<T>(mut attempt: impl FnMut() -> Result<T, DbError>) -> Result<T, DbError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(MIGRATION_WAIT_MS.into());
    loop {
        match attempt() {
            Err(e) if e.to_string().contains("database is locked") && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

pub fn run_pending(url: &DatabaseUrl) -> Result<Vec<String>, DbError> {
    use diesel::connection::SimpleConnection;
    let names = |v: Vec<diesel::migration::MigrationVersion<'_>>| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    let applied = match url {
        DatabaseUrl::Sqlite(path) => retry_while_locked(|| {
            let mut conn = establish_sqlite_waiting(path, MIGRATION_WAIT_MS)?;
            conn.immediate_transaction(|conn| {
                conn.run_pending_migrations(SQLITE).map(names).map_err(|e| DbError::Migrate(e.to_string()))
            })
        }),
        DatabaseUrl::Postgres(u) => {
            let mut conn = establish_postgres(u)?;
            // Session-level: released below, or when the connection closes if this process dies.
            conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let applied = conn.run_pending_migrations(POSTGRES).map(names).map_err(|e| DbError::Migrate(e.to_string()));
            conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            applied
        }
    };
    let applied = applied?;
    // Fresh statistics for the planner, on a connection that waits out other starting instances.
    let mut conn = retry_while_locked(|| match url {
        DatabaseUrl::Sqlite(path) => {
            Ok(crate::DbConnection::Sqlite(establish_sqlite_waiting(path, MIGRATION_WAIT_MS)?))
        }
        DatabaseUrl::Postgres(_) => crate::conn::establish(url),
    })?;
    crate::conn::analyze(&mut conn)?;
    Ok(applied)
}

/// The migrations this build carries that the database has not applied, oldest first: empty
/// when the schema is current. An instance of an older build beside a newer one finds none
/// missing (its migrations are all there), which is what a rolling upgrade needs.
pub fn missing(conn: &mut crate::DbConnection) -> Result<Vec<String>, DbError> {
    use diesel::prelude::*;
    let embedded = match conn {
        crate::DbConnection::Sqlite(_) => MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE)
            .map(|list| list.iter().map(|m| m.name().version().to_string()).collect::<Vec<_>>()),
        crate::DbConnection::Postgres(_) => MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES)
            .map(|list| list.iter().map(|m| m.name().version().to_string()).collect::<Vec<_>>()),
    }
    .map_err(|e| DbError::Migrate(e.to_string()))?;
    let applied: Vec<String> = crate::schema::__diesel_schema_migrations::table
        .select(crate::schema::__diesel_schema_migrations::version)
        .load(conn)?;
    let mut missing: Vec<String> = embedded.into_iter().filter(|v| !applied.contains(v)).collect();
    missing.sort();
    Ok(missing)
}

/// Tests: takes the schema back, with each migration's `down.sql`, until `version` and every
/// later one are undone, as an older build of Yui left it.
#[cfg(test)]
pub(crate) fn revert_from(url: &DatabaseUrl, version: &str) -> Result<(), DbError> {
    fn back<C: MigrationHarness<B>, B: diesel::backend::Backend>(
        conn: &mut C,
        source: fn() -> EmbeddedMigrations,
        version: &str,
    ) -> Result<(), DbError> {
        loop {
            let applied = conn.applied_migrations().map_err(|e| DbError::Migrate(e.to_string()))?;
            match applied.iter().map(ToString::to_string).max() {
                Some(last) if last.as_str() >= version => {
                    conn.revert_last_migration(source()).map_err(|e| DbError::Migrate(e.to_string()))?;
                }
                _ => return Ok(()),
            }
        }
    }
    match url {
        DatabaseUrl::Sqlite(path) => back(&mut establish_sqlite_waiting(path, MIGRATION_WAIT_MS)?, || SQLITE, version),
        DatabaseUrl::Postgres(u) => back(&mut establish_postgres(u)?, || POSTGRES, version),
    }
}
