//! Money amounts in Iranian rials.
//!
//! All amounts are integer rials held in an `i64`; there is no floating point anywhere.
//! Arithmetic is checked and returns `None` on overflow instead of wrapping or panicking,
//! which is why [`Rial`] implements neither `Add` nor `Sum`. The toman (10 rials) is only a
//! display unit; unit words belong to templates, not to this crate.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use vamyar_calendar::digits::{digit_value, to_persian_digits};

/// An amount in rials. May be negative (e.g. a correction or a balance difference);
/// user input parsed with [`Rial::parse`] is never negative.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Rial(i64);

/// Why user input is not an acceptable amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum AmountError {
    /// The input is empty or only whitespace and separators.
    #[error("amount is empty")]
    Empty,
    /// The input contains something other than digits and thousands separators.
    #[error("amount is not a number")]
    NotANumber,
    /// The input has a decimal part; amounts are whole rials.
    #[error("amount must be a whole number")]
    Fraction,
    /// The input is negative.
    #[error("amount is negative")]
    Negative,
    /// The input exceeds [`Rial::MAX_INPUT`].
    #[error("amount is too large")]
    TooLarge,
}

impl AmountError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "amount_empty",
            Self::NotANumber => "amount_not_a_number",
            Self::Fraction => "amount_fraction",
            Self::Negative => "amount_negative",
            Self::TooLarge => "amount_too_large",
        }
    }
}

/// Thousands separators accepted in input: `,`, the Arabic thousands separator `٬`
/// (U+066C), the Arabic comma `،` (what the comma key gives on a Persian keyboard) and
/// whitespace of any kind.
fn is_group_separator(c: char) -> bool {
    matches!(c, ',' | '\u{066C}' | '\u{060C}') || c.is_whitespace()
}

/// Decimal separators, rejected with [`AmountError::Fraction`]: `.`, `٫` (U+066B), `/`.
fn is_decimal_separator(c: char) -> bool {
    matches!(c, '.' | '\u{066B}' | '/')
}

impl Rial {
    /// Largest amount [`Rial::parse`] accepts: 10¹⁵ rials, far above any loan.
    pub const MAX_INPUT: Rial = Rial(1_000_000_000_000_000);

    /// Wraps a number of rials.
    pub const fn new(rials: i64) -> Self {
        Self(rials)
    }

    /// Zero rials.
    pub const fn zero() -> Self {
        Self(0)
    }

    /// The number of rials.
    pub const fn value(self) -> i64 {
        self.0
    }

    /// `self + other`, or `None` on overflow.
    pub const fn checked_add(self, other: Rial) -> Option<Rial> {
        match self.0.checked_add(other.0) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// `self - other`, or `None` on overflow.
    pub const fn checked_sub(self, other: Rial) -> Option<Rial> {
        match self.0.checked_sub(other.0) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// `self * factor`, or `None` on overflow.
    pub const fn checked_mul(self, factor: i64) -> Option<Rial> {
        match self.0.checked_mul(factor) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// Sum of all amounts, or `None` if any partial sum overflows.
    pub fn checked_sum<I: IntoIterator<Item = Rial>>(amounts: I) -> Option<Rial> {
        amounts
            .into_iter()
            .try_fold(Self::zero(), |acc, x| acc.checked_add(x))
    }

    /// Whether the amount is greater than zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Whether the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The whole tomans of the amount (1 toman = 10 rials), **truncated toward zero**: 19
    /// rials give 1 toman. Not for display: use [`format_tomans`], which keeps the odd rial.
    pub const fn to_tomans(self) -> i64 {
        self.0 / 10
    }

    /// Converts tomans to rials, or `None` on overflow.
    pub const fn from_tomans(tomans: i64) -> Option<Rial> {
        match tomans.checked_mul(10) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// The number of rials with thousands grouping; see [`format_grouped`].
    pub fn format_grouped(self, persian_digits: bool) -> String {
        format_grouped(self.0, persian_digits)
    }

    /// Parses a user-entered amount in rials.
    ///
    /// Accepts digits in any script, surrounding and inner whitespace, and the thousands
    /// separators `,`, `٬` and `،` anywhere between digits. Rejects signs, decimals and
    /// amounts above [`Rial::MAX_INPUT`].
    pub fn parse(input: &str) -> Result<Rial, AmountError> {
        let trimmed = input.trim();
        if trimmed.starts_with(['-', '\u{2212}']) {
            return Err(AmountError::Negative);
        }
        let mut value: i64 = 0;
        let mut any_digit = false;
        for c in trimmed.chars() {
            if let Some(d) = digit_value(c) {
                any_digit = true;
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(i64::from(d)))
                    .filter(|&v| v <= Self::MAX_INPUT.0)
                    .ok_or(AmountError::TooLarge)?;
            } else if is_decimal_separator(c) {
                return Err(AmountError::Fraction);
            } else if !is_group_separator(c) {
                return Err(AmountError::NotANumber);
            }
        }
        if !any_digit {
            return Err(AmountError::Empty);
        }
        Ok(Self(value))
    }
}

impl Rial {
    /// Parses a user-entered amount in **tomans** into rials, exactly: `۱٬۸۶۹٬۴۴۴` is
    /// 18,694,440 rials and `۱٬۸۶۹٬۴۴۴٫۴` (or `1869444.4`, `1869444/4`) is 18,694,444 rials,
    /// the form [`format_tomans`] shows. The integer part is read like [`Rial::parse`]; after
    /// the decimal separator (`.`, `٫`, `/`) one digit is allowed (the rial), further digits
    /// only if they are zeros; anything finer than a rial is [`AmountError::Fraction`].
    pub fn parse_tomans(input: &str) -> Result<Rial, AmountError> {
        let trimmed = input.trim();
        let (whole, fraction) = match trimmed.find(is_decimal_separator) {
            Some(at) => {
                let sep = trimmed[at..].chars().next().map_or(1, char::len_utf8);
                (&trimmed[..at], Some(&trimmed[at + sep..]))
            }
            None => (trimmed, None),
        };
        let mut rial = 0i64;
        if let Some(fraction) = fraction {
            let mut digits = fraction.chars();
            match digits.next().map(digit_value) {
                Some(Some(d)) => rial = i64::from(d),
                Some(None) if fraction.starts_with(is_decimal_separator) => {
                    return Err(AmountError::Fraction);
                }
                _ => return Err(AmountError::NotANumber),
            }
            for c in digits {
                match digit_value(c) {
                    Some(0) => {}
                    Some(_) => return Err(AmountError::Fraction),
                    None if is_decimal_separator(c) => return Err(AmountError::Fraction),
                    None => return Err(AmountError::NotANumber),
                }
            }
        }
        let whole = if whole.trim().is_empty() && fraction.is_some() {
            Rial::zero()
        } else {
            Rial::parse(whole)?
        };
        whole
            .checked_mul(10)
            .and_then(|r| r.checked_add(Rial(rial)))
            .filter(|r| *r <= Self::MAX_INPUT)
            .ok_or(AmountError::TooLarge)
    }
}

/// An amount of rials written in tomans, exactly: the whole tomans grouped like
/// [`format_grouped`], and when the amount is not a whole number of tomans the odd rial as
/// one decimal digit (`۱٬۸۶۹٬۴۴۴٫۴` with the Persian decimal separator U+066B, `1,869,444.4`
/// with Latin digits). Nothing is truncated: [`Rial::parse_tomans`] reads it back to the
/// same number of rials. No unit is appended.
pub fn format_tomans(rials: i64, persian_digits: bool) -> String {
    let magnitude = rials.unsigned_abs();
    let whole = format_grouped_unsigned(magnitude / 10, persian_digits);
    let sign = if rials < 0 { "-" } else { "" };
    match magnitude % 10 {
        0 => format!("{sign}{whole}"),
        odd => {
            let (separator, digit) = if persian_digits {
                ('\u{066B}', to_persian_digits(&odd.to_string()))
            } else {
                ('.', odd.to_string())
            };
            format!("{sign}{whole}{separator}{digit}")
        }
    }
}

impl FromStr for Rial {
    type Err = AmountError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Plain number of rials with Latin digits and no grouping, e.g. `1500000`.
impl fmt::Display for Rial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Formats `n` with thousands grouping: `1,500,000` with Latin digits, or `۱٬۵۰۰٬۰۰۰`
/// with Persian digits and the Arabic thousands separator (U+066C). Negative numbers get a
/// leading ASCII `-`. No unit is appended.
pub fn format_grouped(n: i64, persian_digits: bool) -> String {
    let grouped = format_grouped_unsigned(n.unsigned_abs(), persian_digits);
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// [`format_grouped`] of a magnitude.
fn format_grouped_unsigned(n: u64, persian_digits: bool) -> String {
    let digits = n.to_string();
    let separator = if persian_digits { '\u{066C}' } else { ',' };
    let mut out = String::with_capacity(digits.len() * 2 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    if persian_digits {
        to_persian_digits(&out)
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(format_grouped(0, false), "0");
        assert_eq!(format_grouped(999, false), "999");
        assert_eq!(format_grouped(1_000, false), "1,000");
        assert_eq!(format_grouped(1_500_000, true), "۱٬۵۰۰٬۰۰۰");
        assert_eq!(format_grouped(-1_234_567, false), "-1,234,567");
        assert_eq!(
            format_grouped(i64::MIN, false),
            "-9,223,372,036,854,775,808"
        );
    }

    #[test]
    fn tomans_are_exact() {
        assert_eq!(format_tomans(18_694_440, true), "۱٬۸۶۹٬۴۴۴");
        assert_eq!(format_tomans(18_694_444, true), "۱٬۸۶۹٬۴۴۴٫۴");
        assert_eq!(format_tomans(18_694_444, false), "1,869,444.4");
        assert_eq!(format_tomans(7, false), "0.7");
        assert_eq!(format_tomans(-15, false), "-1.5");
        assert_eq!(format_tomans(0, true), "۰");
        for r in [0, 1, 9, 10, 11, 18_694_444, 999_999_999_999_999] {
            for fa in [true, false] {
                assert_eq!(Rial::parse_tomans(&format_tomans(r, fa)), Ok(Rial(r)));
            }
        }
    }

    #[test]
    fn tomans_are_parsed_to_the_rial() {
        assert_eq!(Rial::parse_tomans("۱۰٬۰۰۰"), Ok(Rial(100_000)));
        assert_eq!(Rial::parse_tomans("1869444/4"), Ok(Rial(18_694_444)));
        assert_eq!(Rial::parse_tomans("1869444.40"), Ok(Rial(18_694_444)));
        assert_eq!(Rial::parse_tomans(".5"), Ok(Rial(5)));
        assert_eq!(Rial::parse_tomans("1.45"), Err(AmountError::Fraction));
        assert_eq!(Rial::parse_tomans("1.4.5"), Err(AmountError::Fraction));
        assert_eq!(Rial::parse_tomans("1.x"), Err(AmountError::NotANumber));
        assert_eq!(Rial::parse_tomans("1."), Err(AmountError::NotANumber));
        assert_eq!(Rial::parse_tomans(""), Err(AmountError::Empty));
        assert_eq!(Rial::parse_tomans("-1"), Err(AmountError::Negative));
        assert_eq!(
            Rial::parse_tomans("100000000000000.1"),
            Err(AmountError::TooLarge)
        );
    }
}
