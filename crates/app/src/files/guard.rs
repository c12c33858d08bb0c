//! Guards shared by the use cases that act on a file outside the workflow's transitions
//! (documents, counselling, visits): the caller's permission on the file, and the file's
//! state read under its lock.

use vamyar_domain::policy::{self, Access, Actor, Permission};
use vamyar_domain::workflow::State as FileState;
use vamyar_store::Tx;

use super::FileContext;
use crate::Ctx;
use crate::error::{Error, Result};

/// Checks a file-bound permission: not found outside the caller's scope, forbidden for a
/// role without it (both recorded in the audit log as denied).
pub async fn permit(
    ctx: &Ctx,
    actor: &Actor,
    file: &FileContext,
    permission: &Permission,
    action: &str,
    entity: &'static str,
    entity_id: i64,
) -> Result<()> {
    match policy::check_file_permission(actor, permission, &file.scope()) {
        Access::Allowed => Ok(()),
        refused => {
            crate::audit::denied(ctx, actor, action, entity, entity_id).await;
            Err(if refused == Access::Forbidden {
                Error::Forbidden
            } else {
                Error::NotFound
            })
        }
    }
}

/// True when the file's state is one of `states`.
pub fn in_states(state: FileState, states: &[FileState]) -> bool {
    states.contains(&state)
}

/// Locks the file for the rest of `tx` and returns it as it now is (state and version read
/// under the lock), or `invalid_state` when it is no longer in one of `states`.
pub async fn lock_file(
    tx: &mut Tx,
    file: &FileContext,
    states: &[FileState],
) -> Result<FileContext> {
    let (state, version) = vamyar_store::document::lock_application(tx, file.app.id)
        .await?
        .ok_or(Error::NotFound)?;
    if !in_states(state, states) {
        return Err(Error::Conflict("invalid_state"));
    }
    let mut fresh = file.clone();
    fresh.app.state = state;
    fresh.app.version = version;
    Ok(fresh)
}
