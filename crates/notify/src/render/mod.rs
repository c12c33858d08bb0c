//! The text of a message: the Fluent template `sms-{event}` (crates/i18n/locales/*/sms.ftl)
//! filled from the outbox payload, in Persian or English.
//!
//! Amounts are in tomans with the language's digits and separators, dates Jalali, the
//! tracking code in the language's digits. Every message must fit in two SMS parts (see
//! [`crate::length`]); values the staff or the bank typed (reasons, names, bank and branch
//! names) are shortened with `…` when the whole would not fit, longest first. Identifiers —
//! the tracking code, the letter number, amounts and dates — are never shortened.
//!
//! What each event reads from the payload (`{"tracking_code", "first_name", "event",
//! "detail"}`):
//!
//! | event | reads |
//! |---|---|
//! | returned, rejected, bank_rejected, accelerated | `event.reason` |
//! | referred | `detail.letter_number`, `detail.bank.name_fa/en`, `detail.branch.name_fa/en`, `detail.amount`, `detail.valid_until` |
//! | guarantees_requested | `detail.guarantees` (kinds) |
//! | disbursed | `detail.amount`, `detail.first_due_on`, `detail.first_installment_amount` |
//! | document_rejected | `event.document_kind`, `event.reason` |
//! | counselling_scheduled, visit_scheduled | `event.date` |
//! | installment_reminder, overdue_notice | `amount_owed`, `due_on` (close of business) |
//! | otp | `code`, `expires_minutes` |
//! | mobile_changed | `first_name` (sent to the old mobile) |
//! | stage_reply | `tracking_code`, `state`, `since` |
//!
//! (Where the code that queues a message names a field differently, the alternatives listed
//! in [`FIELDS`] are read too.)

mod fields;

use serde_json::Value;
use thiserror::Error;
use vamyar_i18n::{Arg, Lang};

use self::fields::{Field, Fields, collect};
use crate::length::{self, Encoding, MAX_PARTS};

pub use self::fields::FIELDS;

/// Why a message could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RenderError {
    /// No template for this event.
    #[error("no message template for event `{0}`")]
    UnknownEvent(String),
    /// The payload lacks a value the template needs.
    #[error("event `{event}`: the payload has no `{field}`")]
    Missing {
        /// The event.
        event: String,
        /// The missing field.
        field: &'static str,
    },
    /// The template kept a placeholder unfilled (a template bug).
    #[error("event `{0}`: a placeholder was left unfilled")]
    Unfilled(String),
    /// The text cannot be made to fit in two SMS parts.
    #[error("event `{event}`: {units} units do not fit in two SMS parts")]
    TooLong {
        /// The event.
        event: String,
        /// Its length.
        units: usize,
    },
}

/// The events with an SMS template, besides the workflow's (`Event::KINDS`).
pub const OTHER_EVENTS: &[&str] = &[
    "otp",
    "mobile_changed",
    "document_rejected",
    "counselling_scheduled",
    "installment_reminder",
    "overdue_notice",
    "visit_scheduled",
    "help",
    "stage_reply",
];

/// The text of a message about `event` made from its outbox `payload`, in `lang`.
pub fn render(event: &str, payload: &Value, lang: Lang) -> Result<String, RenderError> {
    let id = format!("sms-{event}");
    if !vamyar_i18n::has(lang, &id) || event.contains('-') {
        return Err(RenderError::UnknownEvent(event.to_string()));
    }
    let mut f = Fields::new(event, payload, lang);
    collect(&mut f)?;
    fit(&id, event, lang, f.list)
}

/// Fills the template, shortening the shortenable values (longest first) until the text
/// fits in two SMS parts.
fn fit(id: &str, event: &str, lang: Lang, mut fields: Vec<Field>) -> Result<String, RenderError> {
    for _ in 0..64 {
        let text = fill(id, event, lang, &fields)?;
        let units = length::units(&text);
        let cap = length::capacity(length::encoding(&text), MAX_PARTS);
        if units <= cap {
            return Ok(text);
        }
        // the ellipsis makes any text UCS-2: measure what is left against that capacity
        let excess = units.saturating_sub(length::capacity(Encoding::Ucs2, MAX_PARTS));
        let mut lengths: Vec<usize> = fields
            .iter()
            .filter(|f| f.shortenable)
            .map(|f| f.value.chars().count())
            .collect();
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        let second = lengths.get(1).copied().unwrap_or(0);
        let Some(longest) = fields
            .iter_mut()
            .filter(|f| f.shortenable && f.value.chars().count() > 4)
            .max_by_key(|f| f.value.chars().count())
        else {
            return Err(RenderError::TooLong {
                event: event.to_string(),
                units,
            });
        };
        // shorten the longest value, but not below the next longest: both share the cut
        let base = longest.value.trim_end_matches('…');
        let len = base.chars().count();
        let cut = (excess + 1).min(len.saturating_sub(second).max(2));
        let keep = len.saturating_sub(cut).max(3);
        let kept: String = base.chars().take(keep).collect();
        longest.value = format!(
            "{}…",
            kept.trim_end().trim_end_matches(['،', ',', '.', '؛', ';'])
        );
    }
    let text = fill(id, event, lang, &fields)?;
    Err(RenderError::TooLong {
        event: event.to_string(),
        units: length::units(&text),
    })
}

/// The template filled with the values, checked for leftovers and direction marks.
fn fill(id: &str, event: &str, lang: Lang, fields: &[Field]) -> Result<String, RenderError> {
    let args: Vec<(&str, Arg)> = fields
        .iter()
        .map(|f| (f.name, Arg::Str(clean(&f.value))))
        .collect();
    let text = vamyar_i18n::try_text(lang, id, &args)
        .ok_or_else(|| RenderError::UnknownEvent(event.to_string()))?;
    if text.contains('{') || text.contains('}') {
        return Err(RenderError::Unfilled(event.to_string()));
    }
    Ok(text.trim().to_string())
}

/// Removes direction marks and control characters from a value (they cost characters and
/// can reorder what the phone shows).
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !is_bidi_mark(*c) && (!c.is_control() || *c == '\n'))
        .map(|c| match c {
            '{' => '(',
            '}' => ')',
            c => c,
        })
        .collect()
}

/// True for the Unicode direction marks, embeddings, overrides and isolates.
pub fn is_bidi_mark(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
