//! Statistics that respect privacy (issue 20): views counted per day without cookies or
//! addresses, shown to the employer by week, the sponsor's report, the site's totals and
//! outcomes on /transparency, and the weekly note to operators.

mod note;
mod outcomes;
mod sponsor;
mod views;

use crate::common::{self, TestApp};
use std::sync::Arc;
use yui_db::testing::TestDatabase;
use yui_web::page_views::ViewCounter;
use yui_web::Application;

/// A browser's user agent: without one, a request is not counted.
pub const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/// The app, with the page cache on and its counter in hand: the test flushes it when it wants
/// (the timer is set far beyond any test).
pub async fn spawn() -> (TestApp, Arc<ViewCounter>) {
    let db = TestDatabase::fresh();
    let open_data = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings();
    settings.database_url = db.url.clone();
    settings.pool_size = 2;
    settings.open_data_dir = open_data.path().to_owned();
    settings.page_cache_secs = 60;
    settings.statistics.flush_every = std::time::Duration::from_secs(300);
    let app = Application::build(settings).expect("the app builds");
    let counter = app.page_views();
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    (TestApp { address, client: common::new_client(), db, _open_data: open_data }, counter)
}

/// A GET as a browser sends it.
pub async fn visit(app: &TestApp, path: &str) -> u16 {
    let res = app.client.get(format!("{}{path}", app.address)).header("user-agent", BROWSER).send().await.unwrap();
    res.status().as_u16()
}
