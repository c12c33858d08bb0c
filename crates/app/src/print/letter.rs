//! The referral letter of a file as PDF.

use vamyar_domain::policy::{Actor, Scope};
use vamyar_print::ReferralLetter;

use super::{Printed, file_name, typeset, verification_code};
use crate::Ctx;
use crate::error::{Error, Result};

/// The latest referral letter of file `id` as PDF, for anyone who may see the file; 404
/// while the file was never referred. `site` is the address printed before
/// `/verify/{code}` (`https://…`, no trailing slash; empty prints the path alone).
pub async fn referral_letter(ctx: &Ctx, actor: &Actor, id: i64, site: &str) -> Result<Printed> {
    let file = crate::files::visible_file(ctx, actor, id).await?;
    let pool = ctx.db.pool();
    let r = vamyar_store::referral::latest(pool, id)
        .await?
        .ok_or(Error::NotFound)?;
    // the file's scope names its latest referral's bank; this guards like `loans::visible_loan`
    if let Scope::Bank { bank_id, .. } = actor.scope()
        && *bank_id != r.bank_id
    {
        crate::audit::denied(ctx, actor, "referral.print", "application", id).await;
        return Err(Error::NotFound);
    }
    let missing = |what: &str| Error::Internal(format!("referral {}: no {what}", r.id));
    let bank = vamyar_store::bank::bank(pool, r.bank_id)
        .await?
        .ok_or_else(|| missing("bank"))?;
    let branch = vamyar_store::bank::branch(pool, r.branch_id)
        .await?
        .ok_or_else(|| missing("branch"))?;
    let memorandum = vamyar_store::bank::memorandum(pool, r.memorandum_id)
        .await?
        .ok_or_else(|| missing("memorandum"))?;
    let letter = ReferralLetter {
        letter_number: r.letter_number.clone(),
        issued_on: vamyar_store::time::parse_date(&r.issued_on)?,
        valid_until: vamyar_store::time::parse_date(&r.valid_until)?,
        bank: bank.name_fa,
        branch: branch.name_fa,
        applicant: format!("{} {}", file.person.first_name, file.person.last_name),
        national_id: file.person.national_id.clone(),
        amount: r.amount,
        memorandum_number: memorandum.number,
        verification_code: verification_code(ctx, r.id).await?,
        site: site.trim_end_matches('/').to_string(),
    };
    Ok(Printed {
        file_name: file_name("referral", &r.letter_number),
        pdf: typeset(move || letter.to_pdf()).await?,
    })
}
