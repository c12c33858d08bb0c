//! The second step of a destructive or irreversible action (withdraw, reject, return,
//! bank_reject, accelerate): a page of its own, reached by a plain link, that says what will
//! happen and asks for the reason before the action's button — so nothing is done by one
//! click, with or without JavaScript. A POST without the confirmation or without a reason
//! changes nothing and shows this page again with the problem.

use askama::Template;
use vamyar_app::error::FieldErrors;

use super::problems::{Money, by_table};
use super::{Chrome, FormData, PageCtx};
use crate::error::AppError;

/// Actions that ask for confirmation and a reason on a second step.
pub const DESTRUCTIVE: &[&str] = &["withdraw", "reject", "return", "bank_reject", "accelerate"];

/// True when `action` needs the second step.
pub fn is_destructive(action: &str) -> bool {
    DESTRUCTIVE.contains(&action)
}

/// The confirmation page.
#[derive(Template)]
#[template(path = "pages/confirm.html")]
pub struct ConfirmPage {
    /// The frame (its title names the action).
    pub c: Chrome,
    /// What will happen, in plain words.
    pub lead: String,
    /// The file's tracking code (Latin digits, isolated left to right).
    pub tracking_code: String,
    /// Where the confirmed form posts.
    pub action_url: String,
    /// The file's version.
    pub version: i64,
    /// Back to the file without doing anything.
    pub back: String,
    /// The confirming button's text.
    pub button: String,
    /// Staff also leave an internal note.
    pub with_note: bool,
    /// The values typed so far.
    pub v: FormData,
}

/// What a confirmation page shows.
pub struct Spec<'a> {
    /// The action's API name.
    pub action: &'a str,
    /// The file's tracking code.
    pub tracking_code: &'a str,
    /// Where the form posts.
    pub action_url: String,
    /// The file's version.
    pub version: i64,
    /// The file page.
    pub back: String,
    /// Staff forms carry a note.
    pub with_note: bool,
}

/// The fields of the confirmation form.
const FIELDS: &[(&str, &str, &str)] = &[
    ("reason", "reason", "pg-field-reason"),
    ("note", "note", "pg-field-note"),
];

/// Builds the confirmation page for `spec`, with `v` typed so far.
pub fn build(ctx: &PageCtx, spec: Spec<'_>, v: FormData) -> ConfirmPage {
    let lang = ctx.lang;
    let mut c = Chrome::new(ctx, &format!("pg-confirm-title-{}", spec.action));
    if c.title.starts_with("pg-") {
        c.title = super::fmt::action(lang, spec.action);
    }
    ConfirmPage {
        lead: vamyar_i18n::try_text(lang, &format!("pg-confirm-lead-{}", spec.action), &[])
            .unwrap_or_else(|| vamyar_i18n::text(lang, "pg-confirm-lead", &[])),
        button: vamyar_i18n::try_text(lang, &format!("pg-confirm-yes-{}", spec.action), &[])
            .unwrap_or_else(|| super::fmt::action(lang, spec.action)),
        c,
        tracking_code: spec.tracking_code.to_string(),
        action_url: spec.action_url,
        version: spec.version,
        back: spec.back,
        with_note: spec.with_note,
        v,
    }
}

/// The refusal of a confirmed form missing its reason (nothing is done).
pub fn missing_reason(form: &FormData) -> Option<AppError> {
    if form.get("reason").is_some() {
        return None;
    }
    let mut f = FieldErrors::new();
    f.add("reason", "reason_required");
    Some(AppError::Validation(f))
}

/// Marks the refusal `e` on the page (fields: reason, note).
pub fn refuse(p: &mut ConfirmPage, e: &AppError) {
    let lang = p.c.lang;
    p.c.refuse(e, &by_table(lang, FIELDS), Money::Rials);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_without_a_reason_is_refused() {
        let blank = FormData(vec![("reason".into(), "  ".into())]);
        assert!(matches!(
            missing_reason(&blank),
            Some(AppError::Validation(_))
        ));
        let given = FormData(vec![("reason".into(), "تکراری".into())]);
        assert!(missing_reason(&given).is_none());
        assert!(is_destructive("withdraw") && !is_destructive("approve"));
    }
}
