//! The synthetic rows of `vamyar seed`: what is looked up once (program, bank, quotas,
//! counties, id bases), the schedule shapes, and one batch of applicants.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;
use vamyar_calendar::{JalaliDate, WorkingCalendar};
use vamyar_domain::allocation;
use vamyar_domain::primitives::NationalId;
use vamyar_domain::queue_key::day_number;
use vamyar_domain::schedule::{self, ScheduleMethod, ScheduleTerms};
use vamyar_store::Db;
use vamyar_store::synthetic::{self, Value};

use super::{history, text};

/// The most applicants one `--seed` may create (seeds own disjoint ranges of ids).
pub const MAX_PER_SEED: u64 = 10_000_000;
/// Installments per loan.
const TERM: u32 = 36;
/// Fee rate, basis points a year.
const RATE_BP: u32 = 400;
/// Principals: 100,000,000 to 1,500,000,000 rials in steps of 50,000,000.
const PRINCIPALS: usize = 29;

const FEMALE: &[&str] = &[
    "زهرا",
    "فاطمه",
    "مریم",
    "زینب",
    "معصومه",
    "سکینه",
    "لیلا",
    "نرگس",
];
const MALE: &[&str] = &["علی", "محمد", "حسین", "رضا", "مهدی", "احمد", "حسن", "جواد"];
const LAST: &[&str] = &[
    "احمدی",
    "محمدی",
    "حسینی",
    "رضایی",
    "کریمی",
    "موسوی",
    "جعفری",
    "رحیمی",
];
const TITLES: &[&str] = &[
    "خیاطی خانگی",
    "قالی‌بافی",
    "پرورش قارچ",
    "نانوایی",
    "تعمیر موبایل",
];

/// What every row refers to, looked up once.
pub struct Fixture {
    /// The business date the portfolio is "as of".
    pub as_of: NaiveDate,
    /// The `--seed`.
    pub seed: u64,
    /// Whether to create loans.
    pub loans: bool,
    program_id: i64,
    waiting: vamyar_domain::queue_key::Waiting,
    bank_id: i64,
    branch_id: i64,
    memorandum_id: i64,
    quotas: HashMap<String, i64>,
    counties: Vec<(String, String, bool)>,
    weights: vamyar_domain::priority::PriorityWeights,
    calendar: WorkingCalendar,
    base: [i64; 5],
    now: String,
    /// The installation's tracking-code key: seeded files get their codes as registered
    /// ones do, from their ids, so a later registration can never collide with them.
    tracking_key: [u8; 32],
}

impl Fixture {
    /// Looks up the demo program, its first bank's first branch and memorandum, the quotas,
    /// the counties, the holidays and the id bases.
    pub async fn load(db: &Db, as_of: NaiveDate, seed: u64, loans: bool) -> anyhow::Result<Self> {
        let year = JalaliDate::from_iso(vamyar_calendar::Clock::system().today()).year();
        let program = vamyar_store::program::by_code(db.pool(), &format!("demo-{year}"))
            .await?
            .context("the demo program is missing")?;
        let memorandum = vamyar_store::bank::memoranda(db.pool())
            .await?
            .into_iter()
            .find(|m| m.program_id == program.id)
            .context("the demo memorandum is missing")?;
        let branch = vamyar_store::bank::branches(db.pool())
            .await?
            .into_iter()
            .find(|b| b.bank_id == memorandum.bank_id)
            .context("the demo bank has no branch")?;
        let quotas = vamyar_store::bank::quotas_of(db.pool(), memorandum.id)
            .await?
            .into_iter()
            .map(|q| (q.province_code, q.id))
            .collect::<HashMap<_, _>>();
        let counties: Vec<(String, String, bool)> = vamyar_store::reference::counties(db)
            .await?
            .into_iter()
            .filter(|c| quotas.contains_key(&c.province_code))
            .map(|c| (c.code, c.province_code, c.is_deprived))
            .collect();
        let weights: vamyar_domain::priority::PriorityWeights =
            serde_json::from_str(&program.priority_weights)
                .context("the demo program's priority weights")?;
        anyhow::ensure!(!counties.is_empty(), "no county has a demo quota");
        let mut base = [0_i64; 5];
        for (i, t) in ["person", "application", "referral", "loan", "installment"]
            .iter()
            .enumerate()
        {
            base[i] = synthetic::max_id(db, t).await?;
        }
        Ok(Fixture {
            as_of,
            seed,
            loans,
            waiting: vamyar_domain::queue_key::Waiting::from(&weights),
            weights,
            program_id: program.id,
            bank_id: memorandum.bank_id,
            branch_id: branch.id,
            memorandum_id: memorandum.id,
            quotas,
            counties,
            calendar: vamyar_store::reference::working_calendar(db, as_of).await?,
            base,
            now: vamyar_store::time::now(),
            tracking_key: vamyar_store::secret::get_or_create(
                db,
                vamyar_store::secret::TRACKING_CODE,
            )
            .await?,
        })
    }

    fn terms(&self, principal: i64, disbursed_on: NaiveDate) -> ScheduleTerms {
        ScheduleTerms {
            principal,
            annual_rate_bp: RATE_BP,
            term_months: TERM,
            grace_months: 0,
            grace_fee_accrues: false,
            method: ScheduleMethod::Flat,
            disbursed_on,
            shift_to_working_day: true,
        }
    }
}

/// The (principal, fee) of each installment, per principal, generated once.
pub struct Shapes(Vec<Shape>);

/// One principal's schedule: principal, total fee, and `(principal, fee)` per installment.
type Shape = (i64, i64, Vec<(i64, i64)>);

impl Shapes {
    /// Generates the schedule of every principal once.
    pub fn new(f: &Fixture) -> anyhow::Result<Self> {
        let mut out = Vec::with_capacity(PRINCIPALS);
        for i in 0..PRINCIPALS {
            let principal = 100_000_000 + 50_000_000 * i as i64;
            let s = schedule::generate(&f.terms(principal, f.as_of), &f.calendar)
                .map_err(|e| anyhow::anyhow!("schedule: {e}"))?;
            let parts = s
                .installments
                .iter()
                .map(|i| (i.principal, i.fee))
                .collect();
            out.push((principal, s.total_fee, parts));
        }
        Ok(Shapes(out))
    }
}

/// The rows of a run of applicants, table by table.
#[derive(Default)]
pub struct Batch {
    /// person rows.
    pub persons: Vec<Vec<Value>>,
    /// application rows.
    pub files: Vec<Vec<Value>>,
    /// stage_timing rows (files without loans).
    pub stages: Vec<Vec<Value>>,
    /// referral rows.
    pub referrals: Vec<Vec<Value>>,
    /// loan rows.
    pub loans: Vec<Vec<Value>>,
    /// installment rows.
    pub installments: Vec<Vec<Value>>,
}

/// Ten digits with a valid check digit, from a bijection of `j` (`None` for the rare
/// never-issued patterns).
fn national_id(j: u64) -> Option<String> {
    let nine = 100_000_000 + (j.wrapping_mul(7_919_393) % 900_000_000);
    let s = format!("{nine:09}");
    let mut d = [0_u8; 9];
    for (slot, c) in d.iter_mut().zip(s.bytes()) {
        *slot = c - b'0';
    }
    let id = format!("{s}{}", NationalId::check_digit(&d));
    NationalId::parse(&id).ok().map(|n| n.as_str().to_string())
}

/// The tracking code of file `id`, made as registration makes it.
fn tracking_code(id: i64, key: &[u8; 32]) -> anyhow::Result<String> {
    let n = u64::try_from(id).context("a negative file id")?;
    Ok(
        vamyar_domain::primitives::TrackingCode::for_sequence(n, key)
            .context("file ids past the tracking codes' range")?
            .as_str()
            .to_string(),
    )
}

impl Batch {
    /// Adds applicant `k` (and its file, and its loan with `--loans`).
    pub fn add(
        &mut self,
        f: &Fixture,
        shapes: &Shapes,
        due_cache: &mut HashMap<NaiveDate, Vec<NaiveDate>>,
        rng: &mut StdRng,
        k: u64,
    ) -> anyhow::Result<()> {
        let j = (f.seed % 45) * MAX_PER_SEED + k;
        let nid = national_id(j)
            .or_else(|| national_id(899_999_999 - j))
            .context("no valid national ID for this index")?;
        let n = k as i64 + 1;
        let (pid, aid, rid, lid) = (f.base[0] + n, f.base[1] + n, f.base[2] + n, f.base[3] + n);
        let (county, province, deprived) = &f.counties[rng.random_range(0..f.counties.len())];
        let female = rng.random_bool(0.6);
        // about a third of the women are heads of their household
        let female_head = female && rng.random_bool(0.35);
        let household: i64 = rng.random_range(1..8);
        let first = if female { FEMALE } else { MALE };
        let now = || text(f.now.clone());
        self.persons.push(vec![
            Value::Int(pid),
            text(nid),
            Value::Str(first[rng.random_range(0..first.len())]),
            Value::Str(LAST[rng.random_range(0..LAST.len())]),
            Value::Str(if female { "female" } else { "male" }),
            text(format!("0912{:07}", rng.random_range(0..10_000_000))),
            text(province.clone()),
            text(county.clone()),
            Value::Int(household),
            Value::Int(i64::from(female_head)),
            now(),
            now(),
        ]);
        let shape = &shapes.0[rng.random_range(0..shapes.0.len())];
        let principal = shape.0;
        // a loan's file went through every stage before its disbursement
        let disbursed = f
            .loans
            .then(|| f.as_of - Duration::days(rng.random_range(1..=1060)));
        let submitted = match disbursed {
            Some(d) => history::loan_file(rng, &f.calendar, aid, d, &f.now, &mut self.stages),
            None => f.as_of - Duration::days(rng.random_range(1..60)),
        };
        let state = if f.loans {
            "active"
        } else {
            ["submitted", "counselling", "awaiting_referral"][rng.random_range(0..3)]
        };
        let at = |d: NaiveDate| text(format!("{}T08:00:00.000000Z", d.format("%Y-%m-%d")));
        let score = vamyar_domain::priority::score(
            &f.weights,
            &vamyar_domain::priority::PriorityInput {
                female_head_of_household: female_head,
                deprived_county: *deprived,
                disability: false,
                income_decile: None,
                beneficiary_status: vamyar_domain::priority::BeneficiaryStatus::None,
                household_size: household as u8,
                submitted_on: submitted,
            },
            submitted,
        )
        .score;
        let day = day_number(submitted);
        self.files.push(vec![
            Value::Int(aid),
            text(tracking_code(aid, &f.tracking_key)?),
            Value::Int(pid),
            Value::Int(f.program_id),
            Value::Str("self_employment"),
            Value::Str("web"),
            Value::Str(state),
            Value::Int(principal),
            if f.loans {
                Value::Int(principal)
            } else {
                Value::Null
            },
            Value::Str(TITLES[rng.random_range(0..TITLES.len())]),
            // classified at the plan review: files past counselling have a sector
            if matches!(state, "active" | "awaiting_referral") {
                let all = vamyar_domain::vocab::Sector::ALL;
                Value::Str(all[rng.random_range(0..all.len())].as_str())
            } else {
                Value::Null
            },
            text(province.clone()),
            text(county.clone()),
            Value::Int(score),
            at(submitted),
            at(submitted),
            now(),
            now(),
            // a loan's file is served: its rank is in the band after the waiting files
            Value::Int(if f.loans {
                f.waiting.served_rank(score, day)
            } else {
                f.waiting.rank(score, day, day_number(f.as_of))
            }),
            Value::Int(day),
            // the stages of its clocks, as the trigger on `stage_timing` would mark them
            Value::Int(if f.loans {
                history::STAGES_REACHED
            } else {
                history::bit(state)
            }),
            if f.loans {
                Value::Int(f.bank_id)
            } else {
                Value::Null
            },
            if f.loans {
                Value::Int(f.branch_id)
            } else {
                Value::Null
            },
        ]);
        let Some(disbursed) = disbursed else {
            let due = f.as_of + Duration::days(rng.random_range(-5..20));
            self.stages.push(vec![
                Value::Int(aid),
                Value::Str(state),
                Value::Str("agency"),
                at(submitted),
                Value::Null,
                Value::Int(5),
                text(vamyar_store::time::date(due)),
                now(),
            ]);
            return Ok(());
        };
        let dates = due_cache
            .entry(disbursed)
            .or_insert_with(|| schedule::due_dates(&f.terms(principal, disbursed), &f.calendar));
        let quota = f.quotas.get(province).copied().unwrap_or_default();
        let iso = vamyar_store::time::date;
        let tag = format!("SYN{}-{k}", f.seed);
        self.referrals.push(vec![
            Value::Int(rid),
            Value::Int(aid),
            Value::Int(f.memorandum_id),
            Value::Int(quota),
            Value::Int(f.bank_id),
            Value::Int(f.branch_id),
            text(tag.clone()),
            Value::Int(principal),
            text(iso(disbursed - Duration::days(20))),
            text(iso(disbursed + Duration::days(10))),
            Value::Str("disbursed"),
            now(),
            now(),
        ]);
        let yesterday = f.as_of - Duration::days(1);
        let past: Vec<usize> = (0..dates.len()).filter(|&i| dates[i] < f.as_of).collect();
        let delinquent = rng.random_bool(0.05);
        let unpaid_from = if delinquent {
            past.len().saturating_sub(rng.random_range(1..=6))
        } else if past.last().is_some_and(|&i| dates[i] == yesterday) && rng.random_bool(0.03) {
            past.len() - 1
        } else {
            past.len()
        };
        let mut repaid = 0_i64;
        let mut oldest_overdue = None;
        for (i, (&(p, fee), &due)) in shape.2.iter().zip(dates.iter()).enumerate() {
            let paid = i < unpaid_from;
            let status = if paid {
                repaid += p;
                "paid"
            } else if due >= f.as_of || due == yesterday {
                // (yesterday's is due, which is not stored: pending)
                "pending"
            } else {
                oldest_overdue.get_or_insert(due);
                "overdue"
            };
            // late charges as accrued through yesterday by the loans' rule
            let (late, through) = if status == "overdue" {
                let days = u32::try_from((yesterday - due).num_days()).unwrap_or(0);
                let charge = allocation::late_charge(p + fee, RATE_BP, 600, days);
                (Value::Int(charge), text(iso(yesterday)))
            } else {
                (Value::Int(0), Value::Null)
            };
            self.installments.push(vec![
                Value::Int(f.base[4] + (n - 1) * i64::from(TERM) + i as i64 + 1),
                Value::Int(lid),
                Value::Int(i as i64 + 1),
                text(iso(due)),
                Value::Int(p),
                Value::Int(fee),
                Value::Int(if paid { p } else { 0 }),
                Value::Int(if paid { fee } else { 0 }),
                Value::Str(status),
                if paid { text(iso(due)) } else { Value::Null },
                late,
                through,
                now(),
                now(),
            ]);
        }
        // arrears as the close of business of yesterday left them
        let days = oldest_overdue.map_or(0, |d: NaiveDate| (yesterday - d).num_days());
        let bucket = allocation::bucket(u32::try_from(days).unwrap_or(0));
        self.loans.push(vec![
            Value::Int(lid),
            Value::Int(aid),
            Value::Int(rid),
            Value::Int(f.bank_id),
            text(tag),
            Value::Int(principal),
            Value::Int(i64::from(RATE_BP)),
            Value::Int(i64::from(TERM)),
            Value::Int(0),
            Value::Str("flat"),
            Value::Int(600),
            text(iso(disbursed)),
            Value::Int(shape.1),
            Value::Str("active"),
            oldest_overdue.map_or(Value::Null, |d| text(iso(d))),
            Value::Str(bucket.as_str()),
            Value::Int(repaid),
            text(province.clone()),
            now(),
            now(),
        ]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_codes_are_valid_and_distinct() {
        let ids: std::collections::BTreeSet<String> = (0..10_000).filter_map(national_id).collect();
        assert!(ids.len() > 9_990);
        let key = [3u8; 32];
        let codes: std::collections::BTreeSet<String> = (1..=10_000)
            .map(|id| tracking_code(id, &key).unwrap())
            .collect();
        assert_eq!(codes.len(), 10_000);
        for c in codes.iter().take(100) {
            vamyar_domain::primitives::TrackingCode::parse(c).unwrap();
        }
    }
}
