//! A bank's payment file, read and posted row by row: the one function behind
//! `vamyar import payments` and `POST /api/v1/payments/import`.
//!
//! The file is CSV in UTF-8 (a byte-order mark is allowed; Windows line endings are fine,
//! line numbers are the file's own, the header is line 1) with the header
//! `contract_number,bank_reference,amount,paid_on`; amounts are rials (Persian or Latin
//! digits, separators allowed), dates ISO or Jalali. Each row is posted through
//! [`super::payments::post`], the function behind `POST /api/v1/loans/{id}/payments`, so the
//! same rules and the same idempotency apply: a row whose `bank_reference` the bank already
//! used for that payment is a repeat and changes nothing.
//!
//! A row that cannot be posted is reported with its line number, a code and a message, and
//! the rest of the file still posts: every row is its own transaction, so the bank can fix
//! the bad rows and send the whole file again. A file that cannot be read as a whole (not
//! UTF-8, a wrong header, too many rows) posts nothing ([`ImportError::File`]). The import is
//! audited (`payments.import`, with the totals) once its rows are done.

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{self, Access, Actor, Permission};
use vamyar_i18n::{Arg, Lang};
use vamyar_store::audit::Entry;
use vamyar_store::bank::Bank;

use super::payments::{self, Posted, Poster};
use crate::Ctx;
use crate::csv_rows::CsvProblem;
use crate::error::{Error, FieldErrors};

/// The header a payment file must start with.
pub const PAYMENT_HEADER: [&str; 4] = ["contract_number", "bank_reference", "amount", "paid_on"];

/// What became of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Posted now.
    Posted,
    /// The bank reference was posted before with the same loan, amount and date: nothing
    /// changed.
    Repeat,
    /// Not posted; `code` and `message` say why.
    Refused,
}

/// The report of one row.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct LineReport {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    /// The bank's reference as read, when the row has one.
    pub bank_reference: Option<String>,
    /// `posted`, `repeat` or `refused`.
    pub outcome: Outcome,
    /// The stored payment (posted or repeat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<i64>,
    /// Its amount in rials (posted or repeat).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// Why refused: `validation_failed` (see `fields`), `loan_closed`,
    /// `bank_reference_conflict`, `csv_field_count`, `csv_unreadable_row`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The refusal for people, in the request's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Each bad field (a column of the header) with its code and message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub fields: Option<serde_json::Value>,
}

/// How many rows came to what.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Totals {
    /// Data rows read.
    pub rows: usize,
    /// Rows posted now.
    pub posted: usize,
    /// Rows whose reference was already posted (nothing changed).
    pub repeated: usize,
    /// Rows refused.
    pub refused: usize,
}

/// The report of a whole file.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ImportReport {
    /// The bank whose payments these are.
    pub bank_code: String,
    /// One entry per data row, in file order.
    pub lines: Vec<LineReport>,
    /// The totals.
    pub totals: Totals,
}

/// Why a file as a whole was not read: nothing was posted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileProblem {
    /// Not UTF-8 text.
    NotUtf8,
    /// The first line is not [`PAYMENT_HEADER`]; what it was instead.
    Header(String),
    /// More data rows than the channel takes at once.
    TooManyRows(usize),
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileProblem::NotUtf8 => write!(f, "the file is not UTF-8 text"),
            FileProblem::Header(found) => write!(
                f,
                "line 1: the header must be `{}`, found `{found}`",
                PAYMENT_HEADER.join(",")
            ),
            FileProblem::TooManyRows(max) => write!(f, "the file has more than {max} rows"),
        }
    }
}

/// A failed import: the file could not be read (nothing posted), or something broke.
#[derive(Debug)]
pub enum ImportError {
    /// The file as a whole is unreadable.
    File(FileProblem),
    /// The database or another internal failure.
    Failed(Error),
}

impl From<ImportError> for Error {
    /// A file problem is a 422 on the field `file`.
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Failed(e) => e,
            ImportError::File(p) => {
                let mut f = FieldErrors::new();
                match p {
                    FileProblem::NotUtf8 => f.add("file", "csv_not_utf8"),
                    FileProblem::Header(_) => f.add("file", "csv_header"),
                    FileProblem::TooManyRows(max) => f.add_with(
                        "file",
                        "csv_too_many_rows",
                        vec![("max", i64::try_from(max).unwrap_or(i64::MAX))],
                    ),
                }
                Error::Validation(f)
            }
        }
    }
}

/// Who imports, and for which bank.
pub struct Importer<'a> {
    /// The bank whose contract numbers and references the rows carry.
    pub bank: &'a Bank,
    /// The caller, whose scope each row's file must be in (a branch officer sees only their
    /// branch's loans); `None` for the operator's command line (the whole bank).
    pub actor: Option<&'a Actor>,
    /// Who posts (payment rows and their audit).
    pub poster: Poster,
    /// The audit entry of the import (`payments.import`), without its detail.
    pub audit: Entry,
    /// The language of the rows' messages.
    pub lang: Lang,
    /// The most data rows taken at once, if limited.
    pub max_rows: Option<usize>,
}

/// A refused row's code, message and fields.
fn refusal(e: &Error, lang: Lang) -> (String, String, Option<serde_json::Value>) {
    let body = e.to_json(lang);
    match body["error"]["fields"].as_object() {
        Some(fields) => {
            let message = fields
                .iter()
                .map(|(f, v)| format!("{f}: {}", v["message"].as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; ");
            (
                e.code().to_string(),
                message,
                Some(body["error"]["fields"].clone()),
            )
        }
        None => (e.code().to_string(), e.message(lang), None),
    }
}

fn row_problem(code: &'static str, args: &[(&str, Arg)], lang: Lang) -> (String, String) {
    (
        code.to_string(),
        vamyar_i18n::text(lang, &format!("error-{code}"), args),
    )
}

fn refused(line: u64, reference: Option<String>, code: String, message: String) -> LineReport {
    LineReport {
        line,
        bank_reference: reference,
        outcome: Outcome::Refused,
        payment_id: None,
        amount: None,
        code: Some(code),
        message: Some(message),
        fields: None,
    }
}

/// Posts one row; `Err` is the refusal.
async fn post_row(ctx: &Ctx, imp: &Importer<'_>, fields: &[String]) -> Result<Posted, Error> {
    let field = |i: usize| fields.get(i).map(|s| s.as_str());
    let parsed = payments::parse_input(field(2), field(3), field(1), ctx.today());
    let contract = vamyar_calendar::digits::to_latin_digits(field(0).unwrap_or_default().trim());
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if contract.is_empty() {
        errors.add("contract_number", "required");
    }
    let input = match parsed {
        Ok(input) if errors.is_empty() => input,
        _ => return Err(Error::Validation(errors)),
    };
    let unknown = || {
        let mut f = FieldErrors::new();
        f.add("contract_number", "unknown_contract");
        Error::Validation(f)
    };
    let loan = vamyar_store::loan::by_contract(ctx.db.pool(), imp.bank.id, &contract)
        .await?
        .ok_or_else(unknown)?;
    let lc = super::load(ctx, loan.id).await?.ok_or_else(unknown)?;
    if let Some(actor) = imp.actor {
        let access = policy::check_file_permission(
            actor,
            &Permission::ImportPayments,
            &crate::files::scope_of(&lc.app),
        );
        if access != Access::Allowed {
            // another branch's loan is as unknown as one that does not exist
            return Err(unknown());
        }
    }
    payments::post(ctx, &lc, &input, imp.poster).await
}

/// Reads `bytes` as a payment file and posts its rows for `imp.bank` (see the module
/// documentation), then audits the import with its totals.
pub async fn import_payments(
    ctx: &Ctx,
    imp: Importer<'_>,
    bytes: &[u8],
) -> Result<ImportReport, ImportError> {
    // read every row first, so that a file over the limit posts nothing; line numbers are
    // the file's own whatever its line endings
    let file = crate::csv_rows::read(bytes, imp.max_rows).map_err(|p| {
        ImportError::File(match p {
            CsvProblem::NotUtf8 => FileProblem::NotUtf8,
            CsvProblem::Header => FileProblem::Header(String::new()),
            CsvProblem::TooManyRows(max) => FileProblem::TooManyRows(max),
        })
    })?;
    if file.header != PAYMENT_HEADER {
        return Err(ImportError::File(FileProblem::Header(
            file.header.join(","),
        )));
    }
    let rows = file.rows;
    let lang = imp.lang;
    let mut totals = Totals::default();
    let mut lines = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        totals.rows += 1;
        let fields = match row {
            Ok(fields) => fields,
            Err(detail) => {
                totals.refused += 1;
                let (code, message) =
                    row_problem("csv_unreadable_row", &[("detail", Arg::Str(detail))], lang);
                lines.push(refused(line, None, code, message));
                continue;
            }
        };
        let reference = fields
            .get(1)
            .map(|r| vamyar_calendar::digits::to_latin_digits(r.trim()))
            .filter(|r| !r.is_empty());
        if fields.len() != PAYMENT_HEADER.len() {
            totals.refused += 1;
            let args = [
                ("expected", Arg::Int(PAYMENT_HEADER.len() as i64)),
                ("found", Arg::Int(fields.len() as i64)),
            ];
            let (code, message) = row_problem("csv_field_count", &args, lang);
            lines.push(refused(line, reference, code, message));
            continue;
        }
        match post_row(ctx, &imp, &fields).await {
            Ok(posted) => {
                let outcome = match posted {
                    Posted::Created(_) => {
                        totals.posted += 1;
                        Outcome::Posted
                    }
                    Posted::Repeated(_) => {
                        totals.repeated += 1;
                        Outcome::Repeat
                    }
                };
                let p = posted.payment();
                lines.push(LineReport {
                    line,
                    bank_reference: Some(p.bank_reference.clone()),
                    outcome,
                    payment_id: Some(p.id),
                    amount: Some(p.amount),
                    code: None,
                    message: None,
                    fields: None,
                });
            }
            Err(e) => {
                if let Error::Internal(detail) = &e {
                    tracing::error!(line, error = %detail, "posting a payment file's row failed");
                }
                totals.refused += 1;
                let (code, message, fields) = refusal(&e, lang);
                let mut r = refused(line, reference, code, message);
                r.fields = fields;
                lines.push(r);
            }
        }
    }
    let entry = imp.audit.on(imp.bank.id).detail(json!({
        "bank_code": imp.bank.code,
        "channel": imp.poster.channel,
        "rows": totals.rows,
        "posted": totals.posted,
        "repeated": totals.repeated,
        "refused": totals.refused,
    }));
    vamyar_store::audit::append_now(&ctx.db, &entry)
        .await
        .map_err(|e| ImportError::Failed(e.into()))?;
    Ok(ImportReport {
        bank_code: imp.bank.code.clone(),
        lines,
        totals,
    })
}
