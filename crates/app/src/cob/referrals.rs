//! Step e of close of business: referral letters past their validity expire through the
//! workflow, exactly as a person's action would move the file.

use std::collections::HashMap;

use vamyar_domain::workflow::{self, Action, ActionInput, Role};

use super::{DaySummary, HeldLease};
use crate::Ctx;
use crate::error::{Error, Result};
use crate::files::actions;
use crate::files::body::ActionBody;
use crate::files::doer::Doer;
use crate::files::{FileContext, Rules, hooks};
use vamyar_store::cob::steps;

/// Step e: referral letters past their validity expire through the workflow (`expire_referral`
/// by the system): the quota is released, the referral marked expired and the file goes back
/// to awaiting_referral with its history, audit row and announcement, one file per
/// transaction.
pub(super) async fn expire(
    ctx: &Ctx,
    iso: &str,
    held: &mut HeldLease,
    s: &mut DaySummary,
) -> Result<()> {
    let files = steps::expired_referrals(ctx.db.pool(), iso).await?;
    if files.is_empty() {
        return Ok(());
    }
    // the business date, not the clock: a caught-up date times its stages from that day
    let date = vamyar_store::time::parse_date(iso)?;
    let mut programs: HashMap<i64, Rules> = HashMap::new();
    for id in files {
        let Some(file) = FileContext::load(ctx, id).await? else {
            s.referrals_skipped += 1;
            continue;
        };
        let transition = Some(file.app.state).and_then(|from| {
            workflow::decide(
                from,
                Action::ExpireReferral,
                Role::System,
                &ActionInput::default(),
            )
            .ok()
        });
        let Some(transition) = transition else {
            tracing::warn!(
                file = id,
                "an expired referral letter on a file not in referral"
            );
            s.referrals_skipped += 1;
            continue;
        };
        let rules = match programs.get(&file.app.program_id) {
            Some(r) => r.clone(),
            None => {
                let mut r = Rules::load(ctx, file.app.program_id).await?;
                r.today = date;
                programs.insert(file.app.program_id, r.clone());
                r
            }
        };
        let body = ActionBody {
            version: file.app.version,
            ..ActionBody::default()
        };
        let doer = Doer::system();
        let mut tx = ctx.db.begin().await?;
        let detail =
            hooks::before_transition(&mut tx, &file, &rules, &transition, &body, &doer).await;
        let done = match detail {
            Ok(detail) => {
                actions::apply(
                    &mut tx,
                    &file,
                    &rules,
                    &transition,
                    &doer,
                    &ActionInput::default(),
                    detail,
                )
                .await
            }
            Err(e) => Err(e),
        };
        match done {
            Ok(()) => {
                tx.commit().await?;
                s.referrals_expired += 1;
            }
            Err(Error::StaleVersion | Error::Conflict(_)) => {
                // the file moved meanwhile: the next run looks again
                tx.rollback().await?;
                s.referrals_skipped += 1;
            }
            Err(e) => return Err(e),
        }
        held.keep().await?;
    }
    Ok(())
}
