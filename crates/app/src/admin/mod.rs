//! The administration of reference data: programs, banks, memoranda and quotas, counties
//! and holidays, staff accounts. Reads are open to every staff member (a bank officer sees
//! only their own bank); writes need the matching [`Permission`] and are audit-logged in the
//! same transaction as the change.
//!
//! The modules form a one-way graph: [`banks`] and [`quotas`] read [`memoranda`]'s views;
//! [`changes`] (four eyes on quotas, staff roles, programs and memoranda) calls those four;
//! every module uses only the helpers here (permission checks, the audit call, a quota's
//! limits), and this module uses none of them.

use serde_json::Value;
use vamyar_domain::policy::{self, Actor, Permission, Scope};
use vamyar_store::Tx;

use crate::applicant::Flex;
use crate::error::{Error, FieldErrors, Result};
use crate::fields::{amount, int};

pub mod banks;
pub mod changes;
pub mod decile_import;
pub mod holiday_import;
pub mod memoranda;
pub mod places;
pub mod program_input;
pub mod programs;
pub mod quotas;
pub mod staff;
pub mod totp_reset;

/// The largest referral count a quota may allow.
pub const MAX_QUOTA_COUNT: i64 = 10_000_000;

/// Forbidden unless `actor` holds `permission`.
pub fn require(actor: &Actor, permission: &Permission) -> Result<()> {
    if policy::allows(actor, permission) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Forbidden unless `actor` is staff (applicants do not read configuration).
pub fn require_staff(actor: &Actor) -> Result<()> {
    if actor.role().is_staff() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// The bank an actor is restricted to (bank officers), if any.
pub fn own_bank(actor: &Actor) -> Option<i64> {
    match actor.scope() {
        Scope::Bank { bank_id, .. } => Some(*bank_id),
        _ => None,
    }
}

/// Appends one audit entry for a configuration change, inside the caller's transaction, so
/// the change and its record commit together.
pub async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity: &'static str,
    entity_id: impl ToString,
    detail: Value,
) -> Result<()> {
    let entry = crate::audit::entry(actor, action, entity)
        .on(entity_id)
        .detail(detail);
    vamyar_store::audit::append(tx, &entry).await?;
    Ok(())
}

/// A quota's two limits, checked; fields `{prefix}count_limit` and `{prefix}amount_limit`.
pub fn limits(
    errors: &mut FieldErrors,
    prefix: &str,
    count: &Option<Flex>,
    amount_limit: &Option<Flex>,
) -> Option<(i64, i64)> {
    let c = int(
        errors,
        &format!("{prefix}count_limit"),
        count,
        0..=MAX_QUOTA_COUNT,
    );
    let a = amount(
        errors,
        &format!("{prefix}amount_limit"),
        amount_limit,
        0..=i64::MAX,
    );
    Some((c?, a?))
}

/// An internal error for a parse that found no problem yet returned nothing (a bug).
pub(crate) fn unparsed(what: &str) -> Error {
    Error::Internal(format!("{what} parse returned nothing"))
}
