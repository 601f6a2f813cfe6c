//! Upgrades: every instance runs the pending migrations when it starts, so instances started at
//! the same moment (a rolling restart, `docker compose up` with replicas) race for them.

use yui_db::testing::TestDatabase;

#[test]
fn instances_starting_at_once_apply_each_migration_exactly_once() {
    let db = TestDatabase::fresh();
    let url = db.url.clone();
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || yui_db::migrate::run_pending(&url))
        })
        .collect();
    let results: Vec<_> = starts.into_iter().map(|t| t.join().unwrap()).collect();
    let applied: Vec<Vec<String>> =
        results.into_iter().map(|r| r.unwrap_or_else(|e| panic!("an instance failed to start: {e}"))).collect();
    let mut all: Vec<&String> = applied.iter().flatten().collect();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), total, "a migration ran twice: {applied:?}");
    let mut conn = yui_db::conn::establish(&db.url).unwrap();
    assert_eq!(yui_db::migrate::missing(&mut conn).unwrap(), Vec::<String>::new());
    assert!(total > 10, "every migration was applied by one of them: {applied:?}");
}

/// During a rolling upgrade on PostgreSQL the previous release keeps serving beside this one and
/// writes the first search's table with every posting, as here: the table this release no longer
/// uses must still take that write. SQLite (one host, restarted to upgrade) drops it.
#[test]
fn the_table_an_older_instance_writes_is_kept_on_postgresql() {
    use diesel::RunQueryDsl;
    let (_db, mut conn) = yui_db::testing::migrated();
    let e = yui_db::testing::fixtures::employer(&mut conn, "氷見浜水産", "saiyo@hama.example").unwrap();
    let input = yui_db::testing::fixtures::input("定置網漁の乗組員", "full_time");
    let p = yui_db::testing::fixtures::published(&mut conn, &e, input, yui_db::now()).unwrap();
    let older_write = format!(
        "INSERT INTO posting_search (posting_id, tokens) VALUES ({}, CAST('''定置'':1A' AS tsvector)) \
         ON CONFLICT (posting_id) DO UPDATE SET tokens = EXCLUDED.tokens",
        p.id
    );
    let written = diesel::sql_query(older_write).execute(&mut conn);
    if TestDatabase::backend_name() == "postgres" {
        assert_eq!(written.unwrap(), 1);
    } else {
        assert!(written.is_err(), "SQLite has no such table any more");
    }
}
