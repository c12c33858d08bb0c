//! The correction block of the applicant's file page: the reason the file was returned and
//! the business details as they are now (see [`super::correction`] for the form's answer).

use vamyar_i18n::Lang;

use super::detail::Detail;
use super::fmt;

/// What the correction form shows.
#[derive(Clone, Debug)]
pub struct CorrectionBlock {
    /// The reason the file was returned (names what to correct).
    pub reason: String,
    /// The business's title now.
    pub title: String,
    /// Its activity now.
    pub activity: String,
    /// Where it runs now.
    pub location: String,
    /// Its summary now.
    pub summary: String,
}

/// The correction block while the file waits for correction (and the caller may resubmit).
pub fn block(lang: Lang, d: &Detail) -> Option<CorrectionBlock> {
    if d.state() != "needs_correction" || !d.view.available_actions.iter().any(|a| a == "resubmit")
    {
        return None;
    }
    let returned = fmt::state(lang, "needs_correction");
    let app = &d.file.app;
    Some(CorrectionBlock {
        reason: d
            .history
            .iter()
            .rev()
            .find(|h| h.to == returned)
            .and_then(|h| h.reason.clone())
            .unwrap_or_default(),
        title: app.business_title.clone(),
        activity: app.business_activity.clone().unwrap_or_default(),
        location: app.business_location.clone().unwrap_or_default(),
        summary: app.business_summary.clone().unwrap_or_default(),
    })
}
