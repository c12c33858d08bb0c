//! SMS dispatch benchmark (not a test): queues N messages in a fresh database, then times one
//! worker draining them through the Kavenegar HTTP provider to the fake Kavenegar server on
//! loopback, and prints messages per second.
//!
//! ```sh
//! cargo run --release -p vamyar-notify --features test-support --example dispatch_bench -- 5000
//! VAMYAR_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p vamyar-notify --features test-support --example dispatch_bench -- 5000 postgres
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};
use vamyar_domain::announcement::{Announcement, Notice};

use vamyar_notify::provider::{KavenegarConfig, KavenegarProvider, SmsProvider};
use vamyar_notify::testing::FakeKavenegar;
use vamyar_notify::{Worker, WorkerConfig};
use vamyar_store::Backend;
use vamyar_store::outbox::{self, NewMessage};
use vamyar_store::testdb::TestDb;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5000);
    let backend = match args.next().as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let Some(db) = TestDb::new(backend).await else {
        eprintln!("VAMYAR_TEST_POSTGRES_URL is not set");
        return Ok(());
    };
    let queued = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let mut tx = db.db.begin().await?;
        for i in chunk {
            outbox::enqueue(
                &mut tx,
                &NewMessage {
                    application_id: None,
                    person_id: None,
                    recipient: "09121234567",
                    announcement: Announcement {
                        tracking_code: Some("123456789012".into()),
                        first_name: Some("زهرا".into()),
                        notice: Notice::Approved,
                    },
                    dedupe_key: Some(format!("bench:{i}")),
                    expires_at: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
    }
    let queue_secs = queued.elapsed().as_secs_f64();
    let fake = FakeKavenegar::start().await?;
    let provider: Arc<dyn SmsProvider> = Arc::new(KavenegarProvider::new(KavenegarConfig {
        base_url: fake.base_url.clone(),
        api_key: fake.api_key.clone(),
        sender: None,
        timeout: Duration::from_secs(10),
        verify_template: None,
    })?);
    let worker = Worker::new(db.db.clone(), provider, WorkerConfig::default());
    let started = Instant::now();
    let handled = worker.drain().await?;
    let secs = started.elapsed().as_secs_f64();
    let received = fake.received().len();
    println!(
        "engine={} messages={n} handled={handled} received={received} queue_secs={queue_secs:.2} \
         dispatch_secs={secs:.2} per_second={:.0}",
        backend.name(),
        n as f64 / secs
    );
    Ok(())
}
