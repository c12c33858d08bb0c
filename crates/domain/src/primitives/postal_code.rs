//! Iranian ten-digit postal code (کد پستی).
//!
//! There is no check digit. The commonly used validity rule, equivalent to the regular
//! expression `^(?!(\d)\1{3})[13-9]{4}[1346-9][013-9]{5}$`, is implemented directly:
//! the first four digits are in `{1,3,4,5,6,7,8,9}` and not all four identical, the fifth
//! is in `{1,3,4,6,7,8,9}`, and the last five are in `{0,1,3,4,5,6,7,8,9}`.

use thiserror::Error;

use super::{DigitsError, digit_values, latin_digits, string_newtype};

/// A plausible postal code: ten Latin digits, no separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostalCode(String);

/// Why a string is not a valid postal code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum PostalCodeError {
    /// The input is empty or only whitespace.
    #[error("postal code is empty")]
    Empty,
    /// The input contains something other than digits, spaces and dashes.
    #[error("postal code contains a character that is not a digit")]
    InvalidCharacter,
    /// Not exactly ten digits.
    #[error("postal code must have 10 digits")]
    Length,
    /// Ten digits, but a combination never issued (e.g. a `0` or `2` in the first five).
    #[error("postal code is not a real code")]
    Pattern,
}

impl PostalCodeError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "postal_code_empty",
            Self::InvalidCharacter => "postal_code_invalid_character",
            Self::Length => "postal_code_length",
            Self::Pattern => "postal_code_pattern",
        }
    }
}

impl PostalCode {
    /// Parses user input: trims it, accepts digits in any script, ignores spaces and dashes.
    pub fn parse(input: &str) -> Result<Self, PostalCodeError> {
        let digits = latin_digits(input).map_err(|e| match e {
            DigitsError::Empty => PostalCodeError::Empty,
            DigitsError::InvalidCharacter => PostalCodeError::InvalidCharacter,
        })?;
        if digits.len() != 10 {
            return Err(PostalCodeError::Length);
        }
        let d: Vec<u8> = digit_values(&digits).collect();
        let head_ok =
            d[..4].iter().all(|&x| !matches!(x, 0 | 2)) && !d[..4].iter().all(|&x| x == d[0]);
        let fifth_ok = !matches!(d[4], 0 | 2 | 5);
        let tail_ok = d[5..].iter().all(|&x| x != 2);
        if !(head_ok && fifth_ok && tail_ok) {
            return Err(PostalCodeError::Pattern);
        }
        Ok(Self(digits))
    }

    /// The conventional printed form `XXXXX-XXXXX`, e.g. `11936-53471`.
    pub fn display_grouped(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }
}

string_newtype!(PostalCode, PostalCodeError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped() {
        let p = PostalCode::parse("11936-53471").unwrap();
        assert_eq!(p.as_str(), "1193653471");
        assert_eq!(p.display_grouped(), "11936-53471");
    }
}
