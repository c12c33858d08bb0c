//! Resetting an administrator's lost second factor (TOTP): the secret and its confirmation
//! are removed, so the account's sessions may only enrol again (see
//! [`crate::totp::enrolment_pending`]). A national administrator resets a province
//! administrator's factor with a reason; `vamyar user reset-totp` (the operator, as the
//! system) resets any account's. Both are audited (`staff.totp_reset`, with the reason).

use serde_json::json;
use vamyar_domain::policy::Actor;
use vamyar_domain::workflow::Role;
use vamyar_store::audit::Entry;
use vamyar_store::staff::{self, Staff};

use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::fields;

/// The longest reason kept.
pub const MAX_REASON_CHARS: usize = 500;

/// Who resets the factor.
#[derive(Clone, Copy, Debug)]
pub enum ResetBy<'a> {
    /// A logged-in administrator (a national administrator, for a province administrator).
    Admin(&'a Actor),
    /// The operator on the server's command line.
    Operator,
}

/// Removes the second factor of account `id`; `reason` is required from an administrator.
/// Answers the account as it was found.
pub async fn reset(ctx: &Ctx, by: ResetBy<'_>, id: i64, reason: Option<&str>) -> Result<Staff> {
    let entry = match by {
        ResetBy::Admin(actor) => {
            if actor.role() != Role::NationalAdmin {
                return Err(Error::Forbidden);
            }
            let target = staff::by_id(ctx.db.pool(), id)
                .await?
                .ok_or(Error::NotFound)?;
            if Role::parse_login(&target.role) != Some(Role::ProvinceAdmin) {
                return Err(Error::Conflict("totp_reset_not_province_admin"));
            }
            crate::audit::entry(actor, "staff.totp_reset", "staff_user")
        }
        ResetBy::Operator => Entry::system("staff.totp_reset", "staff_user"),
    };
    let target = staff::by_id(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut errors = FieldErrors::new();
    let required = matches!(by, ResetBy::Admin(_));
    let reason = fields::text(
        &mut errors,
        "reason",
        &reason.map(str::to_string),
        MAX_REASON_CHARS,
        required,
    );
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut tx = ctx.db.begin().await?;
    staff::reset_totp(&mut tx, id).await?;
    let entry = entry
        .on(id)
        .detail(json!({"username": target.username, "reason": reason}));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(target)
}
