//! Iranian national identification code (کد ملی).
//!
//! Ten digits, the last a mod-11 check digit over the first nine. Older cards were printed
//! without leading zeros, so 8 and 9 digit input is left-padded with zeros.
//!
//! Note that the official check digit maps both remainder 1 and remainder 10 to `1`, so a
//! small share (about 1.6 %) of single-digit typos still yields a valid code; the checksum
//! cannot catch those.

use core::fmt;

use thiserror::Error;

use super::{DigitsError, digit_values, latin_digits, string_newtype};

/// A valid national ID, stored as exactly ten Latin digits (zero-padded).
///
/// `Debug` shows the [masked](NationalId::masked) form so IDs do not leak into logs;
/// `Display`, `as_str` and serde use the full canonical form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NationalId(String);

/// Why a string is not a valid national ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum NationalIdError {
    /// The input is empty or only whitespace.
    #[error("national ID is empty")]
    Empty,
    /// The input contains something other than digits, spaces and dashes.
    #[error("national ID contains a character that is not a digit")]
    InvalidCharacter,
    /// Fewer than 8 or more than 10 digits.
    #[error("national ID must have 10 digits")]
    Length,
    /// A pattern never issued: all digits identical, or the middle six digits all zero.
    #[error("national ID is not a real code")]
    Pattern,
    /// The last digit does not match the checksum of the first nine.
    #[error("national ID check digit does not match")]
    CheckDigit,
}

impl NationalIdError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "national_id_empty",
            Self::InvalidCharacter => "national_id_invalid_character",
            Self::Length => "national_id_length",
            Self::Pattern => "national_id_pattern",
            Self::CheckDigit => "national_id_check_digit",
        }
    }
}

/// Number of digits in the canonical form.
const LEN: usize = 10;

impl NationalId {
    /// Parses user input: trims it, accepts digits in any script, ignores spaces and
    /// dashes, left-pads 8 or 9 digits with zeros, and verifies pattern and check digit.
    pub fn parse(input: &str) -> Result<Self, NationalIdError> {
        let digits = latin_digits(input).map_err(|e| match e {
            DigitsError::Empty => NationalIdError::Empty,
            DigitsError::InvalidCharacter => NationalIdError::InvalidCharacter,
        })?;
        if !(8..=LEN).contains(&digits.len()) {
            return Err(NationalIdError::Length);
        }
        let canonical = format!("{digits:0>LEN$}");
        let d: Vec<u8> = digit_values(&canonical).collect();

        if d.iter().all(|&x| x == d[0]) || d[3..9].iter().all(|&x| x == 0) {
            return Err(NationalIdError::Pattern);
        }
        let mut first_nine = [0u8; 9];
        first_nine.copy_from_slice(&d[..9]);
        if Self::check_digit(&first_nine) != d[9] {
            return Err(NationalIdError::CheckDigit);
        }
        Ok(Self(canonical))
    }

    /// The check digit for the first nine digits (each `0..=9`):
    /// `r = Σ d[i]·(10−i) mod 11`, check digit `r` if `r < 2`, else `11 − r`.
    pub fn check_digit(first_nine: &[u8; 9]) -> u8 {
        let sum: u32 = first_nine
            .iter()
            .zip((2..=10u32).rev())
            .map(|(&d, w)| u32::from(d) * w)
            .sum();
        let r = (sum % 11) as u8;
        if r < 2 { r } else { 11 - r }
    }

    /// The code with its middle five digits hidden, e.g. `007*****45`, for logs and lists.
    pub fn masked(&self) -> String {
        format!("{}*****{}", &self.0[..3], &self.0[8..])
    }
}

string_newtype!(NationalId, NationalIdError);

impl fmt::Debug for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NationalId").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_short_input() {
        let id = NationalId::parse("68415941").unwrap();
        assert_eq!(id.as_str(), "0068415941");
    }

    #[test]
    fn check_digit_formula() {
        assert_eq!(NationalId::check_digit(&[0, 0, 7, 6, 2, 2, 9, 6, 4]), 5);
        assert_eq!(NationalId::check_digit(&[1, 5, 8, 3, 2, 5, 0, 6, 8]), 9);
    }

    #[test]
    fn masks_and_debug_hide_the_middle() {
        let id = NationalId::parse("0076229645").unwrap();
        assert_eq!(id.masked(), "007*****45");
        assert_eq!(format!("{id:?}"), "NationalId(\"007*****45\")");
        assert_eq!(id.to_string(), "0076229645");
    }
}
