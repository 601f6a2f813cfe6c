//! `yui_db::transaction`: on SQLite the outermost one holds the write lock from its start, so a
//! writer that read first can no longer be refused at its first write; nested ones are
//! savepoints on both backends.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use yui_db::schema::organizations;
use yui_db::testing::migrated;
use yui_db::{DbConnection, DbError};

fn organization_count(conn: &mut DbConnection) -> i64 {
    organizations::table.count().get_result(conn).unwrap()
}

fn add_organization(conn: &mut DbConnection, slug: &str) -> Result<(), DbError> {
    yui_db::organizations::ensure(conn, slug, slug, "npo").map(|_| ())
}

#[test]
fn on_sqlite_the_write_lock_is_taken_when_the_transaction_begins() {
    let (db, mut conn) = migrated();
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return;
    }
    let mut other = yui_db::conn::establish(&db.url).unwrap();
    // No waiting on the other side: a held lock shows at once.
    other.batch_execute("PRAGMA busy_timeout = 0").unwrap();
    yui_db::transaction(&mut conn, |conn| {
        // Only a read so far: with a plain BEGIN the lock would still be free.
        organization_count(conn);
        let refused = other.batch_execute("BEGIN IMMEDIATE").unwrap_err();
        assert!(refused.to_string().contains("locked"), "{refused}");
        Ok::<_, DbError>(())
    })
    .unwrap();
    other.batch_execute("BEGIN IMMEDIATE; ROLLBACK").expect("free again once committed");
}

#[test]
fn a_nested_transaction_that_fails_undoes_only_its_own_writes() {
    let (_db, mut conn) = migrated();
    let before = organization_count(&mut conn);
    yui_db::transaction(&mut conn, |conn| {
        add_organization(conn, "outer")?;
        let inner = yui_db::transaction(conn, |conn| {
            add_organization(conn, "inner")?;
            Err::<(), _>(DbError::Conflict("the test"))
        });
        assert!(matches!(inner, Err(DbError::Conflict(_))));
        Ok::<_, DbError>(())
    })
    .unwrap();
    let slugs: Vec<String> = organizations::table.select(organizations::slug).load(&mut conn).unwrap();
    assert!(slugs.contains(&"outer".to_owned()) && !slugs.contains(&"inner".to_owned()), "{slugs:?}");
    assert_eq!(organization_count(&mut conn), before + 1);
    // A failed outer transaction leaves nothing, and the connection is usable after it.
    let failed = yui_db::transaction(&mut conn, |conn| {
        add_organization(conn, "gone")?;
        Err::<(), _>(DbError::Conflict("the test"))
    });
    assert!(failed.is_err());
    assert_eq!(organization_count(&mut conn), before + 1);
    yui_db::transaction(&mut conn, |conn| add_organization(conn, "after")).unwrap();
    assert_eq!(organization_count(&mut conn), before + 2);
}
