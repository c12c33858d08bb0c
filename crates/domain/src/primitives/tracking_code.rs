//! Application tracking code (کد رهگیری) given to applicants.
//!
//! Twelve decimal digits: eleven digits (the first non-zero) and a Damm check digit. A file's
//! eleven digits are its sequence number put through a keyed permutation
//! ([`TrackingCode::for_sequence`]): two files can never share a code, and without the
//! installation's key the codes look random, so one code does not reveal its neighbours.
//! Digits rather than letters because applicants on feature phones send the code by SMS
//! from Persian keyboards, and digits are unambiguous across scripts. The Damm algorithm
//! detects every single-digit substitution and every adjacent transposition.

use thiserror::Error;

use super::{DigitsError, digit_values, latin_digits, string_newtype};

/// A tracking code in canonical form: twelve Latin digits, no separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingCode(String);

/// Why a string is not a valid tracking code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum TrackingCodeError {
    /// The input is empty or only whitespace.
    #[error("tracking code is empty")]
    Empty,
    /// The input contains something other than digits, spaces and dashes.
    #[error("tracking code contains a character that is not a digit")]
    InvalidCharacter,
    /// Not exactly twelve digits.
    #[error("tracking code must have 12 digits")]
    Length,
    /// Twelve digits, but the check digit fails (or the code starts with `0`, which is
    /// never issued): the code was mistyped.
    #[error("tracking code check digit does not match")]
    Check,
}

impl TrackingCodeError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "tracking_code_empty",
            Self::InvalidCharacter => "tracking_code_invalid_character",
            Self::Length => "tracking_code_length",
            Self::Check => "tracking_code_check",
        }
    }
}

/// Number of digits in a tracking code, check digit included.
const LEN: usize = 12;

/// The Damm quasigroup of order 10 (weakly totally anti-symmetric, zero diagonal).
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// The Damm interim digit after processing `digits` (each `0..=9`). Appending it as a
/// check digit makes the interim of the whole sequence zero.
///
/// # Panics
///
/// If an item is greater than 9.
pub fn damm_check_digit(digits: impl IntoIterator<Item = u8>) -> u8 {
    digits
        .into_iter()
        .fold(0, |interim, d| DAMM[usize::from(interim)][usize::from(d)])
}

/// How many codes there are: eleven digits, the first non-zero.
const SPACE: u64 = 90_000_000_000;

/// The permutation's width: 38 bits (two halves of 19), the smallest even width over
/// [`SPACE`]; values past it are walked again until they fall inside.
const HALF_BITS: u32 = 19;
const HALF_MASK: u64 = (1 << HALF_BITS) - 1;

/// Feistel rounds of the permutation.
const ROUNDS: u8 = 8;

/// One Feistel round over the 38-bit domain: the right half keyed-hashed into the left.
fn feistel(value: u64, key: &[u8; 32]) -> u64 {
    use sha2::{Digest, Sha256};
    let (mut left, mut right) = (value >> HALF_BITS, value & HALF_MASK);
    for round in 0..ROUNDS {
        let mut h = Sha256::new();
        h.update(key);
        h.update([round]);
        h.update(right.to_be_bytes());
        let d = h.finalize();
        let f = u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]) & HALF_MASK;
        (left, right) = (right, left ^ f);
    }
    (left << HALF_BITS) | right
}

impl TrackingCode {
    /// The code of sequence number `n` (a file's id) under the installation's `key`: a keyed
    /// permutation of `0..9·10¹⁰` (an eight-round Feistel network over 38 bits, walked until
    /// the value falls in range), so distinct numbers always get distinct codes and no
    /// database retry is needed. `None` past the 9·10¹⁰th number.
    pub fn for_sequence(n: u64, key: &[u8; 32]) -> Option<Self> {
        if n >= SPACE {
            return None;
        }
        let mut v = feistel(n, key);
        while v >= SPACE {
            v = feistel(v, key);
        }
        let payload = (10_000_000_000 + v).to_string();
        let check = damm_check_digit(payload.bytes().map(|b| b - b'0'));
        Some(Self(format!("{payload}{check}")))
    }

    /// Generates a fresh code from `rng`. Uniqueness is the caller's job (retry on a
    /// database conflict); there are 9·10¹⁰ possible codes.
    pub fn generate<R: rand::Rng + ?Sized>(rng: &mut R) -> Self {
        let mut digits = Vec::with_capacity(LEN);
        digits.push(rng.random_range(1..=9u8));
        digits.extend((1..LEN - 1).map(|_| rng.random_range(0..=9u8)));
        digits.push(damm_check_digit(digits.iter().copied()));
        Self(digits.iter().map(|&d| char::from(b'0' + d)).collect())
    }

    /// Parses user input: trims it, accepts digits in any script, ignores spaces and
    /// dashes, and verifies the check digit.
    pub fn parse(input: &str) -> Result<Self, TrackingCodeError> {
        let digits = latin_digits(input).map_err(|e| match e {
            DigitsError::Empty => TrackingCodeError::Empty,
            DigitsError::InvalidCharacter => TrackingCodeError::InvalidCharacter,
        })?;
        if digits.len() != LEN {
            return Err(TrackingCodeError::Length);
        }
        if digits.starts_with('0') || damm_check_digit(digit_values(&digits)) != 0 {
            return Err(TrackingCodeError::Check);
        }
        Ok(Self(digits))
    }

    /// The code in groups of four for display and SMS, e.g. `1234-5678-9012`.
    pub fn display_grouped(&self) -> String {
        format!("{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

string_newtype!(TrackingCode, TrackingCodeError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damm_reference_vector() {
        // Published example: the check digit of 572 is 4, and 5724 validates.
        assert_eq!(damm_check_digit([5, 7, 2]), 4);
        assert_eq!(damm_check_digit([5, 7, 2, 4]), 0);
    }

    #[test]
    fn grouped() {
        let digits: Vec<u8> = "12345678901".bytes().map(|b| b - b'0').collect();
        let code = format!("12345678901{}", damm_check_digit(digits));
        let t = TrackingCode::parse(&code).unwrap();
        assert_eq!(t.display_grouped(), format!("1234-5678-901{}", &code[11..]));
    }
}
