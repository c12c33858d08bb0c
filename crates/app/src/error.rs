//! What a use case can fail with. The web crate maps each variant to an HTTP status and the
//! JSON or HTML error shapes; the command line prints it. Codes are stable snake_case and
//! translated through `error-{code}` in the Fluent files.

use std::collections::BTreeMap;

use vamyar_i18n::{Arg, Lang};

/// One field's problem: a code with its placeholder values.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// The message code, translated through `error-{code}`.
    pub code: &'static str,
    /// Values for the message's placeholders.
    pub args: Vec<(&'static str, i64)>,
}

/// Problems found in a request's fields, keyed by the field's path (`applicant.national_id`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldErrors(pub BTreeMap<String, FieldError>);

impl FieldErrors {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `field` (the first one found for a field is kept).
    pub fn add(&mut self, field: impl Into<String>, code: &'static str) {
        self.0.entry(field.into()).or_insert(FieldError {
            code,
            args: Vec::new(),
        });
    }

    /// Records a problem whose message has placeholders.
    pub fn add_with(
        &mut self,
        field: impl Into<String>,
        code: &'static str,
        args: Vec<(&'static str, i64)>,
    ) {
        self.0
            .entry(field.into())
            .or_insert(FieldError { code, args });
    }

    /// Keeps a parsed value, or records the parse error against `field`.
    pub fn check<T, E: Coded>(
        &mut self,
        field: &str,
        result: std::result::Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.code());
                None
            }
        }
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each field's code and message in `lang`: `{"field": {"code", "message"}}`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for (field, fe) in &self.0 {
            let args: Vec<(&str, Arg)> = fe.args.iter().map(|(k, v)| (*k, Arg::Int(*v))).collect();
            map.insert(
                field.clone(),
                serde_json::json!({
                    "code": fe.code,
                    "message": vamyar_i18n::text(lang, &format!("error-{}", fe.code), &args),
                }),
            );
        }
        serde_json::Value::Object(map)
    }

    /// `Ok(())` when empty, else a validation error carrying every field's problem.
    pub fn finish(self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self))
        }
    }
}

/// An error with a stable snake_case code (the domain's parse errors).
pub trait Coded {
    /// The code, translated through `error-{code}`.
    fn code(&self) -> &'static str;
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
    vamyar_domain::primitives::VerificationCodeError,
    vamyar_domain::text::TextError,
    vamyar_domain::money::AmountError,
    vamyar_calendar::CalendarError,
);

/// Everything a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is malformed as a whole (code says how).
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A JSON body cannot be read.
    #[error("invalid json: {0}")]
    InvalidJson(String),
    /// Some fields are wrong.
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// The caller is not known (no valid session).
    #[error("unauthenticated")]
    Unauthenticated,
    /// The caller's role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The caller may not do this for a reason of its own (code says which; HTTP 403), e.g.
    /// `proposer_cannot_confirm`.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// No such thing, or not visible to the caller.
    #[error("not found")]
    NotFound,
    /// The action does not fit the current state (code says why).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The record changed since the caller read it.
    #[error("stale version")]
    StaleVersion,
    /// An upload or file is larger than allowed.
    #[error("payload too large")]
    PayloadTooLarge,
    /// An upload's content is of a type not accepted.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A dependency (the database) is down.
    #[error("unavailable")]
    Unavailable,
    /// Too many password checks at once (the hashing semaphore is full).
    #[error("busy")]
    Busy,
    /// A bug or an unexpected failure; the detail is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A validation error about one field.
    pub fn field(field: impl Into<String>, code: &'static str) -> Error {
        let mut f = FieldErrors::new();
        f.add(field, code);
        Error::Validation(f)
    }

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadRequest(code) | Error::Conflict(code) | Error::Refused(code) => code,
            Error::InvalidJson(_) => "invalid_json",
            Error::Validation(_) => "validation_failed",
            Error::Unauthenticated => "unauthenticated",
            Error::Forbidden => "forbidden",
            Error::NotFound => "not_found",
            Error::StaleVersion => "stale_version",
            Error::PayloadTooLarge => "payload_too_large",
            Error::UnsupportedMediaType => "unsupported_media_type",
            Error::Unavailable => "unavailable",
            Error::Busy => "busy",
            Error::Internal(_) => "internal",
        }
    }
}

impl Error {
    /// The message for people, in `lang` (`error-{code}` of the Fluent files).
    pub fn message(&self, lang: Lang) -> String {
        let detail = match self {
            Error::InvalidJson(d) => Some(d.as_str()),
            _ => None,
        };
        message_for(self.code(), detail, lang)
    }

    /// The JSON error shape: `{"error": {"code", "message", "fields"?}}`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let mut error = serde_json::json!({
            "code": self.code(),
            "message": self.message(lang),
        });
        if let Error::Validation(fields) = self {
            error["fields"] = fields.to_json(lang);
        }
        serde_json::json!({ "error": error })
    }
}

/// The people's message of an error `code` (with the `detail` of an unreadable JSON body);
/// a conflict without its own text reads as the general one.
pub fn message_for(code: &str, detail: Option<&str>, lang: Lang) -> String {
    let id = format!("error-{code}");
    match detail {
        Some(detail) => vamyar_i18n::text(lang, &id, &[("detail", Arg::Str(detail.into()))]),
        None => vamyar_i18n::try_text(lang, &id, &[])
            .unwrap_or_else(|| vamyar_i18n::text(lang, "error-conflict", &[])),
    }
}

impl From<vamyar_store::StoreError> for Error {
    fn from(e: vamyar_store::StoreError) -> Self {
        match &e {
            vamyar_store::StoreError::Sqlx(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => {
                tracing::error!(error = %e, "database unavailable");
                Error::Unavailable
            }
            _ => Error::Internal(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        vamyar_store::StoreError::from(e).into()
    }
}

/// The result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;
