//! The audit trail from the command line: `audit verify` on a clean chain and an edited row, and a
//! lost second factor reset with its audit row.

use super::*;

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
