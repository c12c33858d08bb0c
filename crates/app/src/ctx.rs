//! [`Ctx`]: everything a service needs — the database, the clock and the settings.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, Weekday};
use vamyar_calendar::{Clock, WorkingCalendar};
use vamyar_store::Db;

use crate::reference::ReferenceCache;

/// The service settings that do not live in the database.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where uploaded documents are stored (outside any web root), by content hash.
    pub upload_dir: PathBuf,
    /// The largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    /// The weekend days (`[calendar] weekend`): no due date, and no working day of a service
    /// level, falls on them. Friday by default; many offices also close on Thursday.
    pub weekend: Vec<Weekday>,
    /// How many whole working days after its due date an unpaid installment stays `due`
    /// before close of business marks it `overdue` (and sends the overdue notice); 1 by
    /// default, so a payment made at the branch on the due date has a working day to arrive.
    pub overdue_after_working_days: u32,
    /// The day thresholds of the central bank's classes in the portfolio report
    /// (`[reports]`: 60, 180 and 540 days past due by default).
    pub arrears_classes: crate::reports::ArrearsClasses,
    /// Which acts need a second person, and how long a proposal waits (`[four_eyes]`).
    pub four_eyes: crate::proposals::FourEyes,
    /// Working days the county's office head has to answer a complaint or appeal
    /// (`[calendar] complaint_working_days`, 5 by default); past them, close of business
    /// escalates it to the province's administrators.
    pub complaint_working_days: u32,
    /// Loans in arrears one transaction of close of business's arrears pass locks and writes
    /// (500; on PostgreSQL two such transactions run at a time).
    pub cob_loans_per_batch: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            upload_dir: PathBuf::from("data/uploads"),
            max_upload_bytes: 5 * 1024 * 1024,
            weekend: vec![Weekday::Fri],
            overdue_after_working_days: 1,
            arrears_classes: crate::reports::ArrearsClasses::default(),
            four_eyes: crate::proposals::FourEyes::default(),
            complaint_working_days: 5,
            cob_loans_per_batch: 500,
        }
    }
}

/// The context of every use case. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The database.
    pub db: Db,
    /// "Now" and "today in Tehran".
    pub clock: Clock,
    /// Settings.
    pub settings: Arc<Settings>,
    /// The parsed reference data, shared by every clone (see [`crate::reference`]).
    pub reference: Arc<ReferenceCache>,
    /// The version of the reference data one use case works from, read once at its first
    /// read of it ([`Ctx::pinned`]); `None`: every read asks the database.
    pub reference_pin: Option<Arc<tokio::sync::OnceCell<i64>>>,
}

impl Ctx {
    /// A context over a connected, migrated database with the system clock.
    pub fn new(db: Db, settings: Settings) -> Ctx {
        Ctx {
            db,
            clock: Clock::system(),
            settings: Arc::new(settings),
            reference: Arc::default(),
            reference_pin: None,
        }
    }

    /// The same context for one use case (a registration, a payment, an act on a file):
    /// every read of the reference data in it (programs, counties, the calendar) sees one
    /// version, asked of the database once, at the first such read, instead of at each. The
    /// use case still works from the last change committed before that read. Not for a use
    /// case that changes the reference data and reads it back.
    pub fn pinned(&self) -> Ctx {
        Ctx {
            reference_pin: Some(Arc::default()),
            ..self.clone()
        }
    }

    /// Pins the reference data of a context made by [`Ctx::pinned`] at `version`, which the
    /// caller read in the use case's first statement (before any read of reference data);
    /// nothing on a context not pinned or already pinned.
    pub fn pin_reference(&self, version: i64) {
        if let Some(pin) = &self.reference_pin {
            let _ = pin.set(version);
        }
    }

    /// The same context with another clock (tests).
    pub fn with_clock(mut self, clock: Clock) -> Ctx {
        self.clock = clock;
        self
    }

    /// Today's date in Tehran.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The working calendar around today: the configured weekend, the fixed solar holidays
    /// of every year a schedule can reach, and the holiday table. Service levels and due
    /// dates are counted on it.
    pub async fn calendar(&self) -> crate::Result<WorkingCalendar> {
        crate::reference::holidays(self, self.today())
            .await?
            .with_weekend(&self.settings.weekend)
            .map_err(|e| crate::Error::Internal(format!("weekend setting: {e}")))
    }
}
