//! Writing the search index that [`crate::search`] reads. Kept apart from the queries so that
//! [`crate::postings`], which updates the index inside its own transactions, need not depend on
//! [`crate::search`], whose results are postings.

use crate::schema::{employers, postings};
use crate::{DbConnection, DbResult};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use std::collections::BTreeMap;
use yui_domain::search::index_tokens;

/// Tokens longer than this (a pasted URL, say) are not indexed: nobody searches for them, and
/// PostgreSQL refuses lexemes over 2 KB.
pub(crate) const MAX_TOKEN_BYTES: usize = 100;

/// A lexeme in PostgreSQL's tsvector/tsquery literal syntax.
pub(crate) fn quote_lexeme(t: &str) -> String {
    format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''"))
}

/// What of a posting (and its employer) is indexed.
#[derive(Queryable)]
struct Indexed {
    title: String,
    description: String,
    employer_name: String,
    prefecture: String,
    municipality: String,
    area: Option<String>,
    address: Option<String>,
    category: Option<String>,
}

/// The tokens of a posting: title apart (it weighs more), then description, employer,
/// location and category.
fn posting_tokens(p: &Indexed) -> (Vec<String>, Vec<String>) {
    let body = [
        Some(p.description.as_str()),
        Some(p.employer_name.as_str()),
        Some(p.prefecture.as_str()),
        Some(p.municipality.as_str()),
        p.area.as_deref(),
        p.address.as_deref(),
        p.category.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    let keep = |v: Vec<String>| v.into_iter().filter(|t| t.len() <= MAX_TOKEN_BYTES).collect::<Vec<_>>();
    (keep(index_tokens(&p.title)), keep(index_tokens(&body)))
}

/// A tsvector literal with positions (title tokens weighted A), as PostgreSQL reads it.
fn tsvector_literal(title: &[String], body: &[String]) -> String {
    const MAX_POSITION: usize = 16_383;
    const MAX_POSITIONS_PER_LEXEME: usize = 256;
    let mut lexemes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let all = title.iter().map(|t| (t, "A")).chain(body.iter().map(|t| (t, "")));
    for (i, (token, weight)) in all.enumerate() {
        let positions = lexemes.entry(token.as_str()).or_default();
        if positions.len() < MAX_POSITIONS_PER_LEXEME {
            positions.push(format!("{}{weight}", (i + 1).min(MAX_POSITION)));
        }
    }
    lexemes.iter().map(|(lex, pos)| format!("{}:{}", quote_lexeme(lex), pos.join(","))).collect::<Vec<_>>().join(" ")
}

/// (Re)writes the search row of one posting from its current content. Call it on the
/// connection (and in the transaction) that wrote the posting.
pub fn index_posting(conn: &mut DbConnection, posting_id: i32) -> DbResult<()> {
    let indexed: Indexed = postings::table
        .inner_join(employers::table)
        .filter(postings::id.eq(posting_id))
        .select((
            postings::title,
            postings::description,
            employers::name,
            postings::prefecture,
            postings::municipality,
            postings::area,
            postings::address,
            postings::category,
        ))
        .first(conn)?;
    let (title, body) = posting_tokens(&indexed);
    match conn {
        DbConnection::Sqlite(c) => {
            diesel::sql_query("DELETE FROM posting_search WHERE rowid = ?")
                .bind::<Integer, _>(posting_id)
                .execute(c)?;
            diesel::sql_query("INSERT INTO posting_search (rowid, title, body) VALUES (?, ?, ?)")
                .bind::<Integer, _>(posting_id)
                .bind::<Text, _>(title.join(" "))
                .bind::<Text, _>(body.join(" "))
                .execute(c)?;
        }
        DbConnection::Postgres(c) => {
            diesel::sql_query(
                "INSERT INTO posting_search (posting_id, tokens) VALUES ($1, CAST($2 AS tsvector)) \
                 ON CONFLICT (posting_id) DO UPDATE SET tokens = EXCLUDED.tokens",
            )
            .bind::<Integer, _>(posting_id)
            .bind::<Text, _>(tsvector_literal(&title, &body))
            .execute(c)?;
        }
    }
    Ok(())
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = Integer)]
    id: i32,
}

/// Indexes every posting that has no search row yet; returns how many. Runs after migrations.
pub fn reindex_missing(conn: &mut DbConnection) -> DbResult<usize> {
    let sql_text = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT id FROM postings WHERE id NOT IN (SELECT rowid FROM posting_search) ORDER BY id"
        }
        DbConnection::Postgres(_) => {
            "SELECT id FROM postings WHERE id NOT IN (SELECT posting_id FROM posting_search) ORDER BY id"
        }
    };
    let ids: Vec<IdRow> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(sql_text).load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(sql_text).load(c)?,
    };
    index_all(conn, ids.into_iter().map(|r| r.id).collect())
}

/// Rebuilds the whole index (after a change to the tokenizer); returns how many postings.
#[cfg(feature = "testing")]
pub fn reindex_all(conn: &mut DbConnection) -> DbResult<usize> {
    let ids: Vec<i32> = postings::table.select(postings::id).order(postings::id.asc()).load(conn)?;
    index_all(conn, ids)
}

fn index_all(conn: &mut DbConnection, ids: Vec<i32>) -> DbResult<usize> {
    // One transaction per thousand rows: fast on SQLite, and never one huge transaction.
    for chunk in ids.chunks(1000) {
        crate::transaction(conn, |conn| chunk.iter().try_for_each(|id| index_posting(conn, *id)))?;
    }
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tsvector_literals_carry_weights_and_positions() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(super::tsvector_literal(&t(&["介護"]), &t(&["rust", "介護"])), "'rust':2 '介護':1A,3");
        assert_eq!(super::quote_lexeme("it's"), "'it''s'");
    }
}
