//! Audit entries from requests: who acted, as which kind of actor.

use vamyar_domain::workflow::Role;
use vamyar_store::audit::Entry;

use crate::auth::CurrentActor;

/// An `ok` audit entry for `action` on `entity` by the caller.
pub fn entry(current: &CurrentActor, action: impl Into<String>, entity: &'static str) -> Entry {
    match current.role() {
        Role::Applicant => Entry::applicant(
            current.actor.person_id().unwrap_or_default(),
            action,
            entity,
        ),
        Role::System => Entry::system(action, entity),
        _ => Entry::staff(current.actor.staff_id().unwrap_or_default(), action, entity),
    }
}

/// Records a refused access in its own transaction (the request itself writes nothing).
/// A failure to record is logged, never shown to the caller.
pub async fn denied(
    state: &crate::AppState,
    current: &CurrentActor,
    action: &str,
    entity: &'static str,
    id: impl ToString,
) {
    let e = entry(current, action, entity).on(id).denied();
    if let Err(err) = vamyar_store::audit::append_now(&state.db, &e).await {
        tracing::error!(error = %err, "could not record a denied access in the audit log");
    }
}
