//! Fieldless enums with a stable snake_case name per variant, defined by [`named_enum!`].
//!
//! The names are the ones used in the API, the database and serde, so they never change once
//! published. Every such enum also converts from a `String` or `&str` by that name
//! ([`try_from_name!`]), refusing anything else with [`UnknownName`]: this is the shape a
//! database driver needs to decode a text column into the enum.

use thiserror::Error;

/// A name that is not one of a vocabulary's values (see `TryFrom<String>` on the named
/// enums). Code `invalid_choice`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
#[error("unknown {what} name `{value}`")]
pub struct UnknownName {
    /// The vocabulary asked for: the enum's type name, e.g. `"ReferralStatus"`.
    pub what: &'static str,
    /// The refused input, verbatim.
    pub value: String,
}

impl UnknownName {
    /// Stable snake_case code for translation and API responses: `invalid_choice`.
    pub fn code(&self) -> &'static str {
        "invalid_choice"
    }
}

/// Implements `TryFrom<String>` and `TryFrom<&str>` for an enum with a
/// `parse(&str) -> Option<Self>`, or with the given parser, failing with [`UnknownName`].
macro_rules! try_from_name {
    ($name:ident) => {
        $crate::named::try_from_name!($name, $name::parse);
    };
    ($name:ident, $parse:expr) => {
        impl ::core::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::named::UnknownName;

            fn try_from(value: ::std::string::String) -> ::core::result::Result<Self, Self::Error> {
                let parse: fn(&str) -> Option<$name> = $parse;
                match parse(&value) {
                    Some(found) => Ok(found),
                    None => Err($crate::named::UnknownName {
                        what: stringify!($name),
                        value,
                    }),
                }
            }
        }

        impl ::core::convert::TryFrom<&str> for $name {
            type Error = $crate::named::UnknownName;

            fn try_from(value: &str) -> ::core::result::Result<Self, Self::Error> {
                let parse: fn(&str) -> Option<$name> = $parse;
                parse(value).ok_or_else(|| $crate::named::UnknownName {
                    what: stringify!($name),
                    value: value.to_owned(),
                })
            }
        }
    };
}

/// Defines a fieldless enum with a stable snake_case name per variant: `as_str`, `parse`,
/// `ALL`, `Display`, serde as that name, and `TryFrom<String>`/`TryFrom<&str>` by that name
/// (failing with [`UnknownName`]).
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable snake_case name, as used in the API, the database and serde.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Parses the stable snake_case name (exact match); `None` for anything else.
            pub fn parse(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::named::try_from_name!($name);
    };
}

pub(crate) use named_enum;
pub(crate) use try_from_name;
