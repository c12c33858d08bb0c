//! SMS delivery by the real binary: two `vamyar notify run` processes share one PostgreSQL
//! outbox of 2,000 messages and send each exactly once (to a fake Kavenegar server on
//! loopback that records every message), and `serve` delivers the outbox by itself.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use vamyar_domain::announcement::Notice;

use vamyar_notify::testing::FakeKavenegar;
use vamyar_store::outbox;
use vamyar_store::testdb::{self, TestDb};
use vamyar_store::{Backend, Db};

const BIN: &str = env!("CARGO_BIN_EXE_vamyar");

async fn queue(db: &Db, n: usize) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(250) {
        let mut tx = db.begin().await.unwrap();
        for i in chunk {
            let m = testdb::message(
                "09121234567",
                Notice::Registered,
                format!("two-process:{i}"),
            );
            let id = outbox::enqueue(&mut tx, &m).await.unwrap().unwrap();
            ids.push(id);
        }
        tx.commit().await.unwrap();
    }
    ids
}

/// A working folder whose `vamyar.toml` sends at any hour: these tests are about delivery, and
/// the service's default quiet hours (21:00–08:00 Tehran) would hold every message of a run
/// made in the evening (the quiet hours have their own tests in `vamyar-notify`).
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vamyar-notify-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("vamyar.toml"), "[sms]\nquiet_hours = \"\"\n").unwrap();
    dir
}

/// `vamyar notify run --until-empty` against `url`, sending to the fake.
fn worker(dir: &Path, url: &str, fake: &FakeKavenegar) -> tokio::process::Child {
    tokio::process::Command::new(BIN)
        .args(["notify", "run", "--until-empty"])
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .env("VAMYAR_SMS__PROVIDER", "kavenegar")
        .env("VAMYAR_SMS__API_KEY", &fake.api_key)
        .env("VAMYAR_SMS__BASE_URL", &fake.base_url)
        .env("VAMYAR_SMS__BATCH", "10")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start vamyar notify run")
}

fn handled(stdout: &[u8]) -> usize {
    let out = String::from_utf8_lossy(stdout);
    out.split_whitespace()
        .skip_while(|w| *w != "handled")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {out}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(pg_tests), ignore = "VAMYAR_TEST_POSTGRES_URL is not set")]
async fn two_worker_processes_on_postgres_send_each_of_2000_messages_exactly_once() {
    let Some(t) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let ids = queue(&t.db, 2000).await;
    let fake = FakeKavenegar::start().await.unwrap();
    // a provider far enough away that both processes are at work together
    fake.set_latency(Duration::from_millis(25));
    let dir = temp_dir("two-process");
    let a = worker(&dir, &t.url, &fake);
    let b = worker(&dir, &t.url, &fake);
    let (a, b) = tokio::join!(a.wait_with_output(), b.wait_with_output());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let (na, nb) = (handled(&a.stdout), handled(&b.stdout));
    eprintln!("process A handled {na}, process B handled {nb}");
    assert_eq!(
        na + nb,
        2000,
        "every message handled by exactly one process"
    );
    assert!(na > 0 && nb > 0, "both processes delivered ({na} + {nb})");

    let received = fake.received();
    let mut got: Vec<i64> = received.iter().filter_map(|r| r.local_id).collect();
    got.sort_unstable();
    assert_eq!(got.len(), 2000, "the provider got 2,000 messages");
    assert_eq!(got, ids, "each message exactly once");
    let sent: i64 = sqlx::query_scalar(
        "select count(*) from outbox where status = 'sent' and provider = 'kavenegar' \
         and provider_message_id is not null and attempts = 1",
    )
    .fetch_one(t.db.pool())
    .await
    .unwrap();
    assert_eq!(sent, 2000);
    for out in [&a, &b] {
        let logs = String::from_utf8_lossy(&out.stderr);
        assert!(
            !logs.contains(&fake.api_key),
            "the API key never reaches the logs"
        );
        assert!(!logs.contains("09121234567"), "nor a mobile");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_delivers_the_outbox_to_the_sms_file() {
    let dir = temp_dir("serve");
    let db = Db::connect(&format!("sqlite://{}/data/vamyar.db", dir.display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let ids = queue(&db, 3).await;
    db.close().await;
    let mut child = tokio::process::Command::new(BIN)
        .arg("serve")
        .current_dir(&dir)
        .env("VAMYAR_ADDR", "127.0.0.1:0")
        .env("VAMYAR_SMS__INTERVAL_MS", "50")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start vamyar serve");
    let file = dir.join("data/sms.jsonl");
    let mut lines = Vec::new();
    // wait (up to a minute on a slow machine) for the worker to write the three messages
    for _ in 0..600 {
        if let Ok(text) = std::fs::read_to_string(&file) {
            lines = text.lines().map(str::to_string).collect();
            if lines.len() >= 3 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill().await;
    assert_eq!(lines.len(), 3, "{lines:?}");
    let mut got: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // a batch is sent concurrently: lines may come in any order
    got.sort_by_key(|v| v["outbox_id"].as_i64());
    for (v, id) in got.iter().zip(ids) {
        assert_eq!(v["outbox_id"], id);
        assert_eq!(v["to"], "09121234567");
        assert_eq!(v["kind"], "registered");
        assert!(v["text"].as_str().unwrap().contains("۴۸۲۹-۱۳۵۷-۰۱۶۴"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
