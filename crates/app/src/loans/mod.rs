//! Loans as the service runs them: disbursement (a loan and its schedule from the
//! memorandum's and the program's terms), payments posted exactly once per bank reference,
//! late charges, acceleration and closure. The HTTP routes (`routes::loans`,
//! `routes::visits`) and the command line (`vamyar import payments`) call these functions, so
//! every channel follows the same rules; a bank's payment file is read by [`import`].
//! ARCHITECTURE.md ("Loans") is the map.

use chrono::NaiveDate;
use vamyar_domain::policy::{self, Access, Permission, Scope};
use vamyar_store::loan::Loan;

use crate::Ctx;
use crate::error::{Error, Result};
use crate::files::scope_of;
use vamyar_domain::policy::Actor;
use vamyar_store::application::Application;

pub mod accelerate;
pub mod disburse;
pub mod import;
pub mod payments;
pub mod recompute;
pub mod service;
pub mod view;

/// A loan with its file's row: what access checks, views and payments read. The person and
/// county (`crate::files::FileContext::complete`) are read only where they are used: a
/// printed schedule, a reversal proposal, and a payment that settles the loan and closes the
/// file.
#[derive(Clone, Debug)]
pub struct LoanContext {
    /// The loan.
    pub loan: Loan,
    /// Its file.
    pub app: Application,
}

/// Loads a loan the caller may see (owner, staff whose scope covers the file, the bank), or
/// 404 (audited as a denied access when the loan exists outside the caller's scope).
pub async fn visible_loan(ctx: &Ctx, actor: &Actor, id: i64, action: &str) -> Result<LoanContext> {
    let lc = load(ctx, id).await?.ok_or(Error::NotFound)?;
    let visible = policy::can_view_file(actor, &scope_of(&lc.app)).is_allowed()
        && bank_matches(actor, &lc.loan);
    if !visible {
        crate::audit::denied(ctx, actor, action, "loan", id).await;
        return Err(Error::NotFound);
    }
    Ok(lc)
}

/// Loads a loan for a file-bound permission (posting payments): 404 outside the caller's
/// scope or for another bank's officer, 403 for a role without the permission; both audited.
pub async fn permitted_loan(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    permission: &Permission,
    action: &str,
) -> Result<LoanContext> {
    let lc = load(ctx, id).await?.ok_or(Error::NotFound)?;
    let access = match policy::check_file_permission(actor, permission, &scope_of(&lc.app)) {
        Access::Allowed if !bank_matches(actor, &lc.loan) => Access::NotFound,
        other => other,
    };
    match access {
        Access::Allowed => Ok(lc),
        refused => {
            crate::audit::denied(ctx, actor, action, "loan", id).await;
            Err(if refused == Access::Forbidden {
                Error::Forbidden
            } else {
                Error::NotFound
            })
        }
    }
}

/// A bank officer sees only their own bank's loans (the file's scope already says so; this
/// guards against a file whose latest referral is to another bank than its loan).
fn bank_matches(actor: &Actor, loan: &Loan) -> bool {
    match actor.scope() {
        Scope::Bank { bank_id, .. } => *bank_id == loan.bank_id,
        _ => true,
    }
}

/// A loan and its file, without any access check. The loan's read also pins the reference
/// data of a pinned context ([`Ctx::pin_reference`]).
pub async fn load(ctx: &Ctx, id: i64) -> Result<Option<LoanContext>> {
    let Some((loan, reference)) =
        vamyar_store::loan::get_with_reference_version(ctx.db.pool(), id).await?
    else {
        return Ok(None);
    };
    ctx.pin_reference(reference);
    let app = vamyar_store::application::get(ctx.db.pool(), loan.application_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("loan {id} has no file")))?;
    Ok(Some(LoanContext { loan, app }))
}

/// A loan's installments as they stand `today`: the stored rows with the late charge of the
/// days since the last accrual (close of business or a payment) added in memory, by the rule
/// a payment applies (`loan::late::accrue`), so an amount shown is what settles it when paid
/// today (a settled installment, as every one of a closed loan, owes nothing more), and the
/// status to show (a pending installment whose due date has come is due,
/// `InstallmentStatus::shown`).
pub async fn installments_as_of(
    ctx: &Ctx,
    loan: &Loan,
    today: NaiveDate,
) -> Result<Vec<vamyar_store::loan::Installment>> {
    let mut rows = vamyar_store::loan::installments(ctx.db.pool(), loan.id).await?;
    vamyar_store::loan::late::accrue(
        &mut rows,
        loan.fee_rate_bp,
        loan.late_charge_extra_bp,
        today,
    )?;
    for row in &mut rows {
        row.status = row.status.shown(row.due_date()?, today);
    }
    Ok(rows)
}

/// Where a loan stands in arrears as of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrears {
    /// The oldest due date with principal or fee unpaid (`None`: current): what the loan
    /// stores, so that its row changes only when this date or the bucket does, not daily.
    pub since: Option<NaiveDate>,
    /// Days from `since` to the date.
    pub days: u32,
    /// The bucket of `days`: `current`, `1_30`, `31_90` or `over_90`.
    pub bucket: &'static str,
}

impl Arrears {
    /// `since` as stored (ISO), `None` when current.
    pub fn since_iso(&self) -> Option<String> {
        self.since.map(vamyar_store::time::date)
    }

    /// Whether `loan` already records these arrears (its `arrears_since` and bucket).
    pub fn recorded_on(&self, loan: &Loan) -> bool {
        loan.arrears_since == self.since_iso() && loan.arrears_bucket == self.bucket
    }

    /// Records these arrears on `loan`.
    pub fn record_on(&self, loan: &mut Loan) {
        loan.arrears_since = self.since_iso();
        loan.arrears_bucket = self.bucket.into();
    }
}

/// Arrears of a loan's installments as of `today`: since when, how many days, the bucket.
pub fn arrears(
    installments: &[vamyar_store::loan::Installment],
    today: NaiveDate,
) -> Result<Arrears> {
    let balances = installments
        .iter()
        .map(|i| i.balance())
        .collect::<Result<Vec<_>, _>>()?;
    let since = vamyar_domain::allocation::arrears_since(&balances, today);
    let days = vamyar_domain::allocation::days_since(since, today);
    Ok(Arrears {
        since,
        days,
        bucket: vamyar_domain::allocation::bucket(days).as_str(),
    })
}
