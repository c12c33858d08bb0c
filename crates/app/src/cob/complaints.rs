//! Complaints past their service level, from close of business: an open complaint or appeal
//! whose due day ended before the business date goes to the county's office heads (who own
//! it: a `breach` notice) and to the province's administrators (an `escalation` notice), once.
//! The notices are the desk notices of late stages (`staff_notice`), with the stage
//! `complaint` and the ticket in their detail; dedupe keys make a repeated run tell no one
//! twice.

use serde_json::json;
use vamyar_store::audit::{self, Entry};
use vamyar_store::complaint::{self, Complaint};
use vamyar_store::notice::{self, LateStage, NewNotice};

use super::{DaySummary, HeldLease};
use crate::Ctx;
use crate::error::Result;

/// The stage name complaint notices carry.
pub const STAGE: &str = "complaint";

/// Escalates the complaints due before `iso` (the business date), one transaction each.
pub(super) async fn escalate(
    ctx: &Ctx,
    iso: &str,
    held: &mut HeldLease,
    s: &mut DaySummary,
) -> Result<()> {
    let at = vamyar_store::time::ts(ctx.clock.now());
    for c in complaint::past_due(ctx.db.pool(), iso).await? {
        let mut tx = ctx.db.begin().await?;
        if complaint::mark_escalated(&mut tx, c.id, &at).await? {
            let heads: Vec<i64> = notice::office_heads(&mut *tx, &c.county_code)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let admins: Vec<i64> = notice::recipients(&mut *tx, "province_admin", &as_stage(&c))
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            s.complaint_notices += tell(&mut tx, &c, "breach", &heads).await?;
            s.complaint_notices += tell(&mut tx, &c, "escalation", &admins).await?;
            let entry = Entry::system("cob.complaint_escalate", "complaint")
                .on(c.id)
                .detail(json!({"application_id": c.application_id, "date": iso,
                    "office_heads": heads.len(), "province_admins": admins.len()}));
            audit::append(&mut tx, &entry).await?;
            s.complaints_escalated += 1;
        }
        tx.commit().await?;
        held.keep().await?;
    }
    Ok(())
}

/// The complaint addressed like a late stage (its file's county and province).
fn as_stage(c: &Complaint) -> LateStage {
    LateStage {
        id: c.id,
        application_id: c.application_id,
        tracking_code: c.tracking_code.clone(),
        state: STAGE.to_string(),
        target_working_days: None,
        due_on: Some(c.due_on.clone()),
        province_code: c.province_code.clone(),
        county_code: c.county_code.clone(),
        bank_id: None,
        branch_id: None,
    }
}

/// One notice about a late complaint to each of `to`.
async fn tell(tx: &mut vamyar_store::Tx, c: &Complaint, kind: &str, to: &[i64]) -> Result<u64> {
    let detail = json!({"tracking_code": c.tracking_code, "due_on": c.due_on,
        "complaint_id": c.id, "complaint_kind": c.kind})
    .to_string();
    let mut written = 0;
    for &staff in to {
        let n = NewNotice {
            staff_user_id: staff,
            kind,
            application_id: Some(c.application_id),
            stage: Some(STAGE),
            detail: detail.clone(),
            dedupe_key: format!("complaint-{kind}:{}:{staff}", c.id),
        };
        written += u64::from(notice::add(tx, &n).await?);
    }
    Ok(written)
}
