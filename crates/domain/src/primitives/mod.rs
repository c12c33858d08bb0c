//! Validated identifiers, each a newtype parsed once from user input.
//!
//! Every parser trims surrounding whitespace and accepts Latin, Persian (`۰`–`۹`) and
//! Arabic-Indic (`٠`–`٩`) digits. The stored, canonical form always uses Latin digits;
//! [`vamyar_calendar::digits::to_persian_digits`] converts it for display.
//!
//! Each type offers `parse`, [`FromStr`](core::str::FromStr), `as_str`,
//! [`Display`](core::fmt::Display) (the canonical form), `AsRef<str>`, `From<T> for String`,
//! and serde support: serialised as the canonical string, deserialised through `parse`.
//! Each error enum has a stable snake_case `code()` for translated messages.

pub mod mobile;
pub mod national_id;
pub mod postal_code;
pub mod sheba;
pub mod tracking_code;
pub mod verification_code;

pub use mobile::{Mobile, MobileError};
pub use national_id::{NationalId, NationalIdError};
pub use postal_code::{PostalCode, PostalCodeError};
pub use sheba::{Sheba, ShebaError};
pub use tracking_code::{TrackingCode, TrackingCodeError};
pub use verification_code::{VerificationCode, VerificationCodeError};

use vamyar_calendar::digits::digit_value;

/// Why input could not be reduced to a string of digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DigitsError {
    /// Nothing but whitespace and separators.
    Empty,
    /// A character that is neither a digit nor an ignorable separator.
    InvalidCharacter,
}

/// Characters ignored inside identifiers: whitespace, dashes and the invisible
/// zero-width/bidi marks that copy-pasting from Persian documents tends to insert.
pub(crate) fn is_ignorable_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'..='\u{2015}' // hyphen, non-breaking hyphen, figure/en/em dashes
                | '\u{2212}' // minus sign
                | '\u{061C}' // Arabic letter mark
                | '\u{200B}'..='\u{200F}' // ZWSP, ZWNJ, ZWJ, LRM, RLM
                | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
                | '\u{2066}'..='\u{2069}' // bidi isolates
                | '\u{FEFF}' // BOM / zero-width no-break space
        )
}

/// Reduces `input` to its digits in Latin script, skipping ignorable separators.
pub(crate) fn latin_digits(input: &str) -> Result<String, DigitsError> {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if let Some(v) = digit_value(c) {
            out.push(char::from(b'0' + v));
        } else if !is_ignorable_separator(c) {
            return Err(DigitsError::InvalidCharacter);
        }
    }
    if out.is_empty() {
        return Err(DigitsError::Empty);
    }
    Ok(out)
}

/// Numeric values of a string known to hold only Latin digits.
pub(crate) fn digit_values(latin: &str) -> impl Iterator<Item = u8> + '_ {
    latin.bytes().map(|b| b - b'0')
}

/// Implements the shared string-newtype surface for `$ty(String)` with `$ty::parse`
/// returning `Result<$ty, $err>` and `$err: Display` having a `code()` method.
macro_rules! string_newtype {
    ($ty:ident, $err:ty) => {
        impl $ty {
            /// The canonical form: Latin digits, no separators. This is what is stored.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::core::str::FromStr for $ty {
            type Err = $err;

            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl ::core::convert::AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::core::convert::From<$ty> for ::std::string::String {
            fn from(value: $ty) -> Self {
                value.0
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let raw =
                    <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&raw).map_err(|e| {
                    <D::Error as ::serde::de::Error>::custom(format_args!("{e} ({})", e.code()))
                })
            }
        }
    };
}
pub(crate) use string_newtype;
