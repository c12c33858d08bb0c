//! A staff member's desk notices: files of theirs past a stage's service level, files past
//! twice it (province administrators), the office head's morning digest, and complaints past
//! their service level (stage `complaint`). Written by close
//! of business (`cob::escalation`); each person reads and clears only their own.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vamyar_domain::policy::Actor;
use vamyar_store::notice::{self, StaffNotice};

use crate::Ctx;
use crate::error::{Error, Result};

/// How many notices a person is shown (the latest).
pub const SHOWN: i64 = 100;

/// One notice.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct NoticeView {
    /// Id.
    pub id: i64,
    /// `breach` (a stage passed its level), `escalation` (twice its level) or `digest` (the
    /// county's late files, each working morning).
    pub kind: String,
    /// The file (breach, escalation).
    pub application_id: Option<i64>,
    /// The file's tracking code (breach, escalation).
    pub tracking_code: Option<String>,
    /// The stage that passed its level (state name).
    pub stage: Option<String>,
    /// The stage's due date (ISO), which passed.
    pub due_on: Option<String>,
    /// The county (digest).
    pub county: Option<String>,
    /// How many files of the county are late (digest).
    pub files: Option<i64>,
    /// The tracking codes of the county's late files, longest late first, at most 20 (digest).
    pub tracking_codes: Vec<String>,
    /// The complaint or appeal past its service level (stage `complaint`).
    pub complaint_id: Option<i64>,
    /// Already read.
    pub read: bool,
    /// When it was written (RFC 3339).
    pub created_at: String,
}

/// A person's notices.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Notices {
    /// How many are unread.
    pub unread: i64,
    /// The latest ones, newest first.
    pub notices: Vec<NoticeView>,
}

/// The body of `POST /api/v1/me/notices/read`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadBody {
    /// Marks the notices up to this id read (the newest one shown); all when not given.
    pub through_id: Option<i64>,
}

fn view(n: StaffNotice) -> NoticeView {
    let detail: serde_json::Value = serde_json::from_str(&n.detail).unwrap_or_default();
    let text = |k: &str| detail.get(k).and_then(|v| v.as_str()).map(str::to_string);
    NoticeView {
        id: n.id,
        tracking_code: text("tracking_code"),
        due_on: text("due_on"),
        county: text("county"),
        files: detail.get("files").and_then(|v| v.as_i64()),
        complaint_id: detail.get("complaint_id").and_then(|v| v.as_i64()),
        tracking_codes: detail
            .get("tracking_codes")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        kind: n.kind,
        application_id: n.application_id,
        stage: n.stage,
        read: n.read_at.is_some(),
        created_at: n.created_at,
    }
}

/// The caller's notices (staff only; an applicant is refused).
pub async fn mine(ctx: &Ctx, actor: &Actor) -> Result<Notices> {
    let staff = actor.staff_id().ok_or(Error::Forbidden)?;
    let pool = ctx.db.pool();
    let unread = notice::unread(pool, staff).await?;
    let notices = notice::of_staff(pool, staff, SHOWN)
        .await?
        .into_iter()
        .map(view)
        .collect();
    Ok(Notices { unread, notices })
}

/// How many of the caller's notices are unread (0 for anyone without notices).
pub async fn unread(ctx: &Ctx, actor: &Actor) -> Result<i64> {
    match actor.staff_id() {
        Some(staff) => Ok(notice::unread(ctx.db.pool(), staff).await?),
        None => Ok(0),
    }
}

/// Marks the caller's notices read, up to `through_id` or all; returns how many.
pub async fn mark_read(ctx: &Ctx, actor: &Actor, body: ReadBody) -> Result<u64> {
    let staff = actor.staff_id().ok_or(Error::Forbidden)?;
    let mut tx = ctx.db.begin().await?;
    let n = notice::mark_read(&mut tx, staff, body.through_id.unwrap_or(i64::MAX)).await?;
    tx.commit().await?;
    Ok(n)
}
