//! The borrower's repayment schedule: the loan's header (contract, bank, principal, fee rate,
//! term) and every installment with its due date, principal, fee, late charge, what is paid
//! and what remains, and the totals of each column (integer sums: exact to the rial).

use chrono::NaiveDate;
use serde::Serialize;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::money::format_tomans;
use vamyar_domain::vocab::InstallmentStatus;
use vamyar_i18n::{Lang, format};

use crate::{PrintError, render};

/// The template (Persian, right to left).
const TEMPLATE: &str = include_str!("../templates/schedule.typ");

/// One installment, in rials.
#[derive(Clone, Debug)]
pub struct ScheduleRow {
    /// Its position, from 1.
    pub seq: i64,
    /// Its due date.
    pub due_on: NaiveDate,
    /// Principal part.
    pub principal: i64,
    /// Fee part.
    pub fee: i64,
    /// Late charge assessed so far.
    pub late_charge: i64,
    /// Everything paid on it (principal, fee and late charge).
    pub paid: i64,
    /// What is still owed on it.
    pub remaining: i64,
    /// Where it stands.
    pub status: InstallmentStatus,
}

/// A loan's schedule as printed for the borrower.
#[derive(Clone, Debug)]
pub struct RepaymentSchedule {
    /// The bank's contract number (a Latin identifier, printed as written).
    pub contract_number: String,
    /// The bank's name.
    pub bank: String,
    /// The borrower's full name.
    pub borrower: String,
    /// Rials lent.
    pub principal: i64,
    /// Annual fee rate, basis points.
    pub fee_rate_bp: i64,
    /// Number of installments.
    pub term_months: i64,
    /// Grace months.
    pub grace_months: i64,
    /// Disbursement day.
    pub disbursed_on: NaiveDate,
    /// The day the schedule is printed (its figures are as of that day).
    pub printed_on: NaiveDate,
    /// The installments, in order.
    pub rows: Vec<ScheduleRow>,
}

/// Column totals, in rials.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Σ principal.
    pub principal: i64,
    /// Σ fee.
    pub fee: i64,
    /// Σ late charge.
    pub late_charge: i64,
    /// Σ paid.
    pub paid: i64,
    /// Σ remaining.
    pub remaining: i64,
}

#[derive(Serialize)]
struct Row {
    seq: String,
    due: String,
    principal: String,
    fee: String,
    late: String,
    paid: String,
    remaining: String,
    status: String,
}

#[derive(Serialize)]
struct Data {
    contract: String,
    bank: String,
    borrower: String,
    principal: String,
    fee_rate: String,
    term: String,
    grace: String,
    disbursed: String,
    printed: String,
    rows: Vec<Row>,
    total: Row,
}

/// An amount in a table cell: tomans with separators, exactly (the unit is in the header).
fn cell(rials: i64) -> String {
    format_tomans(rials, true)
}

/// A rate in basis points as a Persian percentage: `۱۸٪`, `۴٫۵٪`.
fn percent(bp: i64) -> String {
    let whole = bp / 100;
    let hundredths = bp % 100;
    let text = if hundredths == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{hundredths:02}")
            .trim_end_matches('0')
            .to_string()
    };
    format!("{}٪", to_persian_digits(&text).replace('.', "\u{066B}"))
}

impl RepaymentSchedule {
    /// The sums of each column.
    pub fn totals(&self) -> Totals {
        self.rows.iter().fold(Totals::default(), |t, r| Totals {
            principal: t.principal + r.principal,
            fee: t.fee + r.fee,
            late_charge: t.late_charge + r.late_charge,
            paid: t.paid + r.paid,
            remaining: t.remaining + r.remaining,
        })
    }

    fn data(&self) -> Data {
        let t = self.totals();
        let months = |n: i64| vamyar_i18n::text(Lang::Fa, "pg-months", &[("n", n.into())]);
        Data {
            contract: self.contract_number.clone(),
            bank: self.bank.clone(),
            borrower: self.borrower.clone(),
            principal: format::tomans(Lang::Fa, self.principal),
            fee_rate: percent(self.fee_rate_bp),
            term: months(self.term_months),
            grace: months(self.grace_months),
            disbursed: format::date(Lang::Fa, self.disbursed_on),
            printed: format::date(Lang::Fa, self.printed_on),
            rows: self
                .rows
                .iter()
                .map(|r| Row {
                    seq: format::grouped(Lang::Fa, r.seq),
                    due: format::date(Lang::Fa, r.due_on),
                    principal: cell(r.principal),
                    fee: cell(r.fee),
                    late: cell(r.late_charge),
                    paid: cell(r.paid),
                    remaining: cell(r.remaining),
                    status: vamyar_i18n::try_text(
                        Lang::Fa,
                        &format!("pg-docstatus-inst-{}", r.status.as_str()),
                        &[],
                    )
                    .unwrap_or_else(|| r.status.as_str().to_string()),
                })
                .collect(),
            total: Row {
                seq: String::new(),
                due: String::new(),
                principal: cell(t.principal),
                fee: cell(t.fee),
                late: cell(t.late_charge),
                paid: cell(t.paid),
                remaining: cell(t.remaining),
                status: String::new(),
            },
        }
    }

    /// The schedule as an A4 PDF (as many pages as the installments need; the table's
    /// header repeats on each).
    pub fn to_pdf(&self) -> Result<Vec<u8>, PrintError> {
        render("schedule", TEMPLATE, &self.data())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_persian_percentages() {
        assert_eq!(percent(1800), "۱۸٪");
        assert_eq!(percent(450), "۴٫۵٪");
        assert_eq!(percent(425), "۴٫۲۵٪");
        assert_eq!(percent(0), "۰٪");
    }
}
