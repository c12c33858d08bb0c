//! One way to read the fields of a form or a JSON body into typed values, with the same
//! blank handling everywhere: a value that is absent or only spaces is "not given"; digits
//! may be Persian, Arabic-Indic or Latin; each problem is recorded against the field's path
//! in [`FieldErrors`] so that every problem is reported at once.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use vamyar_domain::money::Rial;
use vamyar_domain::text::normalize_name;

use crate::error::{Error, FieldErrors};

/// A whole number that may arrive as a JSON number or as a string of digits in any script
/// (the pages send what people typed). The API contract is an integer, so the OpenAPI
/// document types it as one; a digit string is still accepted on input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
#[schema(value_type = i64)]
pub struct Flex(pub String);

impl<'de> Deserialize<'de> for Flex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Flex(s)),
            serde_json::Value::Number(n) => Ok(Flex(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected a number or text, got {other}"
            ))),
        }
    }
}

impl Flex {
    /// The value as an integer in `range`, or the field's error code.
    pub fn int_in(&self, range: std::ops::RangeInclusive<i64>) -> Result<i64, &'static str> {
        let s = vamyar_calendar::digits::to_latin_digits(self.0.trim());
        let n: i64 = s.parse().map_err(|_| "invalid_number")?;
        if range.contains(&n) {
            Ok(n)
        } else {
            Err("out_of_range")
        }
    }
}

/// The trimmed value when one was given (absent or only spaces: `None`).
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The trimmed value, or `required` recorded against `field`.
pub fn required<'a>(
    errors: &mut FieldErrors,
    field: &str,
    v: &'a Option<String>,
) -> Option<&'a str> {
    let s = given(v);
    if s.is_none() {
        errors.add(field, "required");
    }
    s
}

/// A required short label (title, name): normalised Persian text of at most 100 characters.
pub fn label(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<String> {
    let s = required(errors, field, value)?;
    errors.check(field, normalize_name(s))
}

/// A code of lowercase Latin letters, digits and hyphens, `min..=max` long (Persian digits
/// and capitals are accepted and folded).
pub fn code(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    min: usize,
    max: usize,
) -> Option<String> {
    let raw = required(errors, field, value)?;
    let code = vamyar_calendar::digits::to_latin_digits(raw).to_ascii_lowercase();
    let ok = (min..=max).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Some(code)
    } else {
        errors.add_with(
            field,
            "code_malformed",
            vec![("min", min as i64), ("max", max as i64)],
        );
        None
    }
}

/// A province or county code as typed (any digits, surrounding space): Latin digits.
pub fn region_code(raw: &str) -> String {
    vamyar_calendar::digits::to_latin_digits(raw.trim())
}

/// A required whole number in `range`.
pub fn int(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<Flex>,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    match value {
        None => {
            errors.add(field, "required");
            None
        }
        Some(v) => int_of(errors, field, v, range),
    }
}

/// An optional whole number in `range`, `default` when absent.
pub fn int_or(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<Flex>,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
) -> Option<i64> {
    match value {
        None => Some(default),
        Some(v) => int_of(errors, field, v, range),
    }
}

/// A whole number in `range`.
pub fn int_of(
    errors: &mut FieldErrors,
    field: &str,
    value: &Flex,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    match value.int_in(range) {
        Ok(n) => Some(n),
        Err(code) => {
            errors.add(field, code);
            None
        }
    }
}

/// A required amount of rials in `range` (digit grouping and Persian digits accepted; blank
/// is not given).
pub fn amount(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<Flex>,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    let Some(v) = value.as_ref().filter(|v| !v.0.trim().is_empty()) else {
        errors.add(field, "required");
        return None;
    };
    let rials = errors.check(field, Rial::parse(&v.0))?.value();
    if range.contains(&rials) {
        Some(rials)
    } else {
        errors.add(field, "out_of_range");
        None
    }
}

/// A required date, ISO or Jalali, in any digits.
pub fn date(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<NaiveDate> {
    optional_date(errors, field, value, true)
}

/// A required flag.
pub fn flag(errors: &mut FieldErrors, field: &str, value: Option<bool>) -> Option<bool> {
    if value.is_none() {
        errors.add(field, "required");
    }
    value
}

/// The record a unique key guards is taken: 409 with `code`; other store errors pass on.
pub fn conflict_on(
    key: vamyar_store::UniqueKey,
    code: &'static str,
) -> impl Fn(vamyar_store::StoreError) -> Error {
    move |e| {
        if e.violates(key) {
            Error::Conflict(code)
        } else {
            Error::from(e)
        }
    }
}

/// A trimmed, normalised text of at most `max` characters; `None` when absent or blank
/// (recorded as `required` when it is).
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    max: usize,
    required: bool,
) -> Option<String> {
    let s = v
        .as_deref()
        .map(vamyar_domain::text::normalize_persian)
        .filter(|s| !s.is_empty());
    match s {
        None => {
            if required {
                errors.add(field, "required");
            }
            None
        }
        Some(s) if s.chars().count() > max => {
            errors.add_with(field, "too_long", vec![("max", max as i64)]);
            None
        }
        Some(s) => Some(s),
    }
}

/// A date typed in ISO or Jalali; `None` when absent (recorded as `required` when it is).
pub fn optional_date(
    errors: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    required: bool,
) -> Option<NaiveDate> {
    match given(v) {
        None => {
            if required {
                errors.add(field, "required");
            }
            None
        }
        Some(s) => errors.check(field, vamyar_calendar::parse_date(s)),
    }
}

/// A required date that cannot be after `today`.
pub fn past_date(
    errors: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match optional_date(errors, field, v, true) {
        Some(d) if d > today => {
            errors.add(field, "date_in_future");
            None
        }
        d => d,
    }
}

/// An optional amount of rials that must be more than zero when given (digit grouping and
/// Persian digits accepted).
pub fn positive_amount(errors: &mut FieldErrors, field: &str, value: &Flex) -> Option<i64> {
    match Rial::parse(&value.0) {
        Ok(r) if r.value() > 0 => Some(r.value()),
        Ok(_) => {
            errors.add(field, "out_of_range");
            None
        }
        Err(e) => {
            errors.add(field, e.code());
            None
        }
    }
}

/// An amount of rials when given, more than zero; `None` when absent (or wrong, recorded).
pub fn optional_positive_amount(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<Flex>,
) -> Option<i64> {
    positive_amount(errors, field, value.as_ref()?)
}

/// A required reference someone else issued (a bank's contract number or payment
/// reference): Latin digits, at most `max` characters, no control characters.
pub fn reference(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value
        .map(|s| vamyar_calendar::digits::to_latin_digits(s.trim()))
        .filter(|s| !s.is_empty());
    match value {
        None => {
            errors.add(field, "required");
            None
        }
        Some(r) if r.chars().count() > max => {
            errors.add_with(field, "too_long", vec![("max", max as i64)]);
            None
        }
        Some(r) if r.chars().any(char::is_control) => {
            errors.add(field, "invalid_value");
            None
        }
        Some(r) => Some(r),
    }
}
