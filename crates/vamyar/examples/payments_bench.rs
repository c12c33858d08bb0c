//! Benchmark (not a test): payments posted per second over HTTP.
//!
//! Serves the application on loopback over a fresh database (SQLite in a temporary folder,
//! or PostgreSQL when a URL is given), disburses `LOANS` loans through the store, then posts
//! `PAYMENTS` payments of 10,000 rials from `CLIENTS` concurrent HTTP clients, each with its
//! own bank reference, through `POST /api/v1/loans/{id}/payments` as the bank's officer.
//! Every payment is a full posting: late-charge accrual, allocation, installment updates,
//! the audit row, in one transaction. As in `vamyar serve`, a sealer chains the audit rows
//! every second meanwhile; at the end the rest is sealed and the chain verified.
//!
//! With a fourth argument `WRK_SECONDS`, the same server then takes payments from `wrk` for
//! that many seconds (`CLIENTS` connections, 2 threads, `scripts/load/payments.lua`; Debian's
//! `wrk` must be installed): the clients above run in this process and take part of its two
//! cores, wrk's take far less, so the two figures bound what the server does for a bank on
//! another machine. Every answer of both runs is checked against the payments stored.
//!
//! ```sh
//! cargo run --release -p vamyar --example payments_bench -- 2000 16
//! VAMYAR_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p vamyar --example payments_bench -- 2000 16 postgres 10
//! ```

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use vamyar_store::Backend;
use vamyar_store::testdb::TestDb;

const LOANS: u64 = 200;

/// The allocator `vamyar serve` runs with (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let payments: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let clients: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(16);
    let backend = match args.get(3).map(String::as_str) {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let db = TestDb::new(backend).await.expect("a test database");
    let loans = support::disbursed_loans(&db.db, LOANS, "بنچمارک").await;
    let (stop_sealer, mut sealer_stop) = tokio::sync::watch::channel(false);
    let sealer = tokio::spawn(vamyar_app::audit::seal_every(
        db.db.clone(),
        vamyar_app::audit::SEAL_EVERY,
        async move {
            let _ = sealer_stop.wait_for(|stop| *stop).await;
        },
    ));
    let state = vamyar_web::AppState::new(
        db.db.clone(),
        vamyar_web::WebConfig {
            upload_dir: db.scratch_folder(),
            ..Default::default()
        },
    );
    let base = support::serve(state).await;
    let client = reqwest::Client::new();
    let token = support::login(&client, &base, "bank").await;
    let today = vamyar_app::Clock::system()
        .today()
        .format("%Y-%m-%d")
        .to_string();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, base, token, today) =
            (client.clone(), base.clone(), token.clone(), today.clone());
        let loans: Vec<i64> = loans.iter().map(|l| l.loan_id).collect();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0usize;
            let mut i = c;
            while i < payments {
                let loan = loans[i % loans.len()];
                let res = client
                    .post(format!("{base}/api/v1/loans/{loan}/payments"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"amount": 10_000, "paid_on": today, "bank_reference": format!("BENCH-{i}")}))
                    .send()
                    .await
                    .unwrap();
                if res.status().as_u16() == 201 {
                    ok += 1;
                } else {
                    eprintln!("payment {i}: {}", res.status());
                }
                i += clients;
            }
            ok
        }));
    }
    let mut ok = 0;
    for t in tasks {
        ok += t.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{}: {ok} of {payments} payments posted by {clients} clients in {secs:.2} s = {:.0} payments/s",
        backend.name(),
        ok as f64 / secs
    );
    let mut stored = ok;
    if let Some(secs) = args.get(4).and_then(|s| s.parse::<u32>().ok()) {
        let ids: Vec<String> = loans.iter().map(|l| l.loan_id.to_string()).collect();
        stored += wrk_run(&base, &token, &ids.join(","), &today, clients, secs).await;
    }
    let rows: i64 = sqlx::query_scalar("select count(*) from payment")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    // wrk stops counting at its deadline with up to one request per connection in flight:
    // those are stored without being counted, never the other way round
    let extra = (rows as usize).checked_sub(stored);
    println!(
        "payments stored: {rows}, answered as posted: {stored}{}",
        match extra {
            Some(0) => String::new(),
            Some(n) if n <= clients => format!(" ({n} in flight when wrk stopped counting)"),
            _ => " — MISMATCH".to_string(),
        }
    );
    let sealing = Instant::now();
    let _ = stop_sealer.send(true);
    sealer.await.unwrap();
    let left = sealing.elapsed().as_secs_f64();
    let report = vamyar_store::audit::verify(&db.db).await.unwrap();
    println!(
        "audit: {} rows sealed ({} unsealed; the rest sealed in {left:.2} s after the last \
         payment), chain {}",
        report.rows,
        report.unsealed,
        if report.ok { "intact" } else { "BROKEN" }
    );
}

/// Runs wrk against the server for `secs` seconds; prints its line and returns the payments
/// it saw posted (answers below 400).
async fn wrk_run(
    base: &str,
    token: &str,
    loans: &str,
    today: &str,
    clients: usize,
    secs: u32,
) -> usize {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/load/payments.lua"
    );
    let out = tokio::process::Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{clients}"),
            &format!("-d{secs}s"),
            "--timeout",
            "10s",
        ])
        .args(["-s", script, base, "--", token, loans, today])
        .output()
        .await
        .expect("wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("payments:"))
        .unwrap_or_else(|| panic!("wrk printed no summary: {text}"));
    println!("wrk, {clients} connections: {line}");
    // "payments: N answers (E of them ≥ 400, …"
    let number = |after: &str| -> usize {
        let rest = &line[line.find(after).expect("summary shape") + after.len()..];
        rest.split_whitespace().next().unwrap().parse().unwrap()
    };
    number("payments: ") - number("answers (")
}
