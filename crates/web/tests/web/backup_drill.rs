//! The restore drill of docs/operations.md, performed: submissions arrive by webhook
//! while `yui backup` copies the database; the copy is restored into a new database, and every
//! submission acknowledged before the backup started is there, with the rows the manifest counted.

use crate::common::TestApp;
use diesel::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use yui_db::schema::submissions;
use yui_db::testing::{fixtures, TestDatabase};
use yui_ingest::source::{Secrets, Source};

const SECRET: &str = "google-shared-secret-0001";

fn delivery(id: &str) -> Vec<u8> {
    let path = format!("{}/../ingest/testdata/google_forms_items.json", env!("CARGO_MANIFEST_DIR"));
    let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    json["responseId"] = id.into();
    serde_json::to_vec(&json).unwrap()
}

#[actix_web::test]
async fn a_backup_taken_while_submissions_arrive_restores_every_acknowledged_one() {
    let app = TestApp::spawn_with(|s| {
        s.ingest.secrets.insert(Source::GoogleForms, Secrets::Shared(vec![SECRET.into()]));
    })
    .await;
    fixtures::editor(&mut app.conn(), "editor@npo.example").unwrap();

    // One sender posting deliveries one after another, noting each one acknowledged (2xx).
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let sender = {
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        let (client, url) = (app.client.clone(), format!("{}/hooks/google-forms", app.address));
        actix_web::rt::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let id = format!("drill-{n:05}");
                let res = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-yui-secret", SECRET)
                    .body(delivery(&id))
                    .send()
                    .await
                    .unwrap();
                if res.status().is_success() {
                    acknowledged.lock().unwrap().push(id);
                }
            }
            n
        })
    };
    let acked_count = || acknowledged.lock().unwrap().len();
    while acked_count() < 10 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("nightly");
    let (url, backup_dir) = (app.db.url.clone(), target.clone());
    let manifest = actix_web::rt::task::spawn_blocking(move || yui_db::backup::backup(&url, &backup_dir))
        .await
        .unwrap()
        .expect("the backup is taken while the app writes");
    // Deliveries went on during and after the backup.
    let during = acked_count();
    while acked_count() < during + 5 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::SeqCst);
    let sent = sender.await.unwrap();
    assert!(sent > before.len());

    let fresh = TestDatabase::fresh();
    let restored = yui_db::backup::restore(&fresh.url, &target).expect("the backup restores into a new database");
    assert_eq!(restored.manifest, manifest);
    let mut conn = yui_db::conn::establish(&fresh.url).unwrap();
    let ids: Vec<String> = submissions::table
        .filter(submissions::source.eq("google_forms"))
        .select(submissions::external_id)
        .load(&mut conn)
        .unwrap();
    let missing: Vec<&String> = before.iter().filter(|id| !ids.contains(id)).collect();
    assert!(missing.is_empty(), "acknowledged before the backup, missing after restore: {missing:?}");
    let rows: i64 = submissions::table.count().get_result(&mut conn).unwrap();
    assert_eq!(Some(&rows), manifest.tables.get("submissions"));
    assert!(rows >= before.len() as i64);
    let postings: i64 = yui_db::schema::postings::table.count().get_result(&mut conn).unwrap();
    assert_eq!(Some(&postings), manifest.tables.get("postings"));
    assert!(yui_db::migrate::missing(&mut conn).unwrap().is_empty(), "the restored database is current");
}
