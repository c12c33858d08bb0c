//! `[reports]`: the day thresholds of the central bank's classes in the portfolio report.

use serde::{Deserialize, Serialize};

/// The central bank's classes by days past due (directive مب/۲۸۲۳ of 1385/12/05: past due
/// after two months, deferred after six, doubtful after eighteen).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsConfig {
    /// A loan is past due (سررسید گذشته) after this many days past due.
    pub overdue_days: u32,
    /// Deferred (معوق) after this many days.
    pub deferred_days: u32,
    /// Doubtful (مشکوک‌الوصول) after this many days.
    pub doubtful_days: u32,
}

impl Default for ReportsConfig {
    fn default() -> Self {
        let d = vamyar_app::reports::ArrearsClasses::default();
        ReportsConfig {
            overdue_days: d.overdue_days,
            deferred_days: d.deferred_days,
            doubtful_days: d.doubtful_days,
        }
    }
}

impl ReportsConfig {
    /// The thresholds, or why they cannot be used (they must rise).
    pub fn classes(&self) -> Result<vamyar_app::reports::ArrearsClasses, String> {
        let c = vamyar_app::reports::ArrearsClasses {
            overdue_days: self.overdue_days,
            deferred_days: self.deferred_days,
            doubtful_days: self.doubtful_days,
        };
        if c.is_valid() {
            Ok(c)
        } else {
            Err("[reports] overdue_days < deferred_days < doubtful_days is required".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thresholds_must_rise() {
        assert!(ReportsConfig::default().classes().is_ok());
        let wrong = ReportsConfig {
            deferred_days: 60,
            ..ReportsConfig::default()
        };
        assert!(wrong.classes().is_err());
    }
}
