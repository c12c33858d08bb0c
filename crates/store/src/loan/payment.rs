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
}

const COLUMNS: &str = "id, loan_id, bank_id, bank_reference, amount, paid_on, channel, \
    allocated_late_charge, allocated_fee, allocated_principal, to_credit, posted_by_staff_id, \
    created_at";

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

/// Inserts a payment and returns it; a repeated reference violates [`REFERENCE_KEY`].
pub async fn insert(tx: &mut Tx, p: &NewPayment<'_>) -> Result<Payment, StoreError> {
    Ok(sqlx::query_as(&format!(
        "insert into payment (loan_id, bank_id, bank_reference, amount, paid_on, channel, \
         allocated_late_charge, allocated_fee, allocated_principal, to_credit, \
         posted_by_staff_id, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning {COLUMNS}"
    ))
    .bind(p.loan_id)
    .bind(p.bank_id)
    .bind(p.bank_reference)
    .bind(p.amount)
    .bind(p.paid_on)
    .bind(p.channel)
    .bind(p.allocated_late_charge)
    .bind(p.allocated_fee)
    .bind(p.allocated_principal)
    .bind(p.to_credit)
    .bind(p.posted_by_staff_id)
    .bind(time::now())
    .fetch_one(&mut **tx)
    .await?)
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
