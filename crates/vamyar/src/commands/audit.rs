//! `vamyar audit verify`.

use std::process::ExitCode;

use anyhow::Context;
use vamyar_store::{Db, audit};

use crate::config::Config;

/// Seals the committed audit rows not sealed yet (printing how many), then walks the audit
/// log's hash chain. Prints `audit log: N rows, chain intact` and the head (worth copying
/// somewhere else: it anchors the chain) and exits 0, or prints each problem
/// (`seq 17: hash mismatch (row edited)`) and exits 1. Either way it counts the rows still
/// unsealed (committed after the seal).
///
/// It writes only the seal: the database is neither migrated nor seeded. A seal that fails
/// is reported, and the chain sealed so far is verified all the same.
pub async fn verify(config: &Config) -> anyhow::Result<ExitCode> {
    let db = Db::connect(&config.database_url).await.with_context(|| {
        format!(
            "connecting to the {} database",
            super::engine_name(&config.database_url)
        )
    })?;
    match audit::seal_all(&db).await {
        Ok(n) => println!("sealed {n} rows"),
        // a missing head, for one: the walk below reports it
        Err(e) => eprintln!("could not seal the audit log: {e}"),
    }
    let report = audit::verify(&db)
        .await
        .context("reading the audit log (has `vamyar migrate` run on this database?)")?;
    db.close().await;
    let unsealed = format!("; {} rows not sealed yet", report.unsealed);
    if report.ok {
        println!("audit log: {} rows, chain intact{unsealed}", report.rows);
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
        "audit log: {} rows, chain BROKEN ({}{} problems){unsealed}",
        report.rows,
        report.problems.len(),
        if report.truncated { "+" } else { "" }
    );
    Ok(ExitCode::FAILURE)
}
