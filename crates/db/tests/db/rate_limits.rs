//! The rate limits' shared counters: a window per key from its first attempt, exactly the
//! limit granted however many connections (instances) ask at once.

use chrono::Duration;
use yui_db::rate_limits::{self, Limit};
use yui_db::testing::migrated;

const LOGIN: Limit = Limit { bucket: "login_ip", max: 3, window: Duration::seconds(60) };

#[test]
fn a_key_gets_its_limit_per_window_and_looking_counts_nothing() {
    let (_db, mut conn) = migrated();
    let t0 = yui_db::now();
    for _ in 0..5 {
        assert!(!rate_limits::exhausted(&mut conn, LOGIN, "a", t0).unwrap());
    }
    let first: Vec<bool> =
        (0..4).map(|i| rate_limits::allow(&mut conn, LOGIN, "a", t0 + Duration::seconds(i)).unwrap()).collect();
    assert_eq!(first, [true, true, true, false]);
    assert!(rate_limits::exhausted(&mut conn, LOGIN, "a", t0 + Duration::seconds(5)).unwrap());
    assert!(rate_limits::allow(&mut conn, LOGIN, "b", t0).unwrap(), "another key is not affected");
    let other = Limit { bucket: "submit", ..LOGIN };
    assert!(rate_limits::allow(&mut conn, other, "a", t0).unwrap(), "nor another limit");
    // The window runs from the first attempt: at 60 s a new one begins.
    assert!(!rate_limits::allow(&mut conn, LOGIN, "a", t0 + Duration::seconds(59)).unwrap());
    assert!(rate_limits::allow(&mut conn, LOGIN, "a", t0 + Duration::seconds(60)).unwrap());
    assert!(!rate_limits::exhausted(&mut conn, LOGIN, "a", t0 + Duration::seconds(61)).unwrap());
    // Finished windows go; a running one stays.
    assert_eq!(rate_limits::prune(&mut conn, t0 + Duration::seconds(100)).unwrap(), 2, "b's and submit's");
}

#[test]
fn sixteen_connections_at_once_get_exactly_the_limit() {
    let (db, _conn) = migrated();
    let limit = Limit { bucket: "contact_ip", max: 5, window: Duration::seconds(3600) };
    let now = yui_db::now();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(16));
    let granted: usize = (0..16)
        .map(|_| {
            let (url, barrier) = (db.url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = yui_db::conn::establish(&url).unwrap();
                barrier.wait();
                rate_limits::allow(&mut conn, limit, "198.51.100.7", now).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| usize::from(t.join().unwrap()))
        .sum();
    assert_eq!(granted, 5);
}

#[test]
fn sixteen_connections_at_once_under_a_high_limit_are_all_let_through() {
    let (db, _conn) = migrated();
    let limit = Limit { bucket: "follow_ip", max: 10_000, window: Duration::seconds(3600) };
    for round in 0..4 {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(16));
        let answers: Vec<String> = (0..16)
            .map(|_| {
                let (url, barrier) = (db.url.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let mut conn = yui_db::conn::establish(&url).unwrap();
                    barrier.wait();
                    format!("{:?}", rate_limits::allow(&mut conn, limit, &format!("key{round}"), yui_db::now()))
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        assert!(answers.iter().all(|a| a == "Ok(true)"), "round {round}: {answers:?}");
    }
}
