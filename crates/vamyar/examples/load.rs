//! Load tool (a benchmark, not a test): intake over HTTP against the raw durable commit rate
//! of the same database, measured in the same run.
//!
//! Serves the application on loopback over a fresh database (SQLite in a temporary folder on
//! the same disk as the repository's `target`, or PostgreSQL), seeds the demo, then:
//!
//! 1. **peer**: `CLIENTS` tasks each commit single-row inserts in their own transaction, as
//!    many as the intake run will make files: the disk's and engine's raw durable commit rate.
//!    SQLite: one connection of its own (WAL, `synchronous = full`: each commit flushes the log
//!    before it returns, no group commit), `begin immediate`; PostgreSQL: the application's pool;
//! 2. **intake**: `CLIENTS` HTTP clients register `FILES` walk-in files as the demo desk
//!    clerk through `POST /api/v1/applications` (each a new person with a valid national ID).
//!
//! Each run first makes `4 × CLIENTS` operations that are not measured (connections opened,
//! caches filled), then `FILES` that are. Prints each run's rate, latency percentiles (p50, p90, p99, max) and the ratio of intake
//! to the peer, and the process's peak resident memory (server and clients together).
//!
//! ```sh
//! cargo run --release -p vamyar --example load -- intake 4000 32
//! VAMYAR_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p vamyar --example load -- intake 4000 32 postgres
//! ```

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "load/measure.rs"]
mod measure;

use measure::{Run, peak_rss_mib, run_clients};
use vamyar_store::Backend;
use vamyar_store::testdb::TestDb;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("intake");
    let count: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(4000);
    let clients: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(32);
    let backend = match args.get(4).map(String::as_str) {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    if mode != "intake" {
        eprintln!("usage: load intake [FILES] [CLIENTS] [sqlite|postgres]");
        std::process::exit(2);
    }
    let db = TestDb::new(backend).await.expect("a test database");
    vamyar_app::demo::seed(&db.db, vamyar_app::Clock::system().today())
        .await
        .expect("demo seeded");
    println!(
        "== {} · {clients} clients · {count} operations · {} cores",
        backend.name(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let warm = clients * 4;
    let peer = peer(&db, warm, count, clients).await;
    peer.print("peer: raw single-row durable commits");
    let intake = intake(&db, warm, count, clients).await;
    intake.print("intake: POST /api/v1/applications");
    println!(
        "intake / peer = {:.2}; peak RSS {:.0} MiB",
        intake.rate() / peer.rate(),
        peak_rss_mib()
    );
}

/// Single-row inserts, each in its own durable transaction (on SQLite through one connection at
/// `synchronous = full`, as the engine commits without help); the first `warm` are not measured.
async fn peer(db: &TestDb, warm: usize, count: usize, clients: usize) -> Run {
    sqlx::query("create table load_peer (id bigint primary key, note text not null)")
        .execute(db.db.pool())
        .await
        .expect("peer table");
    let pool = match db.db.backend() {
        Backend::Sqlite => raw_sqlite(&db.url).await,
        Backend::Postgres => db.db.pool().clone(),
    };
    let begin = match db.db.backend() {
        Backend::Sqlite => "begin immediate",
        Backend::Postgres => "begin",
    };
    run_clients(warm, count, clients, move |i| {
        let pool = pool.clone();
        async move {
            let mut tx = pool.begin_with(begin).await.map_err(|e| e.to_string())?;
            sqlx::query("insert into load_peer (id, note) values ($1, $2)")
                .bind(i as i64)
                .bind("durable")
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())
        }
    })
    .await
}

/// One connection to the SQLite file at `url`, in WAL mode with `synchronous = full`.
async fn raw_sqlite(url: &str) -> sqlx::AnyPool {
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .after_connect(|conn, _| {
            Box::pin(async move {
                use sqlx::Executor;
                conn.execute("pragma journal_mode = wal").await?;
                conn.execute("pragma synchronous = full").await?;
                conn.execute("pragma busy_timeout = 10000").await?;
                Ok(())
            })
        })
        .connect(url)
        .await
        .expect("a raw connection for the peer")
}

/// Walk-in registrations by the demo desk clerk over HTTP; the first `warm` are not measured
/// (connections opened, caches filled).
async fn intake(db: &TestDb, warm: usize, count: usize, clients: usize) -> Run {
    let unlimited = vamyar_web::auth::ratelimit::Limit::per_minutes(u32::MAX, 1);
    let limits = vamyar_web::auth::ratelimit::RateLimits {
        register_per_ip: unlimited,
        ..Default::default()
    };
    let state = vamyar_web::AppState::new(
        db.db.clone(),
        vamyar_web::WebConfig {
            upload_dir: db.scratch_folder(),
            ..Default::default()
        },
    )
    .with_rate_limits(limits);
    let base = support::serve(state).await;
    let client = reqwest::Client::new();
    let token = support::login(&client, &base, "desk").await;
    let program: i64 = sqlx::query_scalar("select id from program order by id limit 1")
        .fetch_one(db.db.pool())
        .await
        .expect("the demo program");
    let url = format!("{base}/api/v1/applications");
    run_clients(warm, count, clients, move |i| {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        async move {
            let res = client
                .post(&url)
                .bearer_auth(&token)
                .json(&registration(program, i))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            match res.status().as_u16() {
                201 => Ok(()),
                s => Err(format!("{s} {}", res.text().await.unwrap_or_default())),
            }
        }
    })
    .await
}

/// A walk-in registration of person `i` in the demo county.
fn registration(program: i64, i: usize) -> serde_json::Value {
    serde_json::json!({
        "program_id": program, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": support::national_id(7_000_001 + i as u64),
            "first_name": "زهرا", "last_name": "احمدی", "father_name": "علی",
            "birth_date": "1370/05/12", "gender": "female",
            "mobile": format!("0912{:07}", i % 10_000_000),
            "province": "07", "county": vamyar_app::demo::DEMO_COUNTY,
            "address": "تهران، خیابان آزادی", "female_head_of_household": i.is_multiple_of(3),
            "disability": false, "household_size": 1 + i % 6, "income_decile": 1 + i % 10,
            "beneficiary_status": "supported"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 2}
    })
}
