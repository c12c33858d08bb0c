//! Printed documents: the referral letter of a file and the repayment schedule of a loan as
//! PDF (typeset by `vamyar_print`), for whoever may see the file, and the public check of a
//! letter by its verification code ([`verify`]), which says nothing about the applicant.
//!
//! Who may print what is the policy's file visibility, nothing new: the letter goes to anyone
//! who may see the file (`files::visible_file`: the applicant, staff whose scope covers it,
//! the officer of the referral's bank), the schedule to anyone who may see the loan
//! (`loans::visible_loan`); everyone else gets the same 404 as for the file itself.

use vamyar_domain::primitives::VerificationCode;

use crate::Ctx;
use crate::error::{Error, Result};

pub mod letter;
pub mod schedule;
pub mod verify;

/// A printed document ready to download.
#[derive(Clone, Debug)]
pub struct Printed {
    /// A file name without personal data (the letter's or the contract's number).
    pub file_name: String,
    /// The PDF.
    pub pdf: Vec<u8>,
}

/// Typesets off the async threads (typst is CPU-bound: tens of milliseconds a page).
async fn typeset<F>(make: F) -> Result<Vec<u8>>
where
    F: FnOnce() -> std::result::Result<Vec<u8>, vamyar_print::PrintError> + Send + 'static,
{
    tokio::task::spawn_blocking(make)
        .await
        .map_err(|e| Error::Internal(format!("typesetting task: {e}")))?
        .map_err(|e| Error::Internal(e.to_string()))
}

/// A file name made of `prefix` and the characters of `id` that are safe in a
/// `Content-Disposition` header (ASCII letters, digits, `-`, `_`, `.`).
fn file_name(prefix: &str, id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{safe}.pdf")
}

/// The verification code of referral `id`: the one stored, or the first code derived from
/// the id under the installation's key that no other letter holds, stored now. Deriving is
/// deterministic, so two servers printing the same letter at once store the same code.
pub async fn verification_code(ctx: &Ctx, id: i64) -> Result<VerificationCode> {
    let stored = vamyar_store::referral::verification_code(ctx.db.pool(), id).await?;
    if let Some(code) = stored {
        return VerificationCode::parse(&code)
            .map_err(|e| Error::Internal(format!("referral {id}: stored code: {e}")));
    }
    let key =
        crate::reference::installation_key(ctx, vamyar_store::secret::LETTER_VERIFICATION).await?;
    for attempt in 0..8 {
        let code = VerificationCode::derive(&key, id, attempt);
        let mut tx = ctx.db.begin().await?;
        let kept =
            vamyar_store::referral::keep_verification_code(&mut tx, id, code.as_str()).await?;
        tx.commit().await?;
        if let Some(kept) = kept {
            return VerificationCode::parse(&kept)
                .map_err(|e| Error::Internal(format!("referral {id}: stored code: {e}")));
        }
    }
    Err(Error::Internal(format!(
        "referral {id}: no free verification code in 8 attempts"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            file_name("referral", "1405-23-000012"),
            "referral-1405-23-000012.pdf"
        );
        assert_eq!(
            file_name("schedule", "C/10\"01 x"),
            "schedule-C-10-01-x.pdf"
        );
        assert_eq!(
            file_name("schedule", "قرارداد۱"),
            format!("schedule-{}.pdf", "-".repeat(8))
        );
    }
}
