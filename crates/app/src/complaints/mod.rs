//! Complaints (grievances) and appeals about a file: filed by the applicant (portal, or an SMS
//! with the keyword «شکایت» / «اعتراض» and the tracking code) or by a desk clerk for them;
//! owned by the county's office head, who answers within
//! [`crate::Settings::complaint_working_days`] working days; past that, close of business
//! tells the office heads and the province's administrators (`cob::complaints`). The answer
//! reaches the applicant by SMS and the portal inbox; an upheld appeal against a rejection
//! reopens the file for a second social-work review (the workflow's `reopen`).
//!
//! `file` files one, `answer` answers one; this module lists and shows them to whoever may
//! see the file.

use serde::Serialize;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Scope};
use vamyar_domain::workflow::Role;
use vamyar_store::complaint::{self, Complaint, Whose};

use crate::Ctx;
use crate::error::{Error, Result};

pub mod answer;
pub mod file;

pub use answer::{AnswerBody, answer};
pub use file::{ComplaintBody, file, file_by_sms};

/// How many complaints a list shows (open ones first, then the newest).
pub const SHOWN: i64 = 200;

/// The two kinds of ticket.
pub const KINDS: [&str; 2] = ["complaint", "appeal"];

/// The two outcomes of an answer.
pub const OUTCOMES: [&str; 2] = ["upheld", "dismissed"];

/// A complaint or appeal as shown.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ComplaintView {
    /// Id: also the ticket number told to the applicant.
    pub id: i64,
    /// The file it is about.
    pub application_id: i64,
    /// The file's tracking code.
    pub tracking_code: String,
    /// The file's state now.
    pub file_state: String,
    /// `complaint` or `appeal` (against the file's rejection).
    pub kind: String,
    /// `portal`, `sms` or `desk`.
    pub channel: String,
    /// What the applicant said.
    pub body: String,
    /// `open` or `answered`.
    pub status: String,
    /// `upheld` or `dismissed`, once answered.
    pub outcome: Option<String>,
    /// The office's answer, once answered.
    pub answer: Option<String>,
    /// The day it was filed (ISO, Tehran).
    pub filed_on: String,
    /// The last working day of its service level (ISO).
    pub due_on: String,
    /// Open past its service level.
    pub overdue: bool,
    /// Close of business told the province's administrators.
    pub escalated: bool,
    /// When it was answered (RFC 3339).
    pub answered_at: Option<String>,
}

/// The view of a stored complaint on `today` (ISO).
pub fn view(c: Complaint, today: &str) -> ComplaintView {
    ComplaintView {
        overdue: c.status == "open" && c.due_on.as_str() < today,
        escalated: c.escalated_at.is_some(),
        id: c.id,
        application_id: c.application_id,
        tracking_code: c.tracking_code,
        file_state: c.file_state,
        kind: c.kind,
        channel: c.channel,
        body: c.body,
        status: c.status,
        outcome: c.outcome,
        answer: c.answer,
        filed_on: c.filed_on,
        due_on: c.due_on,
        answered_at: c.answered_at,
    }
}

/// Whose complaints `actor` sees: the applicant their own, county staff their county's, the
/// province's administrator the province's, headquarters and auditors all. Bank officers
/// have no part in complaints (403).
fn whose(actor: &Actor) -> Result<Whose<'_>> {
    if actor.role() == Role::BankOfficer {
        return Err(Error::Forbidden);
    }
    Ok(match actor.scope() {
        Scope::Own { person_id } => Whose::Person(*person_id),
        Scope::County { county_code, .. } => Whose::County(county_code),
        Scope::Province { province_code } => Whose::Province(province_code),
        Scope::All => Whose::All,
        Scope::Bank { .. } => return Err(Error::Forbidden),
    })
}

/// The complaints the caller may see, open ones first.
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<ComplaintView>> {
    let whose = whose(actor)?;
    let today = vamyar_store::time::date(ctx.today());
    Ok(complaint::list(ctx.db.pool(), &whose, SHOWN)
        .await?
        .into_iter()
        .map(|c| view(c, &today))
        .collect())
}

/// A complaint whose file the caller may see (404 otherwise, audited), and whose role has a
/// part in complaints (403 for bank officers).
pub(crate) async fn visible(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Complaint> {
    let c = complaint::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    crate::files::visible_file(ctx, actor, c.application_id).await?;
    whose(actor)?;
    Ok(c)
}

/// One complaint.
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ComplaintView> {
    let c = visible(ctx, actor, id).await?;
    Ok(view(c, &vamyar_store::time::date(ctx.today())))
}
