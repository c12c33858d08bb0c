//! The `vamyar` binary as a newcomer runs it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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

#[tokio::test]
async fn audit_verify_passes_a_clean_chain_and_names_an_edited_row() {
    use vamyar_store::audit::{self, Entry};

    let dir = temp_dir("audit");
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    let migrated = run(&["migrate"]);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    let url = format!("sqlite://{}/data/vamyar.db", dir.display());
    let db = vamyar_store::Db::connect(&url).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    for i in 1..=5_i64 {
        let entry = Entry::staff(i, "application.approve", "application")
            .on(100 + i)
            .detail(serde_json::json!({"note": "ok"}));
        audit::append(&mut tx, &entry).await.unwrap();
    }
    tx.commit().await.unwrap();
    db.close().await;

    // the appended rows are sealed first, then checked
    let clean = run(&["audit", "verify"]);
    let stdout = String::from_utf8_lossy(&clean.stdout);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(stdout.contains("sealed 5 rows"), "{stdout}");
    assert!(
        stdout.contains("audit log: 5 rows, chain intact; 0 rows not sealed yet"),
        "{stdout}"
    );
    let again = run(&["audit", "verify"]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("sealed 0 rows"), "{stdout}");
    assert!(stdout.contains("head: seq 5, hash "), "{stdout}");

    let db = vamyar_store::Db::connect(&url).await.unwrap();
    sqlx::query("update audit_log set detail = '{\"note\":\"edited\"}' where seq = 3")
        .execute(db.pool())
        .await
        .unwrap();
    db.close().await;
    let broken = run(&["audit", "verify"]);
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("seq 3: hash mismatch (row edited)"),
        "{stdout}"
    );
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

vamyar_store::both_engines!(
    a_payment_file_posts_its_good_rows_and_names_its_bad_line,
    |t: vamyar_store::testdb::TestDb| async move {
        let loans = support::disbursed_loans(&t.db, 2, "زهرا").await;
        sqlx::query("update person set first_name = '=HYPERLINK(1)' where id = (select person_id from application where id = $1)")
            .bind(loans[1].application_id)
            .execute(t.db.pool())
            .await
            .unwrap();
        let dir = temp_dir(&format!("import-{}", t.db.backend().name()));
        let today = vamyar_app::Clock::system().today();
        let jalali = vamyar_calendar::JalaliDate::from_iso(today).format_fa();
        let csv = dir.join("payments.csv");
        std::fs::write(
            &csv,
            format!(
                "\u{feff}contract_number,bank_reference,amount,paid_on\n\
                 FX-0000,REF-A,5000000,{today}\n\
                 FX-0000,REF-BAD,five million,{today}\n\
                 FX-0000,REF-A,5000000,{today}\n\
                 FX-0001,REF-B,۳٬۰۰۰٬۰۰۰,{jalali}\n"
            ),
        )
        .unwrap();
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "import",
                "payments",
                "--bank",
                "mehr",
                csv.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(2), "{out}");
        assert!(out.contains("line 2: posted REF-A"), "{out}");
        assert!(out.contains("line 3: refused: amount:"), "{out}");
        assert!(out.contains("line 4: REF-A was already posted"), "{out}");
        assert!(out.contains("line 5: posted REF-B"), "{out}");
        assert!(
            out.contains("4 rows, 2 posted, 1 already posted, 1 refused"),
            "{out}"
        );
        let payments: Vec<(String, i64, String)> =
            sqlx::query_as("select bank_reference, amount, channel from payment order by id")
                .fetch_all(t.db.pool())
                .await
                .unwrap();
        assert_eq!(
            payments,
            [
                ("REF-A".to_string(), 5_000_000, "file".to_string()),
                ("REF-B".to_string(), 3_000_000, "file".to_string())
            ]
        );
        for l in &loans {
            let (paid, posted) = support::reconcile(&t.db, l.loan_id).await;
            assert_eq!(paid, posted);
        }

        // the same file again: the good rows are repeats and change nothing
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "import",
                "payments",
                "--bank",
                "mehr",
                csv.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(2), "{out}");
        assert!(
            out.contains("4 rows, 0 posted, 3 already posted, 1 refused"),
            "{out}"
        );
        // a file with the wrong header is refused whole
        std::fs::write(&csv, format!("reference,amount\nREF-Z,10,{today}\n")).unwrap();
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "import",
                "payments",
                "--bank",
                "mehr",
                csv.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("header"), "{out}");
        let count: i64 = sqlx::query_scalar("select count(*) from payment")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(count, 2);

        // the bank's export: BOM, the applicant's national ID, what is outstanding, no formulas
        let export = dir.join("referrals.csv");
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "export",
                "referrals",
                "--bank",
                "mehr",
                "--out",
                export.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(0), "{out}");
        let bytes = std::fs::read(&export).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(
            header[..4],
            [
                "letter_number",
                "tracking_code",
                "applicant_name",
                "national_id"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(&rows[0][col("national_id")], support::national_id(7_000));
        assert_eq!(&rows[0][col("contract_number")], "FX-0000");
        assert_eq!(&rows[0][col("loan_status")], "active");
        assert_eq!(
            rows[0][col("outstanding")].parse::<i64>().unwrap(),
            loans[0].total - 5_000_000
        );
        assert!(
            rows[1][col("applicant_name")].starts_with("'=HYPERLINK"),
            "{:?}",
            &rows[1]
        );
        let exported: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'referrals.export'")
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        assert_eq!(exported, 1);
        let _ = std::fs::remove_dir_all(dir);
    }
);

vamyar_store::both_engines!(
    lunar_holidays_import_line_by_line_and_the_years_without_them_are_named,
    |t: vamyar_store::testdb::TestDb| async move {
        support::disbursed_loans(&t.db, 1, "زهرا").await;
        let dir = temp_dir(&format!("holidays-{}", t.db.backend().name()));
        let reach: String = sqlx::query_scalar("select max(due_on) from installment")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        let reach = chrono::NaiveDate::parse_from_str(&reach, "%Y-%m-%d").unwrap();
        let today = vamyar_app::Clock::system().today();
        let first = vamyar_calendar::JalaliDate::from_iso(today).year();
        let last = vamyar_calendar::JalaliDate::from_iso(reach).year();
        assert!(last > first, "the loan runs into later years");
        let csv = dir.join("holidays.csv");
        // BOM, CRLF, a blank line, a bad date, a repeated date
        std::fs::write(
            &csv,
            format!(
                "\u{feff}date,name_fa,name_en\r\n\
                 {first}/05/10,تاسوعا,Tasua\r\n\
                 \r\n\
                 {first}/13/40,عاشورا,Ashura\r\n\
                 {first}/05/10,تاسوعا,Tasua\r\n"
            ),
        )
        .unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "holidays", csv.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{out}");
        assert!(out.contains("line 2: added"), "{out}");
        assert!(out.contains("line 4: refused: date:"), "{out}");
        assert!(
            out.contains("line 5: ") && out.contains("already is a holiday"),
            "{out}"
        );
        assert!(
            out.contains("3 rows, 1 added, 1 already holidays, 1 refused"),
            "{out}"
        );
        assert!(
            out.contains(&format!("warning: no lunar holidays for {}", first + 1)),
            "{out}"
        );
        assert!(
            !out.contains(&format!("{first},")),
            "{first} has one now: {out}"
        );
        let kind: String = sqlx::query_scalar("select kind from holiday where name_en = 'Tasua'")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(kind, "lunar");

        // every year the loan reaches: no warning any more
        let rows: String = (first + 1..=last)
            .map(|y| format!("{y}/05/10,تاسوعا,Tasua\n"))
            .collect();
        std::fs::write(&csv, format!("date,name_fa,name_en\n{rows}")).unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "holidays", csv.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{out}");
        assert!(!out.contains("warning"), "{out}");
        // a wrong header adds nothing
        std::fs::write(&csv, "day,name\n1405/01/01,x\n").unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "holidays", csv.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{out}");
        let _ = std::fs::remove_dir_all(dir);
    }
);

vamyar_store::both_engines!(
    imported_deciles_are_reported_line_by_line_and_a_newer_list_replaces_them,
    |t: vamyar_store::testdb::TestDb| async move {
        let dir = temp_dir(&format!("deciles-{}", t.db.backend().name()));
        let csv = dir.join("deciles.csv");
        std::fs::write(
            &csv,
            "\u{feff}national_id,decile\r\n\
             0076229645,۲\r\n\
             \r\n\
             1234567890,3\r\n\
             1583250689,11\r\n\
             1583250689,4\r\n",
        )
        .unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "deciles", csv.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{out}");
        assert!(out.contains("line 2: imported"), "{out}");
        assert!(out.contains("line 4: refused: national_id:"), "{out}");
        assert!(out.contains("line 5: refused: decile:"), "{out}");
        assert!(out.contains("line 6: imported"), "{out}");
        assert!(
            out.contains("4 rows, 2 imported, 0 replaced, 0 unchanged, 2 refused"),
            "{out}"
        );
        assert!(
            !out.contains("0076229645"),
            "no national ID is printed: {out}"
        );
        let decile = |id: &'static str| {
            let pool = t.db.pool().clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "select decile from income_decile where national_id = $1",
                )
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(decile("0076229645").await, 2);
        assert_eq!(decile("1583250689").await, 4);

        // a newer list replaces, and the import is audited
        std::fs::write(&csv, "national_id,decile\n0076229645,5\n1583250689,4\n").unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "deciles", csv.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{out}");
        assert!(
            out.contains("2 rows, 0 imported, 1 replaced, 1 unchanged, 0 refused"),
            "{out}"
        );
        assert_eq!(decile("0076229645").await, 5);
        let audited: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'deciles.import'")
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        assert_eq!(audited, 2);
        // a wrong header imports nothing
        std::fs::write(&csv, "id,d\n0076229645,1\n").unwrap();
        let (code, _) = vamyar_on(&dir, &t.url, &["import", "deciles", csv.to_str().unwrap()]);
        assert_eq!(code, Some(1));
        assert_eq!(decile("0076229645").await, 5);
        let _ = std::fs::remove_dir_all(dir);
    }
);
#[test]
fn serve_demo_refuses_a_postgres_url_and_a_database_with_real_accounts() {
    let dir = temp_dir("demo-refusal");
    let (code, out) = vamyar_on(
        &dir,
        "postgres://nobody@127.0.0.1:1/none",
        &["serve", "--demo", "--addr", "127.0.0.1:0"],
    );
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("refusing --demo"), "{out}");
    // a SQLite database with a real account
    let url = format!("sqlite://{}/real.db", dir.display());
    let (code, out) = vamyar_on(
        &dir,
        &url,
        &[
            "user",
            "add",
            "--username",
            "sara",
            "--password",
            "a long password for sara",
            "--role",
            "auditor",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = vamyar_on(&dir, &url, &["serve", "--demo", "--addr", "127.0.0.1:0"]);
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("not the demo's"), "{out}");
    // `seed` brings the demo's accounts too, and is refused the same way, writing nothing
    let (code, out) = vamyar_on(&dir, &url, &["seed", "--applicants", "5"]);
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("not the demo's"), "{out}");
    let staff: Vec<String> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = vamyar_store::Db::connect(&url).await.unwrap();
        sqlx::query_scalar("select username from staff_user")
            .fetch_all(db.pool())
            .await
            .unwrap()
    });
    assert_eq!(staff, vec!["sara".to_string()]);
    let _ = std::fs::remove_dir_all(dir);
}

vamyar_store::both_engines!(
    user_reset_totp_removes_a_lost_factor_audited,
    |t: vamyar_store::testdb::TestDb| async move {
        let mut tx = t.db.begin().await.unwrap();
        let id = vamyar_store::staff::create(
            &mut tx,
            &vamyar_store::staff::NewStaff {
                username: "tehran-admin".into(),
                password_hash: "not-a-real-hash".into(),
                full_name: "admin".into(),
                role: "province_admin".into(),
                province_code: Some("07".into()),
                county_code: None,
                bank_id: None,
                branch_id: None,
            },
        )
        .await
        .unwrap();
        vamyar_store::staff::set_totp_secret(&mut tx, id, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
            .await
            .unwrap();
        vamyar_store::staff::enable_totp(&mut tx, id).await.unwrap();
        tx.commit().await.unwrap();
        let dir = temp_dir(&format!("reset-totp-{}", t.db.backend().name()));
        let (code, out) = vamyar_on(&dir, &t.url, &["user", "reset-totp", "nobody"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("no account `nobody`"), "{out}");
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "user",
                "reset-totp",
                "tehran-admin",
                "--reason",
                "lost phone",
            ],
        );
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains("reset"), "{out}");
        let (secret, enabled) = vamyar_store::staff::totp(t.db.pool(), id).await.unwrap();
        assert_eq!((secret, enabled), (None, None), "must enrol again");
        let detail: String = sqlx::query_scalar(
            "select detail from audit_log where action = 'staff.totp_reset' and entity_id = $1",
        )
        .bind(id.to_string())
        .fetch_one(t.db.pool())
        .await
        .unwrap();
        assert!(detail.contains("lost phone"), "{detail}");
        let _ = std::fs::remove_dir_all(dir);
    }
);
