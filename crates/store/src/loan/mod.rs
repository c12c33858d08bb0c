//! Loans and their money: the loan row, its installments, payments, late charges, monitoring
//! visits and the bank's referral export.
//!
//! A loan is written once at disbursement with all its installments ([`create`]); afterwards
//! only the paid parts, late charges, statuses and (on acceleration) due dates and fees of
//! the installments change, and the loan's status, credit, arrears and dates. Amounts are
//! `i64` rials, dates ISO text.
//!
//! **Lock order.** Every transaction that changes a loan locks the file first
//! (`document::lock_application`) and then the loan ([`lock`]); a payment takes both in one
//! statement ([`lock_for_payment`]) in that order. Payments, acceleration and close of
//! business all follow it, so two of them never wait on each other in a cycle.

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::FromRow;
use vamyar_domain::allocation::InstallmentBalance;
use vamyar_domain::vocab::{InstallmentStatus, LoanStatus};
use vamyar_domain::workflow::State;

use crate::{StoreError, Tx, UniqueKey, time};

pub mod export;
pub mod late;
pub mod payment;
pub mod posting;
pub mod visit;

pub use late::accrue_late_charges;

/// One contract number per bank.
pub const CONTRACT_KEY: UniqueKey = UniqueKey {
    index: "loan_bank_contract_key",
    sqlite_columns: "loan.bank_id, loan.contract_number",
};

/// A loan as stored.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Loan {
    /// Id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// The referral it was disbursed under.
    pub referral_id: i64,
    /// The bank.
    pub bank_id: i64,
    /// The bank's contract number (unique per bank).
    pub contract_number: String,
    /// Rials lent.
    pub principal: i64,
    /// Annual fee rate in basis points.
    pub fee_rate_bp: i64,
    /// Number of installments.
    pub term_months: i64,
    /// Grace months before the first installment.
    pub grace_months: i64,
    /// `annuity` or `flat`.
    pub schedule_method: String,
    /// Extra points of the late-charge rate, in basis points.
    pub late_charge_extra_bp: i64,
    /// Disbursement date (ISO).
    pub disbursed_on: String,
    /// Total fee of the schedule as generated, in rials.
    pub total_fee: i64,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: LoanStatus,
    /// Acceleration date (ISO).
    pub accelerated_on: Option<String>,
    /// Date the last installment was settled (ISO).
    pub closed_on: Option<String>,
    /// Overpayment held for the borrower, in rials.
    pub credit_balance: i64,
    /// The oldest unpaid due date, as last computed (ISO; `None`: current). Days in arrears
    /// are counted from it to the day they are asked for, so the row is not rewritten daily.
    pub arrears_since: Option<String>,
    /// `current`, `1_30`, `31_90` or `over_90`, as last computed.
    pub arrears_bucket: String,
    /// Bumped by every change of the fields above.
    pub version: i64,
}

const LOAN_COLUMNS: &str = "id, application_id, referral_id, bank_id, contract_number, principal, \
    fee_rate_bp, term_months, grace_months, schedule_method, late_charge_extra_bp, disbursed_on, \
    total_fee, status, accelerated_on, closed_on, credit_balance, arrears_since, arrears_bucket, \
    version";

/// One installment as stored.
#[derive(Clone, Debug, FromRow, Serialize, PartialEq, Eq)]
pub struct Installment {
    /// Id.
    pub id: i64,
    /// The loan.
    pub loan_id: i64,
    /// Position in the schedule, from 1.
    pub seq: i64,
    /// Due date (ISO).
    pub due_on: String,
    /// Principal due, rials.
    pub principal_due: i64,
    /// Fee due, rials.
    pub fee_due: i64,
    /// Late charge assessed so far, rials.
    pub late_charge_due: i64,
    /// Principal paid, rials.
    pub principal_paid: i64,
    /// Fee paid, rials.
    pub fee_paid: i64,
    /// Late charge paid, rials.
    pub late_charge_paid: i64,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: InstallmentStatus,
    /// Date it was settled (ISO).
    pub paid_on: Option<String>,
    /// The late charge covers the days up to and including this date (ISO); see [`late`].
    pub late_charge_through: Option<String>,
}

const INSTALLMENT_COLUMNS: &str = "id, loan_id, seq, due_on, principal_due, fee_due, \
    late_charge_due, principal_paid, fee_paid, late_charge_paid, status, paid_on, \
    late_charge_through";

impl Installment {
    /// The due date.
    pub fn due_date(&self) -> Result<NaiveDate, StoreError> {
        time::parse_date(&self.due_on)
    }

    /// The domain's view of the installment (for allocation, arrears and acceleration).
    pub fn balance(&self) -> Result<InstallmentBalance, StoreError> {
        Ok(InstallmentBalance {
            seq: u32::try_from(self.seq).map_err(|_| StoreError::Corrupt {
                what: "installment seq",
                detail: self.seq.to_string(),
            })?,
            due_on: self.due_date()?,
            principal_due: self.principal_due,
            fee_due: self.fee_due,
            late_charge_due: self.late_charge_due,
            principal_paid: self.principal_paid,
            fee_paid: self.fee_paid,
            late_charge_paid: self.late_charge_paid,
        })
    }

    /// Copies the amounts and due date of a domain balance onto this row.
    pub fn set_balance(&mut self, b: &InstallmentBalance) {
        self.due_on = time::date(b.due_on);
        self.principal_due = b.principal_due;
        self.fee_due = b.fee_due;
        self.late_charge_due = b.late_charge_due;
        self.principal_paid = b.principal_paid;
        self.fee_paid = b.fee_paid;
        self.late_charge_paid = b.late_charge_paid;
    }

    /// Everything still owed on it (late charge, fee, principal), in rials.
    pub fn outstanding(&self) -> i64 {
        (self.principal_due - self.principal_paid).max(0)
            + (self.fee_due - self.fee_paid).max(0)
            + (self.late_charge_due - self.late_charge_paid).max(0)
    }

    /// Everything paid on it, in rials.
    pub fn paid(&self) -> i64 {
        self.principal_paid + self.fee_paid + self.late_charge_paid
    }
}

/// A loan to create at disbursement.
#[derive(Clone, Debug)]
pub struct NewLoan<'a> {
    /// The file.
    pub application_id: i64,
    /// The approved referral.
    pub referral_id: i64,
    /// The bank.
    pub bank_id: i64,
    /// The bank's contract number.
    pub contract_number: &'a str,
    /// Rials lent.
    pub principal: i64,
    /// Annual fee rate, basis points.
    pub fee_rate_bp: i64,
    /// Installments.
    pub term_months: i64,
    /// Grace months.
    pub grace_months: i64,
    /// `annuity` or `flat`.
    pub schedule_method: &'a str,
    /// Late-charge extra points, basis points.
    pub late_charge_extra_bp: i64,
    /// Disbursement date.
    pub disbursed_on: NaiveDate,
    /// Total fee of the schedule.
    pub total_fee: i64,
}

/// Inserts a loan (status `active`) and its installments; returns the loan's id. A contract
/// number the bank already used violates [`CONTRACT_KEY`].
pub async fn create(
    tx: &mut Tx,
    loan: &NewLoan<'_>,
    installments: &[vamyar_domain::schedule::Installment],
) -> Result<i64, StoreError> {
    let now = time::now();
    let id: i64 = sqlx::query_scalar(
        "insert into loan (application_id, referral_id, bank_id, contract_number, principal, \
         fee_rate_bp, term_months, grace_months, schedule_method, late_charge_extra_bp, \
         disbursed_on, total_fee, status, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'active', $13, $13) returning id",
    )
    .bind(loan.application_id)
    .bind(loan.referral_id)
    .bind(loan.bank_id)
    .bind(loan.contract_number)
    .bind(loan.principal)
    .bind(loan.fee_rate_bp)
    .bind(loan.term_months)
    .bind(loan.grace_months)
    .bind(loan.schedule_method)
    .bind(loan.late_charge_extra_bp)
    .bind(time::date(loan.disbursed_on))
    .bind(loan.total_fee)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    for i in installments {
        sqlx::query(
            "insert into installment (loan_id, seq, due_on, principal_due, fee_due, status, \
             created_at, updated_at) values ($1, $2, $3, $4, $5, 'pending', $6, $6)",
        )
        .bind(id)
        .bind(i64::from(i.seq))
        .bind(time::date(i.due_on))
        .bind(i.principal)
        .bind(i.fee)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// A loan by id.
pub async fn get<'e, E>(ex: E, id: i64) -> Result<Option<Loan>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("select {LOAN_COLUMNS} from loan where id = $1"))
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}

/// A loan by id, with the reference data's version (`crate::reference::version`) read in the
/// same statement: a use case that starts from a loan pins the version its reference reads
/// use without a round trip of its own.
pub async fn get_with_reference_version<'e, E>(
    ex: E,
    id: i64,
) -> Result<Option<(Loan, i64)>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        loan: Loan,
        reference_version: i64,
    }
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select {LOAN_COLUMNS}, (select n from reference_version where id = 1) \
             as reference_version from loan where id = $1"
        )
    });
    let row: Option<Row> = sqlx::query_as(SQL.as_str())
        .bind(id)
        .fetch_optional(ex)
        .await?;
    Ok(row.map(|r| (r.loan, r.reference_version)))
}

/// The loan of a file.
pub async fn for_application<'e, E>(ex: E, application_id: i64) -> Result<Option<Loan>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {LOAN_COLUMNS} from loan where application_id = $1"
    ))
    .bind(application_id)
    .fetch_optional(ex)
    .await?)
}

/// A bank's loan by its contract number.
pub async fn by_contract<'e, E>(
    ex: E,
    bank_id: i64,
    contract_number: &str,
) -> Result<Option<Loan>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {LOAN_COLUMNS} from loan where bank_id = $1 and contract_number = $2"
    ))
    .bind(bank_id)
    .bind(contract_number)
    .fetch_optional(ex)
    .await?)
}

/// Locks a loan's row for the rest of the transaction (`select … for update` on PostgreSQL;
/// SQLite's `begin immediate` already holds the writer lock, see [`Tx::row_lock`]) and reads
/// it as it now is. Lock the file first (see the module documentation).
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<Loan>, StoreError> {
    let lock = tx.row_lock();
    Ok(sqlx::query_as(&format!(
        "select {LOAN_COLUMNS} from loan where id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A loan locked for a payment, with its file's lock and what tells whether the payment is
/// back-dated.
#[derive(Clone, Debug, FromRow)]
pub struct Locked {
    /// The loan as it now is.
    #[sqlx(flatten)]
    pub loan: Loan,
    /// The last business date close of business ran (or began) on or after the disbursement
    /// date (ISO), if any.
    pub last_closed: Option<String>,
    /// The value date of the loan's latest payment standing (not reversed), if any.
    pub last_paid: Option<String>,
    /// The file's state as locked (`application.state`; [`Locked::file_state`] reads it).
    file_state: String,
    /// The file's version as locked.
    pub file_version: i64,
}

impl Locked {
    /// The latest date a payment can no longer simply follow: the later of
    /// [`Locked::last_closed`] and [`Locked::last_paid`] (ISO dates order as text).
    pub fn last_settled(&self) -> Option<&str> {
        self.last_closed.as_deref().max(self.last_paid.as_deref())
    }

    /// The file's state as locked.
    pub fn file_state(&self) -> Result<State, StoreError> {
        crate::document::parse_state(self.file_state.clone())
    }
}

/// Locks the file `application_id` and then its loan `id` — the order every writer takes
/// (`document::lock_application`, then [`lock`]) — in one statement, reading the file's
/// state and version and the two dates a payment is compared with
/// ([`Locked::last_settled`]): one round trip where a posting made three. On PostgreSQL the
/// file's row is locked inside the `with` query, which the loan's row waits for (a locking
/// clause on the outer query does not reach a `with` query); on SQLite the transaction's
/// `begin immediate` already holds the writer lock. `None` when either is missing or the
/// loan is not the file's.
pub async fn lock_for_payment(
    tx: &mut Tx,
    application_id: i64,
    id: i64,
) -> Result<Option<Locked>, StoreError> {
    let lock = tx.row_lock();
    Ok(sqlx::query_as(&format!(
        "with locked_file as materialized \
           (select state as file_state, version as file_version from application \
            where id = $1{lock}) \
         select {LOAN_COLUMNS}, \
         (select max(business_date) from cob_run where business_date >= loan.disbursed_on) \
           as last_closed, \
         (select max(paid_on) from payment where payment.loan_id = loan.id \
           and payment.reversed_at is null) as last_paid, \
         locked_file.file_state, locked_file.file_version \
         from locked_file, loan where loan.id = $2 and loan.application_id = $1{lock}"
    ))
    .bind(application_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The installments of a loan, by `seq`.
pub async fn installments<'e, E>(ex: E, loan_id: i64) -> Result<Vec<Installment>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!(
        "select {INSTALLMENT_COLUMNS} from installment where loan_id = $1 order by seq"
    ))
    .bind(loan_id)
    .fetch_all(ex)
    .await?)
}

/// The columns [`update_installment`] writes, `id` (the row's key) first, in the order of
/// [`installment_values`]; [`posting::record`] writes the same on PostgreSQL.
pub(crate) const INSTALLMENT_WRITTEN: [&str; 11] = [
    "id",
    "due_on",
    "fee_due",
    "late_charge_due",
    "principal_paid",
    "fee_paid",
    "late_charge_paid",
    "status",
    "paid_on",
    "late_charge_through",
    "updated_at",
];

/// The values of [`INSTALLMENT_WRITTEN`] for `i`, written now.
pub(crate) fn installment_values(i: &Installment) -> Vec<crate::Value> {
    vec![
        i.id.into(),
        i.due_on.clone().into(),
        i.fee_due.into(),
        i.late_charge_due.into(),
        i.principal_paid.into(),
        i.fee_paid.into(),
        i.late_charge_paid.into(),
        i.status.as_str().into(),
        i.paid_on.clone().into(),
        i.late_charge_through.clone().into(),
        time::now().into(),
    ]
}

/// Writes an installment's changeable fields: due date, fee, late charge, paid parts,
/// status, settlement date and how far its late charge runs.
pub async fn update_installment(tx: &mut Tx, i: &Installment) -> Result<(), StoreError> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let set = INSTALLMENT_WRITTEN
            .iter()
            .enumerate()
            .skip(1)
            .map(|(k, c)| format!("{c} = ${}", k + 1))
            .collect::<Vec<_>>()
            .join(", ");
        format!("update installment set {set} where id = $1")
    });
    crate::later::bind(sqlx::query(SQL.as_str()), installment_values(i))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes a loan's changeable fields (status, dates, credit, arrears) and bumps its version.
pub async fn update(tx: &mut Tx, l: &Loan) -> Result<(), StoreError> {
    sqlx::query(
        "update loan set status = $1, accelerated_on = $2, closed_on = $3, credit_balance = $4, \
         arrears_since = $5, arrears_bucket = $6, version = version + 1, updated_at = $7 \
         where id = $8",
    )
    .bind(l.status.as_str())
    .bind(&l.accelerated_on)
    .bind(&l.closed_on)
    .bind(l.credit_balance)
    .bind(&l.arrears_since)
    .bind(&l.arrears_bucket)
    .bind(time::now())
    .bind(l.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
