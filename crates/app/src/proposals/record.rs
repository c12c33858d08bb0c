//! One step of a proposal (`propose`, `confirm`, `reject`, `expire`) written to the file's
//! history and the audit log, inside the step's transaction.

use serde_json::json;
use vamyar_store::Tx;
use vamyar_store::proposal::Proposal;

use crate::error::Result;
use crate::files::FileContext;

/// Writes one step of a proposal (`propose`, `confirm`, `reject`, `expire`) to the file's
/// history (action `<step>_<act>`, the file's state unchanged) and the audit log.
pub async fn step(
    tx: &mut Tx,
    p: &Proposal,
    file: &FileContext,
    staff_id: Option<i64>,
    step: &str,
    text: Option<&str>,
    at: &str,
) -> Result<()> {
    let state = file.app.state.as_str();
    let action = format!("{step}_{}", p.action);
    let detail =
        json!({"proposal_id": p.id, "payment_id": p.payment_id, "expires_on": p.expires_on});
    vamyar_store::application::add_event(
        tx,
        &vamyar_store::application::NewEvent {
            application_id: file.app.id,
            action: &action,
            from_state: Some(state),
            to_state: state,
            actor_kind: if staff_id.is_some() {
                "staff"
            } else {
                "system"
            },
            staff_user_id: staff_id,
            person_id: None,
            note: if step == "propose" { None } else { text },
            reason: if step == "propose" { text } else { None },
            detail: detail.clone(),
            at,
        },
    )
    .await?;
    let entry = match staff_id {
        Some(id) => vamyar_store::audit::Entry::staff(id, format!("proposal.{step}"), "proposal"),
        None => vamyar_store::audit::Entry::system(format!("proposal.{step}"), "proposal"),
    };
    let mut detail = detail;
    detail["action"] = json!(p.action);
    detail["application_id"] = json!(file.app.id);
    vamyar_store::audit::append(tx, &entry.on(p.id).detail(detail)).await?;
    Ok(())
}
