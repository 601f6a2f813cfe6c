use crate::conn::{establish_postgres, establish_sqlite, DatabaseUrl};
use crate::DbError;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Applies pending migrations on a connection of its own, before any pool exists.
/// Returns the versions applied now (empty when the schema was already current).
pub fn run_pending(url: &DatabaseUrl) -> Result<Vec<String>, DbError> {
    let applied = match url {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = establish_sqlite(path)?;
            conn.run_pending_migrations(SQLITE).map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>())
        }
        DatabaseUrl::Postgres(u) => {
            let mut conn = establish_postgres(u)?;
            conn.run_pending_migrations(POSTGRES).map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>())
        }
    };
    let applied = applied.map_err(|e| DbError::Migrate(e.to_string()))?;
    // Postings written before the search index existed (or by tools that bypass
    // postings::insert) are indexed now, so they can be found.
    let mut conn = crate::conn::establish(url)?;
    let indexed = crate::search_index::reindex_missing(&mut conn)?;
    if indexed > 0 {
        log::info!("search index: {indexed} postings indexed");
    }
    crate::conn::analyze(&mut conn)?;
    Ok(applied)
}
