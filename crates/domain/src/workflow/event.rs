//! What the applicant is told about a transition ([`Event`]).

use serde::{Deserialize, Serialize};

/// What the applicant is told about a transition. Another crate turns it into SMS and
/// portal-inbox text; reasons are the staff's words, carried verbatim (trimmed).
///
/// Serialised with an internal tag: `{"kind":"returned","reason":"…"}`, `{"kind":"approved"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The file was registered (see [`register`](super::register)).
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
    /// All required documents accepted; counselling is next.
    DocumentsComplete,
    /// Business plan approved; waiting for referral to a bank.
    PlanApproved,
    /// Referred to a bank branch.
    Referred,
    /// The bank asks for guarantees.
    GuaranteesRequested,
    /// The bank accepted the guarantees and approved the loan.
    BankApproved,
    /// The bank declined; the file waits for a new referral.
    BankRejected {
        /// Why the bank declined.
        reason: String,
    },
    /// The referral letter expired; the file waits for a new referral.
    ReferralExpired,
    /// The loan was paid out.
    Disbursed,
    /// The whole balance was made due.
    Accelerated {
        /// Why.
        reason: String,
    },
    /// Every installment is paid; the service has ended.
    Closed,
    /// The application was withdrawn.
    Withdrawn,
    /// An appeal against the rejection was upheld: the file is back in the social-work review.
    Reopened,
}

impl Event {
    /// Every event kind, as returned by [`Event::kind`] (for template completeness checks).
    pub const KINDS: &'static [&'static str] = &[
        "registered",
        "returned",
        "rejected",
        "resubmitted",
        "approved",
        "documents_complete",
        "plan_approved",
        "referred",
        "guarantees_requested",
        "bank_approved",
        "bank_rejected",
        "referral_expired",
        "disbursed",
        "accelerated",
        "closed",
        "withdrawn",
        "reopened",
    ];

    /// Stable snake_case kind, equal to the serde tag (e.g. `"returned"`).
    pub const fn kind(&self) -> &'static str {
        match self {
            Event::Registered => "registered",
            Event::Returned { .. } => "returned",
            Event::Rejected { .. } => "rejected",
            Event::Resubmitted => "resubmitted",
            Event::Approved => "approved",
            Event::DocumentsComplete => "documents_complete",
            Event::PlanApproved => "plan_approved",
            Event::Referred => "referred",
            Event::GuaranteesRequested => "guarantees_requested",
            Event::BankApproved => "bank_approved",
            Event::BankRejected { .. } => "bank_rejected",
            Event::ReferralExpired => "referral_expired",
            Event::Disbursed => "disbursed",
            Event::Accelerated { .. } => "accelerated",
            Event::Closed => "closed",
            Event::Withdrawn => "withdrawn",
            Event::Reopened => "reopened",
        }
    }

    /// The reason carried by the event, if it carries one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Event::Returned { reason }
            | Event::Rejected { reason }
            | Event::BankRejected { reason }
            | Event::Accelerated { reason } => Some(reason),
            _ => None,
        }
    }
}
