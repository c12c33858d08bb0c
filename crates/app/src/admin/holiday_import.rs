//! Lunar holidays for the years schedules reach: a CSV list imported (`vamyar import
//! holidays FILE` and the administration's holidays page, the same function), and the
//! Jalali years a running schedule reaches that have no lunar holiday yet (a warning on the
//! holidays page and in the close of business's output).
//!
//! The file is CSV in UTF-8 (a byte-order mark is allowed, Windows line endings too) with
//! the header `date,name_fa,name_en` (the header is line 1); dates are Jalali or ISO in any
//! digits. Every row becomes a `lunar` holiday; a date that already is a holiday is reported
//! and left as it is; a bad row is reported with its line and the rest are added, in one
//! transaction with one audit entry (`holidays.import`, with the totals).
//!
//! A schedule's due dates are fixed when the loan is disbursed: a holiday added later does
//! not move them (docs/MIGRATIONS.md).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use vamyar_calendar::JalaliDate;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_i18n::{Arg, Lang};
use vamyar_store::audit::Entry;
use vamyar_store::reference;

use super::require;
use crate::Ctx;
use crate::csv_rows::{self, CsvProblem};
use crate::error::{Error, FieldErrors, Result};
use crate::fields::{date, label};

/// The header a holiday file must start with.
pub const HOLIDAY_HEADER: [&str; 3] = ["date", "name_fa", "name_en"];

/// The most rows one holiday file may have.
pub const MAX_HOLIDAY_ROWS: usize = 2_000;

/// What became of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolidayOutcome {
    /// Added as a lunar holiday.
    Added,
    /// That date already is a holiday; nothing changed.
    Exists,
    /// Not added; the message says why.
    Refused,
}

/// The report of one row.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct HolidayLine {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    /// The date read (ISO), when it could be.
    pub date: Option<String>,
    /// `added`, `exists` or `refused`.
    pub outcome: HolidayOutcome,
    /// Why refused, for people, in the caller's language.
    pub message: Option<String>,
}

/// The report of a holiday file.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct HolidayImport {
    /// One entry per data row, in file order.
    pub lines: Vec<HolidayLine>,
    /// Rows added.
    pub added: usize,
    /// Rows whose date already was a holiday.
    pub existing: usize,
    /// Rows refused.
    pub refused: usize,
}

/// The row's date and names, or the refusal's text.
fn parse_row(
    fields: &[String],
    lang: Lang,
) -> std::result::Result<(NaiveDate, String, String), String> {
    if fields.len() != HOLIDAY_HEADER.len() {
        let args = [
            ("expected", Arg::Int(HOLIDAY_HEADER.len() as i64)),
            ("found", Arg::Int(fields.len() as i64)),
        ];
        return Err(vamyar_i18n::text(lang, "error-csv_field_count", &args));
    }
    let mut errors = FieldErrors::new();
    let get = |i: usize| Some(fields[i].clone());
    let day = date(&mut errors, "date", &get(0));
    let name_fa = label(&mut errors, "name_fa", &get(1));
    let name_en = label(&mut errors, "name_en", &get(2));
    match (day, name_fa, name_en) {
        (Some(d), Some(fa), Some(en)) if errors.is_empty() => Ok((d, fa, en)),
        _ => {
            let body = Error::Validation(errors).to_json(lang);
            let message = body["error"]["fields"]
                .as_object()
                .map(|fields| {
                    fields
                        .iter()
                        .map(|(f, v)| format!("{f}: {}", v["message"].as_str().unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            Err(message)
        }
    }
}

/// Reads `bytes` as a holiday file and adds its rows as lunar holidays (see the module
/// documentation). `actor` is the administrator (national admin only), `None` for the
/// operator's command line. A file that cannot be read as a whole adds nothing.
pub async fn import_holidays(
    ctx: &Ctx,
    actor: Option<&Actor>,
    bytes: &[u8],
    lang: Lang,
) -> Result<HolidayImport> {
    if let Some(actor) = actor {
        require(actor, &Permission::ManageHolidays)?;
    }
    let file = csv_rows::read(bytes, Some(MAX_HOLIDAY_ROWS))
        .map_err(|p| p.into_error("holiday_csv_header"))?;
    if file.header != HOLIDAY_HEADER {
        return Err(CsvProblem::Header.into_error("holiday_csv_header"));
    }
    let mut report = HolidayImport {
        lines: Vec::with_capacity(file.rows.len()),
        added: 0,
        existing: 0,
        refused: 0,
    };
    let mut tx = ctx.db.begin().await?;
    for (line, row) in file.rows {
        let parsed = match row {
            Ok(fields) => parse_row(&fields, lang),
            Err(detail) => Err(vamyar_i18n::text(
                lang,
                "error-csv_unreadable_row",
                &[("detail", Arg::Str(detail))],
            )),
        };
        let (day, name_fa, name_en) = match parsed {
            Ok(row) => row,
            Err(message) => {
                report.refused += 1;
                report.lines.push(HolidayLine {
                    line,
                    date: None,
                    outcome: HolidayOutcome::Refused,
                    message: Some(message),
                });
                continue;
            }
        };
        let added = reference::add_holiday(&mut tx, day, &name_fa, &name_en, "lunar").await?;
        let outcome = if added {
            report.added += 1;
            HolidayOutcome::Added
        } else {
            report.existing += 1;
            HolidayOutcome::Exists
        };
        report.lines.push(HolidayLine {
            line,
            date: Some(vamyar_store::time::date(day)),
            outcome,
            message: None,
        });
    }
    let entry = match actor {
        Some(actor) => crate::audit::entry(actor, "holidays.import", "holiday"),
        None => Entry::system("holidays.import", "holiday"),
    };
    let entry = entry.on("lunar").detail(json!({
        "added": report.added,
        "existing": report.existing,
        "refused": report.refused,
    }));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(report)
}

/// The Jalali years, from this one to the last that a running schedule reaches, that have
/// no lunar holiday in the table: their due dates and service levels may fall on a lunar
/// holiday nobody entered. Empty when no loan runs past a year without one.
pub async fn years_without_lunar_holidays(ctx: &Ctx) -> Result<Vec<i32>> {
    let Some(reach) = reference::schedules_reach(&ctx.db).await? else {
        return Ok(Vec::new());
    };
    let first = JalaliDate::from_iso(ctx.today()).year();
    let last = JalaliDate::from_iso(reach).year();
    if last < first {
        return Ok(Vec::new());
    }
    let start = JalaliDate::new(first, 1, 1).map_err(|e| Error::Internal(e.to_string()))?;
    // the whole of the last year counts, not only up to the last due date
    let end = JalaliDate::new(last, 12, JalaliDate::days_in_month(last, 12))
        .map_err(|e| Error::Internal(e.to_string()))?;
    let lunar = reference::lunar_holiday_dates(&ctx.db, start.to_iso(), end.to_iso()).await?;
    let covered: std::collections::BTreeSet<i32> = lunar
        .iter()
        .map(|d| JalaliDate::from_iso(*d).year())
        .collect();
    Ok((first..=last).filter(|y| !covered.contains(y)).collect())
}
