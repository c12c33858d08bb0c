//! Fresh databases for tests, on both engines.
//!
//! SQLite: a new file in a temporary folder. PostgreSQL: a new database created through the
//! server named by `VAMYAR_TEST_POSTGRES_URL` (a URL whose user may `create database`).
//! When that variable is unset, the PostgreSQL run of each test is compiled with `#[ignore]`
//! (the shared build script `build/pg_tests.rs` sets `cfg(pg_tests)` only when it is set), so
//! `cargo test` reports those runs as ignored, never as passed. Asking for an ignored run
//! without the variable (`cargo test -- --ignored`) fails with a message naming it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::Rng;

use vamyar_domain::announcement::{Announcement, Notice};

use crate::outbox::NewMessage;
use crate::{Backend, Db};

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "VAMYAR_TEST_POSTGRES_URL";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A migrated database that belongs to one test.
pub struct TestDb {
    /// The connected, migrated database.
    pub db: Db,
    /// Its URL, for starting a second process or pool against it.
    pub url: String,
    folder: Option<PathBuf>,
}

impl TestDb {
    /// A fresh, migrated and seeded database of the given engine. Always `Some`; panics when
    /// PostgreSQL is asked for and `VAMYAR_TEST_POSTGRES_URL` is unset (see the module
    /// documentation: such tests are ignored unless the variable is set).
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let url = match backend {
            Backend::Sqlite => {
                let folder = unique_folder();
                std::fs::create_dir_all(&folder).expect("create test folder");
                let url = format!("sqlite://{}/vamyar.db", folder.display());
                return Some(Self::open(url, Some(folder)).await);
            }
            Backend::Postgres => postgres_database().await?,
        };
        Some(Self::open(url, None).await)
    }

    async fn open(url: String, folder: Option<PathBuf>) -> TestDb {
        let db = Db::connect(&url).await.expect("connect test database");
        db.migrate().await.expect("migrate test database");
        crate::reference::seed(&db, vamyar_calendar::Clock::system().today())
            .await
            .expect("seed reference data");
        TestDb { db, url, folder }
    }

    /// A folder that lives as long as this database (for uploads, SMS files and the like).
    pub fn scratch_folder(&self) -> PathBuf {
        let folder = match &self.folder {
            Some(f) => f.join("scratch"),
            None => unique_folder(),
        };
        std::fs::create_dir_all(&folder).expect("create scratch folder");
        folder
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(folder) = &self.folder {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

pub(crate) fn unique_folder() -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let r: u32 = rand::rng().random();
    std::env::temp_dir().join(format!("vamyar-test-{}-{n}-{r:08x}", std::process::id()))
}

/// The URL of a new, empty (unmigrated) PostgreSQL database. Always `Some`; panics when
/// `VAMYAR_TEST_POSTGRES_URL` is unset, like [`TestDb::new`].
pub async fn empty_postgres_database() -> Option<String> {
    postgres_database().await
}

/// Creates a new PostgreSQL database for one test and returns its URL.
async fn postgres_database() -> Option<String> {
    let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
        panic!(
            "{POSTGRES_URL_VAR} is not set: this test runs on PostgreSQL \
             (e.g. {POSTGRES_URL_VAR}=postgres://postgres@127.0.0.1:5432/postgres)"
        );
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let r: u32 = rand::rng().random();
    let name = format!("vamyar_t_{}_{n}_{r:08x}", std::process::id());
    sqlx::any::install_default_drivers();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
        .await
        .expect("connect to the PostgreSQL test server");
    sqlx::query(&format!("create database {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let _ = <sqlx::AnyConnection as sqlx::Connection>::close(admin).await;
    Some(replace_database(&admin_url, &name))
}

/// `postgres://u@h:p/db?x` with its database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

/// Runs an async test body once per engine: `both_engines!(name, |db: TestDb| async move {...})`
/// expands to `name_sqlite` and `name_postgres` test functions.
#[macro_export]
macro_rules! both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::testdb::TestDb::new($crate::Backend::Sqlite)
                    .await
                    .expect("sqlite test database");
                ($body)(db).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(pg_tests), ignore = "VAMYAR_TEST_POSTGRES_URL is not set")]
            async fn postgres() {
                if let Some(db) = $crate::testdb::TestDb::new($crate::Backend::Postgres).await {
                    ($body)(db).await;
                }
            }
        }
    };
}

/// A message for outbox tests: `notice` about file `482913570164` to `to`, for «زهرا»,
/// deduplicated by `key`, without an expiry. Tests change the rest by struct update.
pub fn message(to: &str, notice: Notice, key: String) -> NewMessage<'_> {
    NewMessage {
        application_id: None,
        person_id: None,
        recipient: to,
        announcement: Announcement {
            tracking_code: Some("482913570164".into()),
            first_name: Some("زهرا".into()),
            notice,
        },
        dedupe_key: Some(key),
        expires_at: None,
    }
}

/// Queues message `m` in a transaction of its own; returns its id (panics when it was a
/// duplicate, or on any error: a test fixture).
pub async fn enqueue(db: &Db, m: &NewMessage<'_>) -> i64 {
    let mut tx = db.begin().await.expect("a write transaction");
    let id = crate::outbox::enqueue(&mut tx, m)
        .await
        .expect("the message queued")
        .expect("a new message, not a duplicate");
    tx.commit().await.expect("committed");
    id
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_database("postgres://u@h/x?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
        assert_eq!(
            replace_database("postgres://u@h", "t3"),
            "postgres://u@h/t3"
        );
    }
}
