//! Password reset links: good once, for an hour, for an active account; of several uses at
//! once exactly one sets the password.

use chrono::Duration;
use yui_db::password_resets::{self, Lookup};
use yui_db::testing::{fixtures, migrated};

#[test]
fn a_link_is_good_once_within_the_hour_and_spends_its_siblings() {
    let (_db, mut conn) = migrated();
    let hana = fixtures::editor(&mut conn, "hana@npo.example").unwrap();
    let t0 = yui_db::now();
    password_resets::issue(&mut conn, "h1", hana.id, t0).unwrap();
    password_resets::issue(&mut conn, "h2", hana.id, t0).unwrap();
    let at = |minutes| t0 + Duration::minutes(minutes);
    assert!(matches!(password_resets::check(&mut conn, "h1", at(59)).unwrap(), Lookup::Valid(s) if s.id == hana.id));
    assert!(matches!(password_resets::check(&mut conn, "h1", at(60)).unwrap(), Lookup::Expired));
    assert!(matches!(password_resets::check(&mut conn, "nope", at(0)).unwrap(), Lookup::Unknown));

    assert!(matches!(password_resets::spend(&mut conn, "h1", "$new", at(60)).unwrap(), Lookup::Expired));
    assert!(matches!(password_resets::spend(&mut conn, "h1", "$new", at(5)).unwrap(), Lookup::Valid(_)));
    assert_eq!(yui_db::staff::find(&mut conn, hana.id).unwrap().unwrap().password_hash, "$new");
    assert!(matches!(password_resets::spend(&mut conn, "h1", "$again", at(6)).unwrap(), Lookup::Spent));
    assert!(matches!(password_resets::check(&mut conn, "h2", at(6)).unwrap(), Lookup::Spent), "the sibling too");
    assert_eq!(yui_db::staff::find(&mut conn, hana.id).unwrap().unwrap().password_hash, "$new");

    assert_eq!(password_resets::prune(&mut conn, at(60 + 24 * 60 - 1)).unwrap(), 0, "kept a day past expiry");
    assert_eq!(password_resets::prune(&mut conn, at(60 + 24 * 60)).unwrap(), 2);
}

#[test]
fn of_eight_uses_at_once_exactly_one_sets_the_password() {
    let (db, mut conn) = migrated();
    let hana = fixtures::editor(&mut conn, "hana@npo.example").unwrap();
    password_resets::issue(&mut conn, "race", hana.id, yui_db::now()).unwrap();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
    let answers: Vec<String> = (0..8)
        .map(|i| {
            let (url, barrier) = (db.url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = yui_db::conn::establish(&url).unwrap();
                barrier.wait();
                match password_resets::spend(&mut conn, "race", &format!("$hash{i}"), yui_db::now()).unwrap() {
                    Lookup::Valid(_) => format!("$hash{i}"),
                    other => format!("{other:?}"),
                }
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let winners: Vec<&String> = answers.iter().filter(|a| a.starts_with('$')).collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    assert!(answers.iter().filter(|a| !a.starts_with('$')).all(|a| a == "Spent"), "{answers:?}");
    assert_eq!(&yui_db::staff::find(&mut conn, hana.id).unwrap().unwrap().password_hash, winners[0]);
}
