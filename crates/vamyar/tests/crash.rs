//! The crash test (issue 4, "Must show"): while a bank posts payments from several tasks at
//! once, the `vamyar serve` process is killed with SIGKILL and restarted, four times. Every
//! payment that got a 2xx must be stored exactly once, every loan must reconcile to the rial
//! (Σ paid parts of its installments + credit = Σ its payments), the last server's sealer
//! must chain every audit row, and `vamyar audit verify` must pass. On SQLite always; on
//! PostgreSQL when `VAMYAR_TEST_POSTGRES_URL` is set.
//!
//! A task retries a reference whose answer it did not get (connection refused or cut by the
//! kill, a 5xx while the server starts) until it gets a definitive one, as a bank's client
//! would; so a payment committed just before a kill is acknowledged by the retry's 200.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_vamyar");
const KILLS: u64 = 4;
const TASKS: usize = 4;
const LOANS: u64 = 3;

/// Starts `vamyar serve` on a free port; returns the child and its base URL.
fn start(dir: &Path, url: &str) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--database-url", url])
        .current_dir(dir)
        .env("VAMYAR_ADDR", "127.0.0.1:0")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vamyar serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut base = None;
    let mut line = String::new();
    while stdout.read_line(&mut line).unwrap_or(0) > 0 {
        if let Some(rest) = line.trim().strip_prefix("Vamyar is serving on ") {
            base = Some(rest.split('/').take(3).collect::<Vec<_>>().join("/"));
            break;
        }
        line.clear();
    }
    // keep draining, so the server never writes into a closed pipe
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stdout.read_to_end(&mut sink);
    });
    (child, base.expect("the server printed its address"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vamyar-crash-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A payment that got a 2xx.
#[derive(Clone, Debug)]
struct Ack {
    reference: String,
    loan_id: i64,
    amount: i64,
}

struct Shared {
    base: RwLock<String>,
    stop: AtomicBool,
    acked: Mutex<Vec<Ack>>,
    attempted: Mutex<HashSet<String>>,
    retries: AtomicUsize,
}

/// Posts payments until told to stop, each reference until it gets a definitive answer.
async fn poster(task: usize, token: String, loans: Vec<i64>, shared: Arc<Shared>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let today = vamyar_app::Clock::system().today().to_string();
    let mut k = 0_usize;
    while !shared.stop.load(Ordering::SeqCst) {
        k += 1;
        let reference = format!("T{task}-{k}");
        let loan_id = loans[(task + k) % loans.len()];
        let amount = 200_000 + ((task * 7_919 + k * 104_729) % 800_000) as i64;
        let body = json!({"amount": amount, "paid_on": today, "bank_reference": reference});
        shared.attempted.lock().unwrap().insert(reference.clone());
        let mut answered = false;
        for _ in 0..600 {
            let base = shared.base.read().unwrap().clone();
            let sent = client
                .post(format!("{base}/api/v1/loans/{loan_id}/payments"))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(res) if matches!(res.status().as_u16(), 200 | 201) => {
                    let stored: serde_json::Value = res.json().await.unwrap_or_default();
                    assert_eq!(stored["bank_reference"], reference.as_str());
                    shared.acked.lock().unwrap().push(Ack {
                        reference: reference.clone(),
                        loan_id,
                        amount,
                    });
                    answered = true;
                    break;
                }
                // the loan was settled by earlier payments: a definitive refusal
                Ok(res) if res.status().as_u16() == 409 => {
                    answered = true;
                    break;
                }
                Ok(res) if res.status().is_server_error() => {}
                Ok(res) => panic!(
                    "{reference}: unexpected {}: {}",
                    res.status(),
                    res.text().await.unwrap_or_default()
                ),
                Err(_) => {}
            }
            shared.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(answered, "{reference} never got an answer");
    }
}

async fn crash_while_posting(url: String, dir: PathBuf) {
    let migrated = Command::new(BIN)
        .args(["migrate", "--database-url", &url])
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let db = vamyar_store::Db::connect(&url).await.unwrap();
    let loans = support::disbursed_loans(&db, LOANS, "زهرا").await;
    db.close().await;
    let (mut child, base) = {
        let (d, u) = (dir.clone(), url.clone());
        tokio::task::spawn_blocking(move || start(&d, &u))
            .await
            .unwrap()
    };
    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "bank", "password": vamyar_web::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"]
        .as_str()
        .expect("bank officer token")
        .to_string();
    let shared = Arc::new(Shared {
        base: RwLock::new(base),
        stop: AtomicBool::new(false),
        acked: Mutex::new(Vec::new()),
        attempted: Mutex::new(HashSet::new()),
        retries: AtomicUsize::new(0),
    });
    let ids: Vec<i64> = loans.iter().map(|l| l.loan_id).collect();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| tokio::spawn(poster(t, token.clone(), ids.clone(), shared.clone())))
        .collect();
    for kill in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(600 + 200 * kill)).await;
        child.kill().expect("SIGKILL the server");
        let _ = child.wait();
        let (d, u) = (dir.clone(), url.clone());
        let (next, base) = tokio::task::spawn_blocking(move || start(&d, &u))
            .await
            .unwrap();
        child = next;
        *shared.base.write().unwrap() = base;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    shared.stop.store(true, Ordering::SeqCst);
    for t in tasks {
        t.await.expect("a posting task failed");
    }
    // the running server's sealer chains every committed audit row, those the killed
    // servers left unsealed too, within about a second
    let db = vamyar_store::Db::connect(&url).await.unwrap();
    tokio::time::timeout(Duration::from_secs(15), async {
        while sqlx::query_scalar::<_, i64>("select count(*) from audit_log where seq is null")
            .fetch_one(db.pool())
            .await
            .unwrap()
            > 0
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("serve seals the audit log");
    db.close().await;
    let _ = child.kill();
    let _ = child.wait();

    let acked = shared.acked.lock().unwrap().clone();
    let attempted = shared.attempted.lock().unwrap().clone();
    eprintln!(
        "{} payments acknowledged across {KILLS} kills ({} retries)",
        acked.len(),
        shared.retries.load(Ordering::Relaxed)
    );
    assert!(
        acked.len() >= 20,
        "only {} payments acknowledged",
        acked.len()
    );
    let db = vamyar_store::Db::connect(&url).await.unwrap();
    for a in &acked {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("select loan_id, amount from payment where bank_reference = $1")
                .bind(&a.reference)
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(
            rows,
            [(a.loan_id, a.amount)],
            "{} stored exactly once",
            a.reference
        );
    }
    let stored: Vec<String> = sqlx::query_scalar("select bank_reference from payment")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert!(
        stored.iter().all(|r| attempted.contains(r)),
        "no payment that was never posted"
    );
    let unbalanced: i64 = sqlx::query_scalar(
        "select count(*) from payment where allocated_late_charge + allocated_fee \
         + allocated_principal + to_credit <> amount",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(
        unbalanced, 0,
        "every payment's allocation adds up to its amount"
    );
    for l in &loans {
        let (paid, payments) = support::reconcile(&db, l.loan_id).await;
        assert_eq!(paid, payments, "loan {} reconciles to the rial", l.loan_id);
    }
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'loan.payment'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(audited, stored.len() as i64, "each payment audited once");
    db.close().await;
    let verify = Command::new(BIN)
        .args(["audit", "verify", "--database-url", &url])
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(
        stdout.contains("chain intact; 0 rows not sealed yet"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_payments_survive_sigkill_on_sqlite() {
    let dir = temp_dir("sqlite");
    let url = format!("sqlite://{}/data/vamyar.db", dir.display());
    crash_while_posting(url, dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(not(pg_tests), ignore = "VAMYAR_TEST_POSTGRES_URL is not set")]
async fn acknowledged_payments_survive_sigkill_on_postgres() {
    let Some(url) = vamyar_store::testdb::empty_postgres_database().await else {
        return;
    };
    crash_while_posting(url, temp_dir("postgres")).await;
}
