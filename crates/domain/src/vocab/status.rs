//! Where a record stands: referrals, guarantees, documents, loans and installments.

use chrono::NaiveDate;

use crate::named::named_enum;

named_enum! {
    /// Where a referral to a bank stands (`referral.status`).
    pub enum ReferralStatus {
        /// Issued; the bank has not decided yet.
        Open => "open",
        /// The bank asked for guarantees.
        GuaranteesPending => "guarantees_pending",
        /// The bank accepted the guarantees and approved the loan.
        Approved => "approved",
        /// The bank declined.
        Rejected => "rejected",
        /// The letter passed its validity before the bank decided.
        Expired => "expired",
        /// The applicant withdrew before disbursement.
        Withdrawn => "withdrawn",
        /// The loan was paid out.
        Disbursed => "disbursed",
    }
}

named_enum! {
    /// Where a guarantee asked for by the bank stands (`guarantee.status`).
    pub enum GuaranteeStatus {
        /// Asked for; not yet accepted.
        Requested => "requested",
        /// Accepted by the bank.
        Accepted => "accepted",
        /// Refused by the bank, or dropped when the referral ended without a loan.
        Rejected => "rejected",
    }
}

named_enum! {
    /// Where an uploaded document stands (`document.status`).
    pub enum DocumentStatus {
        /// Uploaded; waiting for review.
        Pending => "pending",
        /// Reviewed and accepted.
        Accepted => "accepted",
        /// Reviewed and refused (with a reason).
        Rejected => "rejected",
        /// Pending or rejected, and superseded by a later upload of the same kind.
        Replaced => "replaced",
    }
}

named_enum! {
    /// Where a disbursed loan stands (`loan.status`).
    pub enum LoanStatus {
        /// In grace or repayment.
        Active => "active",
        /// The whole balance was made due.
        Accelerated => "accelerated",
        /// Every installment is paid.
        Closed => "closed",
    }
}

named_enum! {
    /// Where an installment stands (`installment.status`), as kept by close of business.
    pub enum InstallmentStatus {
        /// Not paid and not yet overdue; as stored, whether or not its due date has come.
        Pending => "pending",
        /// Its due date has come; not yet paid and not yet overdue. Never stored (migration
        /// 0025): a pending installment is shown as due from its due date on
        /// ([`InstallmentStatus::shown`]).
        Due => "due",
        /// Past its due date and not fully paid.
        Overdue => "overdue",
        /// Fully paid.
        Paid => "paid",
    }
}

impl InstallmentStatus {
    /// The status to show of an installment stored as `self` and due on `due_on`, on
    /// `today` (Tehran's date): a pending installment whose due date has come is due.
    pub fn shown(self, due_on: NaiveDate, today: NaiveDate) -> Self {
        match self {
            Self::Pending if due_on <= today => Self::Due,
            other => other,
        }
    }
}

named_enum! {
    /// Where a queued message stands (`outbox.status`).
    pub enum MessageStatus {
        /// Waiting to be sent (or to be retried).
        Pending => "pending",
        /// Claimed by a worker that is sending it.
        Sending => "sending",
        /// Accepted by the provider.
        Sent => "sent",
        /// The provider reports it delivered to the handset.
        Delivered => "delivered",
        /// Given up after the provider refused it or the retries ran out.
        Failed => "failed",
        /// Useless before it could be sent (one-time codes).
        Expired => "expired",
    }
}

named_enum! {
    /// Where a close-of-business run of one business date stands (`cob_run.status`).
    pub enum CobRunStatus {
        /// Started and not finished (or interrupted).
        Running => "running",
        /// Every step finished.
        Done => "done",
        /// A step failed; the next run resumes it.
        Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::InstallmentStatus::{Due, Overdue, Paid, Pending};
    use chrono::NaiveDate;

    #[test]
    fn a_pending_installment_is_shown_due_from_its_due_date_on() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert_eq!(Pending.shown(d(3), d(2)), Pending);
        assert_eq!(Pending.shown(d(3), d(3)), Due);
        assert_eq!(Pending.shown(d(3), d(4)), Due);
        // the others are shown as stored
        assert_eq!(Overdue.shown(d(3), d(4)), Overdue);
        assert_eq!(Paid.shown(d(3), d(4)), Paid);
        assert_eq!(Paid.shown(d(3), d(2)), Paid);
    }
}
