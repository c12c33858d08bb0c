//! Where a file stands ([`State`]) and who must move next ([`StageOwner`]).

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::named::named_enum;

named_enum! {
    /// Where a file stands in its journey.
    pub enum State {
        /// Registered (or resubmitted) and waiting for the social-work unit's review.
        Submitted => "submitted",
        /// Returned to the applicant to correct or complete the application.
        NeedsCorrection => "needs_correction",
        /// Refused by the social-work unit (terminal).
        Rejected => "rejected",
        /// Eligible; waiting for the required documents to be uploaded and accepted.
        DocumentsPending => "documents_pending",
        /// Job counselling and business-plan review by the employment expert.
        Counselling => "counselling",
        /// Plan approved; waiting for the office head to refer the file to a bank.
        AwaitingReferral => "awaiting_referral",
        /// Referred to a partner bank branch with a referral letter.
        Referred => "referred",
        /// The bank asked for guarantees; the applicant is providing them.
        GuaranteesPending => "guarantees_pending",
        /// The bank accepted the guarantees; waiting for disbursement.
        BankApproved => "bank_approved",
        /// Loan disbursed; in grace or repayment, followed up by monitoring visits.
        Active => "active",
        /// The plan was not carried out; the whole balance was made due.
        Accelerated => "accelerated",
        /// Every installment paid: the service has ended (terminal).
        Closed => "closed",
        /// Withdrawn by the applicant before disbursement (terminal).
        Withdrawn => "withdrawn",
    }
}

impl State {
    /// Whether no action can ever leave this state: rejected, withdrawn, closed.
    pub const fn is_terminal(self) -> bool {
        matches!(self, State::Rejected | State::Withdrawn | State::Closed)
    }

    /// Whether the file is still open (not terminal). Accelerated files are open until paid.
    pub const fn is_open(self) -> bool {
        !self.is_terminal()
    }

    /// Whether the file is open and no money has been disbursed yet: the states from which
    /// the applicant may withdraw. False for terminal states and for active/accelerated.
    pub const fn before_disbursement(self) -> bool {
        matches!(
            self,
            State::Submitted
                | State::NeedsCorrection
                | State::DocumentsPending
                | State::Counselling
                | State::AwaitingReferral
                | State::Referred
                | State::GuaranteesPending
                | State::BankApproved
        )
    }
}

/// Who must move next, for the service-level clock: the agency's clock runs only while the
/// agency owns the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageOwner {
    /// The agency (social work, counselling, referral).
    Agency,
    /// The partner bank.
    Bank,
    /// The applicant (corrections, missing documents, guarantees): pauses the agency's clock.
    Applicant,
    /// Nobody: the file is terminal or in repayment; no stage clock runs.
    None,
}

impl StageOwner {
    /// Stable snake_case name (`agency`, `bank`, `applicant`, `none`), as stored.
    pub const fn as_str(self) -> &'static str {
        match self {
            StageOwner::Agency => "agency",
            StageOwner::Bank => "bank",
            StageOwner::Applicant => "applicant",
            StageOwner::None => "none",
        }
    }
}

impl fmt::Display for StageOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who owns the stage a file in `state` is in. `documents_missing` matters only in
/// `documents_pending`: the applicant owns it while a required document is missing (not yet
/// uploaded, or rejected and not replaced), the agency while uploads await review.
pub const fn stage_owner(state: State, documents_missing: bool) -> StageOwner {
    match state {
        State::Submitted | State::Counselling | State::AwaitingReferral => StageOwner::Agency,
        State::DocumentsPending if documents_missing => StageOwner::Applicant,
        State::DocumentsPending => StageOwner::Agency,
        State::NeedsCorrection | State::GuaranteesPending => StageOwner::Applicant,
        State::Referred | State::BankApproved => StageOwner::Bank,
        State::Active | State::Accelerated | State::Closed | State::Rejected | State::Withdrawn => {
            StageOwner::None
        }
    }
}
