//! Priority scoring of applications.
//!
//! The service-level agreement puts female heads of household and residents of deprived
//! areas first. Every application gets a [`Priority`]: an integer score computed by
//! [`score`] from configurable [`PriorityWeights`] and the facts in a [`PriorityInput`],
//! together with the breakdown ([`Factor`]s) that staff see next to it.
//!
//! Staff queues are ordered by score, highest first, and then by submission time, oldest
//! first ([`queue_order`]). Because waiting adds points every day (up to a cap), nobody
//! starves in the queue: an ordinary applicant eventually overtakes newer applicants with
//! more priority factors.
//!
//! All points are whole numbers; there is no floating point, so a score is exact and
//! reproducible.

use core::cmp::Ordering;
use core::fmt;
use core::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Largest number of points [`PriorityWeights::validate`] accepts for any one weight.
pub const MAX_POINTS: i64 = 100_000;

/// Largest accepted [`PriorityWeights::household_member_cap`]: extra household members
/// beyond this are never worth anything.
pub const MAX_HOUSEHOLD_MEMBER_CAP: u32 = 20;

/// Largest accepted [`PriorityWeights::days_waited_cap`]: ten years.
pub const MAX_DAYS_WAITED_CAP: u32 = 3_650;

/// Name of the factor for a female head of household.
pub const FACTOR_FEMALE_HEAD_OF_HOUSEHOLD: &str = "female_head_of_household";
/// Name of the factor for residence in a deprived county.
pub const FACTOR_DEPRIVED_COUNTY: &str = "deprived_county";
/// Name of the factor for a disability.
pub const FACTOR_DISABILITY: &str = "disability";
/// Name of the factor for a low income decile; its detail is the decile (1–5).
pub const FACTOR_INCOME_DECILE: &str = "income_decile";
/// Name of the factor for the relationship with the agency; its detail is
/// [`BeneficiaryStatus::rank`].
pub const FACTOR_BENEFICIARY_STATUS: &str = "beneficiary_status";
/// Name of the factor for household size; its detail is the household size.
pub const FACTOR_HOUSEHOLD_SIZE: &str = "household_size";
/// Name of the factor for waiting; its detail is the number of calendar days waited
/// (not capped, although the points are).
pub const FACTOR_DAYS_WAITED: &str = "days_waited";

/// Every factor name, in the order [`score`] considers them.
pub const FACTOR_NAMES: [&str; 7] = [
    FACTOR_FEMALE_HEAD_OF_HOUSEHOLD,
    FACTOR_DEPRIVED_COUNTY,
    FACTOR_DISABILITY,
    FACTOR_INCOME_DECILE,
    FACTOR_BENEFICIARY_STATUS,
    FACTOR_HOUSEHOLD_SIZE,
    FACTOR_DAYS_WAITED,
];

/// The points each priority factor is worth, configured per program.
///
/// Every field is a whole number of points. Missing fields take their default when
/// deserialised; unknown fields are rejected so that a misspelt weight is not silently
/// ignored.
///
/// # Defaults and their reasoning
///
/// | field | default |
/// |---|---|
/// | `female_head_of_household` | 300 |
/// | `deprived_county` | 250 |
/// | `disability` | 150 |
/// | `supported_beneficiary` | 120 |
/// | `waiting_list` | 60 |
/// | `household_member` | 40 |
/// | `per_decile_below_6` | 30 (decile 1 → 150, decile 5 → 30) |
/// | `per_household_member` | 10, for at most `household_member_cap` = 6 extra members (→ 60) |
/// | `per_day_waited` | 2, for at most `days_waited_cap` = 365 days (→ 730) |
///
/// The agreement names female heads of household and deprived areas first, so they carry
/// the largest weights; the lowest decile (150) is worth about half of either.
///
/// Waiting is the counterweight ("nobody starves in the queue"): at 2 points a day, an
/// ordinary applicant catches up with an otherwise identical, freshly submitted female head
/// of household (300 points apart) after 150 days, about five months, and is just ahead of
/// her at six months (≈ 364 points). A fresh female head of household in a deprived county
/// (550) is caught up with after about nine months; at the one-year cap (730 points) an
/// applicant who has waited outranks any fresh applicant with two of the headline factors.
/// The cap keeps very old files (often abandoned) from dominating the queue indefinitely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriorityWeights {
    /// Points for a female head of household (زن سرپرست خانوار).
    pub female_head_of_household: i64,
    /// Points for a resident of a county flagged as deprived (منطقه محروم).
    pub deprived_county: i64,
    /// Points for an applicant with a disability.
    pub disability: i64,
    /// Points for a supported beneficiary (مددجوی تحت حمایت) of the agency.
    pub supported_beneficiary: i64,
    /// Points for an applicant on the agency's waiting list.
    pub waiting_list: i64,
    /// Points for a member of a supported beneficiary's household.
    pub household_member: i64,
    /// Points per decile step below 6: decile `d` in 1–5 earns `(6 − d) ×` this; deciles
    /// 6 and above, or an unknown decile, earn nothing.
    pub per_decile_below_6: i64,
    /// Points per household member beyond the first, for at most
    /// [`household_member_cap`](Self::household_member_cap) members.
    pub per_household_member: i64,
    /// Most extra household members that earn points.
    pub household_member_cap: u32,
    /// Points per calendar day since submission, for at most
    /// [`days_waited_cap`](Self::days_waited_cap) days.
    pub per_day_waited: i64,
    /// Most days of waiting that earn points.
    pub days_waited_cap: u32,
}

impl Default for PriorityWeights {
    /// The documented defaults; see the type's documentation for the reasoning.
    fn default() -> Self {
        Self {
            female_head_of_household: 300,
            deprived_county: 250,
            disability: 150,
            supported_beneficiary: 120,
            waiting_list: 60,
            household_member: 40,
            per_decile_below_6: 30,
            per_household_member: 10,
            household_member_cap: 6,
            per_day_waited: 2,
            days_waited_cap: 365,
        }
    }
}

/// Why a set of [`PriorityWeights`] is not acceptable. Every variant has the code
/// `priority_weights_invalid`; [`PriorityWeightsError::field`] names the offending field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum PriorityWeightsError {
    /// A weight is negative.
    #[error("priority weight `{field}` is negative")]
    Negative {
        /// The field's name.
        field: &'static str,
    },
    /// A weight exceeds [`MAX_POINTS`].
    #[error("priority weight `{field}` is too large")]
    TooLarge {
        /// The field's name.
        field: &'static str,
    },
    /// A cap exceeds [`MAX_HOUSEHOLD_MEMBER_CAP`] or [`MAX_DAYS_WAITED_CAP`].
    #[error("priority cap `{field}` is out of range")]
    CapOutOfRange {
        /// The field's name.
        field: &'static str,
    },
}

impl PriorityWeightsError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        "priority_weights_invalid"
    }

    /// The name of the field at fault, as it appears in the serialised weights.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Negative { field } | Self::TooLarge { field } | Self::CapOutOfRange { field } => {
                field
            }
        }
    }
}

impl PriorityWeights {
    /// Checks that every weight is in `0..=MAX_POINTS` and every cap within its maximum.
    /// Reports the first fault in field order.
    pub fn validate(&self) -> Result<(), PriorityWeightsError> {
        let points = [
            ("female_head_of_household", self.female_head_of_household),
            ("deprived_county", self.deprived_county),
            ("disability", self.disability),
            ("supported_beneficiary", self.supported_beneficiary),
            ("waiting_list", self.waiting_list),
            ("household_member", self.household_member),
            ("per_decile_below_6", self.per_decile_below_6),
            ("per_household_member", self.per_household_member),
            ("per_day_waited", self.per_day_waited),
        ];
        for (field, value) in points {
            if value < 0 {
                return Err(PriorityWeightsError::Negative { field });
            }
            if value > MAX_POINTS {
                return Err(PriorityWeightsError::TooLarge { field });
            }
        }
        if self.household_member_cap > MAX_HOUSEHOLD_MEMBER_CAP {
            return Err(PriorityWeightsError::CapOutOfRange {
                field: "household_member_cap",
            });
        }
        if self.days_waited_cap > MAX_DAYS_WAITED_CAP {
            return Err(PriorityWeightsError::CapOutOfRange {
                field: "days_waited_cap",
            });
        }
        Ok(())
    }

    /// Points for the given beneficiary status.
    pub fn beneficiary_points(&self, status: BeneficiaryStatus) -> i64 {
        match status {
            BeneficiaryStatus::Supported => self.supported_beneficiary,
            BeneficiaryStatus::WaitingList => self.waiting_list,
            BeneficiaryStatus::HouseholdMember => self.household_member,
            BeneficiaryStatus::None => 0,
        }
    }
}

/// An applicant's relationship with the agency.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum BeneficiaryStatus {
    /// A supported beneficiary (مددجو) of the agency.
    Supported,
    /// On the agency's waiting list.
    WaitingList,
    /// A member of a supported beneficiary's household.
    HouseholdMember,
    /// None of the above (e.g. eligible by income decile only).
    #[default]
    None,
}

/// The input is not a known [`BeneficiaryStatus`] name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[error("unknown beneficiary status")]
pub struct UnknownBeneficiaryStatus;

impl UnknownBeneficiaryStatus {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        "beneficiary_status_unknown"
    }
}

impl BeneficiaryStatus {
    /// Every status, in rank order.
    pub const ALL: [BeneficiaryStatus; 4] = [
        Self::Supported,
        Self::WaitingList,
        Self::HouseholdMember,
        Self::None,
    ];

    /// The snake_case name, as serialised.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Supported => "supported",
            Self::WaitingList => "waiting_list",
            Self::HouseholdMember => "household_member",
            Self::None => "none",
        }
    }

    /// Parses a snake_case name as produced by [`BeneficiaryStatus::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// A stable number for the status, used as the detail of the `beneficiary_status`
    /// factor: 1 supported, 2 waiting list, 3 household member, 0 none.
    pub fn rank(&self) -> i64 {
        match self {
            Self::Supported => 1,
            Self::WaitingList => 2,
            Self::HouseholdMember => 3,
            Self::None => 0,
        }
    }
}

impl fmt::Display for BeneficiaryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BeneficiaryStatus {
    type Err = UnknownBeneficiaryStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or(UnknownBeneficiaryStatus)
    }
}

crate::named::try_from_name!(BeneficiaryStatus);

/// The facts about an application that its priority depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriorityInput {
    /// The applicant is a female head of household.
    pub female_head_of_household: bool,
    /// The applicant lives in a county flagged as deprived.
    pub deprived_county: bool,
    /// The applicant has a disability.
    pub disability: bool,
    /// The household's income decile (1 = poorest … 10), if known. Values outside 1–10
    /// are treated as unknown.
    pub income_decile: Option<u8>,
    /// The applicant's relationship with the agency.
    pub beneficiary_status: BeneficiaryStatus,
    /// Number of people in the household, the applicant included; 0 is treated as 1.
    pub household_size: u8,
    /// The day the application was submitted.
    pub submitted_on: NaiveDate,
}

/// One line of a score's breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Factor {
    /// The factor's snake_case name, one of [`FACTOR_NAMES`].
    pub name: &'static str,
    /// The points it contributes.
    pub points: i64,
    /// The quantity behind the points: 1 for a yes/no factor, the decile for
    /// `income_decile`, [`BeneficiaryStatus::rank`] for `beneficiary_status`, the household
    /// size for `household_size`, calendar days since submission for `days_waited`.
    pub detail: i64,
}

/// Deserialisation form of [`Factor`], whose name is owned until matched to a known name.
#[derive(Deserialize)]
struct FactorRepr {
    name: String,
    points: i64,
    detail: i64,
}

/// A serialised factor has a name that is not one of [`FACTOR_NAMES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
#[error("unknown priority factor")]
pub struct UnknownFactor;

impl<'de> Deserialize<'de> for Factor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = FactorRepr::deserialize(deserializer)?;
        let name = FACTOR_NAMES
            .into_iter()
            .find(|known| *known == repr.name)
            .ok_or_else(|| serde::de::Error::custom(UnknownFactor))?;
        Ok(Self {
            name,
            points: repr.points,
            detail: repr.detail,
        })
    }
}

/// An application's priority: the score and its breakdown.
///
/// Serialises as `{"score": n, "factors": [{"name": …, "points": …, "detail": …}, …]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Priority {
    /// The total, the sum of the factors' points.
    pub score: i64,
    /// The factors that contribute points (only those with more than zero), by points
    /// descending and then by name.
    pub factors: Vec<Factor>,
}

impl Priority {
    /// The factor with the given name, if it contributed points.
    pub fn factor(&self, name: &str) -> Option<&Factor> {
        self.factors.iter().find(|f| f.name == name)
    }
}

/// Points for decile `d`: `(6 − d) × per_step` for 1–5, else 0.
fn decile_steps(decile: Option<u8>) -> i64 {
    match decile {
        Some(d @ 1..=5) => 6 - i64::from(d),
        _ => 0,
    }
}

/// Computes the priority of an application on `today`.
///
/// Each factor's points, from `weights`:
/// - `female_head_of_household`, `deprived_county`, `disability`: the weight when true;
/// - `income_decile`: `(6 − decile) × per_decile_below_6` for deciles 1–5;
/// - `beneficiary_status`: the weight of the status ([`PriorityWeights::beneficiary_points`]);
/// - `household_size`: `per_household_member` × the members beyond the first, at most
///   `household_member_cap`;
/// - `days_waited`: `per_day_waited` × the calendar days from `submitted_on` to `today`
///   (0 if `today` is earlier), at most `days_waited_cap`.
///
/// The score is the sum of the points. Arithmetic saturates, so even unvalidated weights
/// never overflow; with validated weights it is exact.
pub fn score(weights: &PriorityWeights, input: &PriorityInput, today: NaiveDate) -> Priority {
    let flag = |on: bool| i64::from(on);
    let decile_detail = match input.income_decile {
        Some(d @ 1..=10) => i64::from(d),
        _ => 0,
    };
    let household = input.household_size.max(1);
    let extra_members = u32::from(household - 1).min(weights.household_member_cap);
    let days_waited = (today - input.submitted_on).num_days().max(0);
    let counted_days = days_waited.min(i64::from(weights.days_waited_cap));

    let candidates = [
        Factor {
            name: FACTOR_FEMALE_HEAD_OF_HOUSEHOLD,
            points: weights.female_head_of_household * flag(input.female_head_of_household),
            detail: 1,
        },
        Factor {
            name: FACTOR_DEPRIVED_COUNTY,
            points: weights.deprived_county * flag(input.deprived_county),
            detail: 1,
        },
        Factor {
            name: FACTOR_DISABILITY,
            points: weights.disability * flag(input.disability),
            detail: 1,
        },
        Factor {
            name: FACTOR_INCOME_DECILE,
            points: weights
                .per_decile_below_6
                .saturating_mul(decile_steps(input.income_decile)),
            detail: decile_detail,
        },
        Factor {
            name: FACTOR_BENEFICIARY_STATUS,
            points: weights.beneficiary_points(input.beneficiary_status),
            detail: input.beneficiary_status.rank(),
        },
        Factor {
            name: FACTOR_HOUSEHOLD_SIZE,
            points: weights
                .per_household_member
                .saturating_mul(i64::from(extra_members)),
            detail: i64::from(household),
        },
        Factor {
            name: FACTOR_DAYS_WAITED,
            points: weights.per_day_waited.saturating_mul(counted_days),
            detail: days_waited,
        },
    ];

    let mut factors: Vec<Factor> = candidates.into_iter().filter(|f| f.points > 0).collect();
    factors.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.name.cmp(b.name)));
    let score = factors
        .iter()
        .fold(0i64, |sum, f| sum.saturating_add(f.points));
    Priority { score, factors }
}

/// The order of a staff queue: higher score first, then earlier submission first.
///
/// `a` and `b` are `(score, submitted_at)` pairs; `submitted_at` is any ordered submission
/// key (a timestamp, or a `(timestamp, id)` pair for a total order). Use with
/// `sort_by(|a, b| queue_order((a.score, a.at), (b.score, b.at)))`.
pub fn queue_order<T: Ord>(a: (i64, T), b: (i64, T)) -> Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}
