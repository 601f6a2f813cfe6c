//! Everything Yui stores, and every query it runs. `yui_web` calls these functions and
//! writes no SQL itself. One code path serves SQLite and PostgreSQL through [`DbConnection`].

pub mod articles;
pub mod conn;
pub mod editorial_log;
pub mod employers;
pub mod following;
pub mod health;
pub mod inquiries;
pub mod ledger;
pub mod migrate;
pub mod orders;
pub mod organizations;
pub mod outbox;
pub mod postings;
pub mod review;
pub mod schema;
pub mod search;
mod search_index;
pub mod sessions;
pub mod staff;
pub mod submissions;
pub mod succession;
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
}

pub type DbResult<T> = Result<T, DbError>;

/// Now, as the database stores it: UTC without an offset.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Runs `f` in one transaction: all of its writes land, or none do. `f` may fail with any
/// error a query error converts into ([`DbError`], or a caller's own, such as a mail's).
pub fn transaction<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    use diesel::Connection;
    conn.transaction(f)
}
