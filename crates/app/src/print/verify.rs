//! The public check of a printed referral letter by its verification code: the letter's
//! number, bank and branch, amount, dates and standing — nothing about the applicant (no
//! name, national ID, mobile or tracking code). Rate-limited per address by the web layer.

use serde::Serialize;
use utoipa::ToSchema;
use vamyar_domain::letter::{LetterStanding, standing};
use vamyar_domain::primitives::VerificationCode;
use vamyar_i18n::Lang;

use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};

/// What anyone holding a letter may learn about it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct VerifiedLetter {
    /// The code asked about, in groups of four.
    pub verification_code: String,
    /// The letter's number.
    pub letter_number: String,
    /// The bank's name (in the request's language).
    pub bank: String,
    /// The branch's name (in the request's language).
    pub branch: String,
    /// Rials referred.
    pub amount: i64,
    /// Issue date (ISO).
    pub issued_on: String,
    /// Last valid day (ISO).
    pub valid_until: String,
    /// `valid`, `expired`, `used` (the loan was paid out), `withdrawn` or `rejected`, as of
    /// today in Tehran.
    #[schema(value_type = String)]
    pub standing: LetterStanding,
}

/// The letter whose verification code is `code` (digits in any script, groups separated by
/// hyphens or spaces): 422 on the field `code` when it is not a well-formed code (the check
/// digit catches a mistyped digit), 404 when no letter has it.
pub async fn verify(ctx: &Ctx, code: &str, lang: Lang) -> Result<VerifiedLetter> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", VerificationCode::parse(code));
    errors.finish()?;
    let code = code.ok_or(Error::NotFound)?;
    let facts = vamyar_store::referral::by_verification_code(ctx.db.pool(), code.as_str())
        .await?
        .ok_or(Error::NotFound)?;
    let valid_until = vamyar_store::time::parse_date(&facts.valid_until)?;
    let (bank, branch) = match lang {
        Lang::Fa => (facts.bank_fa, facts.branch_fa),
        Lang::En => (facts.bank_en, facts.branch_en),
    };
    Ok(VerifiedLetter {
        verification_code: code.display_grouped(),
        letter_number: facts.letter_number,
        bank,
        branch,
        amount: facts.amount,
        issued_on: facts.issued_on,
        valid_until: facts.valid_until,
        standing: standing(facts.status, valid_until, ctx.today()),
    })
}
