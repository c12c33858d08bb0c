//! Payments posted by the bank, each under the bank's own reference. The unique index
//! `payment_bank_reference_key (bank_id, bank_reference)` makes a reference post at most once:
//! the poster looks the reference up under the loan's lock, and a concurrent insert of the
//! same reference fails with [`REFERENCE_KEY`], after which the caller rolls back and answers
//! with the stored payment.

use serde::Serialize;
use sqlx::FromRow;

use crate::{StoreError, Tx, UniqueKey, time};

/// One payment per bank reference.
pub const REFERENCE_KEY: UniqueKey = UniqueKey {
    index: "payment_bank_reference_key",
    sqlite_columns: "payment.bank_id, payment.bank_reference",
};

/// A payment as stored, with how it was allocated.
#[derive(Clone, Debug, FromRow, Serialize, PartialEq, Eq)]
pub struct Payment {
    /// Id.
    pub id: i64,
    /// The loan.
    pub loan_id: i64,
    /// The bank.
    pub bank_id: i64,
    /// The bank's reference (unique per bank).
    pub bank_reference: String,
    /// Rials paid.
    pub amount: i64,
    /// Value date (ISO).
    pub paid_on: String,
    /// `api`, `file` or `desk`.
    pub channel: String,
    /// Rials allocated to late charges.
    pub allocated_late_charge: i64,
    /// Rials allocated to fee.
    pub allocated_fee: i64,
    /// Rials allocated to principal.
    pub allocated_principal: i64,
    /// Rials held as credit (overpayment).
    pub to_credit: i64,
    /// The bank officer who posted it (none for a file import).
    pub posted_by_staff_id: Option<i64>,
    /// When it was posted (RFC 3339).
    pub created_at: String,
    /// When its reversal was confirmed (RFC 3339); a reversed payment is kept, not deleted,
    /// and allocation no longer counts it.
    pub reversed_at: Option<String>,
    /// Who confirmed the reversal.
    pub reversed_by: Option<i64>,
    /// Why it was reversed.
    pub reversal_reason: Option<String>,
}

impl Payment {
    /// Whether the payment was reversed.
    pub fn is_reversed(&self) -> bool {
        self.reversed_at.is_some()
    }
}

pub(crate) const COLUMNS: &str = "id, loan_id, bank_id, bank_reference, amount, paid_on, channel, \
    allocated_late_charge, allocated_fee, allocated_principal, to_credit, posted_by_staff_id, \
    created_at, reversed_at, reversed_by, reversal_reason";

/// A payment to record.
#[derive(Clone, Debug)]
pub struct NewPayment<'a> {
    /// The loan.
    pub loan_id: i64,
    /// The bank.
    pub bank_id: i64,
    /// The bank's reference.
    pub bank_reference: &'a str,
    /// Rials paid (> 0).
    pub amount: i64,
    /// Value date (ISO).
    pub paid_on: &'a str,
    /// `api`, `file` or `desk`.
    pub channel: &'a str,
    /// Allocated to late charges.
    pub allocated_late_charge: i64,
    /// Allocated to fee.
    pub allocated_fee: i64,
    /// Allocated to principal.
    pub allocated_principal: i64,
    /// Held as credit.
    pub to_credit: i64,
    /// The posting officer.
    pub posted_by_staff_id: Option<i64>,
}

/// The payment's insert up to its twelve values, in the order [`insert`] binds them.
pub(crate) const INSERT: &str = "insert into payment (loan_id, bank_id, bank_reference, amount, \
    paid_on, channel, allocated_late_charge, allocated_fee, allocated_principal, to_credit, \
    posted_by_staff_id, created_at)";

/// The values of [`INSERT`]'s columns for `p`, entered now.
pub(crate) fn values(p: &NewPayment<'_>) -> Vec<crate::Value> {
    vec![
        p.loan_id.into(),
        p.bank_id.into(),
        p.bank_reference.into(),
        p.amount.into(),
        p.paid_on.into(),
        p.channel.into(),
        p.allocated_late_charge.into(),
        p.allocated_fee.into(),
        p.allocated_principal.into(),
        p.to_credit.into(),
        p.posted_by_staff_id.into(),
        time::now().into(),
    ]
}

/// Inserts a payment and returns it; a repeated reference violates [`REFERENCE_KEY`].
pub async fn insert(tx: &mut Tx, p: &NewPayment<'_>) -> Result<Payment, StoreError> {
    let sql = format!(
        "{INSERT} values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning {COLUMNS}"
    );
    let row = crate::later::bind(sqlx::query(&sql), values(p))
        .fetch_one(&mut **tx)
        .await?;
    Ok(Payment::from_row(&row)?)
}

/// The payment a bank posted under `reference`.
pub async fn by_reference<'e, E>(
    ex: E,
    bank_id: i64,
    reference: &str,
) -> Result<Option<Payment>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from payment where bank_id = $1 and bank_reference = $2"
    ))
    .bind(bank_id)
    .bind(reference)
    .fetch_optional(ex)
    .await?)
}

/// The payments of a loan, oldest first.
pub async fn for_loan<'e, E>(ex: E, loan_id: i64) -> Result<Vec<Payment>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from payment where loan_id = $1 order by id"
    ))
    .bind(loan_id)
    .fetch_all(ex)
    .await?)
}

/// A payment by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Payment>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {COLUMNS} from payment where id = $1"))
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// Marks a payment reversed (kept, never deleted); false when it already was.
pub async fn mark_reversed(
    tx: &mut Tx,
    id: i64,
    by: i64,
    reason: &str,
    proposal_id: i64,
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "update payment set reversed_at = $2, reversed_by = $3, reversal_reason = $4, \
         reversal_proposal_id = $5 where id = $1 and reversed_at is null",
    )
    .bind(id)
    .bind(time::now())
    .bind(by)
    .bind(reason)
    .bind(proposal_id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Writes how a payment is allocated now (after a recomputation of its loan).
pub async fn set_allocation(
    tx: &mut Tx,
    id: i64,
    late_charge: i64,
    fee: i64,
    principal: i64,
    to_credit: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "update payment set allocated_late_charge = $2, allocated_fee = $3, \
         allocated_principal = $4, to_credit = $5 where id = $1",
    )
    .bind(id)
    .bind(late_charge)
    .bind(fee)
    .bind(principal)
    .bind(to_credit)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
