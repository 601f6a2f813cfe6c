//! Everything Yui stores, and every query it runs. `yui_web` calls these functions and
//! writes no SQL itself. One code path serves SQLite and PostgreSQL through [`DbConnection`].

pub mod articles;
pub mod backup;
pub mod campaigns;
pub mod conn;
pub mod editorial_log;
pub mod employer_profiles;
pub mod employers;
pub mod following;
pub mod health;
pub mod hellowork;
pub mod ingest_mappings;
pub mod inquiries;
pub mod ledger;
pub mod media;
pub mod migrate;
pub mod open_data;
pub mod orders;
pub mod organizations;
pub mod outbox;
pub mod password_resets;
pub mod postings;
pub mod rate_limits;
pub mod review;
pub mod revisions;
pub mod schema;
pub mod search_feed;
pub mod sessions;
pub mod staff;
pub mod staff_entry;
pub mod statistics;
pub mod submissions;
pub mod succession;
pub mod succession_pool;
pub mod succession_requests;
pub mod supporters;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transparency;

pub use conn::{Backend, DatabaseUrl, DbConnection, DbPool, PooledConn};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error("no database connection available: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("{0} was changed by someone else in the meantime")]
    Conflict(&'static str),
    #[error(transparent)]
    Transition(#[from] yui_domain::TransitionError),
    #[error("{0}")]
    Invalid(String),
    /// A unique thing (a staff member's address…) that is already there: `{0}` says which.
    #[error("{0} already exists")]
    Exists(String),
}

pub type DbResult<T> = Result<T, DbError>;

/// Now, as the database stores it: UTC without an offset.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Runs `f` in one transaction: all of its writes land, or none do. `f` may fail with any
/// error a query error converts into ([`DbError`], or a caller's own, such as a mail's).
/// Called inside another transaction, `f` runs in a savepoint: its failure undoes only its
/// own writes.
///
/// On SQLite the outermost transaction takes the write lock at its start (`BEGIN IMMEDIATE`).
/// A plain `BEGIN` takes it at the first write, and when another connection committed since
/// this one first read, SQLite refuses the upgrade at once with "database is locked" instead
/// of waiting out the busy timeout. Taking it first makes writers queue (within
/// `busy_timeout`) and see each other's commits, so a stale version is found by the
/// compare-and-set and answered as a conflict, never as a lock error.
pub fn transaction<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    let outermost = match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?.is_none()
        }
        DbConnection::Postgres(_) => false,
    };
    if !outermost {
        return conn.transaction(f);
    }
    if let DbConnection::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    // From here as diesel's own `transaction`: the multi-connection hands commit and rollback
    // to the inner connection, which now knows it is at depth 1.
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
            Err(rollback) => Err(rollback.into()),
        },
    }
}
