//! Question labels editors mapped to a field in the browser: the same rules as
//! `[[ingest.mappings]]` in the configuration (per source, and per form), kept in the database
//! so that a change holds at once on every instance. Each change is a line in the editorial
//! log (who mapped which label to what, when), which outlives a deleted rule.

use crate::editorial_log::{self, Step, Subject};
use crate::postings::Actor;
use crate::schema::{ingest_mappings, staff_users};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The `form_id` of a rule for every form of its source.
pub const EVERY_FORM: &str = "";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ingest_mappings)]
pub struct Rule {
    pub id: i32,
    pub source: String,
    /// [`EVERY_FORM`] for a source-wide rule.
    pub form_id: String,
    pub label: String,
    pub label_key: String,
    pub field: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// A rule to store. The caller has checked the label and the field code.
#[derive(Debug, Clone, Copy)]
pub struct NewRule<'a> {
    pub source: &'a str,
    pub form_id: &'a str,
    pub label: &'a str,
    /// The label as the mapping compares labels: one rule per key.
    pub label_key: &'a str,
    pub field: &'a str,
}

/// The rules that apply to a delivery: the source's rules for every form first, then the
/// form's own, so that the form's win when both name a label.
pub fn for_form(conn: &mut DbConnection, source: &str, form_id: Option<&str>) -> DbResult<Vec<Rule>> {
    let forms = [EVERY_FORM, form_id.unwrap_or(EVERY_FORM)];
    let mut rules: Vec<Rule> = ingest_mappings::table
        .filter(ingest_mappings::source.eq(source))
        .filter(ingest_mappings::form_id.eq_any(forms))
        .select(Rule::as_select())
        .load(conn)?;
    rules.sort_by_key(|r| (r.form_id != EVERY_FORM, r.id));
    Ok(rules)
}

/// Maps a label to a field for a source and form, replacing the label's earlier rule there.
/// Returns false when the rule was already so.
pub fn set(conn: &mut DbConnection, new: &NewRule<'_>, actor: Actor, at: NaiveDateTime) -> DbResult<bool> {
    crate::transaction(conn, |conn| {
        let existing: Option<Rule> = ingest_mappings::table
            .filter(ingest_mappings::source.eq(new.source))
            .filter(ingest_mappings::form_id.eq(new.form_id))
            .filter(ingest_mappings::label_key.eq(new.label_key))
            .select(Rule::as_select())
            .first(conn)
            .optional()?;
        let values = (
            ingest_mappings::label.eq(new.label),
            ingest_mappings::field.eq(new.field),
            ingest_mappings::created_by.eq(actor.staff_id),
            ingest_mappings::created_at.eq(at),
        );
        let (id, from) = match existing {
            Some(rule) if rule.field == new.field => return Ok(false),
            Some(rule) => {
                diesel::update(ingest_mappings::table.find(rule.id)).set(values).execute(conn)?;
                (rule.id, rule.field)
            }
            None => {
                diesel::insert_into(ingest_mappings::table)
                    .values((
                        ingest_mappings::source.eq(new.source),
                        ingest_mappings::form_id.eq(new.form_id),
                        ingest_mappings::label_key.eq(new.label_key),
                        values,
                    ))
                    .execute(conn)
                    .map_err(|e| match e {
                        // Another editor saved the same label a moment ago (PostgreSQL; SQLite's
                        // writers queue): theirs stands, this one is told so.
                        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                            crate::DbError::Conflict("the mapping")
                        }
                        other => other.into(),
                    })?;
                let id = ingest_mappings::table
                    .filter(ingest_mappings::source.eq(new.source))
                    .filter(ingest_mappings::form_id.eq(new.form_id))
                    .filter(ingest_mappings::label_key.eq(new.label_key))
                    .select(ingest_mappings::id)
                    .first(conn)?;
                (id, String::new())
            }
        };
        let note = describe(new.source, new.form_id, new.label);
        let step = Step { action: "map", from: &from, to: new.field, note: Some(&note) };
        editorial_log::append(conn, Subject::IngestMapping(id), step, actor, at)?;
        Ok(true)
    })
}

/// Deletes a rule; false if it was not there (already deleted).
pub fn delete(conn: &mut DbConnection, id: i32, actor: Actor, at: NaiveDateTime) -> DbResult<bool> {
    crate::transaction(conn, |conn| {
        let Some(rule) = ingest_mappings::table.find(id).select(Rule::as_select()).first(conn).optional()? else {
            return Ok(false);
        };
        diesel::delete(ingest_mappings::table.find(id)).execute(conn)?;
        let note = describe(&rule.source, &rule.form_id, &rule.label);
        let step = Step { action: "unmap", from: &rule.field, to: "", note: Some(&note) };
        editorial_log::append(conn, Subject::IngestMapping(id), step, actor, at)?;
        Ok(true)
    })
}

/// Every rule with the name of whoever set it last, by source, form and label.
pub fn all(conn: &mut DbConnection) -> DbResult<Vec<(Rule, Option<String>)>> {
    Ok(ingest_mappings::table
        .left_join(staff_users::table)
        .order((ingest_mappings::source.asc(), ingest_mappings::form_id.asc(), ingest_mappings::label_key.asc()))
        .select((Rule::as_select(), staff_users::display_name.nullable()))
        .load(conn)?)
}

/// What a log line says the rule is about: `tally/mRk8Qa: 募集する仕事`.
fn describe(source: &str, form_id: &str, label: &str) -> String {
    match form_id {
        EVERY_FORM => format!("{source}: {label}"),
        form => format!("{source}/{form}: {label}"),
    }
}
