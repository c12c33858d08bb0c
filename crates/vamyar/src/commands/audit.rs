//! `vamyar audit verify`.

use std::process::ExitCode;

use anyhow::Context;
use vamyar_store::{Db, audit};

use crate::config::Config;

/// Walks the audit log's hash chain. Prints `audit log: N rows, chain intact` and the head
/// (worth copying somewhere else: it anchors the chain) and exits 0, or prints each problem
/// (`seq 17: hash mismatch (row edited)`) and exits 1.
///
/// It only reads: the database is neither migrated nor seeded.
pub async fn verify(config: &Config) -> anyhow::Result<ExitCode> {
    let db = Db::connect(&config.database_url).await.with_context(|| {
        format!(
            "connecting to the {} database",
            super::engine_name(&config.database_url)
        )
    })?;
    let report = audit::verify(&db)
        .await
        .context("reading the audit log (has `vamyar migrate` run on this database?)")?;
    db.close().await;
    if report.ok {
        println!("audit log: {} rows, chain intact", report.rows);
        if let Some(head) = &report.head {
            println!("head: seq {}, hash {}", head.seq, head.hash);
        }
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &report.problems {
        println!("{problem}");
    }
    if report.truncated {
        println!(
            "… more problems not listed (the first {} are shown)",
            audit::MAX_PROBLEMS
        );
    }
    println!(
        "audit log: {} rows, chain BROKEN ({}{} problems)",
        report.rows,
        report.problems.len(),
        if report.truncated { "+" } else { "" }
    );
    Ok(ExitCode::FAILURE)
}
