//! The stage clocks of a seeded file that reached disbursement: every stage it passed on the
//! way, in workflow order, each ended when the next began, then `active` running since the
//! disbursement — what the workflow's own clocks leave behind, so that the funnel and the
//! priority groups over seeded files read a real history.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;
use vamyar_calendar::WorkingCalendar;
use vamyar_domain::sla::ServiceLevels;
use vamyar_store::report::STAGE_BITS;
use vamyar_store::synthetic::Value;

use super::text;

/// The stages before disbursement and their owners, in order.
const PATH: &[(&str, &str)] = &[
    ("submitted", "agency"),
    ("documents_pending", "agency"),
    ("counselling", "agency"),
    ("awaiting_referral", "agency"),
    ("referred", "bank"),
    ("guarantees_pending", "applicant"),
    ("bank_approved", "bank"),
];

/// The bit of a stage in `application.stages_reached`.
pub fn bit(state: &str) -> i64 {
    STAGE_BITS
        .iter()
        .find(|(s, _)| *s == state)
        .map_or(0, |(_, b)| *b)
}

/// The stages a loan's file has reached: the path and `active`.
pub const STAGES_REACHED: i64 = 1 | 8 | 16 | 32 | 64 | 128 | 256 | 512;

/// An instant at 08:00 UTC of a day, as stored.
fn at(d: NaiveDate) -> Value {
    text(format!("{}T08:00:00.000000Z", d.format("%Y-%m-%d")))
}

/// The clocks (rows of `columns::STAGE_COLUMNS`) of file `id` disbursed on `disbursed`, each
/// stage lasting 1 to 8 days (about one stage in four past its service level); returns the
/// day the file was submitted.
pub fn loan_file(
    rng: &mut StdRng,
    cal: &WorkingCalendar,
    id: i64,
    disbursed: NaiveDate,
    now: &str,
    rows: &mut Vec<Vec<Value>>,
) -> NaiveDate {
    let levels = ServiceLevels::default();
    let days: Vec<i64> = PATH.iter().map(|_| rng.random_range(1..=8)).collect();
    let submitted = disbursed - Duration::days(days.iter().sum());
    let mut start = submitted;
    for (&(state, owner), d) in PATH.iter().zip(&days) {
        let end = start + Duration::days(*d);
        let target = levels.target_for(state).filter(|_| owner != "applicant");
        rows.push(vec![
            Value::Int(id),
            Value::Str(state),
            Value::Str(owner),
            at(start),
            at(end),
            target.map_or(Value::Null, |t| Value::Int(i64::from(t))),
            target.map_or(Value::Null, |t| {
                text(vamyar_store::time::date(cal.add_working_days(start, t)))
            }),
            text(now),
        ]);
        start = end;
    }
    rows.push(vec![
        Value::Int(id),
        Value::Str("active"),
        Value::Str("none"),
        at(disbursed),
        Value::Null,
        Value::Null,
        Value::Null,
        text(now),
    ]);
    submitted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loan_file_reached_its_path_and_active() {
        let bits = PATH
            .iter()
            .map(|(s, _)| bit(s))
            .fold(bit("active"), |a, b| a | b);
        assert_eq!(bits, STAGES_REACHED);
    }
}
