//! Benchmark (not a test): the first page (50 files) of the staff queue over a seeded
//! database, for each kind of reader — a national admin, a province admin, a county desk
//! clerk, a bank officer, and the national breached-only view — through the use case
//! (`vamyar_app::queue::list`: the page's query plus the persons, deciles, stage clocks and
//! the views built from them). The peer, timed in the same run on the same database: reading
//! the same 50 files by primary key with one query (`select … where id in (…)`), the least a
//! page can cost.
//!
//! ```sh
//! target/release/vamyar --database-url sqlite://q.db seed --applicants 1000000
//! cargo run --release -p vamyar --example queue_bench -- sqlite://q.db 200
//! ```
//! `scripts/bench_queue.sh` does both engines.

use std::time::{Duration, Instant};

use vamyar_app::queue::{QueueQuery, list};
use vamyar_app::{Ctx, Settings};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(name: &str, mut times: Vec<Duration>, peer: Option<f64>) -> f64 {
    times.sort();
    let median = percentile(&times, 0.5);
    let ratio = peer
        .map(|p| format!("  {:.1} × the peer", median / p))
        .unwrap_or_default();
    println!(
        "{name:<28} median {median:7.2} ms  p95 {:7.2} ms  max {:7.2} ms{ratio}",
        percentile(&times, 0.95),
        percentile(&times, 1.0),
    );
    median
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).expect("a database URL");
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let db = vamyar_store::Db::connect(url).await.expect("the database");
    db.migrate().await.expect("migrations");
    let ctx = Ctx::new(db, Settings::default());
    let files: i64 = sqlx::query_scalar("select count(*) from application")
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
    println!("{files} files, {rounds} rounds each, 50 files a page");

    let admin = vamyar_app::actors::staff_by_username(&ctx, "admin")
        .await
        .unwrap();
    let first = list(
        &ctx,
        &admin,
        &QueueQuery {
            limit: Some(50),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ids: Vec<String> = first.items.iter().map(|v| v.id.to_string()).collect();
    let peer_sql = format!("select * from application where id in ({})", ids.join(", "));
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let rows = sqlx::query(&peer_sql)
            .fetch_all(ctx.db.pool())
            .await
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(rows.len(), ids.len());
    }
    let peer = report("peer: 50 files by id", times, None);

    for (name, user, breached) in [
        ("national admin", "admin", None),
        ("province admin", "province", None),
        ("county desk clerk", "desk", None),
        ("bank officer", "bank", None),
        ("national, breached only", "admin", Some(true)),
    ] {
        let actor = vamyar_app::actors::staff_by_username(&ctx, user)
            .await
            .unwrap();
        let q = QueueQuery {
            limit: Some(50),
            breached,
            ..Default::default()
        };
        let page = list(&ctx, &actor, &q).await.unwrap();
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let again = list(&ctx, &actor, &q).await.unwrap();
            times.push(t.elapsed());
            assert_eq!(again.items.len(), page.items.len());
        }
        let label = format!("{name} ({} files)", page.items.len());
        report(&label, times, Some(peer));
    }
}
