//! A file's history: every action, who took it and when.

use serde::Serialize;
use utoipa::ToSchema;
use vamyar_domain::policy::Actor;

use crate::Ctx;
use crate::error::Result;

/// One action of a file's history.
#[derive(Serialize, ToSchema)]
pub struct HistoryItem {
    /// Action (`register`, `approve`, …).
    pub action: String,
    /// State before.
    pub from: Option<String>,
    /// State after.
    pub to: String,
    /// `staff`, `applicant` or `system`.
    pub actor_kind: String,
    /// The staff member's username, for staff viewers.
    pub actor: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Reason.
    pub reason: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// Every action on a file: who, when, from, to, note (staff viewers also see which staff
/// member acted).
pub async fn history(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Vec<HistoryItem>> {
    super::visible_file(ctx, actor, id).await?;
    let staff_view = actor.role().is_staff();
    let mut out = Vec::new();
    for e in vamyar_store::application::history(ctx.db.pool(), id).await? {
        let by = match (staff_view, e.staff_user_id) {
            (true, Some(sid)) => vamyar_store::staff::by_id(ctx.db.pool(), sid)
                .await?
                .map(|s| s.username),
            _ => None,
        };
        out.push(HistoryItem {
            action: e.action,
            from: e.from_state,
            to: e.to_state,
            actor_kind: e.actor_kind,
            actor: by,
            note: e.note,
            reason: e.reason,
            at: e.created_at,
        });
    }
    Ok(out)
}
