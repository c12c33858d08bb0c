//! Iranian mobile phone number.
//!
//! Accepted input shapes (with any spaces or dashes, digits in any script):
//! `+98 9XX…`, `0098 9XX…`, `98 9XX…`, `09XX…`, `9XX…`, and the national trunk `0` kept
//! after the country code (`+98 09XX…`). The subscriber part is always ten digits starting
//! with `9`. Operator prefixes are not checked: new `9xx` ranges are assigned over time.

use core::fmt;

use thiserror::Error;

use super::{DigitsError, latin_digits, string_newtype};

/// A mobile number in canonical national form `09XXXXXXXXX` (11 Latin digits).
///
/// `Debug` shows the [masked](Mobile::masked) form so numbers do not leak into logs;
/// `Display`, `as_str` and serde use the full canonical form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mobile(String);

/// Why a string is not a valid mobile number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum MobileError {
    /// The input is empty or only whitespace.
    #[error("mobile number is empty")]
    Empty,
    /// The input contains something other than digits, spaces, dashes and a leading `+`.
    #[error("mobile number contains a character that is not a digit")]
    InvalidCharacter,
    /// The digits do not form an Iranian mobile number (wrong length or prefix).
    #[error("mobile number is not in a recognised Iranian format")]
    Malformed,
}

impl MobileError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "mobile_empty",
            Self::InvalidCharacter => "mobile_invalid_character",
            Self::Malformed => "mobile_malformed",
        }
    }
}

impl Mobile {
    /// Parses user input in any accepted shape into the canonical `09XXXXXXXXX` form.
    pub fn parse(input: &str) -> Result<Self, MobileError> {
        let trimmed = input.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let digits = latin_digits(rest).map_err(|e| match e {
            DigitsError::Empty if !plus => MobileError::Empty,
            DigitsError::Empty => MobileError::Malformed,
            DigitsError::InvalidCharacter => MobileError::InvalidCharacter,
        })?;

        let national = if plus {
            digits.strip_prefix("98").ok_or(MobileError::Malformed)?
        } else if digits.len() >= 14 && digits.starts_with("0098") {
            &digits[4..]
        } else if digits.len() >= 12 && digits.starts_with("98") {
            &digits[2..]
        } else {
            &digits
        };
        let subscriber = match national.strip_prefix('0') {
            Some(s) if national.len() == 11 => s,
            _ => national,
        };
        if subscriber.len() != 10 || !subscriber.starts_with('9') {
            return Err(MobileError::Malformed);
        }
        Ok(Self(format!("0{subscriber}")))
    }

    /// International E.164 form, e.g. `+989121234567`, for SMS gateways.
    pub fn e164(&self) -> String {
        format!("+98{}", &self.0[1..])
    }

    /// The number with its middle three digits hidden, e.g. `0912***4567`.
    pub fn masked(&self) -> String {
        format!("{}***{}", &self.0[..4], &self.0[7..])
    }
}

string_newtype!(Mobile, MobileError);

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Mobile").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let m = Mobile::parse("+98 912 123 4567").unwrap();
        assert_eq!(m.as_str(), "09121234567");
        assert_eq!(m.e164(), "+989121234567");
        assert_eq!(m.masked(), "0912***4567");
        assert_eq!(format!("{m:?}"), "Mobile(\"0912***4567\")");
    }

    #[test]
    fn plus_requires_country_code() {
        assert_eq!(Mobile::parse("+9121234567"), Err(MobileError::Malformed));
        assert_eq!(Mobile::parse("+"), Err(MobileError::Malformed));
        assert_eq!(
            Mobile::parse("0912+1234567"),
            Err(MobileError::InvalidCharacter)
        );
    }
}
