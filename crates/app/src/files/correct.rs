//! A file returned for correction, corrected online and sent again: the applicant (or the
//! desk clerk, for a walk-in) fixes the business details named in the reason — documents are
//! replaced through the upload service, allowed while the file waits for correction — and
//! the file is resubmitted through the workflow. Nothing is stored when a field is refused,
//! when the file is no longer waiting for correction, or when it changed since it was read.

use serde::Deserialize;
use vamyar_domain::policy::{self, Access, Actor};
use vamyar_domain::workflow::{Action, State as FileState};

use super::register::MAX_TEXT;
use super::{FileContext, guard, view::FileView};
use crate::error::{Error, FieldErrors, Result};
use crate::{Ctx, fields};

/// The corrected details (blank optional fields are cleared; the title is required).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Correction {
    /// The file's version as read by the person correcting it.
    pub version: i64,
    /// The business's title.
    pub title: Option<String>,
    /// Its activity.
    pub activity: Option<String>,
    /// Where it runs.
    pub location: Option<String>,
    /// A short description.
    pub summary: Option<String>,
}

/// Stores the corrected details and resubmits the file (`resubmit`), in that order; the
/// caller must be allowed to resubmit this file.
pub async fn correct_and_resubmit(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    c: Correction,
) -> Result<FileView> {
    let file = FileContext::load(ctx, id).await?.ok_or(Error::NotFound)?;
    match policy::can_act_on_file(actor, Action::Resubmit, &file.scope()) {
        Access::Allowed => {}
        refused => {
            crate::audit::denied(ctx, actor, "application.correct", "application", id).await;
            return Err(if refused == Access::Forbidden {
                Error::Forbidden
            } else {
                Error::NotFound
            });
        }
    }
    let mut errors = FieldErrors::new();
    let title = fields::text(&mut errors, "business.title", &c.title, MAX_TEXT, true);
    let activity = fields::text(
        &mut errors,
        "business.activity",
        &c.activity,
        MAX_TEXT,
        false,
    );
    let location = fields::text(
        &mut errors,
        "business.location",
        &c.location,
        MAX_TEXT,
        false,
    );
    let summary = fields::text(&mut errors, "business.summary", &c.summary, MAX_TEXT, false);
    errors.finish()?;
    let title = title.ok_or_else(|| Error::Internal("title checked above".into()))?;
    let mut tx = ctx.db.begin().await?;
    let fresh = guard::lock_file(&mut tx, &file, &[FileState::NeedsCorrection]).await?;
    if fresh.app.version != c.version {
        return Err(Error::StaleVersion);
    }
    vamyar_store::application::set_business(
        &mut tx,
        id,
        &vamyar_store::application::Business {
            title: &title,
            activity: activity.as_deref(),
            location: location.as_deref(),
            summary: summary.as_deref(),
        },
        &vamyar_store::time::ts(ctx.clock.now()),
    )
    .await?;
    tx.commit().await?;
    super::actions::perform(
        ctx,
        actor,
        id,
        Action::Resubmit.as_str(),
        serde_json::json!({"version": c.version}),
    )
    .await
}
