//! [`Ctx`]: everything a service needs — the database, the clock and the settings.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use vamyar_calendar::{Clock, WorkingCalendar};
use vamyar_store::Db;

/// The service settings that do not live in the database.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where uploaded documents are stored (outside any web root), by content hash.
    pub upload_dir: PathBuf,
    /// The largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            upload_dir: PathBuf::from("data/uploads"),
            max_upload_bytes: 5 * 1024 * 1024,
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
}

impl Ctx {
    /// A context over a connected, migrated database with the system clock.
    pub fn new(db: Db, settings: Settings) -> Ctx {
        Ctx {
            db,
            clock: Clock::system(),
            settings: Arc::new(settings),
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

    /// The working calendar (weekends and the holiday table) around today.
    pub async fn calendar(&self) -> crate::Result<WorkingCalendar> {
        Ok(vamyar_store::reference::working_calendar(&self.db, self.today()).await?)
    }
}
