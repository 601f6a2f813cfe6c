#![allow(clippy::unwrap_used)]
//! Spawns the real application on port 0 against a fresh database (SQLite or PostgreSQL,
//! as `YUI_TEST_BACKEND` says), the way zero-to-production does.
#![allow(dead_code)]

pub mod browser;
pub mod smtp;

use std::path::Path;
use yui_db::testing::TestDatabase;
use yui_db::DbConnection;
use yui_web::{Application, Settings};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDatabase,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// The test settings, changed by `adjust` before the app starts.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let db = TestDatabase::fresh();
        let mut settings = test_settings();
        settings.database_url = db.url.clone();
        settings.pool_size = 2;
        adjust(&mut settings);
        let app = Application::build(settings).expect("the app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("http client");
        TestApp { address, client, db }
    }

    pub fn conn(&self) -> DbConnection {
        yui_db::conn::establish(&self.db.url).expect("test connection")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{}", self.address, path)).send().await.expect("request")
    }

    /// A client signed in as a new active staff member with `role`, of the organisation
    /// "test-npo" (each call makes a new account).
    pub async fn login_as(&self, role: yui_domain::StaffRole) -> reqwest::Client {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        const PASSWORD: &str = "correct horse battery staple";
        let email = format!("{}{}@staff.example", role.code(), N.fetch_add(1, Ordering::SeqCst));
        let mut conn = self.conn();
        let org = yui_db::organizations::ensure(&mut conn, "test-npo", "テストNPO", "npo").expect("organisation");
        let hash = yui_web::auth::password::hash(PASSWORD).expect("hash");
        yui_db::staff::create(
            &mut conn,
            &yui_db::models::NewStaffUser {
                organization_id: org.id,
                email: &email,
                display_name: &email,
                password_hash: &hash,
                role: role.code(),
                active: true,
                created_at: yui_db::now(),
                updated_at: yui_db::now(),
            },
        )
        .expect("staff member");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("http client");
        let login = client.get(format!("{}/admin/login", self.address)).send().await.expect("login page");
        let csrf = hidden_value(&login.text().await.expect("body"), "csrf");
        let res = client
            .post(format!("{}/admin/login", self.address))
            .form(&[("csrf", csrf.as_str()), ("email", &email), ("password", PASSWORD), ("next", "/admin")])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status().as_u16(), 303, "{email} logs in");
        client
    }

    /// Status and body of a GET.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }
}

pub fn test_settings() -> Settings {
    let config_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    Settings::load(&config_dir, "test").expect("test settings load")
}

/// How many times `needle` occurs in `haystack`.
pub fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The value of the hidden input `name` in a rendered form.
pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no hidden input {name}")) + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}
