//! The verification code of a referral letter (کد استعلام نامه).
//!
//! Sixteen decimal digits: fifteen taken from an HMAC-SHA256 of the letter's id under the
//! installation's key ([`VerificationCode::derive`]) and a Damm check digit. Without the
//! key a code reveals nothing about the letter (not its id, its date or its neighbours), and
//! guessing one means hitting one of at most a few million codes among 10¹⁵. The check
//! digit catches every single mistyped digit and every swap of two neighbours before the
//! database is asked. Digits rather than letters, as for tracking codes: people type them
//! from paper on Persian keyboards.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use thiserror::Error;

use super::tracking_code::damm_check_digit;
use super::{DigitsError, digit_values, latin_digits, string_newtype};

/// A verification code in canonical form: sixteen Latin digits, no separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VerificationCode(String);

/// Why a string is not a valid verification code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum VerificationCodeError {
    /// The input is empty or only whitespace.
    #[error("verification code is empty")]
    Empty,
    /// The input contains something other than digits, spaces and dashes.
    #[error("verification code contains a character that is not a digit")]
    InvalidCharacter,
    /// Not exactly sixteen digits.
    #[error("verification code must have 16 digits")]
    Length,
    /// Sixteen digits, but the check digit fails: the code was mistyped.
    #[error("verification code check digit does not match")]
    Check,
}

impl VerificationCodeError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "verification_code_empty",
            Self::InvalidCharacter => "verification_code_invalid_character",
            Self::Length => "verification_code_length",
            Self::Check => "verification_code_check",
        }
    }
}

/// Number of digits, check digit included.
const LEN: usize = 16;

/// 10¹⁵: the number of payloads.
const SPACE: u64 = 1_000_000_000_000_000;

/// Names what is authenticated, so the key could never yield the same bytes for another use.
const DOMAIN: &[u8] = b"vamyar-referral-verification-v1";

impl VerificationCode {
    /// The code of the letter `referral_id` under the installation's `key`; `attempt` (0
    /// first) gives another code for the same letter when a code is already taken by
    /// another letter (about one chance in 10⁹ per letter for a million letters).
    /// HMAC-SHA256 over a domain tag, the id and the attempt; the first eight bytes of the
    /// tag reduced modulo 10¹⁵ (the bias, under 10⁻⁴ relative, reveals nothing useful).
    pub fn derive(key: &[u8; 32], referral_id: i64, attempt: u32) -> Self {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts a key of any length");
        mac.update(DOMAIN);
        mac.update(&referral_id.to_be_bytes());
        mac.update(&attempt.to_be_bytes());
        let tag = mac.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&tag[..8]);
        let payload = format!("{:015}", u64::from_be_bytes(first) % SPACE);
        let check = damm_check_digit(digit_values(&payload));
        Self(format!("{payload}{check}"))
    }

    /// Parses user input: trims it, accepts digits in any script, ignores spaces, dashes
    /// and direction marks, and verifies the check digit.
    pub fn parse(input: &str) -> Result<Self, VerificationCodeError> {
        let digits = latin_digits(input).map_err(|e| match e {
            DigitsError::Empty => VerificationCodeError::Empty,
            DigitsError::InvalidCharacter => VerificationCodeError::InvalidCharacter,
        })?;
        if digits.len() != LEN {
            return Err(VerificationCodeError::Length);
        }
        if damm_check_digit(digit_values(&digits)) != 0 {
            return Err(VerificationCodeError::Check);
        }
        Ok(Self(digits))
    }

    /// The code in four groups of four for print and pages, e.g. `1234-5678-9012-3456`
    /// (between digits the hyphens keep the groups in order inside right-to-left text).
    pub fn display_grouped(&self) -> String {
        format!(
            "{}-{}-{}-{}",
            &self.0[..4],
            &self.0[4..8],
            &self.0[8..12],
            &self.0[12..]
        )
    }
}

string_newtype!(VerificationCode, VerificationCodeError);

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    #[test]
    fn derived_codes_parse_back_and_group() {
        let code = VerificationCode::derive(&KEY, 42, 0);
        assert_eq!(code.as_str().len(), 16);
        assert_eq!(VerificationCode::parse(code.as_str()), Ok(code.clone()));
        let grouped = code.display_grouped();
        assert_eq!(grouped.len(), 19);
        assert_eq!(grouped.replace('-', ""), code.as_str());
        assert_eq!(VerificationCode::parse(&grouped), Ok(code.clone()));
        let persian = vamyar_calendar::digits::to_persian_digits(&grouped);
        assert_eq!(VerificationCode::parse(&persian), Ok(code));
    }

    #[test]
    fn codes_depend_on_the_key_the_letter_and_the_attempt() {
        let a = VerificationCode::derive(&KEY, 1, 0);
        assert_eq!(a, VerificationCode::derive(&KEY, 1, 0));
        assert_ne!(a, VerificationCode::derive(&KEY, 2, 0));
        assert_ne!(a, VerificationCode::derive(&KEY, 1, 1));
        assert_ne!(a, VerificationCode::derive(&[8; 32], 1, 0));
    }

    #[test]
    fn known_vector() {
        // HMAC-SHA256(key = 32 × 0x07, "vamyar-referral-verification-v1" ‖ 42 (i64 BE) ‖ 0
        // (u32 BE)), computed with Python's hmac module: its first eight bytes as a
        // big-endian integer modulo 10¹⁵, then the Damm check digit.
        let code = VerificationCode::derive(&KEY, 42, 0);
        assert_eq!(code.as_str(), KNOWN_42);
    }

    const KNOWN_42: &str = "1566060385350694";

    #[test]
    fn mistyped_codes_are_refused() {
        let code = VerificationCode::derive(&KEY, 5, 0);
        let s = code.as_str();
        let first = s.as_bytes()[0] - b'0';
        let changed = format!("{}{}", (first + 1) % 10, &s[1..]);
        assert_eq!(
            VerificationCode::parse(&changed),
            Err(VerificationCodeError::Check)
        );
        assert_eq!(
            VerificationCode::parse(&s[..15]),
            Err(VerificationCodeError::Length)
        );
        assert_eq!(
            VerificationCode::parse("1234-abcd"),
            Err(VerificationCodeError::InvalidCharacter)
        );
        assert_eq!(
            VerificationCode::parse(" - "),
            Err(VerificationCodeError::Empty)
        );
    }
}
