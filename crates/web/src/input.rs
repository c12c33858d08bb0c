//! Reading request bodies: JSON with field-level errors, and the domain's parse errors as
//! [`Coded`] field problems.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

use crate::error::{AppError, Coded, FieldErrors};

/// A JSON body. A body that is not JSON is a 400 `invalid_json`; JSON of the wrong shape is
/// a 422 naming the field (`applicant.mobile`: `required` or `invalid_value`).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest("bad_request")
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Deserialises `bytes`, turning serde's complaints into field errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    field_errors(serde_path_to_error::deserialize(&mut de))
}

/// Reads an already parsed JSON value as `T` (used where the caller's authority must be
/// checked before the body's fields are judged), with the same field errors.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    field_errors(serde_path_to_error::deserialize(value))
}

fn field_errors<T>(
    result: Result<T, serde_path_to_error::Error<serde_json::Error>>,
) -> Result<T, AppError> {
    match result {
        Ok(v) => Ok(v),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(AppError::InvalidJson(format!(
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
            Err(AppError::Validation(fields))
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

macro_rules! coded {
    ($($t:ty),* $(,)?) => {
        $(impl Coded for $t {
            fn code(&self) -> &'static str {
                <$t>::code(self)
            }
        })*
    };
}

coded!(
    vamyar_domain::primitives::NationalIdError,
    vamyar_domain::primitives::MobileError,
    vamyar_domain::primitives::ShebaError,
    vamyar_domain::primitives::PostalCodeError,
    vamyar_domain::primitives::TrackingCodeError,
    vamyar_domain::text::TextError,
    vamyar_domain::money::AmountError,
    vamyar_calendar::CalendarError,
);

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

    fn field_codes(e: AppError) -> Vec<(String, &'static str)> {
        match e {
            AppError::Validation(f) => f.0.into_iter().map(|(k, v)| (k, v.code)).collect(),
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
        assert!(matches!(e, AppError::InvalidJson(_)));
    }
}
