//! Audit entries for the acting person, and refused accesses.

use vamyar_domain::policy::Actor;
use vamyar_domain::workflow::Role;
use vamyar_store::audit::Entry;

use crate::Ctx;

/// An `ok` audit entry for `action` on `entity` by `actor`.
pub fn entry(actor: &Actor, action: impl Into<String>, entity: &'static str) -> Entry {
    match actor.role() {
        Role::Applicant => Entry::applicant(actor.person_id().unwrap_or_default(), action, entity),
        Role::System => Entry::system(action, entity),
        _ => Entry::staff(actor.staff_id().unwrap_or_default(), action, entity),
    }
}

/// Records a refused access in its own transaction (the request itself writes nothing).
/// A failure to record is logged, never shown to the caller.
pub async fn denied(
    ctx: &Ctx,
    actor: &Actor,
    action: &str,
    entity: &'static str,
    id: impl ToString,
) {
    let e = entry(actor, action, entity).on(id).denied();
    if let Err(err) = vamyar_store::audit::append_now(&ctx.db, &e).await {
        tracing::error!(error = %err, "could not record a denied access in the audit log");
    }
}
