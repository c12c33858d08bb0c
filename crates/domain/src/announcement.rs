//! What a message to a person says, as data: the one shape every producer writes to the
//! outbox (as JSON) and the renderer reads back to fill the SMS and inbox templates.
//!
//! An [`Announcement`] is the file it is about (tracking code, first name) and a [`Notice`]:
//! the kind of message with exactly the fields its template needs, typed (amounts in rials,
//! dates as Iranian calendar days already converted from instants in Tehran). Nothing else is
//! read from a payload, so a producer cannot leave the renderer guessing.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::workflow::{Event, State};

/// A name in both languages (a bank, a branch).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// Persian.
    pub name_fa: String,
    /// English.
    pub name_en: String,
}

/// One message to a person: about which file, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// The file's tracking code, when the message is about a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_code: Option<String>,
    /// The applicant's first name, when the message greets them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// What it says.
    pub notice: Notice,
}

/// What a message says: its kind (the template `sms-{kind}`) and that template's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// The file was registered.
    Registered,
    /// Sent back for correction.
    Returned {
        /// What to correct.
        reason: String,
    },
    /// Refused by the social-work unit.
    Rejected {
        /// Why.
        reason: String,
    },
    /// The corrected application was sent back for review.
    Resubmitted,
    /// Found eligible; documents are next.
    Approved,
    /// All required documents accepted.
    DocumentsComplete,
    /// Business plan approved.
    PlanApproved,
    /// Referred to a bank branch.
    Referred {
        /// The referral letter's number.
        letter_number: String,
        /// The bank.
        bank: Names,
        /// The branch.
        branch: Names,
        /// Rials referred.
        amount: i64,
        /// Last valid day of the letter.
        valid_until: NaiveDate,
    },
    /// The bank asks for guarantees (guarantee kinds, in the order asked).
    GuaranteesRequested {
        /// Guarantee kinds (`guarantor`, `promissory_note`, …).
        guarantees: Vec<String>,
    },
    /// The bank approved the loan.
    BankApproved,
    /// The bank declined.
    BankRejected {
        /// Why.
        reason: String,
    },
    /// The referral letter expired.
    ReferralExpired,
    /// The loan was paid out.
    Disbursed {
        /// Rials paid out.
        amount: i64,
        /// Rials of the first installment.
        first_installment_amount: i64,
        /// Its due date.
        first_due_on: NaiveDate,
    },
    /// The whole balance was made due.
    Accelerated {
        /// Why.
        reason: String,
        /// The day it was made due.
        accelerated_on: NaiveDate,
        /// Rials due now (the whole balance).
        due_now: i64,
    },
    /// Every installment is paid; the service has ended.
    Closed,
    /// The application was withdrawn.
    Withdrawn,
    /// The person's mobile was changed: told to the old mobile.
    MobileChanged,
    /// A one-time login code.
    Otp {
        /// The code.
        code: String,
        /// Minutes it stays valid.
        expires_minutes: i64,
    },
    /// An uploaded document was refused.
    DocumentRejected {
        /// Document kind (`national_card`, …).
        document_kind: String,
        /// Why.
        reason: String,
    },
    /// The next counselling session.
    CounsellingScheduled {
        /// Its day.
        date: NaiveDate,
    },
    /// A monitoring visit is planned.
    VisitScheduled {
        /// Its day.
        date: NaiveDate,
    },
    /// An installment falls due soon.
    InstallmentReminder {
        /// Rials owed on it.
        amount_owed: i64,
        /// Its due date.
        due_on: NaiveDate,
    },
    /// An installment is overdue.
    OverdueNotice {
        /// Rials still owed on it.
        amount_owed: i64,
        /// Its due date.
        due_on: NaiveDate,
    },
    /// The answer to an SMS asking where a file stands.
    StageReply {
        /// The file's state.
        state: State,
        /// The Iranian day it entered that state.
        since: NaiveDate,
    },
    /// The help text, to an SMS that could not be answered otherwise.
    Help,
    /// To a county's office head each working morning: open files past their stage's service
    /// level (the list is on the desk).
    BreachDigest {
        /// The county.
        county: Names,
        /// How many open files are past their level.
        files: i64,
    },
    /// An appeal against the rejection was upheld: the file is back in the social-work review.
    Reopened,
    /// A complaint or appeal was received (the answer to the SMS keyword, too).
    ComplaintFiled {
        /// The ticket number.
        ticket: i64,
        /// `complaint` or `appeal`.
        complaint_kind: String,
        /// The last working day of its service level.
        due_on: NaiveDate,
    },
    /// A payment recorded on the loan was reversed (recorded in error, confirmed by a second
    /// bank officer); the installments were computed again without it.
    PaymentReversed {
        /// Rials of the reversed payment.
        amount: i64,
        /// The day it had been recorded as paid.
        paid_on: NaiveDate,
    },
    /// A complaint or appeal was answered.
    ComplaintAnswered {
        /// The ticket number.
        ticket: i64,
        /// `upheld` or `dismissed`.
        outcome: String,
        /// The office's answer, verbatim.
        answer: String,
    },
}

/// The kinds of [`Notice`] that are not workflow events, as [`Notice::kind`] spells them.
pub const OTHER_KINDS: &[&str] = &[
    "otp",
    "mobile_changed",
    "document_rejected",
    "counselling_scheduled",
    "installment_reminder",
    "overdue_notice",
    "visit_scheduled",
    "help",
    "stage_reply",
    "breach_digest",
    "complaint_filed",
    "complaint_answered",
    "payment_reversed",
];

impl Notice {
    /// The stable snake_case kind: the outbox's `event` column and the template `sms-{kind}`.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Registered => "registered",
            Notice::Returned { .. } => "returned",
            Notice::Rejected { .. } => "rejected",
            Notice::Resubmitted => "resubmitted",
            Notice::Approved => "approved",
            Notice::DocumentsComplete => "documents_complete",
            Notice::PlanApproved => "plan_approved",
            Notice::Referred { .. } => "referred",
            Notice::GuaranteesRequested { .. } => "guarantees_requested",
            Notice::BankApproved => "bank_approved",
            Notice::BankRejected { .. } => "bank_rejected",
            Notice::ReferralExpired => "referral_expired",
            Notice::Disbursed { .. } => "disbursed",
            Notice::Accelerated { .. } => "accelerated",
            Notice::Closed => "closed",
            Notice::Withdrawn => "withdrawn",
            Notice::MobileChanged => "mobile_changed",
            Notice::Otp { .. } => "otp",
            Notice::DocumentRejected { .. } => "document_rejected",
            Notice::CounsellingScheduled { .. } => "counselling_scheduled",
            Notice::VisitScheduled { .. } => "visit_scheduled",
            Notice::InstallmentReminder { .. } => "installment_reminder",
            Notice::OverdueNotice { .. } => "overdue_notice",
            Notice::StageReply { .. } => "stage_reply",
            Notice::Help => "help",
            Notice::BreachDigest { .. } => "breach_digest",
            Notice::Reopened => "reopened",
            Notice::ComplaintFiled { .. } => "complaint_filed",
            Notice::ComplaintAnswered { .. } => "complaint_answered",
            Notice::PaymentReversed { .. } => "payment_reversed",
        }
    }

    /// The reminder of an installment owing `amount_owed` rials, due on `due_on`.
    pub fn reminder(amount_owed: i64, due_on: NaiveDate) -> Notice {
        Notice::InstallmentReminder {
            amount_owed,
            due_on,
        }
    }

    /// The notice of an overdue installment still owing `amount_owed` rials, due on `due_on`.
    pub fn overdue(amount_owed: i64, due_on: NaiveDate) -> Notice {
        Notice::OverdueNotice {
            amount_owed,
            due_on,
        }
    }

    /// The notice of a workflow event that needs nothing but the event itself, or `None` for
    /// the events whose notice carries what the transition produced (referred, guarantees
    /// requested, disbursed, accelerated): those are built by the code that produced it.
    pub fn of_event(event: &Event) -> Option<Notice> {
        Some(match event {
            Event::Registered => Notice::Registered,
            Event::Returned { reason } => Notice::Returned {
                reason: reason.clone(),
            },
            Event::Rejected { reason } => Notice::Rejected {
                reason: reason.clone(),
            },
            Event::Resubmitted => Notice::Resubmitted,
            Event::Approved => Notice::Approved,
            Event::DocumentsComplete => Notice::DocumentsComplete,
            Event::PlanApproved => Notice::PlanApproved,
            Event::BankApproved => Notice::BankApproved,
            Event::BankRejected { reason } => Notice::BankRejected {
                reason: reason.clone(),
            },
            Event::ReferralExpired => Notice::ReferralExpired,
            Event::Closed => Notice::Closed,
            Event::Withdrawn => Notice::Withdrawn,
            Event::Reopened => Notice::Reopened,
            Event::Referred
            | Event::GuaranteesRequested
            | Event::Disbursed
            | Event::Accelerated { .. } => return None,
        })
    }
}

impl Announcement {
    /// The outbox payload (JSON text).
    pub fn to_payload(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("an announcement is plain data")
    }

    /// Reads an outbox payload back.
    pub fn from_payload(payload: &str) -> Result<Announcement, serde_json::Error> {
        serde_json::from_str(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn payloads_round_trip_and_name_their_kind() {
        let a = Announcement {
            tracking_code: Some("405273184963".into()),
            first_name: None,
            notice: Notice::OverdueNotice {
                amount_owed: 18_694_440,
                due_on: day("2026-12-01"),
            },
        };
        let json = a.to_payload();
        assert_eq!(json["notice"]["kind"], "overdue_notice");
        assert_eq!(json["notice"]["due_on"], "2026-12-01");
        assert!(json.get("first_name").is_none());
        let back = Announcement::from_payload(&json.to_string()).unwrap();
        assert_eq!(back, a);
        assert_eq!(back.notice.kind(), "overdue_notice");
    }

    #[test]
    fn a_payload_missing_a_field_is_refused() {
        let bad = r#"{"notice":{"kind":"disbursed","amount":10}}"#;
        assert!(Announcement::from_payload(bad).is_err());
        let unknown = r#"{"notice":{"kind":"surprise"}}"#;
        assert!(Announcement::from_payload(unknown).is_err());
    }

    #[test]
    fn every_event_has_a_notice_kind_of_the_same_name() {
        for kind in Event::KINDS {
            assert!(
                !OTHER_KINDS.contains(kind),
                "{kind} is both an event and another kind"
            );
        }
        let e = Event::Rejected { reason: "x".into() };
        assert_eq!(Notice::of_event(&e).unwrap().kind(), e.kind());
        assert!(Notice::of_event(&Event::Disbursed).is_none());
    }
}
