//! The stored order of the staff queue.
//!
//! The queue is ordered by the live priority score ([`crate::priority::score`]), highest
//! first, then by submission, oldest first. The live score is a static part (the factors that
//! do not change from day to day) plus the waiting points, `per_day_waited` for each calendar
//! day since submission up to `days_waited_cap` days. Waiting adds the same points per day to
//! every file that has not reached the cap, so on day `t` (a [`day_number`]) the score is
//!
//! - `static + w × (t − s)` for a file submitted on day `s` with `t − s < cap`, and
//! - `static + w × cap` once the cap is reached,
//!
//! where `w` is `per_day_waited`. The database stores one number per file, its **rank**
//! `w × t − score(t)`: `w × s − static` before the cap (it never changes) and
//! `w × t − static − w × cap` after it (it grows by `w` each day; close of business rewrites
//! the rank of the files that passed the cap). Among files sharing `w`, ordering by rank
//! ascending is exactly ordering by the live score descending, on any day, so an index on
//! `(rank, submitted_at, id)` answers "the next 50" without reading the other files.
//! Programs with different waiting weights are ordered apart and merged by score.
//!
//! A file whose loan was disbursed (`active`, `accelerated`) waits for nothing any more: it
//! leaves the ordering by live score for the band after every waiting file, rank
//! [`SERVED`]` + w × s − static`, which never changes. Close of business then rewrites only
//! the waiting files that passed the cap, not a portfolio of a million loans every day, and
//! a queue lists the files waiting for someone's action first, the loans in repayment after
//! them (among themselves by their score at the cap, then by submission).

use chrono::NaiveDate;

use crate::priority::PriorityWeights;
use crate::workflow::State;

/// Whether a file in `state` was served (its loan disbursed): ranked in the [`SERVED`] band.
pub fn is_served(state: State) -> bool {
    matches!(state, State::Active | State::Accelerated)
}

/// The first day of 1970, day 0.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => panic!("1970-01-01 is a date"),
};

/// Days since 1970-01-01 (negative before it).
pub fn day_number(d: NaiveDate) -> i64 {
    (d - EPOCH).num_days()
}

/// The waiting part of a program's weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Waiting {
    /// Points per calendar day waited.
    pub per_day: i64,
    /// Days that earn points.
    pub cap_days: i64,
}

impl From<&PriorityWeights> for Waiting {
    fn from(w: &PriorityWeights) -> Self {
        Waiting {
            per_day: w.per_day_waited,
            cap_days: i64::from(w.days_waited_cap),
        }
    }
}

/// Where the ranks of served files (loan disbursed) begin: above any waiting file's rank, for
/// any plausible day, weight and score, and far below `i64::MAX`.
pub const SERVED: i64 = 1 << 52;

impl Waiting {
    /// The rank of a file whose loan was disbursed: in the band after every waiting file, and
    /// unchanging.
    pub fn served_rank(&self, static_score: i64, submitted: i64) -> i64 {
        SERVED + self.per_day * submitted - static_score
    }

    /// The rank of a file in `state` (served ones: [`Self::served_rank`]; others:
    /// [`Self::rank`]).
    pub fn rank_in(&self, state: State, static_score: i64, submitted: i64, today: i64) -> i64 {
        if is_served(state) {
            self.served_rank(static_score, submitted)
        } else {
            self.rank(static_score, submitted, today)
        }
    }

    /// The rank of a waiting file with `static_score` (the score without waiting points)
    /// submitted on day `submitted` (a [`day_number`]), on day `today`.
    pub fn rank(&self, static_score: i64, submitted: i64, today: i64) -> i64 {
        if today - submitted >= self.cap_days {
            self.per_day * today - static_score - self.per_day * self.cap_days
        } else {
            self.per_day * submitted - static_score
        }
    }

    /// The live score of a file of this rank on day `today`.
    pub fn score(&self, rank: i64, today: i64) -> i64 {
        self.per_day * today - rank
    }

    /// The rank a file's cursor score stands for on day `today` (inverse of [`Self::score`]).
    pub fn rank_of_score(&self, score: i64, today: i64) -> i64 {
        self.per_day * today - score
    }

    /// Files submitted on or before this day have reached the cap on `today`.
    pub fn capped_since(&self, today: i64) -> i64 {
        today - self.cap_days
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::{BeneficiaryStatus, PriorityInput, score};

    fn input(submitted_on: NaiveDate, female: bool, decile: Option<u8>) -> PriorityInput {
        PriorityInput {
            female_head_of_household: female,
            deprived_county: false,
            disability: false,
            income_decile: decile,
            beneficiary_status: BeneficiaryStatus::None,
            household_size: 3,
            submitted_on,
        }
    }

    /// The rank, read back on any later day, gives exactly the live score — before, at and
    /// after the cap — so ordering by rank is ordering by score.
    #[test]
    fn rank_gives_the_live_score_on_every_day() {
        let weights = PriorityWeights::default();
        let w = Waiting::from(&weights);
        let submitted = NaiveDate::from_ymd_opt(2026, 3, 21).unwrap();
        for (female, decile) in [(false, None), (true, Some(2)), (false, Some(5))] {
            let inp = input(submitted, female, decile);
            let static_score = score(&weights, &inp, submitted).score;
            for days in [0i64, 1, 30, 364, 365, 366, 400, 2000] {
                let today = submitted + chrono::Duration::days(days);
                let t = day_number(today);
                let rank = w.rank(static_score, day_number(submitted), t);
                assert_eq!(
                    w.score(rank, t),
                    score(&weights, &inp, today).score,
                    "{days}"
                );
            }
        }
    }

    /// A served file ranks after every waiting file, however low its score and however long
    /// the others waited, and its rank does not move from day to day.
    #[test]
    fn served_files_rank_after_every_waiting_file() {
        let w = Waiting::from(&PriorityWeights::default());
        let today = day_number(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap());
        let served = w.rank_in(State::Active, 10_000, today - 5000, today);
        assert_eq!(
            served,
            w.rank_in(State::Accelerated, 10_000, today - 5000, today + 400)
        );
        for (score, submitted) in [(-10_000, today), (0, today), (10_000, today - 5000)] {
            let waiting = w.rank_in(State::Submitted, score, submitted, today);
            assert_eq!(waiting, w.rank(score, submitted, today));
            assert!(waiting < served, "{score} {submitted}");
        }
        assert!(is_served(State::Active) && !is_served(State::BankApproved));
        assert!(!is_served(State::Closed));
    }

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(day_number(EPOCH), 0);
        assert_eq!(
            day_number(NaiveDate::from_ymd_opt(1970, 1, 31).unwrap()),
            30
        );
    }
}
