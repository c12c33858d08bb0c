//! `TestApp`: the application on a random port over a fresh database.

use vamyar_store::testdb::TestDb;
use vamyar_web::{AppState, WebConfig};

use crate::documented::Undocumented;

/// The second factor the test helpers give administrators (base32).
pub const TEST_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// A running application and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client without cookies.
    pub client: reqwest::Client,
    /// The database (kept alive for the test's duration).
    pub db: TestDb,
    /// The `/api` answers the OpenAPI document does not list, checked on drop.
    undocumented: Undocumented,
}

impl Drop for TestApp {
    /// Fails the test when the app gave an answer its OpenAPI document does not list (unless
    /// the test is already failing).
    fn drop(&mut self) {
        let missing = self.undocumented.take();
        if !missing.is_empty() && !std::thread::panicking() {
            panic!(
                "answers missing from the OpenAPI document:\n  {}",
                missing.join("\n  ")
            );
        }
    }
}

impl TestApp {
    /// Serves the app over `db` on an ephemeral port.
    pub async fn spawn(db: TestDb) -> TestApp {
        Self::spawn_with(db, |state| state).await
    }

    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs JSON and returns the status and the JSON answer.
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let res = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Counts the rows of a table.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(self.db.db.pool())
            .await
            .unwrap()
    }
}

// --- Accounts, people and logins (auth tests and anyone who needs a real login) -------------

/// The password of every account made by [`TestApp::create_staff`].
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// Where a test staff account works.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)]
pub enum StaffScope<'a> {
    /// What the role needs, in Tehran: county `07-15`, province `07`, or a new bank.
    Default,
    /// A county (`PP-NN`); its province is the code's prefix.
    County(&'a str),
    /// A province.
    Province(&'a str),
    /// A bank (id), e.g. from [`TestApp::create_bank`].
    Bank(i64),
    /// No scope (national admin, auditor).
    All,
}

/// Argon2 is slow in debug builds: hash [`TEST_PASSWORD`] once per test binary.
async fn test_password_hash() -> String {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async {
        vamyar_web::auth::password::hash(TEST_PASSWORD.to_string())
            .await
            .unwrap()
    })
    .await
    .clone()
}

#[allow(dead_code)]
impl TestApp {
    /// Like [`TestApp::spawn`], with the state changed by `f` first (e.g. small rate limits).
    pub async fn spawn_with(db: TestDb, f: impl FnOnce(AppState) -> AppState) -> TestApp {
        let config = WebConfig {
            upload_dir: db.scratch_folder().join("uploads"),
            ..WebConfig::default()
        };
        let state = f(AppState::new(db.db.clone(), config));
        Self::serve(db, state).await
    }

    /// Serves the app with `state` over `db`, every `/api` answer checked against the
    /// OpenAPI document.
    pub async fn serve(db: TestDb, state: AppState) -> TestApp {
        let undocumented = Undocumented::default();
        let recorder = undocumented.clone();
        let app = vamyar_web::app(state).layer(axum::middleware::from_fn(move |req, next| {
            crate::documented::record(recorder.clone(), req, next)
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        TestApp {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            db,
            undocumented,
        }
    }

    /// Creates a bank with `code` and returns its id.
    pub async fn create_bank(&self, code: &str) -> i64 {
        let mut tx = self.db.db.begin().await.unwrap();
        let id = vamyar_store::bank::create_bank(&mut tx, code, code, code, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// Creates an active staff account with password [`TEST_PASSWORD`]; returns its id.
    pub async fn create_staff(&self, username: &str, role: &str, scope: StaffScope<'_>) -> i64 {
        let scope = match scope {
            StaffScope::Default => match role {
                "province_admin" => StaffScope::Province("07"),
                "bank_officer" => {
                    StaffScope::Bank(self.create_bank(&format!("b-{username}")).await)
                }
                "national_admin" | "auditor" => StaffScope::All,
                _ => StaffScope::County("07-15"),
            },
            s => s,
        };
        let (province, county, bank) = match scope {
            StaffScope::County(c) => (Some(c[..2].to_string()), Some(c.to_string()), None),
            StaffScope::Province(p) => (Some(p.to_string()), None, None),
            StaffScope::Bank(b) => (None, None, Some(b)),
            StaffScope::All | StaffScope::Default => (None, None, None),
        };
        let new = vamyar_store::staff::NewStaff {
            username: username.to_string(),
            password_hash: test_password_hash().await,
            full_name: format!("test {username}"),
            role: role.to_string(),
            province_code: province,
            county_code: county,
            bank_id: bank,
            branch_id: None,
        };
        let mut tx = self.db.db.begin().await.unwrap();
        let id = vamyar_store::staff::create(&mut tx, &new).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// Logs in through the API (asserting 200) and returns the bearer token. An
    /// administrator is given a second factor ([`TestApp::enrol_totp`]) so that the session
    /// has full access; one already enrolled logs in with a code.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let mut body = serde_json::json!({"username": username, "password": password});
        if let Some(code) = self.totp_code(username).await {
            body["totp"] = serde_json::json!(code);
        }
        let (status, body) = self.post_json("/api/v1/auth/login", &body).await;
        assert_eq!(status, 200, "login {username}: {body}");
        if body["totp_enrolment_required"] == true {
            self.enrol_totp(username).await;
        }
        body["token"].as_str().unwrap().to_string()
    }

    /// Puts [`TEST_TOTP_SECRET`] in force as the account's second factor, directly in the
    /// database (the enrolment itself is tested in `security.rs`).
    pub async fn enrol_totp(&self, username: &str) {
        let id = vamyar_store::staff::by_username(self.db.db.pool(), username)
            .await
            .unwrap()
            .unwrap()
            .id;
        let mut tx = self.db.db.begin().await.unwrap();
        vamyar_store::staff::set_totp_secret(&mut tx, id, TEST_TOTP_SECRET)
            .await
            .unwrap();
        vamyar_store::staff::enable_totp(&mut tx, id).await.unwrap();
        tx.commit().await.unwrap();
    }

    /// A code for logging in as an enrolled account (none when not enrolled). The account's
    /// last accepted step is forgotten first, so that a test may log in twice within a step.
    pub async fn totp_code(&self, username: &str) -> Option<String> {
        let staff = vamyar_store::staff::by_username(self.db.db.pool(), username)
            .await
            .unwrap()?;
        staff.totp_enabled_at.as_ref()?;
        let (secret, _) = vamyar_store::staff::totp(self.db.db.pool(), staff.id)
            .await
            .unwrap();
        sqlx::query("update staff_user set totp_last_step = null where id = $1")
            .bind(staff.id)
            .execute(self.db.db.pool())
            .await
            .unwrap();
        let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
        Some(vamyar_app::totp::code_at(&secret?, username, now).unwrap())
    }

    /// Creates a staff account ([`StaffScope::Default`]) and logs it in; returns the token.
    pub async fn staff_token(&self, username: &str, role: &str) -> String {
        self.create_staff(username, role, StaffScope::Default).await;
        self.login(username, TEST_PASSWORD).await
    }

    /// Creates a person (an applicant) in Tehran directly in the database; returns the id.
    pub async fn create_person(&self, national_id: &str, mobile: &str) -> i64 {
        let now = vamyar_store::time::now();
        sqlx::query_scalar(
            "insert into person (national_id, first_name, last_name, gender, mobile, \
             province_code, county_code, created_at, updated_at) \
             values ($1, 'زهرا', 'احمدی', 'female', $2, '07', '07-15', $3, $3) returning id",
        )
        .bind(national_id)
        .bind(mobile)
        .bind(now)
        .fetch_one(self.db.db.pool())
        .await
        .unwrap()
    }

    /// Sends a request with a bearer token and optional JSON body; returns status and JSON.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }
}

/// The newest one-time code queued to `mobile` (read from its typed announcement in the
/// outbox, before the worker sends and scrubs it) and its validity in minutes.
pub async fn last_code(app: &TestApp, mobile: &str) -> (String, i64) {
    let payload: String = sqlx::query_scalar(
        "select payload from outbox where event = 'otp' and recipient = $1 order by id desc limit 1",
    )
    .bind(mobile)
    .fetch_one(app.db.db.pool())
    .await
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let code = v["notice"]["code"].as_str().unwrap().to_string();
    (code, v["notice"]["expires_minutes"].as_i64().unwrap())
}

/// A tracking code as SMS texts write it: groups of four joined by hyphens.
pub fn grouped(code: &str) -> String {
    format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..])
}
