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
