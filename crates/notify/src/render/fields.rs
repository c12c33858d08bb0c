//! What each event's template is filled with, read from the outbox payload.

use serde_json::Value;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_i18n::{Lang, format};

use super::RenderError;

/// The payload paths read for a value, in order of preference.
pub const FIELDS: &[(&str, &[&str])] = &[
    ("reason", &["/event/reason", "/detail/reason"]),
    ("letter", &["/detail/letter_number"]),
    (
        "amount",
        &[
            "/detail/amount",
            "/detail/principal",
            "/amount_owed",
            "/amount",
        ],
    ),
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
        &[
            "/event/document_kind",
            "/detail/kind",
            "/detail/document_kind",
        ],
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
            "/due_on",
            "/due_date",
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
pub(super) struct Field {
    pub(super) name: &'static str,
    pub(super) value: String,
    pub(super) shortenable: bool,
}

/// Collects the values of one message.
pub(super) struct Fields<'a> {
    event: &'a str,
    payload: &'a Value,
    lang: Lang,
    pub(super) list: Vec<Field>,
}

impl<'a> Fields<'a> {
    /// Nothing collected yet.
    pub(super) fn new(event: &'a str, payload: &'a Value, lang: Lang) -> Fields<'a> {
        Fields {
            event,
            payload,
            lang,
            list: Vec::new(),
        }
    }

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
        let d =
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| self.missing(key))?;
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

/// Fills `f` with the placeholders of its event.
pub(super) fn collect(f: &mut Fields<'_>) -> Result<(), RenderError> {
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
        "mobile_changed" => f.name()?,
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
