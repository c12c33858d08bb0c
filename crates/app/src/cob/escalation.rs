//! Who hears of a late file, from close of business. When a stage passes its service level,
//! the role that moves the file on in that stage (`workflow::stage_role`: the county's social
//! workers, experts or office heads, or the referral's bank officers) and the county's office
//! heads get a desk notice; when it passes twice its level, the province's administrators do.
//! Each working morning (close of business runs just after midnight) every county's office
//! heads get one digest of its late files, on the desk and by SMS. Every notice has a dedupe
//! key, so a repeated or caught-up run tells no one twice.

use chrono::NaiveDate;
use serde_json::json;
use vamyar_calendar::WorkingCalendar;
use vamyar_domain::announcement::{Announcement, Names, Notice};
use vamyar_domain::workflow::{State, stage_role};
use vamyar_store::Tx;
use vamyar_store::audit::{self, Entry};
use vamyar_store::notice::{self, LateStage, NewNotice};
use vamyar_store::outbox::{self, NewMessage};

use super::{DaySummary, HeldLease};
use crate::Ctx;
use crate::error::Result;

/// The working day on which a stage due on `due_on` with a level of `target` working days
/// passes twice its level: `target` working days after its due date.
pub fn escalate_on(calendar: &WorkingCalendar, due_on: NaiveDate, target: i64) -> NaiveDate {
    calendar.add_working_days(due_on, u32::try_from(target.max(0)).unwrap_or(u32::MAX))
}

/// Tells of the stages just flagged breached (inside the flagging transaction) and records
/// when each passes twice its level. Returns the notices written.
pub(super) async fn breached(
    tx: &mut Tx,
    calendar: &WorkingCalendar,
    stage_ids: &[i64],
) -> Result<u64> {
    let mut written = 0;
    for stage in notice::late_stages(&mut **tx, stage_ids).await? {
        let Some(state) = State::parse(&stage.state) else {
            continue;
        };
        let mut to: Vec<i64> = Vec::new();
        if let Some(role) = stage_role(state) {
            to.extend(ids(
                notice::recipients(&mut **tx, role.as_str(), &stage).await?
            ));
        }
        to.extend(ids(
            notice::recipients(&mut **tx, "office_head", &stage).await?
        ));
        to.sort_unstable();
        to.dedup();
        written += tell(tx, &stage, "breach", &to).await?;
        if let (Some(due), Some(target)) = (stage.due_on.as_deref(), stage.target_working_days) {
            let due = vamyar_store::time::parse_date(due)?;
            let on = escalate_on(calendar, due, target);
            notice::set_escalate_on(tx, stage.id, &vamyar_store::time::date(on)).await?;
        }
    }
    Ok(written)
}

fn ids(people: Vec<(i64, Option<String>)>) -> impl Iterator<Item = i64> {
    people.into_iter().map(|(id, _)| id)
}

/// One notice about a late stage to each of `to`.
async fn tell(tx: &mut Tx, stage: &LateStage, kind: &str, to: &[i64]) -> Result<u64> {
    let detail = json!({
        "tracking_code": stage.tracking_code,
        "due_on": stage.due_on,
        "target_working_days": stage.target_working_days,
    })
    .to_string();
    let mut written = 0;
    for &staff in to {
        let n = NewNotice {
            staff_user_id: staff,
            kind,
            application_id: Some(stage.application_id),
            stage: Some(&stage.state),
            detail: detail.clone(),
            dedupe_key: format!("{kind}:{}:{staff}", stage.id),
        };
        written += u64::from(notice::add(tx, &n).await?);
    }
    Ok(written)
}

/// Stages past twice their level before `iso` go to the province's administrators, one
/// transaction per stage (there are few: most files move on before).
pub(super) async fn escalate(
    ctx: &Ctx,
    iso: &str,
    held: &mut HeldLease,
    s: &mut DaySummary,
) -> Result<()> {
    for stage in notice::escalations_due(ctx.db.pool(), iso).await? {
        let mut tx = ctx.db.begin().await?;
        if notice::mark_escalated(&mut tx, stage.id).await? {
            let to: Vec<i64> =
                ids(notice::recipients(&mut *tx, "province_admin", &stage).await?).collect();
            s.escalation_notices += tell(&mut tx, &stage, "escalation", &to).await?;
            let mut entry = Entry::system("cob.escalate", "stage_timing").on(stage.id);
            entry.detail = json!({"application_id": stage.application_id, "date": iso,
                "province_admins": to.len()});
            audit::append(&mut tx, &entry).await?;
            s.stages_escalated += 1;
        }
        tx.commit().await?;
        held.keep().await?;
    }
    Ok(())
}

/// Office heads read the digest from this hour (Tehran) of the working day; its SMS is held
/// until then (close of business runs just after midnight).
pub const DIGEST_HOUR: u32 = 8;

/// The morning digest of `date`: on a working day, when `date` is today's run (not an old day
/// being caught up), each county's office heads get one notice listing the county's late
/// files and one SMS with their number, sent from [`DIGEST_HOUR`].
pub(super) async fn digest(
    ctx: &Ctx,
    calendar: &WorkingCalendar,
    date: NaiveDate,
    s: &mut DaySummary,
) -> Result<()> {
    let morning = date;
    if !calendar.is_working_day(morning) || morning < ctx.today() {
        return Ok(());
    }
    let send_at = morning
        .and_hms_opt(DIGEST_HOUR, 0, 0)
        .and_then(|t| t.and_local_timezone(vamyar_calendar::tehran()).single())
        .map(|t| vamyar_store::time::ts(t.to_utc()))
        .ok_or_else(|| crate::error::Error::Internal(format!("{morning} {DIGEST_HOUR}:00")))?;
    let key = vamyar_store::time::date(morning);
    for county in notice::county_breaches(ctx.db.pool()).await? {
        let heads = notice::office_heads(ctx.db.pool(), &county.county_code).await?;
        if heads.is_empty() {
            continue;
        }
        let names = crate::reference::county(ctx, &county.county_code)
            .await?
            .map(|c| Names {
                name_fa: c.name_fa,
                name_en: c.name_en,
            });
        let mut tx = ctx.db.begin().await?;
        for (staff, mobile) in heads {
            let n = NewNotice {
                staff_user_id: staff,
                kind: "digest",
                application_id: None,
                stage: None,
                detail: json!({"county": county.county_code, "files": county.files,
                    "tracking_codes": county.tracking_codes, "morning": key})
                .to_string(),
                dedupe_key: format!("digest:{key}:{staff}"),
            };
            if !notice::add(&mut tx, &n).await? {
                continue;
            }
            s.digests += 1;
            if let (Some(mobile), Some(names)) = (mobile.filter(|m| !m.is_empty()), &names) {
                let m = NewMessage {
                    application_id: None,
                    person_id: None,
                    recipient: &mobile,
                    announcement: Announcement {
                        tracking_code: None,
                        first_name: None,
                        notice: Notice::BreachDigest {
                            county: names.clone(),
                            files: county.files,
                        },
                    },
                    dedupe_key: Some(format!("digest:{key}:{staff}")),
                    expires_at: None,
                };
                if let Some(id) = outbox::enqueue(&mut tx, &m).await? {
                    outbox::hold_until(&mut tx, id, &send_at).await?;
                }
            }
        }
        tx.commit().await?;
    }
    Ok(())
}
