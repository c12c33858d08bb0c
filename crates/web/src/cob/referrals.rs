//! Step e of close of business: referral letters past their validity expire through the
//! workflow, exactly as a person's action would move the file.

use std::collections::HashMap;

use vamyar_domain::workflow::{self, Action, ActionInput, Role, State};

use super::{DaySummary, HeldLease};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::files::actions::{self, ActionBody, Doer};
use crate::files::{FileContext, Settings, hooks};
use vamyar_store::cob::steps;

/// Step e: referral letters past their validity expire through the workflow (`expire_referral`
/// by the system): the quota is released, the referral marked expired and the file goes back
/// to awaiting_referral with its history, audit row and announcement, one file per
/// transaction.
pub(super) async fn expire(
    state: &AppState,
    iso: &str,
    held: &mut HeldLease,
    s: &mut DaySummary,
) -> AppResult<()> {
    let files = steps::expired_referrals(state.db.pool(), iso).await?;
    if files.is_empty() {
        return Ok(());
    }
    let calendar = vamyar_store::reference::working_calendar(&state.db).await?;
    let mut programs: HashMap<i64, Settings> = HashMap::new();
    for id in files {
        let Some(file) = FileContext::load(state, id).await? else {
            s.referrals_skipped += 1;
            continue;
        };
        let transition = State::parse(&file.app.state).and_then(|from| {
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
        let settings = match programs.get(&file.app.program_id) {
            Some(p) => p.clone(),
            None => {
                let p = Settings::load(state, file.app.program_id)
                    .await?
                    .ok_or_else(|| AppError::Internal("program missing".into()))?;
                programs.insert(file.app.program_id, p.clone());
                p
            }
        };
        let body = ActionBody {
            version: file.app.version,
            ..ActionBody::default()
        };
        let doer = Doer::system();
        let mut tx = state.db.begin().await?;
        let detail =
            hooks::before_transition(&mut tx, state, &file, &settings, &transition, &body, &doer)
                .await;
        let done = match detail {
            Ok(detail) => {
                actions::apply(
                    &mut tx,
                    &file,
                    &settings,
                    &calendar,
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
            Err(AppError::StaleVersion | AppError::Conflict(_)) => {
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
