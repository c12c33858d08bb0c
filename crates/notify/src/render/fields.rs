//! What each kind of message's template is filled with, taken from the typed announcement.

use chrono::NaiveDate;
use vamyar_calendar::digits::to_persian_digits;
use vamyar_domain::announcement::{Announcement, Names, Notice};
use vamyar_i18n::{Lang, format};

use super::RenderError;

/// One placeholder's value and whether it may be shortened to fit.
pub(super) struct Field {
    pub(super) name: &'static str,
    pub(super) value: String,
    pub(super) shortenable: bool,
}

/// Collects the values of one message.
pub(super) struct Fields {
    kind: &'static str,
    lang: Lang,
    pub(super) list: Vec<Field>,
}

impl Fields {
    fn missing(&self, field: &'static str) -> RenderError {
        RenderError::Missing {
            event: self.kind.to_string(),
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

    fn name(&mut self, a: &Announcement) -> Result<(), RenderError> {
        let v = a
            .first_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| self.missing("first_name"))?;
        self.push("name", v.to_string(), true);
        Ok(())
    }

    fn code(&mut self, a: &Announcement) -> Result<(), RenderError> {
        let v = a
            .tracking_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| self.missing("tracking_code"))?;
        let v = self.digits(&grouped(v));
        self.push("code", v, false);
        Ok(())
    }

    /// Free text typed by staff: whitespace collapsed, shortenable.
    fn free_text(&mut self, name: &'static str, text: &str) -> Result<(), RenderError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() {
            return Err(self.missing(name));
        }
        self.push(name, words.join(" "), true);
        Ok(())
    }

    fn money(&mut self, name: &'static str, rials: i64) {
        let v = format::tomans(self.lang, rials);
        self.push(name, v, false);
    }

    fn date(&mut self, name: &'static str, day: NaiveDate) {
        let v = format::date(self.lang, day);
        self.push(name, v, false);
    }

    fn names(&mut self, name: &'static str, n: &Names) -> Result<(), RenderError> {
        let v = match self.lang {
            Lang::Fa => &n.name_fa,
            Lang::En => &n.name_en,
        };
        let v = v.trim();
        if v.is_empty() {
            return Err(self.missing(name));
        }
        self.push(name, v.to_string(), true);
        Ok(())
    }

    /// A word from the translation files (`sms-{group}-{key}`), or the key itself.
    fn word(&self, group: &str, key: &str) -> String {
        let id = format!("sms-{group}-{key}");
        vamyar_i18n::try_text(self.lang, &id, &[]).unwrap_or_else(|| key.replace('_', " "))
    }
}

/// A tracking code in groups of four joined by hyphens, for reading (`1234-5678-9012`);
/// anything but twelve digits is left as it is.
pub(super) fn grouped(code: &str) -> String {
    if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return code.to_string();
    }
    format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..])
}

/// The placeholders of an announcement's template, in `lang`.
pub(super) fn collect(a: &Announcement, lang: Lang) -> Result<Vec<Field>, RenderError> {
    let mut f = Fields {
        kind: a.notice.kind(),
        lang,
        list: Vec::new(),
    };
    match &a.notice {
        Notice::Registered
        | Notice::Resubmitted
        | Notice::Approved
        | Notice::DocumentsComplete
        | Notice::PlanApproved
        | Notice::BankApproved
        | Notice::Closed
        | Notice::Withdrawn => {
            f.name(a)?;
            f.code(a)?;
        }
        Notice::Returned { reason } | Notice::Rejected { reason } => {
            f.name(a)?;
            f.code(a)?;
            f.free_text("reason", reason)?;
        }
        Notice::BankRejected { reason } => {
            f.code(a)?;
            f.free_text("reason", reason)?;
        }
        Notice::Accelerated {
            reason, due_now, ..
        } => {
            f.code(a)?;
            f.money("amount", *due_now);
            f.free_text("reason", reason)?;
        }
        Notice::ReferralExpired => f.code(a)?,
        Notice::Referred {
            letter_number,
            bank,
            branch,
            amount,
            valid_until,
        } => {
            f.code(a)?;
            let letter = f.digits(letter_number.trim());
            f.push("letter", letter, false);
            f.names("bank", bank)?;
            f.names("branch", branch)?;
            f.money("amount", *amount);
            f.date("until", *valid_until);
        }
        Notice::GuaranteesRequested { guarantees } => {
            f.code(a)?;
            let mut words: Vec<String> = Vec::new();
            for kind in guarantees {
                let w = f.word("guarantee", kind);
                if !words.contains(&w) {
                    words.push(w);
                }
            }
            if words.is_empty() {
                return Err(f.missing("guarantees"));
            }
            let sep = if f.lang == Lang::Fa { "، " } else { ", " };
            f.push("guarantees", words.join(sep), true);
        }
        Notice::Disbursed {
            amount,
            first_installment_amount,
            first_due_on,
        } => {
            f.name(a)?;
            f.code(a)?;
            f.money("amount", *amount);
            f.money("first_amount", *first_installment_amount);
            f.date("first_due", *first_due_on);
        }
        Notice::MobileChanged => f.name(a)?,
        Notice::Otp {
            code,
            expires_minutes,
        } => {
            let code = f.digits(code);
            f.push("otp", code, false);
            let minutes = f.digits(&expires_minutes.to_string());
            f.push("minutes", minutes, false);
        }
        Notice::DocumentRejected {
            document_kind,
            reason,
        } => {
            f.code(a)?;
            let w = f.word("document", document_kind);
            f.push("document", w, true);
            f.free_text("reason", reason)?;
        }
        Notice::CounsellingScheduled { date } => {
            f.name(a)?;
            f.code(a)?;
            f.date("date", *date);
        }
        Notice::InstallmentReminder {
            amount_owed,
            due_on,
        }
        | Notice::OverdueNotice {
            amount_owed,
            due_on,
        } => {
            f.code(a)?;
            f.money("amount", *amount_owed);
            f.date("due", *due_on);
        }
        Notice::PaymentReversed { amount, paid_on } => {
            f.code(a)?;
            f.money("amount", *amount);
            f.date("date", *paid_on);
        }
        Notice::VisitScheduled { date } => {
            f.code(a)?;
            f.date("date", *date);
        }
        Notice::StageReply { state, since } => {
            f.code(a)?;
            let stage = f.word("stage", state.as_str());
            f.push("stage", stage, false);
            f.date("since", *since);
        }
        Notice::Help => {}
        Notice::BreachDigest { county, files } => {
            let n = format::grouped(lang, *files);
            f.push("files", n, false);
            f.names("county", county)?;
        }
        Notice::Reopened => {
            f.name(a)?;
            f.code(a)?;
        }
        Notice::ComplaintFiled {
            ticket,
            complaint_kind,
            due_on,
        } => {
            f.code(a)?;
            let t = f.digits(&ticket.to_string());
            f.push("ticket", t, false);
            let w = f.word("complaint-kind", complaint_kind);
            f.push("kind", w, false);
            f.date("due", *due_on);
        }
        Notice::ComplaintAnswered {
            ticket,
            outcome,
            answer,
        } => {
            f.code(a)?;
            let t = f.digits(&ticket.to_string());
            f.push("ticket", t, false);
            let w = f.word("complaint-outcome", outcome);
            f.push("outcome", w, false);
            f.free_text("answer", answer)?;
        }
    }
    Ok(f.list)
}
