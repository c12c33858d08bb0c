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
//! | disbursed | `detail.amount`, `detail.first_due_date`, `detail.first_installment` |
//! | document_rejected | `event.document_kind`, `event.reason` |
//! | counselling_scheduled | `event.date` |
//! | installment_reminder, overdue_notice | `detail.amount`, `detail.due_date` |
//! | visit_scheduled | `detail.date` |
//! | otp | `code`, `expires_minutes` |
//! | stage_reply | `tracking_code`, `state`, `since` |
//!
//! (Where the code that queues a message names a field differently, the alternatives listed
//! in [`FIELDS`] are read too.)

use serde_json::Value;
use thiserror::Error;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_i18n::{Arg, Lang, format};

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
    "document_rejected",
    "counselling_scheduled",
    "installment_reminder",
    "overdue_notice",
    "visit_scheduled",
    "help",
    "stage_reply",
];

/// The payload paths read for a value, in order of preference.
pub const FIELDS: &[(&str, &[&str])] = &[
    ("reason", &["/event/reason", "/detail/reason"]),
    ("letter", &["/detail/letter_number"]),
    ("amount", &["/detail/amount", "/detail/principal"]),
    ("until", &["/detail/valid_until"]),
    (
        "first_due",
        &[
            "/detail/first_due_date",
            "/detail/first_due_on",
            "/detail/first_installment/due_date",
            "/detail/first_installment/due_on",
        ],
    ),
    (
        "first_amount",
        &[
            "/detail/first_installment_amount",
            "/detail/first_amount",
            "/detail/first_installment/amount",
            "/detail/first_installment",
        ],
    ),
    (
        "document",
        &["/event/document_kind", "/detail/kind", "/detail/document_kind"],
    ),
    (
        "session_date",
        &["/event/date", "/detail/next_session_on", "/detail/date"],
    ),
    (
        "due",
        &[
            "/detail/due_date",
            "/detail/due_on",
            "/event/due_date",
            "/event/due_on",
        ],
    ),
    (
        "visit_date",
        &[
            "/detail/date",
            "/detail/scheduled_on",
            "/detail/visit_on",
            "/event/date",
            "/event/scheduled_on",
        ],
    ),
];

/// One placeholder's value and whether it may be shortened to fit.
struct Field {
    name: &'static str,
    value: String,
    shortenable: bool,
}

/// Collects the values of one message.
struct Fields<'a> {
    event: &'a str,
    payload: &'a Value,
    lang: Lang,
    list: Vec<Field>,
}

impl<'a> Fields<'a> {
    fn lookup(&self, key: &'static str) -> Option<&'a Value> {
        let paths = FIELDS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, p)| *p)
            .unwrap_or(&[]);
        paths
            .iter()
            .filter_map(|p| self.payload.pointer(p))
            .find(|v| !v.is_null())
    }

    fn value(&self, key: &'static str) -> Result<&'a Value, RenderError> {
        self.lookup(key).ok_or_else(|| self.missing(key))
    }

    fn missing(&self, field: &'static str) -> RenderError {
        RenderError::Missing {
            event: self.event.to_string(),
            field,
        }
    }

    fn push(&mut self, name: &'static str, value: String, shortenable: bool) {
        self.list.push(Field {
            name,
            value,
            shortenable,
        });
    }

    fn digits(&self, s: &str) -> String {
        match self.lang {
            Lang::Fa => to_persian_digits(s),
            Lang::En => s.to_string(),
        }
    }

    fn text_at(&self, path: &str, field: &'static str) -> Result<String, RenderError> {
        match self.payload.pointer(path) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            _ => Err(self.missing(field)),
        }
    }

    fn name(&mut self) -> Result<(), RenderError> {
        let v = self.text_at("/first_name", "first_name")?;
        self.push("name", v, true);
        Ok(())
    }

    fn code(&mut self) -> Result<(), RenderError> {
        let v = self.text_at("/tracking_code", "tracking_code")?;
        let v = self.digits(&v);
        self.push("code", v, false);
        Ok(())
    }

    fn free_text(&mut self, name: &'static str, key: &'static str) -> Result<(), RenderError> {
        let v = match self.value(key)? {
            Value::String(s) if !s.trim().is_empty() => s.split_whitespace().collect::<Vec<_>>(),
            _ => return Err(self.missing(key)),
        };
        self.push(name, v.join(" "), true);
        Ok(())
    }

    fn money(&mut self, name: &'static str, key: &'static str) -> Result<(), RenderError> {
        let v = self.value(key)?;
        let rials = match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            Value::Object(o) => o.get("amount").and_then(Value::as_i64),
            _ => None,
        }
        .ok_or_else(|| self.missing(key))?;
        let v = format::tomans(self.lang, rials);
        self.push(name, v, false);
        Ok(())
    }

    fn date(&mut self, name: &'static str, key: &'static str) -> Result<(), RenderError> {
        let raw = self.value(key)?.as_str().ok_or_else(|| self.missing(key))?;
        let day = raw.get(..10).unwrap_or(raw);
        let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map_err(|_| self.missing(key))?;
        let v = format::date(self.lang, d);
        self.push(name, v, false);
        Ok(())
    }

    /// A word from the translation files (`sms-{group}-{key}`), or the key itself.
    fn word(&self, group: &str, key: &str) -> String {
        let id = format!("sms-{group}-{key}");
        vamyar_i18n::try_text(self.lang, &id, &[]).unwrap_or_else(|| key.replace('_', " "))
    }
}

/// The text of a message about `event` made from its outbox `payload`, in `lang`.
pub fn render(event: &str, payload: &Value, lang: Lang) -> Result<String, RenderError> {
    let id = format!("sms-{event}");
    if !vamyar_i18n::has(lang, &id) || event.contains('-') {
        return Err(RenderError::UnknownEvent(event.to_string()));
    }
    let mut f = Fields {
        event,
        payload,
        lang,
        list: Vec::new(),
    };
    collect(&mut f)?;
    fit(&id, event, lang, f.list)
}

/// Fills `f` with the placeholders of its event.
fn collect(f: &mut Fields<'_>) -> Result<(), RenderError> {
    match f.event {
        "registered" | "resubmitted" | "approved" | "documents_complete" | "plan_approved"
        | "bank_approved" | "closed" | "withdrawn" => {
            f.name()?;
            f.code()?;
        }
        "returned" | "rejected" => {
            f.name()?;
            f.code()?;
            f.free_text("reason", "reason")?;
        }
        "bank_rejected" | "accelerated" => {
            f.code()?;
            f.free_text("reason", "reason")?;
        }
        "referral_expired" => f.code()?,
        "referred" => {
            f.code()?;
            let letter = f.text_at("/detail/letter_number", "letter")?;
            let letter = f.digits(&letter);
            f.push("letter", letter, false);
            let lang_key = match f.lang {
                Lang::Fa => "name_fa",
                Lang::En => "name_en",
            };
            let bank = f.text_at(&format!("/detail/bank/{lang_key}"), "bank")?;
            f.push("bank", bank, true);
            let branch = f.text_at(&format!("/detail/branch/{lang_key}"), "branch")?;
            f.push("branch", branch, true);
            f.money("amount", "amount")?;
            f.date("until", "until")?;
        }
        "guarantees_requested" => {
            f.code()?;
            let kinds = f
                .payload
                .pointer("/detail/guarantees")
                .and_then(Value::as_array)
                .ok_or_else(|| f.missing("guarantees"))?;
            let mut words: Vec<String> = Vec::new();
            for k in kinds {
                let kind = k
                    .as_str()
                    .or_else(|| k.get("kind").and_then(Value::as_str))
                    .ok_or_else(|| f.missing("guarantees"))?;
                let w = f.word("guarantee", kind);
                if !words.contains(&w) {
                    words.push(w);
                }
            }
            let sep = if f.lang == Lang::Fa { "، " } else { ", " };
            f.push("guarantees", words.join(sep), true);
        }
        "disbursed" => {
            f.name()?;
            f.code()?;
            f.money("amount", "amount")?;
            f.money("first_amount", "first_amount")?;
            f.date("first_due", "first_due")?;
        }
        "otp" => {
            let code = f.text_at("/code", "code")?;
            let code = f.digits(&code);
            f.push("otp", code, false);
            let minutes = f.text_at("/expires_minutes", "expires_minutes")?;
            let minutes = f.digits(&minutes);
            f.push("minutes", minutes, false);
        }
        "document_rejected" => {
            f.code()?;
            let kind = f
                .value("document")?
                .as_str()
                .ok_or_else(|| f.missing("document"))?;
            let w = f.word("document", kind);
            f.push("document", w, true);
            f.free_text("reason", "reason")?;
        }
        "counselling_scheduled" => {
            f.name()?;
            f.code()?;
            f.date("date", "session_date")?;
        }
        "installment_reminder" | "overdue_notice" => {
            f.code()?;
            f.money("amount", "amount")?;
            f.date("due", "due")?;
        }
        "visit_scheduled" => {
            f.code()?;
            f.date("date", "visit_date")?;
        }
        "stage_reply" => {
            f.code()?;
            let state = f.text_at("/state", "state")?;
            let stage = f.word("stage", &state);
            f.push("stage", stage, false);
            let raw = f.text_at("/since", "since")?;
            let day = raw.get(..10).unwrap_or(&raw);
            let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| f.missing("since"))?;
            let v = format::date(f.lang, d);
            f.push("since", v, false);
        }
        "help" => {}
        other => return Err(RenderError::UnknownEvent(other.to_string())),
    }
    Ok(())
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
        longest.value = format!("{}…", kept.trim_end().trim_end_matches(['،', ',', '.', '؛', ';']));
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
