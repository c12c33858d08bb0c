//! Where a printed referral letter stands for whoever holds it: what the public verification
//! page (`/verify/{code}`) answers, from the referral's status and validity alone.

use chrono::NaiveDate;

use crate::named::named_enum;
use crate::vocab::ReferralStatus;

named_enum! {
    /// What a referral letter is worth today.
    pub enum LetterStanding {
        /// The bank may still act on it: open or waiting for guarantees within its validity,
        /// or approved by the bank (an approval holds until the loan is paid out).
        Valid => "valid",
        /// Its validity passed before the bank decided.
        Expired => "expired",
        /// It was used: the loan was paid out on it.
        Used => "used",
        /// The applicant withdrew; the letter is void.
        Withdrawn => "withdrawn",
        /// The bank declined it.
        Rejected => "rejected",
    }
}

/// The standing of a letter with `status`, last valid on `valid_until`, as of `today`
/// (Tehran's date). A letter still open after its last day is expired even before close of
/// business has marked it so.
pub fn standing(
    status: ReferralStatus,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> LetterStanding {
    match status {
        ReferralStatus::Open | ReferralStatus::GuaranteesPending if today > valid_until => {
            LetterStanding::Expired
        }
        ReferralStatus::Open | ReferralStatus::GuaranteesPending | ReferralStatus::Approved => {
            LetterStanding::Valid
        }
        ReferralStatus::Expired => LetterStanding::Expired,
        ReferralStatus::Disbursed => LetterStanding::Used,
        ReferralStatus::Withdrawn => LetterStanding::Withdrawn,
        ReferralStatus::Rejected => LetterStanding::Rejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
    }

    #[test]
    fn validity_ends_after_the_last_valid_day() {
        let until = day(10);
        assert_eq!(
            standing(ReferralStatus::Open, until, day(10)),
            LetterStanding::Valid
        );
        assert_eq!(
            standing(ReferralStatus::Open, until, day(11)),
            LetterStanding::Expired
        );
        assert_eq!(
            standing(ReferralStatus::GuaranteesPending, until, day(11)),
            LetterStanding::Expired
        );
        assert_eq!(
            standing(ReferralStatus::Approved, until, day(20)),
            LetterStanding::Valid
        );
    }

    #[test]
    fn closed_letters_say_why() {
        let until = day(10);
        for (status, expected) in [
            (ReferralStatus::Expired, LetterStanding::Expired),
            (ReferralStatus::Disbursed, LetterStanding::Used),
            (ReferralStatus::Withdrawn, LetterStanding::Withdrawn),
            (ReferralStatus::Rejected, LetterStanding::Rejected),
        ] {
            assert_eq!(standing(status, until, day(1)), expected, "{status:?}");
        }
    }
}
