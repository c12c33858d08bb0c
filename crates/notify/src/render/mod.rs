//! The text of a message: the Fluent template `sms-{event}` (crates/i18n/locales/*/sms.ftl)
//! filled from the outbox payload, in Persian or English.
//!
//! Amounts are in tomans with the language's digits and separators, dates Jalali, the
//! tracking code in the language's digits. Every message must fit in two SMS parts (see
//! [`crate::length`]); values the staff or the bank typed (reasons, names, bank and branch
//! names) are shortened with `…` when the whole would not fit, longest first, cut at a word
//! boundary (never inside a word). Identifiers — the tracking code, the letter number,
//! amounts and dates — are never shortened. The tracking code is written in groups of four
//! joined by hyphens (`۱۲۳۴-۵۶۷۸-۹۰۱۲`): a hyphen between digits keeps the groups in order in
//! a right-to-left text without any direction mark, and the inbound reader takes dashes.
//!
//! The payload is a [`vamyar_domain::announcement::Announcement`] in JSON: every producer
//! writes that one type and the renderer reads it back, so each template's fields are typed
//! and named once (see [`fields`]). A payload that does not read as an announcement of the
//! outbox event's kind is refused ([`RenderError::Payload`]).

mod fields;

use serde_json::Value;
use thiserror::Error;
use vamyar_domain::announcement::{Announcement, OTHER_KINDS};
use vamyar_i18n::{Arg, Lang};

use self::fields::{Field, collect};
use crate::length::{self, Encoding, MAX_PARTS};

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
    /// The payload is not an announcement of this kind (written by an older version, or a bug).
    #[error("event `{event}`: the payload is not its announcement: {detail}")]
    Payload {
        /// The event.
        event: String,
        /// What did not read.
        detail: String,
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
pub const OTHER_EVENTS: &[&str] = OTHER_KINDS;

/// The text of a message about `event` made from its outbox `payload` (an
/// [`Announcement`] of that kind), in `lang`.
pub fn render(event: &str, payload: &Value, lang: Lang) -> Result<String, RenderError> {
    let a: Announcement =
        serde_json::from_value(payload.clone()).map_err(|e| RenderError::Payload {
            event: event.to_string(),
            detail: e.to_string(),
        })?;
    if a.notice.kind() != event {
        return Err(RenderError::Payload {
            event: event.to_string(),
            detail: format!("it announces `{}`", a.notice.kind()),
        });
    }
    render_announcement(&a, lang)
}

/// The text of an announcement, in `lang`.
pub fn render_announcement(a: &Announcement, lang: Lang) -> Result<String, RenderError> {
    let event = a.notice.kind();
    let id = format!("sms-{event}");
    if !vamyar_i18n::has(lang, &id) {
        return Err(RenderError::UnknownEvent(event.to_string()));
    }
    fit(&id, event, lang, collect(a, lang)?)
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
        let kept = cut_at_word(base, keep);
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

/// At most the first `keep` characters of `text`, ending at a word boundary (whitespace; a
/// ZWNJ joins the parts of one word): a word that does not fit whole is left out, never cut.
fn cut_at_word(text: &str, keep: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if keep >= chars.len() {
        return text.to_string();
    }
    if chars[keep].is_whitespace() {
        return chars[..keep].iter().collect();
    }
    match chars[..keep].iter().rposition(|c| c.is_whitespace()) {
        Some(end) => chars[..end].iter().collect(),
        None => String::new(),
    }
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

#[cfg(test)]
mod tests {
    use super::cut_at_word;

    #[test]
    fn values_are_cut_between_words() {
        assert_eq!(cut_at_word("مدارک ناقص است", 8), "مدارک");
        assert_eq!(cut_at_word("مدارک ناقص است", 5), "مدارک");
        assert_eq!(
            cut_at_word("مدارک ناقص است", 4),
            "",
            "a word that does not fit is left out"
        );
        assert_eq!(cut_at_word("نیم‌فاصله هم", 7), "", "a ZWNJ joins one word");
        assert_eq!(cut_at_word("کوتاه", 10), "کوتاه");
    }
}
