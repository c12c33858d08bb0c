//! `vamyar import payments --bank CODE FILE`: a partner bank's payment file; and
//! `vamyar import holidays FILE`: lunar holidays (see [`holidays`]).
//!
//! The file is CSV in UTF-8 (a byte-order mark is allowed) with the header
//! `contract_number,bank_reference,amount,paid_on`. It is read and posted by
//! `vamyar_app::loans::import::import_payments`, the same function as
//! `POST /api/v1/payments/import`, which posts each row through the function behind
//! `POST /api/v1/loans/{id}/payments`: the same rules and the same idempotency apply, and a
//! row whose `bank_reference` the bank already used is a repeat and changes nothing.
//!
//! **Bad rows.** A row that cannot be posted (a bad field, an unknown contract, a closed
//! loan, a reference reused for a different payment) is reported with its line number and
//! reason, and the rest of the file still posts: every row is its own transaction, so the
//! file can simply be imported again once the bad rows are fixed (the posted rows then
//! count as repeats). The exit code is 0 when every row was posted or was a repeat, 2 when
//! some rows were refused, 1 when the file as a whole cannot be read (missing file, not
//! UTF-8, wrong header, unknown bank). A summary line ends the output.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use vamyar_app::loans::import::{self, ImportError, Importer, LineReport, Outcome};
use vamyar_app::loans::payments::Poster;
use vamyar_i18n::Lang;
use vamyar_store::audit::Entry;

use crate::config::Config;

/// The line printed for one row.
fn describe(l: &LineReport) -> String {
    let reference = l.bank_reference.as_deref().unwrap_or_default();
    let payment = l.payment_id.unwrap_or_default();
    match l.outcome {
        Outcome::Posted => format!(
            "line {}: posted {reference} ({} rials, payment {payment})",
            l.line,
            l.amount.unwrap_or_default()
        ),
        Outcome::Repeat => format!(
            "line {}: {reference} was already posted (payment {payment}); nothing changed",
            l.line
        ),
        Outcome::Refused => {
            let message = l.message.as_deref().unwrap_or_default();
            match l.code.as_deref() {
                Some("validation_failed") | None => format!("line {}: refused: {message}", l.line),
                Some(code) => format!("line {}: refused: {message} ({code})", l.line),
            }
        }
    }
}

/// Imports a bank's payment file (see the module documentation).
pub async fn payments(config: &Config, bank_code: &str, file: &Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let db = super::open_database(config).await?;
    let bank = vamyar_store::bank::bank_by_code(db.pool(), bank_code)
        .await?
        .with_context(|| format!("there is no bank with code `{bank_code}`"))?;
    let ctx = super::app_ctx(config, &db);
    let importer = Importer {
        bank: &bank,
        actor: None,
        poster: Poster {
            staff_id: None,
            channel: "file",
        },
        audit: Entry::system("payments.import", "bank"),
        lang: Lang::En,
        max_rows: None,
    };
    let report = match import::import_payments(&ctx, importer, &bytes).await {
        Ok(report) => report,
        Err(ImportError::File(problem)) => {
            db.close().await;
            anyhow::bail!("{}: {problem}; nothing was posted", file.display());
        }
        Err(ImportError::Failed(e)) => {
            db.close().await;
            anyhow::bail!("importing {}: {e}", file.display());
        }
    };
    db.close().await;
    for line in &report.lines {
        println!("{}", describe(line));
    }
    let t = report.totals;
    println!(
        "payments from bank {bank_code}: {} rows, {} posted, {} already posted, {} refused",
        t.rows, t.posted, t.repeated, t.refused
    );
    Ok(if t.refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// `vamyar import holidays FILE`: adds the file's rows as lunar holidays through
/// `vamyar_app::admin::holiday_import::import_holidays` (the function behind the holidays
/// page's upload), printing a line per row and a summary, then the years running schedules
/// reach that still have no lunar holiday. Exit 0 when no row was refused, 2 otherwise, 1
/// when the file as a whole cannot be read.
pub async fn holidays(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    use vamyar_app::admin::holiday_import::{self as hi, HolidayOutcome};
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let db = super::open_database(config).await?;
    let ctx = super::app_ctx(config, &db);
    let report = match hi::import_holidays(&ctx, None, &bytes, Lang::En).await {
        Ok(r) => r,
        Err(e) => {
            db.close().await;
            anyhow::bail!(
                "{}: {}; nothing was added",
                file.display(),
                e.message(Lang::En)
            );
        }
    };
    let missing = hi::years_without_lunar_holidays(&ctx).await;
    db.close().await;
    for l in &report.lines {
        let date = l.date.as_deref().unwrap_or_default();
        match l.outcome {
            HolidayOutcome::Added => println!("line {}: added {date}", l.line),
            HolidayOutcome::Exists => {
                println!(
                    "line {}: {date} already is a holiday; nothing changed",
                    l.line
                )
            }
            HolidayOutcome::Refused => println!(
                "line {}: refused: {}",
                l.line,
                l.message.as_deref().unwrap_or_default()
            ),
        }
    }
    println!(
        "holidays: {} rows, {} added, {} already holidays, {} refused",
        report.lines.len(),
        report.added,
        report.existing,
        report.refused
    );
    print_lunar_warning(&missing?);
    Ok(if report.refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The warning for Jalali years running schedules reach without any lunar holiday.
pub fn print_lunar_warning(years: &[i32]) {
    if !years.is_empty() {
        let list: Vec<String> = years.iter().map(i32::to_string).collect();
        println!(
            "warning: no lunar holidays for {} (running schedules reach these years); \
             import them with `vamyar import holidays FILE`",
            list.join(", ")
        );
    }
}

/// `vamyar import deciles FILE`: sets imported income deciles through
/// `vamyar_app::admin::decile_import::import_deciles`, printing a line per row (no national
/// IDs: line numbers) and a summary. Exit 0 when no row was refused, 2 otherwise, 1 when the
/// file as a whole cannot be read (nothing imported).
pub async fn deciles(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    use vamyar_app::admin::decile_import::{self as di, DecileOutcome};
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let db = super::open_database(config).await?;
    let ctx = super::app_ctx(config, &db);
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let source = format!("file:{name}");
    let report = di::import_deciles(&ctx, None, &bytes, &source, Lang::En).await;
    db.close().await;
    let report = match report {
        Ok(r) => r,
        Err(e) => anyhow::bail!(
            "{}: {}; nothing was imported",
            file.display(),
            e.message(Lang::En)
        ),
    };
    for l in &report.lines {
        match l.outcome {
            DecileOutcome::Imported => println!("line {}: imported", l.line),
            DecileOutcome::Replaced => println!("line {}: replaced the older decile", l.line),
            DecileOutcome::Unchanged => println!("line {}: unchanged", l.line),
            DecileOutcome::Refused => println!(
                "line {}: refused: {}",
                l.line,
                l.message.as_deref().unwrap_or_default()
            ),
        }
    }
    println!(
        "deciles: {} rows, {} imported, {} replaced, {} unchanged, {} refused; \
         priority rewritten on {} open files",
        report.lines.len(),
        report.imported,
        report.replaced,
        report.unchanged,
        report.refused,
        report.rescored
    );
    Ok(if report.refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
