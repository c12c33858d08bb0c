//! The `vamyar` binary as a newcomer runs it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "cli/audit.rs"]
mod audit;
#[path = "cli/imports.rs"]
mod imports;

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_vamyar");

/// A `vamyar serve` child process, stopped on drop.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `vamyar serve ARGS` in `dir` on a free port and waits for its "serving" line.
fn serve(dir: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .env("VAMYAR_ADDR", "127.0.0.1:0")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vamyar serve");
    let stdout = child.stdout.take().unwrap();
    let mut base = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Vamyar is serving on ") {
            base = Some(rest.split('/').take(3).collect::<Vec<_>>().join("/"));
            break;
        }
    }
    Server {
        child,
        base: base.expect("the server printed its address"),
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vamyar-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn get_json(url: &str) -> (u16, serde_json::Value) {
    for _ in 0..50 {
        if let Ok(res) = reqwest::get(url).await {
            let status = res.status().as_u16();
            return (status, res.json().await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no answer from {url}");
}

#[tokio::test]
async fn serve_with_no_flags_creates_the_sqlite_file_and_answers_health() {
    let dir = temp_dir("sqlite");
    let server = serve(&dir, &[]);
    let (status, body) = get_json(&format!("{}/healthz", server.base)).await;
    assert_eq!(status, 200);
    assert_eq!(body["database"], "sqlite");
    assert!(
        dir.join("data/vamyar.db").exists(),
        "./data/vamyar.db is created"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
#[cfg_attr(not(pg_tests), ignore = "VAMYAR_TEST_POSTGRES_URL is not set")]
async fn the_same_binary_migrates_and_serves_on_postgres() {
    let Some(url) = vamyar_store::testdb::empty_postgres_database().await else {
        return;
    };
    let dir = temp_dir("pg");
    let out = Command::new(BIN)
        .args(["migrate", "--database-url", &url])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // a throw-away database: --demo alone is refused on PostgreSQL
    let server = serve(&dir, &["--database-url", &url, "--demo", "--demo-force"]);
    let (status, body) = get_json(&format!("{}/healthz", server.base)).await;
    assert_eq!(status, 200);
    assert_eq!(body["database"], "postgres");
    let (_, provinces) = get_json(&format!("{}/api/v1/provinces", server.base)).await;
    assert_eq!(provinces.as_array().unwrap().len(), 31);
    assert!(
        !dir.join("data/vamyar.db").exists(),
        "no SQLite file when PostgreSQL is named"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn default_config_prints_a_commented_toml_file() {
    let out = Command::new(BIN).arg("default-config").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("database_url = \"sqlite://data/vamyar.db\""));
    assert!(text.lines().filter(|l| l.starts_with('#')).count() > 5);
}

#[test]
fn user_add_creates_scoped_accounts_and_refuses_bad_ones() {
    let dir = temp_dir("user");
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    let ok = run(&[
        "user",
        "add",
        "--username",
        "sara",
        "--password",
        "a long password",
        "--role",
        "social_worker",
        "--county",
        "07-15",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("created social_worker `sara`"));
    let again = run(&[
        "user",
        "add",
        "--username",
        "sara",
        "--password",
        "a long password",
        "--role",
        "auditor",
    ]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("taken"));
    let no_county = run(&[
        "user",
        "add",
        "--username",
        "omid",
        "--password",
        "a long password",
        "--role",
        "desk_clerk",
    ]);
    assert!(!no_county.status.success());
    assert!(String::from_utf8_lossy(&no_county.stderr).contains("--county"));
    let bad_role = run(&[
        "user",
        "add",
        "--username",
        "x",
        "--password",
        "a long password",
        "--role",
        "applicant",
    ]);
    assert!(!bad_role.status.success());
    let short = Command::new(BIN)
        .args(["user", "add", "--username", "y", "--role", "auditor"])
        .env("VAMYAR_PASSWORD", "short")
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!short.status.success());
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs `vamyar --database-url URL ARGS` in `dir`; returns the exit code and stdout.
fn vamyar_on(dir: &Path, url: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(BIN)
        .args(["--database-url", url])
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    (out.status.code(), format!("{stdout}{stderr}"))
}
