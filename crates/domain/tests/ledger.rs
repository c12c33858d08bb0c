//! Payment corrections: any mix of payments (on time or back-dated), reversals and close of
//! business days ends where posting the surviving payments in date order ends.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use vamyar_domain::ledger::{self, Day, Line, Posting, Rates};
use vamyar_domain::vocab::InstallmentStatus;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

/// One step of a loan's life.
#[derive(Debug, Clone)]
enum Op {
    /// Days pass; close of business runs on the last of them (or on each, with `daily`).
    Advance { days: u64, daily: bool },
    /// A payment `back` days before today (not before disbursement).
    Post { back: u64, amount: i64 },
    /// The reversal of the payment at this index among those posted (if any).
    Reverse { index: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1u64..40, any::<bool>()).prop_map(|(days, daily)| Op::Advance { days, daily }),
        4 => (0u64..70, 1i64..3_000_000).prop_map(|(back, amount)| Op::Post { back, amount }),
        1 => (0usize..20).prop_map(|index| Op::Reverse { index }),
    ]
}

fn schedule() -> impl Strategy<Value = Vec<Line>> {
    prop::collection::vec((100_000i64..2_000_000, 0i64..200_000), 1..6).prop_map(|parts| {
        parts
            .into_iter()
            .enumerate()
            .map(|(k, (principal, fee))| {
                let seq = u32::try_from(k).unwrap() + 1;
                let due = start() + Days::new(30 * u64::from(seq));
                Line::fresh(seq, due, principal, fee)
            })
            .collect()
    })
}

fn day(date: NaiveDate) -> Day {
    // one calendar day of grace
    Day {
        date,
        overdue_before: date - Days::new(1),
    }
}

/// The loan as the service keeps it: payments posted directly unless back-dated, a replay for
/// back-dated payments and reversals.
struct Service {
    lines: Vec<Line>,
    rates: Rates,
    today: NaiveDate,
    days: Vec<Day>,
    payments: Vec<(Posting, bool)>,
    credit: i64,
    /// The latest date already charged or paid.
    last: NaiveDate,
}

impl Service {
    fn surviving(&self) -> Vec<Posting> {
        self.payments
            .iter()
            .filter(|(_, reversed)| !reversed)
            .map(|(p, _)| *p)
            .collect()
    }

    fn recompute(&mut self) {
        let r = ledger::replay(&self.lines, self.rates, &self.surviving(), &self.days).unwrap();
        self.lines = r.lines;
        self.credit = r.credit;
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Advance { days, daily } => {
                for k in 1..=days {
                    let date = self.today + Days::new(k);
                    if daily || k == days {
                        self.days.push(day(date));
                        ledger::close_day(&mut self.lines, self.rates, date, date - Days::new(1));
                        self.last = self.last.max(date);
                    }
                }
                self.today = self.today + Days::new(days);
            }
            Op::Post { back, amount } => {
                let paid_on = (self.today - Days::new(back)).max(start());
                let posting = Posting {
                    id: i64::try_from(self.payments.len()).unwrap() + 1,
                    paid_on,
                    amount,
                };
                self.payments.push((posting, false));
                if paid_on >= self.last {
                    let a = ledger::pay(&mut self.lines, self.rates, amount, paid_on).unwrap();
                    self.credit += a.to_credit;
                    self.last = paid_on;
                } else {
                    self.recompute();
                }
            }
            Op::Reverse { index } => {
                if !self.payments.is_empty() {
                    let i = index % self.payments.len();
                    self.payments[i].1 = true;
                    self.recompute();
                }
            }
        }
    }
}

/// The oracle: each date in order, its close of business, then its surviving payments by id,
/// each posted directly.
fn posted_in_date_order(s: &Service) -> (Vec<Line>, i64) {
    let mut lines: Vec<Line> = s.lines.iter().map(Line::reset).collect();
    let mut credit = 0;
    let mut date = start();
    while date <= s.today {
        if let Some(d) = s.days.iter().find(|d| d.date == date) {
            ledger::close_day(&mut lines, s.rates, d.date, d.overdue_before);
        }
        let mut todays: Vec<Posting> = s
            .surviving()
            .into_iter()
            .filter(|p| p.paid_on == date)
            .collect();
        todays.sort_by_key(|p| p.id);
        for p in todays {
            credit += ledger::pay(&mut lines, s.rates, p.amount, p.paid_on)
                .unwrap()
                .to_credit;
        }
        date = date + Days::new(1);
    }
    (lines, credit)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn posts_and_reversals_end_as_the_surviving_payments_posted_in_date_order(
        lines in schedule(),
        annual_rate_bp in 0u32..3000,
        extra_points_bp in 0u32..1200,
        ops in prop::collection::vec(op(), 0..40),
    ) {
        let mut s = Service {
            lines,
            rates: Rates { annual_rate_bp, extra_points_bp },
            today: start(),
            days: Vec::new(),
            payments: Vec::new(),
            credit: 0,
            last: start(),
        };
        for op in &ops {
            s.apply(op);
        }
        let (expected, credit) = posted_in_date_order(&s);
        prop_assert_eq!(&s.lines, &expected);
        prop_assert_eq!(s.credit, credit);
        // money is never lost: what stands was paid to installments or held as credit
        let paid: i64 = s.surviving().iter().map(|p| p.amount).sum();
        let allocated: i64 = s
            .lines
            .iter()
            .map(|l| l.balance.principal_paid + l.balance.fee_paid + l.balance.late_charge_paid)
            .sum();
        prop_assert_eq!(paid, allocated + s.credit);
    }
}

#[test]
fn a_reversal_brings_back_the_late_charge_the_payment_had_stopped() {
    let rates = Rates {
        annual_rate_bp: 400,
        extra_points_bp: 600,
    };
    let fresh = vec![Line::fresh(1, start(), 8_000_000, 847_222)];
    let paid = ledger::replay(
        &fresh,
        rates,
        &[Posting {
            id: 1,
            paid_on: start(),
            amount: 8_847_222,
        }],
        &[day(start() + Days::new(30))],
    )
    .unwrap();
    assert_eq!(paid.lines[0].status, InstallmentStatus::Paid);
    assert_eq!(paid.lines[0].balance.late_charge_due, 0);
    // without the payment, thirty days are charged at close of business: 73,727 rials
    let reversed = ledger::replay(&fresh, rates, &[], &[day(start() + Days::new(30))]).unwrap();
    assert_eq!(reversed.lines[0].status, InstallmentStatus::Overdue);
    assert_eq!(reversed.lines[0].balance.late_charge_due, 73_727);
}
