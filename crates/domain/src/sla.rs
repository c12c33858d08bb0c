//! Service levels: how many working days each agency- or bank-owned stage may take, and the
//! clock that measures a stage against its target.
//!
//! Working days come from [`WorkingCalendar`]: Fridays and official holidays do not count.
//! Days are counted the way [`WorkingCalendar::working_days_between`] counts them: the day
//! a stage (or a counting interval) starts is not counted, the day it ends is. So a file
//! submitted on a Saturday with a target of 3 working days is due on Tuesday when there are
//! no holidays (Sunday, Monday, Tuesday), and a holiday on the Monday moves it to Wednesday.
//!
//! While the applicant owns a stage (a file returned for correction, a required document
//! still missing, guarantees being gathered), the agency's clock is paused: those intervals
//! are given with `counting: false` and their working days are not used.
//!
//! [`ServiceLevels`] holds the targets, keyed by the workflow state's snake_case name
//! (callers pass `state.as_str()`); [`evaluate`] (or the [`StageClock`] builder) measures
//! one stage and gives a [`SlaReport`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use vamyar_calendar::WorkingCalendar;

/// Largest target [`ServiceLevels::validate`] accepts, in working days (about a year).
pub const MAX_TARGET_DAYS: u32 = 300;

/// Target working days of the stages that the agency or the bank owns, configured per
/// program. Serialised as a map from the state's snake_case name to its target, e.g.
/// `{"submitted": 3, "documents_pending": 3, …}`; missing entries take their default,
/// unknown ones are rejected.
///
/// Stages owned by the applicant (`needs_correction`, `guarantees_pending`) and the
/// terminal or long-running states (`active`, `closed`, …) have no target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceLevels {
    /// Social-work review of a submitted file (default 3).
    pub submitted: u32,
    /// Review of the documents once all of them are uploaded (default 3); the clock is
    /// paused while a required document is missing.
    pub documents_pending: u32,
    /// Job counselling and business-plan review (default 5).
    pub counselling: u32,
    /// The office head's referral to a bank (default 3).
    pub awaiting_referral: u32,
    /// The bank's first answer to a referral (default 5).
    pub referred: u32,
    /// Disbursement after the bank's approval (default 5).
    pub bank_approved: u32,
}

impl Default for ServiceLevels {
    /// 3, 3, 5, 3, 5, 5 working days, in workflow order.
    fn default() -> Self {
        Self {
            submitted: 3,
            documents_pending: 3,
            counselling: 5,
            awaiting_referral: 3,
            referred: 5,
            bank_approved: 5,
        }
    }
}

/// Why a set of [`ServiceLevels`] is not acceptable. Every variant has the code
/// `service_levels_invalid`; [`ServiceLevelsError::stage`] names the offending stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum ServiceLevelsError {
    /// A target is zero working days.
    #[error("service level of `{stage}` is zero")]
    Zero {
        /// The stage's name.
        stage: &'static str,
    },
    /// A target exceeds [`MAX_TARGET_DAYS`].
    #[error("service level of `{stage}` is too long")]
    TooLong {
        /// The stage's name.
        stage: &'static str,
    },
}

impl ServiceLevelsError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        "service_levels_invalid"
    }

    /// The stage at fault.
    pub fn stage(&self) -> &'static str {
        match self {
            Self::Zero { stage } | Self::TooLong { stage } => stage,
        }
    }
}

impl ServiceLevels {
    /// The names of the stages that have a target, in workflow order.
    pub const STAGES: [&'static str; 6] = [
        "submitted",
        "documents_pending",
        "counselling",
        "awaiting_referral",
        "referred",
        "bank_approved",
    ];

    /// The target in working days of the state with this snake_case name, or `None` if the
    /// state has no service level.
    pub fn target_for(&self, state: &str) -> Option<u32> {
        match state {
            "submitted" => Some(self.submitted),
            "documents_pending" => Some(self.documents_pending),
            "counselling" => Some(self.counselling),
            "awaiting_referral" => Some(self.awaiting_referral),
            "referred" => Some(self.referred),
            "bank_approved" => Some(self.bank_approved),
            _ => None,
        }
    }

    /// Every `(stage, target)` pair, in workflow order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u32)> + '_ {
        Self::STAGES
            .into_iter()
            .filter_map(|stage| self.target_for(stage).map(|days| (stage, days)))
    }

    /// Checks that every target is between 1 and [`MAX_TARGET_DAYS`] working days.
    /// Reports the first fault in workflow order.
    pub fn validate(&self) -> Result<(), ServiceLevelsError> {
        for (stage, days) in self.iter() {
            if days == 0 {
                return Err(ServiceLevelsError::Zero { stage });
            }
            if days > MAX_TARGET_DAYS {
                return Err(ServiceLevelsError::TooLong { stage });
            }
        }
        Ok(())
    }
}

/// A stretch of a stage during which the agency's clock either runs or is paused.
///
/// It covers the days `d` with `from < d <= to` (the first day excluded, the last
/// included), so consecutive intervals share their boundary day without counting it twice.
/// `to == None` means the interval is still going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CountingInterval {
    /// The day the interval began (the stage was entered, or ownership changed).
    pub from: NaiveDate,
    /// The day it ended, or `None` if it is still running.
    pub to: Option<NaiveDate>,
    /// Whether the agency (or bank) owns the stage during the interval, so its working
    /// days count against the target; `false` while the applicant owns it.
    pub counting: bool,
}

/// Where a stage stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaStatus {
    /// More than one working day left, or paused before the target was reached, or
    /// finished within the target.
    OnTime,
    /// The clock is not past the due date and at most one working day is left: the due
    /// date is today or the next working day.
    DueSoon,
    /// Past the due date: today is after it while the stage is still open, or the stage
    /// finished having used more working days than its target.
    Breached,
}

impl SlaStatus {
    /// The snake_case name, as serialised.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::DueSoon => "due_soon",
            Self::Breached => "breached",
        }
    }
}

/// Whether the agency's clock is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// The current interval is open and counting: the agency owns the stage now.
    Running,
    /// The current interval is open and not counting: the applicant owns the stage now.
    Paused,
    /// The stage has ended (or has not begun).
    Stopped,
}

impl ClockState {
    /// The snake_case name, as serialised.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Stopped => "stopped",
        }
    }
}

/// The measurement of one stage on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlaReport {
    /// Working days counted so far (counting intervals only, up to and including today).
    pub used: i64,
    /// `target − used`; negative once the target is exceeded.
    pub remaining: i64,
    /// The working day by which the stage must end: the day the target-th counted working
    /// day falls on. `None` while paused (or stopped) before the target was reached, since
    /// it depends on when the clock resumes.
    pub due_on: Option<NaiveDate>,
    /// Where the stage stands.
    pub status: SlaStatus,
    /// Whether the clock is running, paused or stopped.
    pub clock: ClockState,
}

/// Measures a stage on `today` against a target of `target_days` working days.
///
/// `intervals` are the stage's stretches in chronological order, each starting where the
/// previous ended (see [`CountingInterval`]); only the last may be open. Each counting
/// interval contributes the working days in `(from, min(to, today)]`; days after `today`
/// are never counted, so a stage can be evaluated as of any past day of its history.
///
/// The clock's state ([`ClockState`]) on `today` is that of the last interval that began
/// on or before `today`: running or paused if that interval is still open on `today` (no
/// end, or an end after `today`), stopped otherwise. With no such interval (an empty slice,
/// or a stage entered after `today`) nothing is used, there is no due date and the stage
/// is on time and stopped.
///
/// - `due_on`: if the target was reached, the day it was reached; otherwise, while running,
///   the `remaining`-th working day after `today`; otherwise `None`.
/// - `status`: while the stage is open (running or paused), [`SlaStatus::Breached`] if
///   today is after `due_on`, [`SlaStatus::DueSoon`] if at most one working day is left
///   until `due_on`, else [`SlaStatus::OnTime`]. Once stopped, `Breached` if more working
///   days than the target were used, else `OnTime`.
///
/// While running and not breached, `used + remaining == target` with `0 <= remaining`.
pub fn evaluate(
    calendar: &WorkingCalendar,
    intervals: &[CountingInterval],
    target_days: u32,
    today: NaiveDate,
) -> SlaReport {
    let target = i64::from(target_days);
    let mut used: i64 = 0;
    let mut due_on: Option<NaiveDate> = None;
    for interval in intervals.iter().filter(|i| i.counting) {
        let end = interval.to.map_or(today, |to| to.min(today));
        let days = calendar.working_days_between(interval.from, end).max(0);
        if due_on.is_none() && used + days >= target {
            // `target - used` is in 0..=days, so it fits in a u32.
            let step = u32::try_from(target - used).unwrap_or(u32::MAX);
            due_on = Some(calendar.add_working_days(interval.from, step));
        }
        used += days;
    }

    // The clock's state on `today` is that of the last interval begun on or before it;
    // intervals recorded after `today` are ignored.
    let current = intervals.iter().rev().find(|i| i.from <= today);
    let clock = match current {
        Some(i) if i.to.is_none_or(|to| to > today) => {
            if i.counting {
                ClockState::Running
            } else {
                ClockState::Paused
            }
        }
        _ => ClockState::Stopped,
    };

    let remaining = target - used;
    if due_on.is_none() && clock == ClockState::Running {
        let step = u32::try_from(remaining).unwrap_or(u32::MAX);
        due_on = Some(calendar.add_working_days(today, step));
    }

    let status = match (clock, due_on) {
        (ClockState::Stopped, _) => {
            if used > target {
                SlaStatus::Breached
            } else {
                SlaStatus::OnTime
            }
        }
        (_, Some(due)) if today > due => SlaStatus::Breached,
        (_, Some(due)) if calendar.working_days_between(today, due) <= 1 => SlaStatus::DueSoon,
        _ => SlaStatus::OnTime,
    };

    SlaReport {
        used,
        remaining,
        due_on,
        status,
        clock,
    }
}

/// A stage's clock cannot take this change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum StageClockError {
    /// The change is dated before the current interval began.
    #[error("clock change is earlier than the current interval")]
    OutOfOrder,
    /// The clock has already been stopped.
    #[error("clock is already stopped")]
    Stopped,
}

impl StageClockError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OutOfOrder => "stage_clock_out_of_order",
            Self::Stopped => "stage_clock_stopped",
        }
    }
}

/// The clock of one stage: its target and the intervals of agency and applicant ownership,
/// built up as the stage progresses (for instance replayed from the file's history).
///
/// A thin, validated builder over [`evaluate`]: changes must come in date order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StageClock {
    target_days: u32,
    intervals: Vec<CountingInterval>,
}

impl StageClock {
    /// Starts a stage on `on` with a target of `target_days` working days. `counting` is
    /// `false` if the applicant owns the stage from the start (e.g. documents still missing).
    pub fn start(on: NaiveDate, target_days: u32, counting: bool) -> Self {
        Self {
            target_days,
            intervals: vec![CountingInterval {
                from: on,
                to: None,
                counting,
            }],
        }
    }

    /// The stage's target in working days.
    pub fn target_days(&self) -> u32 {
        self.target_days
    }

    /// The intervals so far, in chronological order.
    pub fn intervals(&self) -> &[CountingInterval] {
        &self.intervals
    }

    /// The day the stage began (`None` only for a clock deserialised without intervals).
    pub fn started_on(&self) -> Option<NaiveDate> {
        self.intervals.first().map(|i| i.from)
    }

    /// Whether the clock has been stopped.
    pub fn is_stopped(&self) -> bool {
        self.intervals.last().is_none_or(|i| i.to.is_some())
    }

    /// From `on`, the clock runs (`counting`) or is paused (`!counting`). Does nothing if it
    /// is already in that mode; otherwise the current interval ends on `on` and a new one
    /// begins.
    pub fn set_counting(&mut self, on: NaiveDate, counting: bool) -> Result<(), StageClockError> {
        let current = self.current_mut(on)?;
        if current.counting == counting {
            return Ok(());
        }
        current.to = Some(on);
        self.intervals.push(CountingInterval {
            from: on,
            to: None,
            counting,
        });
        Ok(())
    }

    /// The applicant takes the stage over on `on`: the agency's clock pauses.
    pub fn pause(&mut self, on: NaiveDate) -> Result<(), StageClockError> {
        self.set_counting(on, false)
    }

    /// The agency takes the stage back on `on`: its clock runs again.
    pub fn resume(&mut self, on: NaiveDate) -> Result<(), StageClockError> {
        self.set_counting(on, true)
    }

    /// The stage ends on `on`.
    pub fn stop(&mut self, on: NaiveDate) -> Result<(), StageClockError> {
        self.current_mut(on)?.to = Some(on);
        Ok(())
    }

    /// The open interval, if a change on `on` may be applied to it.
    fn current_mut(&mut self, on: NaiveDate) -> Result<&mut CountingInterval, StageClockError> {
        let current = self
            .intervals
            .last_mut()
            .filter(|i| i.to.is_none())
            .ok_or(StageClockError::Stopped)?;
        if on < current.from {
            return Err(StageClockError::OutOfOrder);
        }
        Ok(current)
    }

    /// The full measurement on `today`; see [`evaluate`].
    pub fn evaluate(&self, calendar: &WorkingCalendar, today: NaiveDate) -> SlaReport {
        evaluate(calendar, &self.intervals, self.target_days, today)
    }

    /// Working days counted up to and including `today`.
    pub fn working_days_used(&self, calendar: &WorkingCalendar, today: NaiveDate) -> i64 {
        self.evaluate(calendar, today).used
    }

    /// The day by which the stage must end, as seen on `today`; see [`SlaReport::due_on`].
    pub fn due_on(&self, calendar: &WorkingCalendar, today: NaiveDate) -> Option<NaiveDate> {
        self.evaluate(calendar, today).due_on
    }

    /// Where the stage stands on `today`.
    pub fn status(&self, calendar: &WorkingCalendar, today: NaiveDate) -> SlaStatus {
        self.evaluate(calendar, today).status
    }
}
