//! A disbursed file's loan on its pages: the summary and the installments (paid, due,
//! overdue), from the loan use cases (`vamyar_app::loans::service`).

use vamyar_i18n::Lang;

use super::detail::Pair;
use super::fmt;
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use vamyar_app::loans::service;

/// An installment as listed.
#[derive(Clone, Debug)]
pub struct InstRow {
    /// Its number.
    pub seq: String,
    /// Due date (Jalali).
    pub due: String,
    /// Principal plus fee plus late charge.
    pub amount: String,
    /// What is still owed.
    pub outstanding: String,
    /// Status's name.
    pub status: String,
    /// Raw status (`paid`, `due`, `overdue`, …), for the badge.
    pub status_code: String,
}

/// The loan of a file, as its pages show it.
#[derive(Clone, Debug)]
pub struct LoanBlock {
    /// Loan id (for the payment form).
    pub id: i64,
    /// Contract, principal, fee, arrears.
    pub summary: Vec<Pair>,
    /// The installments.
    pub rows: Vec<InstRow>,
    /// The next installment to pay, in a sentence: its exact amount still owed and its
    /// Jalali due date (`None` once everything is paid).
    pub next_due: Option<String>,
    /// The loan's payments, oldest first (reversed ones marked).
    pub payments: Vec<PayRow>,
}

/// One payment as listed on the loan.
#[derive(Clone, Debug)]
pub struct PayRow {
    /// Payment id (for the reversal form).
    pub id: i64,
    /// Value date (Jalali).
    pub paid_on: String,
    /// Amount (tomans).
    pub amount: String,
    /// The bank's reference.
    pub reference: String,
    /// Recorded or reversed, as shown.
    pub status: String,
    /// Whether it was reversed.
    pub reversed: bool,
}

/// The loan of file `id` when it has one (disbursed), else `None`.
pub async fn block(
    state: &AppState,
    current: &CurrentActor,
    id: i64,
    lang: Lang,
) -> AppResult<Option<LoanBlock>> {
    if vamyar_store::loan::for_application(state.db.pool(), id)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    let loan = service::of_file(&state.ctx, &current.actor, id, lang).await?;
    let schedule = service::schedule(&state.ctx, &current.actor, loan.id, lang).await?;
    let t = |id: &str| vamyar_i18n::text(lang, id, &[]);
    let summary = vec![
        Pair {
            label: t("pg-field-contract-number"),
            value: fmt::code(&loan.contract_number),
        },
        Pair {
            label: t("pg-principal"),
            value: fmt::tomans(lang, loan.principal),
        },
        Pair {
            label: t("pg-total-fee"),
            value: fmt::tomans(lang, loan.total_fee),
        },
        Pair {
            label: t("pg-field-disbursed-on"),
            value: fmt::date(lang, &loan.disbursed_on),
        },
        Pair {
            label: t("pg-installments-paid"),
            value: format!(
                "{} / {}",
                fmt::num(lang, loan.installments_paid as i64),
                fmt::num(lang, loan.installments_total as i64)
            ),
        },
        Pair {
            label: t("pg-arrears-days"),
            value: fmt::num(lang, i64::from(loan.arrears_days)),
        },
    ];
    let rows = schedule
        .installments
        .iter()
        .map(|i| InstRow {
            seq: fmt::num(lang, i.seq),
            due: fmt::date(lang, &i.due_on),
            amount: fmt::tomans(lang, i.principal + i.fee + i.late_charge),
            outstanding: fmt::tomans(lang, i.outstanding),
            status: fmt::doc_status(lang, &format!("inst-{}", i.status)),
            status_code: i.status.to_string(),
        })
        .collect();
    let next_due = schedule
        .installments
        .iter()
        .find(|i| i.status.to_string() != "paid" && i.outstanding > 0)
        .map(|i| {
            vamyar_i18n::text(
                lang,
                "pg-next-installment",
                &[
                    ("amount", fmt::tomans(lang, i.outstanding).into()),
                    ("due", fmt::date(lang, &i.due_on).into()),
                ],
            )
        });
    let payments = service::payments(&state.ctx, &current.actor, loan.id)
        .await?
        .into_iter()
        .map(|p| PayRow {
            id: p.id,
            paid_on: fmt::date(lang, &p.paid_on),
            amount: fmt::tomans(lang, p.amount),
            reference: p.bank_reference,
            status: t(if p.reversed_at.is_some() {
                "pg-payment-reversed"
            } else {
                "pg-payment-standing"
            }),
            reversed: p.reversed_at.is_some(),
        })
        .collect();
    Ok(Some(LoanBlock {
        id: loan.id,
        summary,
        rows,
        next_due,
        payments,
    }))
}
