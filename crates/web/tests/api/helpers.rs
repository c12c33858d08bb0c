//! `TestApp`: the application on a random port over a fresh database.

use vamyar_store::testdb::TestDb;
use vamyar_web::{AppState, WebConfig};

/// A running application and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client without cookies.
    pub client: reqwest::Client,
    /// The database (kept alive for the test's duration).
    pub db: TestDb,
}

impl TestApp {
    /// Serves the app over `db` on an ephemeral port.
    pub async fn spawn(db: TestDb) -> TestApp {
        let config = WebConfig {
            upload_dir: db.scratch_folder().join("uploads"),
            ..WebConfig::default()
        };
        let state = AppState::new(db.db.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(
                listener,
                vamyar_web::app(state)
                    .into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        TestApp {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            db,
        }
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
