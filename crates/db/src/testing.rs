//! Fresh databases for tests, on the backend the test run asks for:
//! `YUI_TEST_BACKEND=sqlite` (default) or `postgres` with `YUI_TEST_PG_URL` pointing at a
//! server where the user may create databases (`make test` starts a throwaway one).

use crate::conn::{establish_postgres, DatabaseUrl};
use diesel::connection::SimpleConnection;
use std::path::PathBuf;

/// A database that exists for one test, removed when it is dropped: a suite of a few hundred
/// tests would otherwise leave a few hundred databases (about 8 MB each on PostgreSQL) on disk.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: DatabaseUrl,
    _cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(PathBuf),
    Database { admin: String, name: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            // FORCE: a test's server may still hold pooled connections to it.
            Cleanup::Database { admin, name } => {
                if let Ok(mut conn) = establish_postgres(admin) {
                    let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

fn unique_name() -> String {
    format!("yui_test_{}_{}", std::process::id(), yui_domain::PublicId::generate())
}

impl TestDatabase {
    pub fn backend_name() -> String {
        std::env::var("YUI_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into())
    }

    /// Panics with a clear message when the requested backend cannot be had: a test run that
    /// asked for PostgreSQL must not quietly test SQLite instead.
    pub fn fresh() -> TestDatabase {
        match Self::backend_name().as_str() {
            "sqlite" => {
                let dir = std::env::temp_dir().join(unique_name());
                std::fs::create_dir_all(&dir).expect("create a temporary directory");
                TestDatabase { url: DatabaseUrl::Sqlite(dir.join("yui.sqlite")), _cleanup: Cleanup::Dir(dir) }
            }
            "postgres" => {
                let admin = std::env::var("YUI_TEST_PG_URL").expect("YUI_TEST_BACKEND=postgres needs YUI_TEST_PG_URL");
                let name = unique_name();
                let mut conn = establish_postgres(&admin).unwrap_or_else(|e| panic!("PostgreSQL for tests: {e}"));
                conn.batch_execute(&format!("CREATE DATABASE {name}")).expect("create a test database");
                let url = DatabaseUrl::Postgres(with_database(&admin, &name));
                TestDatabase { url, _cleanup: Cleanup::Database { admin, name } }
            }
            other => panic!("YUI_TEST_BACKEND={other:?}: use sqlite or postgres"),
        }
    }
}

/// A fresh database with every migration applied, and a connection to it. Keep the
/// `TestDatabase` alive as long as the connection: dropping it removes the database.
pub fn migrated() -> (TestDatabase, crate::DbConnection) {
    let db = TestDatabase::fresh();
    crate::migrate::run_pending(&db.url).expect("migrations apply");
    let conn = crate::conn::establish(&db.url).expect("connect");
    (db, conn)
}

/// Replaces the database name in a PostgreSQL URL, keeping host, user and parameters.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_are_replaced() {
        assert_eq!(super::with_database("postgres://u@h:5/postgres", "t1"), "postgres://u@h:5/t1");
        assert_eq!(super::with_database("postgres:///postgres?host=/tmp/pg", "t1"), "postgres:///t1?host=/tmp/pg");
        assert_eq!(super::with_database("postgres://h", "t1"), "postgres://h/t1");
    }
}

/// Small builders for tests: an employer, a pending posting, a published one.
pub mod fixtures {
    use crate::employers::{Employer, NewEmployer};
    use crate::postings::{self, Actor, Posting, Reason};
    use crate::staff::{NewStaffUser, StaffUser};
    use crate::{now, DbConnection, DbResult};
    use chrono::{Duration, NaiveDateTime};
    use yui_domain::{PostingAction, PostingDraft, PostingInput};

    /// An active editor of a test organization, who cannot log in (no password).
    pub fn editor(conn: &mut DbConnection, email: &str) -> DbResult<StaffUser> {
        staff(conn, ("test-npo", "テストNPO"), email, "審査 花子", "editor", LOCKED)
    }

    /// A password hash no password matches: the staff member cannot log in.
    pub const LOCKED: &str = "!locked";

    /// An active staff member with `role` of the organization `org` (slug and name, made when
    /// missing), who logs in with the password `password_hash` is a hash of ([`LOCKED`]: never).
    pub fn staff(
        conn: &mut DbConnection,
        (slug, name): (&str, &str),
        email: &str,
        display_name: &str,
        role: &'static str,
        password_hash: &str,
    ) -> DbResult<StaffUser> {
        let org = crate::organizations::ensure(conn, slug, name, "npo")?;
        crate::staff::create(
            conn,
            &NewStaffUser {
                organization_id: org.id,
                email,
                display_name,
                password_hash,
                role,
                active: true,
                created_at: now(),
                updated_at: now(),
            },
        )
    }

    /// A standard feature order (150,000 yen plus tax) for `article`, in `status`, quoted today,
    /// entered by the staff member `by`: inserted straight into the table, as another helper's
    /// page would have made it.
    pub fn feature_order(
        conn: &mut DbConnection,
        employer_id: i32,
        article_id: i32,
        status: &str,
        by: i32,
    ) -> DbResult<()> {
        use crate::schema::article_orders;
        use diesel::prelude::*;
        diesel::insert_into(article_orders::table)
            .values((
                article_orders::employer_id.eq(employer_id),
                article_orders::article_id.eq(Some(article_id)),
                article_orders::plan.eq("standard"),
                article_orders::price_yen.eq(150_000i64),
                article_orders::tax_yen.eq(15_000i64),
                article_orders::status.eq(status),
                article_orders::quoted_on.eq(now().date()),
                article_orders::created_by.eq(by),
                article_orders::created_at.eq(now()),
                article_orders::updated_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(())
    }

    pub fn employer(conn: &mut DbConnection, name: &str, email: &str) -> DbResult<Employer> {
        let now = now();
        crate::employers::upsert_by_email(
            conn,
            &NewEmployer {
                name,
                contact_name: Some("担当 太郎"),
                email,
                phone: Some("0766-00-1234"),
                address: Some("富山県氷見市中央町1-1"),
                website: Some("https://example.example/"),
                industry: Some("水産業"),
                organization_id: None,
                created_at: now,
                updated_at: now,
            },
        )
    }

    /// A complete input a test can adjust with struct update syntax.
    pub fn input(title: &str, employment_type: &str) -> PostingInput {
        PostingInput {
            title: title.into(),
            description: "朝の水揚げから加工まで。\n\n未経験でも先輩が教えます。".into(),
            employment_type: employment_type.into(),
            category: "fishery".into(),
            prefecture: "富山県".into(),
            municipality: "氷見市".into(),
            area: "比美町".into(),
            address: "富山県氷見市比美町1-2".into(),
            remote: "onsite".into(),
            salary_min: Some(1000),
            salary_max: Some(1200),
            salary_unit: "hour".into(),
            hours: "8:00〜17:00".into(),
            holidays: "日曜・祝日".into(),
            insurance: "雇用保険・労災保険".into(),
            trial_period: "なし".into(),
            smoking: "屋内禁煙".into(),
            requirements: "普通自動車免許".into(),
            how_to_apply: "電話でご連絡ください。".into(),
            valid_through: None,
            terms: yui_domain::TermsInput {
                duties_scope: "変更なし".into(),
                workplace_scope: "変更なし".into(),
                contract: "indefinite".into(),
                breaks: "60分".into(),
                overtime: "no".into(),
                fixed_overtime: "no".into(),
                ..Default::default()
            },
            project: Default::default(),
            conditions: Vec::new(),
        }
    }

    /// A pending posting that ends at `end` (UTC), created at `created`.
    pub fn pending(
        conn: &mut DbConnection,
        employer: &Employer,
        input: PostingInput,
        created: NaiveDateTime,
        end: NaiveDateTime,
    ) -> DbResult<Posting> {
        let draft = PostingDraft::parse(input).map_err(|e| crate::DbError::Invalid(format!("{e:?}")))?;
        postings::insert(conn, &postings::new_pending(draft, employer.id, None, created, end))
    }

    /// A posting approved at `published`, open for another 30 days from now.
    pub fn published(
        conn: &mut DbConnection,
        employer: &Employer,
        input: PostingInput,
        published: NaiveDateTime,
    ) -> DbResult<Posting> {
        let p = pending(conn, employer, input, published, now() + Duration::days(30))?;
        postings::apply_action(
            conn,
            p.id,
            p.version,
            PostingAction::Approve,
            Actor::default(),
            Reason::default(),
            published,
        )
    }
}
