//! The JSON shapes of a loan, its schedule, a payment and a monitoring visit. Dates are ISO,
//! with the Jalali date beside the ones people read (in the request's language's digits).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use vamyar_domain::vocab::{InstallmentStatus, LoanStatus};
use vamyar_i18n::Lang;
use vamyar_store::loan::payment::Payment;
use vamyar_store::loan::visit::Visit;
use vamyar_store::loan::{Installment, Loan};

use super::arrears;
use crate::error::Result;

/// What is owed on a loan now, in rials.
#[derive(Clone, Debug, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct Balances {
    /// Principal not yet repaid.
    pub principal_outstanding: i64,
    /// Fee not yet paid (scheduled, not only what has fallen due).
    pub fee_outstanding: i64,
    /// Late charges not yet paid, through today (the days since the last close of business
    /// included, as a payment today would charge them).
    pub late_charge_outstanding: i64,
    /// The sum of the three.
    pub total_outstanding: i64,
    /// Principal, fee and late charges of installments due on or before today, unpaid: paid
    /// today, this amount leaves nothing due.
    pub due_now: i64,
    /// Everything paid so far (credit included).
    pub paid_total: i64,
    /// Overpayment held for the borrower.
    pub credit: i64,
}

/// The next installment with something unpaid.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NextDue {
    /// Its position.
    pub seq: i64,
    /// Due date (ISO).
    pub due_on: String,
    /// Due date in the Jalali calendar.
    pub due_on_jalali: String,
    /// What is still owed on it, rials.
    pub amount: i64,
}

/// A loan as the API returns it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LoanView {
    /// Id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The bank.
    pub bank_id: i64,
    /// The bank's contract number.
    pub contract_number: String,
    /// Rials lent.
    pub principal: i64,
    /// Annual fee rate, basis points.
    pub fee_rate_bp: i64,
    /// Number of installments.
    pub term_months: i64,
    /// Grace months.
    pub grace_months: i64,
    /// `annuity` or `flat`.
    pub schedule_method: String,
    /// Extra points of the late-charge rate, basis points.
    pub late_charge_extra_bp: i64,
    /// Disbursement date (ISO).
    pub disbursed_on: String,
    /// Disbursement date in the Jalali calendar.
    pub disbursed_on_jalali: String,
    /// Total fee of the schedule as generated.
    pub total_fee: i64,
    /// Where it stands.
    #[schema(value_type = String)]
    pub status: LoanStatus,
    /// Acceleration date (ISO).
    pub accelerated_on: Option<String>,
    /// Date the last installment was settled (ISO).
    pub closed_on: Option<String>,
    /// What is owed and paid now.
    pub balances: Balances,
    /// Days since the oldest unpaid due date, as of today.
    pub arrears_days: u32,
    /// `current`, `1_30`, `31_90` or `over_90`.
    pub arrears_bucket: String,
    /// The next installment with something unpaid.
    pub next_due: Option<NextDue>,
    /// Installments settled.
    pub installments_paid: usize,
    /// Installments in all.
    pub installments_total: usize,
}

fn parse(d: &str) -> Result<NaiveDate> {
    Ok(vamyar_store::time::parse_date(d)?)
}

/// Builds a loan's view as of `today` from its installments as they stand today
/// ([`super::installments_as_of`]).
pub fn loan_view(
    loan: &Loan,
    tracking_code: &str,
    rows: &[Installment],
    today: NaiveDate,
    lang: Lang,
) -> Result<LoanView> {
    let mut b = Balances {
        credit: loan.credit_balance,
        paid_total: loan.credit_balance,
        ..Balances::default()
    };
    for r in rows {
        b.principal_outstanding += (r.principal_due - r.principal_paid).max(0);
        b.fee_outstanding += (r.fee_due - r.fee_paid).max(0);
        b.late_charge_outstanding += (r.late_charge_due - r.late_charge_paid).max(0);
        b.paid_total += r.paid();
        if parse(&r.due_on)? <= today {
            b.due_now += r.outstanding();
        }
    }
    b.total_outstanding = b.principal_outstanding + b.fee_outstanding + b.late_charge_outstanding;
    let late = arrears(rows, today)?;
    let next_due = match rows.iter().find(|r| r.outstanding() > 0) {
        Some(r) => Some(NextDue {
            seq: r.seq,
            due_on: r.due_on.clone(),
            due_on_jalali: vamyar_i18n::format::date(lang, parse(&r.due_on)?),
            amount: r.outstanding(),
        }),
        None => None,
    };
    Ok(LoanView {
        id: loan.id,
        application_id: loan.application_id,
        tracking_code: tracking_code.to_string(),
        bank_id: loan.bank_id,
        contract_number: loan.contract_number.clone(),
        principal: loan.principal,
        fee_rate_bp: loan.fee_rate_bp,
        term_months: loan.term_months,
        grace_months: loan.grace_months,
        schedule_method: loan.schedule_method.clone(),
        late_charge_extra_bp: loan.late_charge_extra_bp,
        disbursed_on: loan.disbursed_on.clone(),
        disbursed_on_jalali: vamyar_i18n::format::date(lang, parse(&loan.disbursed_on)?),
        total_fee: loan.total_fee,
        status: loan.status,
        accelerated_on: loan.accelerated_on.clone(),
        closed_on: loan.closed_on.clone(),
        balances: b,
        arrears_days: late.days,
        arrears_bucket: late.bucket.to_string(),
        next_due,
        installments_paid: rows.iter().filter(|r| r.outstanding() == 0).count(),
        installments_total: rows.len(),
    })
}

/// One installment of the schedule.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InstallmentView {
    /// Position, from 1.
    pub seq: i64,
    /// Due date (ISO).
    pub due_on: String,
    /// Due date in the Jalali calendar.
    pub due_on_jalali: String,
    /// Principal part, rials.
    pub principal: i64,
    /// Fee part, rials.
    pub fee: i64,
    /// Late charge assessed so far, rials.
    pub late_charge: i64,
    /// Principal paid.
    pub principal_paid: i64,
    /// Fee paid.
    pub fee_paid: i64,
    /// Late charge paid.
    pub late_charge_paid: i64,
    /// Still owed on it.
    pub outstanding: i64,
    /// Where it stands.
    #[schema(value_type = String)]
    pub status: InstallmentStatus,
    /// Date it was settled (ISO).
    pub paid_on: Option<String>,
}

/// A loan's schedule.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    /// The loan.
    pub loan_id: i64,
    /// `Σ principal` (equals the principal lent).
    pub total_principal: i64,
    /// `Σ fee` (the total fee, less any fee dropped by acceleration).
    pub total_fee: i64,
    /// `Σ late_charge` assessed so far.
    pub total_late_charge: i64,
    /// The installments by `seq`.
    pub installments: Vec<InstallmentView>,
}

/// Builds a loan's schedule view.
pub fn schedule_view(loan_id: i64, rows: &[Installment], lang: Lang) -> Result<ScheduleView> {
    let installments = rows
        .iter()
        .map(|r| {
            Ok(InstallmentView {
                seq: r.seq,
                due_on: r.due_on.clone(),
                due_on_jalali: vamyar_i18n::format::date(lang, parse(&r.due_on)?),
                principal: r.principal_due,
                fee: r.fee_due,
                late_charge: r.late_charge_due,
                principal_paid: r.principal_paid,
                fee_paid: r.fee_paid,
                late_charge_paid: r.late_charge_paid,
                outstanding: r.outstanding(),
                status: r.status,
                paid_on: r.paid_on.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ScheduleView {
        loan_id,
        total_principal: rows.iter().map(|r| r.principal_due).sum(),
        total_fee: rows.iter().map(|r| r.fee_due).sum(),
        total_late_charge: rows.iter().map(|r| r.late_charge_due).sum(),
        installments,
    })
}

/// How a payment was split, rials.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AllocationView {
    /// To late charges.
    pub late_charge: i64,
    /// To fee.
    pub fee: i64,
    /// To principal.
    pub principal: i64,
    /// Held as credit (overpayment).
    pub to_credit: i64,
}

/// A payment as the API returns it: only what is stored, so a repeat answers exactly the same.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PaymentView {
    /// Id.
    pub id: i64,
    /// The loan.
    pub loan_id: i64,
    /// The bank's reference.
    pub bank_reference: String,
    /// Rials paid.
    pub amount: i64,
    /// Value date (ISO).
    pub paid_on: String,
    /// `api` or `file`.
    pub channel: String,
    /// How it was allocated.
    pub allocation: AllocationView,
    /// When it was posted (RFC 3339).
    pub created_at: String,
    /// When its reversal was confirmed (RFC 3339); a reversed payment counts for nothing
    /// (its allocation is zero) but stays on record.
    pub reversed_at: Option<String>,
    /// Why it was reversed.
    pub reversal_reason: Option<String>,
}

/// The view of a stored payment.
pub fn payment_view(p: &Payment) -> PaymentView {
    PaymentView {
        id: p.id,
        loan_id: p.loan_id,
        bank_reference: p.bank_reference.clone(),
        amount: p.amount,
        paid_on: p.paid_on.clone(),
        channel: p.channel.clone(),
        allocation: AllocationView {
            late_charge: p.allocated_late_charge,
            fee: p.allocated_fee,
            principal: p.allocated_principal,
            to_credit: p.to_credit,
        },
        created_at: p.created_at.clone(),
        reversed_at: p.reversed_at.clone(),
        reversal_reason: p.reversal_reason.clone(),
    }
}

/// A monitoring visit as the API returns it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct VisitView {
    /// Id.
    pub id: i64,
    /// The loan.
    pub loan_id: i64,
    /// The file.
    pub application_id: i64,
    /// Planned day (ISO).
    pub scheduled_on: String,
    /// Planned day in the Jalali calendar.
    pub scheduled_on_jalali: String,
    /// Day it took place (ISO); absent while only scheduled.
    pub visited_on: Option<String>,
    /// Whether the business was running.
    pub business_running: Option<bool>,
    /// People working in the business.
    pub people_employed: Option<i64>,
    /// Whether the plan was carried out.
    pub plan_carried_out: Option<bool>,
    /// Findings.
    pub findings: Option<String>,
    /// Recommendation.
    pub recommendation: Option<String>,
}

/// The view of a visit.
pub fn visit_view(v: &Visit, lang: Lang) -> Result<VisitView> {
    Ok(VisitView {
        id: v.id,
        loan_id: v.loan_id,
        application_id: v.application_id,
        scheduled_on: v.scheduled_on.clone(),
        scheduled_on_jalali: vamyar_i18n::format::date(lang, parse(&v.scheduled_on)?),
        visited_on: v.visited_on.clone(),
        business_running: v.business_running.map(|b| b == 1),
        people_employed: v.people_employed,
        plan_carried_out: v.plan_carried_out.map(|b| b == 1),
        findings: v.findings.clone(),
        recommendation: v.recommendation.clone(),
    })
}
