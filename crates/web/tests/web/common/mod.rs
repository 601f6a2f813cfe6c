//! Spawns the real application on port 0 against a fresh database (SQLite or PostgreSQL,
//! as `YUI_TEST_BACKEND` says), the way zero-to-production does.

pub mod browser;
pub mod logs;
pub mod smtp;

use std::path::Path;
use yui_db::staff::StaffUser;
use yui_db::testing::TestDatabase;
use yui_db::DbConnection;
use yui_web::{Application, Settings};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDatabase,
    /// This app's own open-data directory: the shared default would let another test's (or a
    /// CLI test's `yui serve`) export show up here, in `/data` and the sitemap.
    pub _open_data: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// The test settings, changed by `adjust` before the app starts.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let db = TestDatabase::fresh();
        let open_data = tempfile::tempdir().expect("a temporary directory");
        let mut settings = test_settings();
        settings.database_url = db.url.clone();
        settings.pool_size = 2;
        settings.open_data_dir = open_data.path().to_owned();
        adjust(&mut settings);
        let app = Application::build(settings).expect("the app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        TestApp { address, client: new_client(), db, _open_data: open_data }
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
        let email = format!("{}{}@staff.example", role.code(), N.fetch_add(1, Ordering::SeqCst));
        named_staff(&mut self.conn(), &email, &email, role.code(), ("test-npo", "テストNPO"));
        Session::login(self, &email).await.client
    }

    /// Status and body of a GET.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }
}

/// A client that keeps cookies and does not follow redirects.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("http client")
}

/// The password of every staff member made by [`staff`] and [`named_staff`].
pub const PASSWORD: &str = "correct horse battery staple";

/// An active staff member who signs in with [`PASSWORD`], of the organisation `org` (slug and
/// name; made when missing), named by the local part of `email`.
pub fn staff(conn: &mut DbConnection, email: &str, role: &'static str, org: (&str, &str)) -> StaffUser {
    named_staff(conn, email, email.split('@').next().unwrap(), role, org)
}

/// [`staff`] with a display name.
pub fn named_staff(
    conn: &mut DbConnection,
    email: &str,
    display_name: &str,
    role: &'static str,
    org: (&str, &str),
) -> StaffUser {
    let hash = yui_web::auth::password::hash(PASSWORD).expect("hash");
    yui_db::testing::fixtures::staff(conn, org, email, display_name, role, &hash).expect("staff member")
}

/// A browser-like client of the admin area: its own cookies, no redirects followed.
pub struct Session {
    pub client: reqwest::Client,
    pub base: String,
}

impl Session {
    pub fn anonymous(app: &TestApp) -> Session {
        Session { client: new_client(), base: app.address.clone() }
    }

    /// Signed in as `email` with [`PASSWORD`].
    pub async fn login(app: &TestApp, email: &str) -> Session {
        let s = Session::anonymous(app);
        let (status, _) = s.try_login(email, PASSWORD).await;
        assert_eq!(status, 303, "{email} logs in");
        s
    }

    /// Posts the login form (with its CSRF token): status, and the redirect target or the body.
    pub async fn try_login(&self, email: &str, password: &str) -> (u16, String) {
        let (_, html) = self.get("/admin/login").await;
        let csrf = hidden_value(&html, "csrf");
        self.post("/admin/login", &[("csrf", &csrf), ("email", email), ("password", password), ("next", "/admin")])
            .await
    }

    /// Status and body of a GET.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let res = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// Status, and the Location of a redirect or else the body.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let res = self.client.post(format!("{}{path}", self.base)).form(form).send().await.unwrap();
        let status = res.status().as_u16();
        let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
        (status, location.unwrap_or(res.text().await.unwrap()))
    }

    /// Posts a multipart form, as a browser sends a file: the text `fields`, and `file` as the
    /// part `file_field` (a PNG named `name`). Status, and the Location of a redirect or else the body.
    pub async fn post_file(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_field: &str,
        name: &str,
        file: &[u8],
    ) -> (u16, String) {
        let boundary = "yui-test-boundary-7d3f";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
        (status, location.unwrap_or(res.text().await.unwrap()))
    }

    /// The session's CSRF token, from the password page every staff member may open.
    pub async fn csrf(&self) -> String {
        self.csrf_on("/admin/password").await
    }

    /// The session's CSRF token, from the page `path`, which must open (200).
    pub async fn csrf_on(&self, path: &str) -> String {
        let (status, html) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}");
        hidden_value(&html, "csrf")
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

/// Every answer of Yui's own form `/submit`, filled in as an employer would.
pub fn complete_submit_form(csrf: &str, key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("submission_key", key.to_owned()),
        ("website_url", String::new()),
        ("title", "民宿の朝食スタッフ".into()),
        ("employment_type", "part_time".into()),
        ("description", "朝6時からの朝食準備と片付け。".into()),
        ("location", "氷見市北大町".into()),
        ("remote", "onsite".into()),
        ("salary_unit", "hour".into()),
        ("salary_min", "1050".into()),
        ("salary_max", "".into()),
        ("how_to_apply", "お電話ください（0766-00-0000）".into()),
        ("valid_through", "2099-03-31".into()),
        ("employer_name", "民宿はまかぜ".into()),
        ("email", "hamakaze@example.jp".into()),
    ]
    .into_iter()
    .chain(complete_terms())
    .collect()
}

/// Every legal item a part-time job states on Yui's own forms (named as the form's fields).
pub fn complete_terms() -> Vec<(&'static str, String)> {
    [
        ("duties_scope", "変更なし"),
        ("workplace_scope", "変更なし"),
        ("contract", "fixed"),
        ("contract_length", "6か月"),
        ("renewal", "possible"),
        ("renewal_limit", "通算3年まで"),
        ("trial", "no"),
        ("hours", "6:00〜10:00"),
        ("breaks", "なし（4時間勤務）"),
        ("overtime", "no"),
        ("holidays", "週2日（シフト制）"),
        ("fixed_overtime", "no"),
        ("insurance", "労災保険"),
        ("smoking", "屋内禁煙"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}
