//! Iranian IBAN (شبا, "Sheba"): `IR` followed by 24 digits.
//!
//! Verified with ISO 7064 MOD 97-10 as for every IBAN. Digits 3–5 of the BBAN identify the
//! bank. Input is case-insensitive, may contain spaces and dashes, may use any digit
//! script, and may omit the `IR` prefix (many forms print it next to the field).

use thiserror::Error;

use super::{DigitsError, digit_values, is_ignorable_separator, latin_digits, string_newtype};

/// A valid Sheba number in canonical form: `IR` + 24 Latin digits, 26 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sheba(String);

/// Why a string is not a valid Sheba number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum ShebaError {
    /// The input is empty or only whitespace.
    #[error("Sheba number is empty")]
    Empty,
    /// The input contains something other than the `IR` prefix, digits, spaces and dashes.
    #[error("Sheba number contains an invalid character")]
    InvalidCharacter,
    /// Not 24 digits after the `IR` prefix.
    #[error("Sheba number must have 24 digits after IR")]
    Length,
    /// The MOD 97-10 checksum fails: a digit was mistyped.
    #[error("Sheba number checksum does not match")]
    Checksum,
}

impl ShebaError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "sheba_empty",
            Self::InvalidCharacter => "sheba_invalid_character",
            Self::Length => "sheba_length",
            Self::Checksum => "sheba_checksum",
        }
    }
}

/// Number of digits after `IR`.
const BBAN_DIGITS: usize = 24;
/// `I` = 18 and `R` = 27 in the IBAN letter encoding.
const IR_AS_DIGITS: [u8; 4] = [1, 8, 2, 7];

impl Sheba {
    /// Parses user input and verifies the checksum.
    pub fn parse(input: &str) -> Result<Self, ShebaError> {
        let body = input.trim_start_matches(is_ignorable_separator);
        let mut chars = body.chars();
        let rest = match (chars.next(), chars.next()) {
            (Some('I' | 'i'), Some('R' | 'r')) => chars.as_str(),
            _ => body,
        };
        let digits = latin_digits(rest).map_err(|e| match e {
            DigitsError::Empty if rest.len() == body.len() => ShebaError::Empty,
            DigitsError::Empty => ShebaError::Length,
            DigitsError::InvalidCharacter => ShebaError::InvalidCharacter,
        })?;
        if digits.len() != BBAN_DIGITS {
            return Err(ShebaError::Length);
        }
        // Rearranged: BBAN, then "IR" as 18 27, then the two check digits.
        let rearranged = digit_values(&digits[2..])
            .chain(IR_AS_DIGITS)
            .chain(digit_values(&digits[..2]));
        let remainder = rearranged.fold(0u32, |acc, d| (acc * 10 + u32::from(d)) % 97);
        if remainder != 1 {
            return Err(ShebaError::Checksum);
        }
        Ok(Self(format!("IR{digits}")))
    }

    /// The three-digit bank identifier (characters 5–7), e.g. `"054"`.
    pub fn bank_code(&self) -> &str {
        &self.0[4..7]
    }

    /// The number in groups of four for display, e.g. `IR82 0540 1026 8002 0817 9090 02`.
    pub fn display_grouped(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + 6);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i.is_multiple_of(4) {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

string_newtype!(Sheba, ShebaError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_code_and_grouping() {
        let s = Sheba::parse("ir82 0540 1026 8002 0817 9090 02").unwrap();
        assert_eq!(s.as_str(), "IR820540102680020817909002");
        assert_eq!(s.bank_code(), "054");
        assert_eq!(s.display_grouped(), "IR82 0540 1026 8002 0817 9090 02");
    }

    #[test]
    fn prefix_is_optional_but_alone_is_short() {
        assert!(Sheba::parse("820540102680020817909002").is_ok());
        assert_eq!(Sheba::parse("IR"), Err(ShebaError::Length));
        assert_eq!(Sheba::parse("  "), Err(ShebaError::Empty));
        assert_eq!(
            Sheba::parse("DE82054010268002081790900"),
            Err(ShebaError::InvalidCharacter)
        );
    }
}
