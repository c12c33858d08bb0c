//! The loan use cases as the channels call them: a loan with its balances, its schedule and
//! payments, the loan of a file, and a bank officer posting a payment.

use serde::Deserialize;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_i18n::Lang;

use super::payments::{self, Posted, Poster};
use super::view::{self, LoanView, PaymentView, ScheduleView};
use super::{LoanContext, permitted_loan, visible_loan};
use crate::Ctx;
use crate::applicant::Flex;
use crate::error::{Error, Result};

async fn render(ctx: &Ctx, lc: &LoanContext, lang: Lang) -> Result<LoanView> {
    let rows = super::installments_as_of(ctx, &lc.loan, ctx.today()).await?;
    view::loan_view(&lc.loan, &lc.app.tracking_code, &rows, ctx.today(), lang)
}

/// A loan with its balances, arrears and next due installment (the applicant, staff whose
/// scope covers the file, the bank).
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64, lang: Lang) -> Result<LoanView> {
    let lc = visible_loan(ctx, actor, id, "loan.view").await?;
    render(ctx, &lc, lang).await
}

/// The loan of a file (not found while it has none).
pub async fn of_file(ctx: &Ctx, actor: &Actor, file_id: i64, lang: Lang) -> Result<LoanView> {
    crate::files::visible_file(ctx, actor, file_id).await?;
    let loan = vamyar_store::loan::for_application(ctx.db.pool(), file_id)
        .await?
        .ok_or(Error::NotFound)?;
    get(ctx, actor, loan.id, lang).await
}

/// A loan's installments, with the late charge accrued through today (see
/// [`super::installments_as_of`]).
pub async fn schedule(ctx: &Ctx, actor: &Actor, id: i64, lang: Lang) -> Result<ScheduleView> {
    let lc = visible_loan(ctx, actor, id, "loan.view").await?;
    let rows = super::installments_as_of(ctx, &lc.loan, ctx.today()).await?;
    view::schedule_view(lc.loan.id, &rows, lang)
}

/// A loan's payments, oldest first.
pub async fn payments(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Vec<PaymentView>> {
    let lc = visible_loan(ctx, actor, id, "loan.view").await?;
    let list = vamyar_store::loan::payment::for_loan(ctx.db.pool(), lc.loan.id).await?;
    Ok(list.iter().map(view::payment_view).collect())
}

/// The body of a payment.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentBody {
    /// Rials paid: more than 0, at most 10¹³.
    pub amount: Option<Flex>,
    /// Value date: ISO or Jalali (`1405/01/15`), not in the future nor before disbursement.
    pub paid_on: Option<String>,
    /// The bank's own reference: the same reference posts once (at most 64 characters).
    pub bank_reference: Option<String>,
}

/// Posts a repayment by the loan's bank officer through `channel` (`api` or `page`); the
/// body is judged after the caller's authority. A repeated reference answers with the stored
/// payment ([`Posted::Repeated`]).
pub async fn post_payment(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
    channel: &'static str,
) -> Result<Posted> {
    let ctx = &ctx.pinned();
    let lc = permitted_loan(ctx, actor, id, &Permission::PostPayments, "loan.payment").await?;
    let body: PaymentBody = crate::input::from_value(body)?;
    let input = payments::parse_input(
        body.amount.as_ref().map(|a| a.0.as_str()),
        body.paid_on.as_deref(),
        body.bank_reference.as_deref(),
        ctx.today(),
    )
    .map_err(Error::Validation)?;
    let by = Poster {
        staff_id: actor.staff_id(),
        channel,
    };
    payments::post(ctx, &lc, &input, by).await
}
