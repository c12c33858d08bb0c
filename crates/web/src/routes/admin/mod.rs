//! The national administration's API: programs and their loan types, partner banks with
//! branches, memoranda with provincial quotas, counties' deprived flag and the holiday
//! calendar. Reads are open to every staff member (a bank officer sees only their own bank);
//! writes need the matching [`Permission`] and are audit-logged in the same transaction.
//!
//! This module holds what the groups share: permission checks, the audit call and the
//! parsing of the scalar fields every body has (codes, titles, whole numbers, amounts, dates).

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_domain::policy::{self, Permission};
use vamyar_store::Tx;
use vamyar_store::audit;

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
pub use vamyar_app::admin::program_input;
pub use vamyar_app::fields::{
    amount, code, conflict_on, date, flag, int, int_of, int_or, label, region_code,
};

pub mod banks;
pub mod geography;
pub mod memoranda;
pub mod programs;
pub mod quotas;
pub mod staff;

/// The routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(programs::list_programs, programs::create_program))
        .routes(routes!(programs::get_program, programs::update_program))
        .routes(routes!(banks::list_banks, banks::create_bank))
        .routes(routes!(banks::create_branch))
        .routes(routes!(
            memoranda::list_memoranda,
            memoranda::create_memorandum
        ))
        .routes(routes!(quotas::set_quota))
        .routes(routes!(geography::set_county))
        .routes(routes!(geography::list_holidays, geography::add_holiday))
        .routes(routes!(geography::delete_holiday))
        .routes(routes!(staff::list_staff, staff::create_staff))
}

/// 403 unless the caller holds `permission`.
pub fn require(current: &CurrentActor, permission: &Permission) -> AppResult<()> {
    if policy::allows(&current.actor, permission) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// 403 unless the caller is staff (applicants do not read configuration).
pub fn require_staff(current: &CurrentActor) -> AppResult<()> {
    if current.role().is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Appends one audit entry for a configuration change, inside the caller's transaction, so
/// the change and its record commit together.
pub async fn audit(
    tx: &mut Tx,
    current: &CurrentActor,
    action: &str,
    entity: &'static str,
    entity_id: impl ToString,
    detail: serde_json::Value,
) -> AppResult<()> {
    let entry = vamyar_app::audit::entry(&current.actor, action, entity)
        .on(entity_id)
        .detail(detail);
    audit::append(tx, &entry).await?;
    Ok(())
}

/// Commits a transaction.
pub async fn commit(tx: Tx) -> AppResult<()> {
    tx.commit()
        .await
        .map_err(|e| AppError::from(vamyar_store::StoreError::from(e)))
}
