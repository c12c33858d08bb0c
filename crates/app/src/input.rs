//! Reading JSON input as typed values, with serde's complaints turned into field errors
//! (`applicant.mobile`: `required`, `invalid_value` or `invalid_choice`).

use serde::de::DeserializeOwned;

use crate::error::{Error, FieldErrors};

/// Deserialises `bytes`; a body that is not JSON is [`Error::InvalidJson`], JSON of the wrong
/// shape a validation error naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    field_errors(serde_path_to_error::deserialize(&mut de))
}

/// Reads an already parsed JSON value as `T` (used where the caller's authority must be
/// checked before the body's fields are judged), with the same field errors.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
    field_errors(serde_path_to_error::deserialize(value))
}

fn field_errors<T>(
    result: Result<T, serde_path_to_error::Error<serde_json::Error>>,
) -> Result<T, Error> {
    match result {
        Ok(v) => Ok(v),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(Error::InvalidJson(format!(
                    "line {} column {}",
                    inner.line(),
                    inner.column()
                )));
            }
            let message = inner.to_string();
            let mut fields = FieldErrors::new();
            if let Some(missing) = message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split('`').next())
            {
                let field = if path == "." || path.is_empty() {
                    missing.to_string()
                } else {
                    format!("{path}.{missing}")
                };
                fields.add(field, "required");
            } else if message.starts_with("unknown variant") {
                fields.add(field_name(&path), "invalid_choice");
            } else {
                fields.add(field_name(&path), "invalid_value");
            }
            Err(Error::Validation(fields))
        }
    }
}

fn field_name(path: &str) -> String {
    if path == "." || path.is_empty() {
        "body".to_string()
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        mobile: String,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        amount: i64,
        applicant: Inner,
    }

    fn field_codes(e: Error) -> Vec<(String, &'static str)> {
        match e {
            Error::Validation(f) => f.0.into_iter().map(|(k, v)| (k, v.code)).collect(),
            other => panic!("expected validation, got {other:?}"),
        }
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        let e = parse_json::<Outer>(br#"{"amount": 1, "applicant": {}}"#).unwrap_err();
        assert_eq!(
            field_codes(e),
            vec![("applicant.mobile".to_string(), "required")]
        );
        let e =
            parse_json::<Outer>(br#"{"amount": "x", "applicant": {"mobile": "1"}}"#).unwrap_err();
        assert_eq!(
            field_codes(e),
            vec![("amount".to_string(), "invalid_value")]
        );
        let e = parse_json::<Outer>(br#"{"amount": 1"#).unwrap_err();
        assert!(matches!(e, Error::InvalidJson(_)));
    }
}
