use crate::schema::__diesel_schema_migrations;
use crate::{DbConnection, DbResult};
use diesel::prelude::*;

/// How many migrations the database has applied: also proves the database answers.
pub fn migrations_applied(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(__diesel_schema_migrations::table.count().get_result(conn)?)
}
