//! Uploaded images, kept in the database so that every instance serves the same ones and one
//! backup of the database holds them all. Content-addressed: an image is found by the SHA-256
//! of its bytes, so uploading the same image twice stores it once.

use crate::schema::{media, media_aliases};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// An image as served.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media)]
pub struct Media {
    pub hash: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The SHA-256 of `bytes`, as 64 lowercase hex digits: the image's name in the database.
pub fn hash_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Stores an image unless the same bytes are already there; returns its hash either way.
pub fn store(
    conn: &mut DbConnection,
    content_type: &str,
    bytes: &[u8],
    (width, height): (u32, u32),
    now: NaiveDateTime,
) -> DbResult<String> {
    let hash = hash_of(bytes);
    let exists: i64 = media::table.find(&hash).count().get_result(conn)?;
    if exists > 0 {
        return Ok(hash);
    }
    // In a savepoint of its own: on PostgreSQL a failed insert would otherwise abort the
    // caller's whole transaction.
    let inserted = crate::transaction(conn, |conn| {
        diesel::insert_into(media::table)
            .values((
                media::hash.eq(&hash),
                media::content_type.eq(content_type),
                media::bytes.eq(bytes),
                media::size_bytes.eq(i32::try_from(bytes.len()).unwrap_or(i32::MAX)),
                media::width.eq(i32::try_from(width).unwrap_or(i32::MAX)),
                media::height.eq(i32::try_from(height).unwrap_or(i32::MAX)),
                media::created_at.eq(now),
            ))
            .execute(conn)
    });
    match inserted {
        // Another instance stored the same image in the meantime: it is there, which is all
        // that was asked.
        Ok(_) | Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(hash)
        }
        Err(e) => Err(e.into()),
    }
}

/// The image whose bytes hash to `hash`.
pub fn find(conn: &mut DbConnection, hash: &str) -> DbResult<Option<Media>> {
    Ok(media::table.find(hash).select(Media::as_select()).first(conn).optional()?)
}

/// The image an old file name (from before images moved into the database) stands for.
pub fn find_by_alias(conn: &mut DbConnection, name: &str) -> DbResult<Option<Media>> {
    Ok(media_aliases::table
        .inner_join(media::table)
        .filter(media_aliases::name.eq(name))
        .select(Media::as_select())
        .first(conn)
        .optional()?)
}

/// Whether the old file name `name` is already known.
pub fn is_aliased(conn: &mut DbConnection, name: &str) -> DbResult<bool> {
    let n: i64 = media_aliases::table.find(name).count().get_result(conn)?;
    Ok(n > 0)
}

/// Stores an image read from an old media directory under its old file name as well, in one
/// transaction. Returns false when the name was already imported (nothing is changed).
pub fn import(
    conn: &mut DbConnection,
    name: &str,
    content_type: &str,
    bytes: &[u8],
    size: (u32, u32),
    now: NaiveDateTime,
) -> DbResult<bool> {
    crate::transaction(conn, |conn| {
        if is_aliased(conn, name)? {
            return Ok(false);
        }
        let hash = store(conn, content_type, bytes, size, now)?;
        diesel::insert_into(media_aliases::table)
            .values((media_aliases::name.eq(name), media_aliases::hash.eq(&hash)))
            .execute(conn)?;
        Ok(true)
    })
}

/// How many distinct images are stored.
pub fn count(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(media::table.count().get_result(conn)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_are_stored_once_and_found_by_hash_or_old_name() {
        let (_db, mut conn) = crate::testing::migrated();
        let now = crate::now();
        let a = store(&mut conn, "image/png", b"png bytes", (2, 1), now).unwrap();
        let b = store(&mut conn, "image/png", b"png bytes", (2, 1), now).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, hash_of(b"png bytes"));
        assert_eq!(count(&mut conn).unwrap(), 1);
        assert_eq!(find(&mut conn, &a).unwrap().unwrap().bytes, b"png bytes");
        assert!(find(&mut conn, &hash_of(b"other")).unwrap().is_none());

        let old = "0123456789abcdef0123456789abcdef.png";
        assert!(import(&mut conn, old, "image/png", b"png bytes", (2, 1), now).unwrap());
        assert!(!import(&mut conn, old, "image/png", b"png bytes", (2, 1), now).unwrap(), "once only");
        assert_eq!(count(&mut conn).unwrap(), 1, "an imported copy of a stored image is not stored again");
        assert_eq!(find_by_alias(&mut conn, old).unwrap().unwrap().hash, a);
    }

    #[test]
    fn two_instances_storing_the_same_image_at_once_both_succeed() {
        let (db, mut first) = crate::testing::migrated();
        let url = db.url.clone();
        let now = crate::now();
        let second = crate::transaction(&mut first, |conn| {
            store(conn, "image/png", b"same", (1, 1), now)?;
            // The other instance checks, finds nothing committed yet, and inserts: on
            // PostgreSQL it waits for this transaction, then meets the unique key.
            let other = std::thread::spawn(move || {
                let mut conn = crate::conn::establish(&url).unwrap();
                crate::transaction(&mut conn, |conn| {
                    let hash = store(conn, "image/png", b"same", (1, 1), now)?;
                    // Its own transaction goes on after the clash.
                    count(conn).map(|n| (hash, n))
                })
            });
            std::thread::sleep(std::time::Duration::from_millis(300));
            Ok::<_, crate::DbError>(other)
        })
        .unwrap();
        let (hash, n) = second.join().unwrap().unwrap();
        assert_eq!((hash, n), (hash_of(b"same"), 1));
    }
}
