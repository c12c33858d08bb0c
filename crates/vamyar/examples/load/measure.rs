//! What the load tool measures with: concurrent clients over a fixed number of operations,
//! each operation's latency, and the percentiles of a run.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One run: how long it took and each successful operation's latency.
pub struct Run {
    /// Wall time from the first operation to the last answer.
    pub elapsed: Duration,
    /// Latencies of the operations that succeeded, sorted.
    pub latencies: Vec<Duration>,
    /// Operations that failed.
    pub failed: usize,
}

impl Run {
    /// Successful operations per second.
    pub fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// The `p`-th percentile latency in milliseconds (nearest rank).
    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let i = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[i].as_secs_f64() * 1000.0
    }

    /// Prints one line: rate and percentiles.
    pub fn print(&self, name: &str) {
        println!(
            "{name}: {} ok, {} failed in {:.2} s = {:.0}/s; latency ms p50 {:.1} p90 {:.1} p99 {:.1} max {:.1}",
            self.latencies.len(),
            self.failed,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.percentile_ms(50.0),
            self.percentile_ms(90.0),
            self.percentile_ms(99.0),
            self.percentile_ms(100.0),
        );
    }
}

/// Runs operations `0..warm` unmeasured, then `warm..warm + count` measured, each phase from
/// `clients` concurrent tasks (each takes the next number), timing each. The first few
/// failures are printed.
pub async fn run_clients<F, Fut>(warm: usize, count: usize, clients: usize, op: F) -> Run
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let op = Arc::new(op);
    let warmed = phase(op.clone(), 0, warm, clients).await;
    if warmed.failed > 0 {
        eprintln!("{} of {warm} warm-up operations failed", warmed.failed);
    }
    phase(op, warm, warm + count, clients).await
}

/// Operations `first..end` from `clients` tasks.
async fn phase<F, Fut>(op: Arc<F>, first: usize, end: usize, clients: usize) -> Run
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let count = end - first;
    let next = Arc::new(AtomicUsize::new(first));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (op, next) = (op.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failed = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= end {
                    break;
                }
                let t = Instant::now();
                match op(i).await {
                    Ok(()) => latencies.push(t.elapsed()),
                    Err(e) => {
                        if failed < 3 {
                            eprintln!("operation {i} failed: {e}");
                        }
                        failed += 1;
                    }
                }
            }
            (latencies, failed)
        }));
    }
    let mut run = Run {
        elapsed: Duration::ZERO,
        latencies: Vec::with_capacity(count),
        failed: 0,
    };
    for t in tasks {
        let (l, f) = t.await.expect("client task");
        run.latencies.extend(l);
        run.failed += f;
    }
    run.elapsed = started.elapsed();
    run.latencies.sort();
    run
}

/// The process's peak resident memory (`VmHWM`) in MiB.
pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
