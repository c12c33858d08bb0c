//! Income deciles from the labour ministry's lists: `vamyar import deciles FILE`.
//!
//! The file is CSV in UTF-8 (a byte-order mark and Windows line endings are allowed) with the
//! header `national_id,decile` (the header is line 1); digits may be Persian. Each good row
//! sets the imported decile of that national ID, replacing an older imported value (a newer
//! list wins); an imported decile wins over the one an applicant declares when registering.
//! A bad row is reported with its line and the rest are imported, in one transaction with one
//! audit entry (`deciles.import`, with the totals; no national IDs). A row that imports or
//! changes a decile also rewrites, in that transaction, the stored priority of the person's
//! open files (`files::rescore`), whose explanation then says the imported decile was used.

use serde::Serialize;
use serde_json::json;
use vamyar_calendar::digits::to_latin_digits;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_domain::primitives::NationalId;
use vamyar_i18n::{Arg, Lang};
use vamyar_store::audit::Entry;

use super::require;
use crate::Ctx;
use crate::csv_rows::{self, CsvProblem};
use crate::error::Result;
use crate::files::rescore::rescore_person;

/// The header a decile file must start with.
pub const DECILE_HEADER: [&str; 2] = ["national_id", "decile"];

/// The most rows one decile file may have.
pub const MAX_DECILE_ROWS: usize = 1_000_000;

/// What became of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecileOutcome {
    /// The national ID had no imported decile; it has one now.
    Imported,
    /// An older imported decile was replaced.
    Replaced,
    /// The same decile was already imported.
    Unchanged,
    /// Not imported; the message says why.
    Refused,
}

/// The report of one row (no national ID: the line number identifies it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecileLine {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    /// What became of it.
    pub outcome: DecileOutcome,
    /// Why refused, for people.
    pub message: Option<String>,
}

/// The report of a decile file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DecileImport {
    /// One entry per data row, in file order.
    pub lines: Vec<DecileLine>,
    /// Rows imported for a national ID without one.
    pub imported: usize,
    /// Rows that replaced an older value.
    pub replaced: usize,
    /// Rows equal to what was already imported.
    pub unchanged: usize,
    /// Rows refused.
    pub refused: usize,
    /// Open files whose stored priority was rewritten with an imported decile.
    pub rescored: usize,
}

/// The row's national ID and decile, or the refusal's text.
fn parse_row(fields: &[String], lang: Lang) -> std::result::Result<(NationalId, i64), String> {
    if fields.len() != DECILE_HEADER.len() {
        let args = [
            ("expected", Arg::Int(DECILE_HEADER.len() as i64)),
            ("found", Arg::Int(fields.len() as i64)),
        ];
        return Err(vamyar_i18n::text(lang, "error-csv_field_count", &args));
    }
    let field = |name: &str, code: &str| {
        format!(
            "{name}: {}",
            vamyar_i18n::text(lang, &format!("error-{code}"), &[])
        )
    };
    let id = NationalId::parse(fields[0].trim()).map_err(|e| field("national_id", e.code()))?;
    let decile = to_latin_digits(fields[1].trim())
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=10).contains(d))
        .ok_or_else(|| field("decile", "decile_invalid"))?;
    Ok((id, decile))
}

/// Whether `actor` may import deciles (the national administrator, as for holidays); the
/// upload page is shown only to them.
pub fn may_import(actor: &Actor) -> Result<()> {
    require(actor, &Permission::ManageHolidays)
}

/// Reads `bytes` as a decile file and imports its rows (see the module documentation).
/// `actor` is the national administrator, `None` for the operator's command line. A file
/// that cannot be read as a whole imports nothing.
pub async fn import_deciles(
    ctx: &Ctx,
    actor: Option<&Actor>,
    bytes: &[u8],
    source: &str,
    lang: Lang,
) -> Result<DecileImport> {
    if let Some(actor) = actor {
        may_import(actor)?;
    }
    let file = csv_rows::read(bytes, Some(MAX_DECILE_ROWS))
        .map_err(|p| p.into_error("decile_csv_header"))?;
    if file.header != DECILE_HEADER {
        return Err(CsvProblem::Header.into_error("decile_csv_header"));
    }
    let mut report = DecileImport::default();
    let mut weights = None;
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
        let outcome = match parsed {
            Err(message) => {
                report.refused += 1;
                report.lines.push(DecileLine {
                    line,
                    outcome: DecileOutcome::Refused,
                    message: Some(message),
                });
                continue;
            }
            Ok((id, decile)) => {
                match vamyar_store::person::set_imported_decile(
                    &mut tx,
                    id.as_str(),
                    decile,
                    source,
                )
                .await?
                {
                    None => {
                        report.imported += 1;
                        report.rescored +=
                            rescore_person(ctx, &mut tx, &mut weights, id.as_str()).await?;
                        DecileOutcome::Imported
                    }
                    Some(old) if old == decile => {
                        report.unchanged += 1;
                        DecileOutcome::Unchanged
                    }
                    Some(_) => {
                        report.replaced += 1;
                        report.rescored +=
                            rescore_person(ctx, &mut tx, &mut weights, id.as_str()).await?;
                        DecileOutcome::Replaced
                    }
                }
            }
        };
        report.lines.push(DecileLine {
            line,
            outcome,
            message: None,
        });
    }
    let entry = match actor {
        Some(actor) => crate::audit::entry(actor, "deciles.import", "income_decile"),
        None => Entry::system("deciles.import", "income_decile"),
    };
    let entry = entry.on(source).detail(json!({
        "imported": report.imported,
        "replaced": report.replaced,
        "unchanged": report.unchanged,
        "refused": report.refused,
        "rescored": report.rescored,
    }));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(report)
}
