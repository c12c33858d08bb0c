//! Jalali (Solar Hijri) ⇄ ISO dates, Jalali month arithmetic, working days and holidays,
//! Persian digits and month names. Pure and dependency-light.
//!
//! * [`JalaliDate`] — a validated Jalali date, converted with `icu_calendar`'s Persian
//!   calendar; formatting helpers in [`format`].
//! * [`parse_date`] — the single parser for user-typed dates (Jalali or ISO, any digits).
//! * [`WorkingCalendar`] — weekends, holidays and working-day arithmetic.
//! * [`fixed_solar_holidays`] — the fixed official solar holidays of a Jalali year.
//! * [`Clock`] — the one source of "now" and of today's date in Tehran.
//! * [`CalendarError`] — every failure, with a stable [`CalendarError::code`].

pub mod clock;
pub mod digits;
pub mod error;
pub mod format;
pub mod holidays;
pub mod jalali;
pub mod parse;
pub mod working;

pub use clock::{Clock, tehran, tehran_date};
pub use error::{CalendarError, CalendarSystem};
pub use format::{
    MONTH_NAMES_EN, MONTH_NAMES_FA, WEEKDAY_NAMES_FA, month_name_en, month_name_fa, weekday_fa,
    weekday_name_fa,
};
pub use holidays::{Holiday, fixed_solar_holidays};
pub use jalali::JalaliDate;
pub use parse::{FIRST_ISO_YEAR, ISO_INPUT_YEARS, JALALI_INPUT_YEARS, parse_date};
pub use working::WorkingCalendar;
