//! What a partner bank receives in its referral export (`vamyar export referrals`): every
//! referral to the bank with the applicant, the bank's decision, the disbursement and any
//! acceleration with what is outstanding, what the standing payments paid, and the payments
//! reversed (four eyes, `vamyar_app::proposals`) with their amount.

use serde::Serialize;
use sqlx::FromRow;

use crate::StoreError;

/// One referral of the export, with its loan when there is one.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct ReferralRow {
    /// The referral letter's number.
    pub letter_number: String,
    /// The file's tracking code.
    pub tracking_code: String,
    /// Applicant's first name.
    pub first_name: String,
    /// Applicant's last name.
    pub last_name: String,
    /// Applicant's national ID (the bank identifies its customer by it).
    pub national_id: String,
    /// The branch's code within the bank.
    pub branch_code: String,
    /// The referral's status.
    pub referral_status: String,
    /// Rials referred.
    pub referred_amount: i64,
    /// Letter issue date (ISO).
    pub issued_on: String,
    /// Last valid day of the letter (ISO).
    pub valid_until: String,
    /// When the bank last decided on it (RFC 3339).
    pub decided_at: Option<String>,
    /// Rials the bank approved.
    pub approved_amount: Option<i64>,
    /// Contract number of the loan.
    pub contract_number: Option<String>,
    /// Rials disbursed.
    pub principal: Option<i64>,
    /// Disbursement date (ISO).
    pub disbursed_on: Option<String>,
    /// The loan's status: `active`, `accelerated` or `closed`.
    pub loan_status: Option<String>,
    /// Acceleration date (ISO).
    pub accelerated_on: Option<String>,
    /// Date the loan was settled (ISO).
    pub closed_on: Option<String>,
    /// Late charges, fee and principal still owed, in rials.
    pub outstanding: Option<i64>,
    /// Rials paid by the payments that stand (not reversed).
    pub paid: Option<i64>,
    /// How many of the loan's payments were reversed (kept on record, counting for nothing).
    pub reversed_payments: Option<i64>,
    /// Rials of the reversed payments.
    pub reversed_amount: Option<i64>,
}

/// Every referral to bank `bank_id`, oldest first.
pub async fn referrals_for_bank<'e, E>(ex: E, bank_id: i64) -> Result<Vec<ReferralRow>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "select r.letter_number, a.tracking_code, p.first_name, p.last_name, p.national_id, \
         b.code as branch_code, r.status as referral_status, r.amount as referred_amount, \
         r.issued_on, r.valid_until, r.decided_at, \
         case when r.status in ('approved', 'disbursed') then a.approved_amount end as approved_amount, \
         l.contract_number, l.principal, l.disbursed_on, l.status as loan_status, l.accelerated_on, \
         l.closed_on, \
         case when l.id is null then null else cast(coalesce((select sum( \
             case when i.principal_due > i.principal_paid then i.principal_due - i.principal_paid else 0 end \
           + case when i.fee_due > i.fee_paid then i.fee_due - i.fee_paid else 0 end \
           + case when i.late_charge_due > i.late_charge_paid then i.late_charge_due - i.late_charge_paid else 0 end) \
           from installment i where i.loan_id = l.id), 0) as bigint) end as outstanding, \
         case when l.id is null then null else cast(coalesce((select sum(y.amount) from payment y \
           where y.loan_id = l.id and y.reversed_at is null), 0) as bigint) end as paid, \
         case when l.id is null then null else cast((select count(*) from payment y \
           where y.loan_id = l.id and y.reversed_at is not null) as bigint) end as reversed_payments, \
         case when l.id is null then null else cast(coalesce((select sum(y.amount) from payment y \
           where y.loan_id = l.id and y.reversed_at is not null), 0) as bigint) end as reversed_amount \
         from referral r \
         join application a on a.id = r.application_id \
         join person p on p.id = a.person_id \
         join branch b on b.id = r.branch_id \
         left join loan l on l.referral_id = r.id \
         where r.bank_id = $1 order by r.id",
    )
    .bind(bank_id)
    .fetch_all(ex)
    .await?)
}
