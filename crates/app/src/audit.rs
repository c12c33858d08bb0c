//! Audit entries for the acting person, refused accesses, and `serve`'s sealer.

use std::time::Duration;

use vamyar_domain::policy::Actor;
use vamyar_domain::workflow::Role;
use vamyar_store::Db;
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

/// How often `serve` seals the audit log: a committed audit row is tamper-evident at most
/// about this long after its transaction commits.
pub const SEAL_EVERY: Duration = Duration::from_secs(1);

/// `serve`'s sealer: every `every`, seals the committed audit rows
/// ([`vamyar_store::audit::seal_all`]); when `shutdown` resolves, seals once more and returns.
/// Several servers may each run one: the head's lock lets one seal at a time. A failure is
/// logged and retried at the next tick.
pub async fn seal_every(db: Db, every: Duration, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            _ = &mut shutdown => break,
            _ = tick.tick() => seal_logged(&db).await,
        }
    }
    seal_logged(&db).await;
}

async fn seal_logged(db: &Db) {
    match vamyar_store::audit::seal_all(db).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(rows = n, "audit rows sealed"),
        Err(e) => tracing::warn!(error = %e, "sealing the audit log failed; retrying later"),
    }
}
