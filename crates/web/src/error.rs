//! One error type for every handler. A handler returns `AppError`; the response carries the
//! error in its extensions, and the `render_errors` middleware, which knows the request's
//! language and whether it is an API or a page request, turns it into the JSON shape of
//! API.md or a friendly HTML page, and logs it. Internals never reach the client.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use vamyar_i18n::Lang;

pub use vamyar_app::error::{Coded, FieldError, FieldErrors};

/// Everything a request can fail with, and its HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request is malformed as a whole.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// 400: the JSON body cannot be read.
    #[error("invalid json: {0}")]
    InvalidJson(String),
    /// 422: some fields are wrong.
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// 401: not logged in.
    #[error("unauthenticated")]
    Unauthenticated,
    /// 401: wrong username or password (the same answer for both, and for inactive accounts).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// 401: a one-time code that is wrong, expired, used or out of attempts (one answer).
    #[error("invalid code")]
    InvalidCode,
    /// 403: logged in, but this role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// 403: the caller may not do this for a reason of its own (code says which).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// 404: no such thing, or not visible to the caller.
    #[error("not found")]
    NotFound,
    /// 405.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: the action does not fit the current state (code says why).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// 409: the record changed since the caller read it.
    #[error("stale version")]
    StaleVersion,
    /// 413.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 415.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 429.
    #[error("too many requests")]
    TooManyRequests,
    /// 429 with a `Retry-After` header: a rate limit's window ends in this many seconds.
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited {
        /// Seconds until the caller may try again.
        retry_after_secs: u64,
    },
    /// 403: a cookie-authenticated API write from another site (no same-origin `Origin` or
    /// `Sec-Fetch-Site`).
    #[error("cross-site request")]
    CrossSite,
    /// 403: an administrator whose second factor is not enrolled yet may only enrol.
    #[error("totp enrolment required")]
    TotpEnrolmentRequired,
    /// 503: a dependency (the database) is down.
    #[error("unavailable")]
    Unavailable,
    /// 503: too many password checks at once; try again in a moment.
    #[error("busy")]
    Busy,
    /// 500: a bug or an unexpected failure; the detail is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) | AppError::InvalidJson(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated | AppError::InvalidCredentials | AppError::InvalidCode => {
                StatusCode::UNAUTHORIZED
            }
            AppError::Forbidden
            | AppError::Refused(_)
            | AppError::CrossSite
            | AppError::TotpEnrolmentRequired => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) | AppError::StaleVersion => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests | AppError::RateLimited { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::Unavailable | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients may branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(code) | AppError::Conflict(code) | AppError::Refused(code) => code,
            AppError::InvalidJson(_) => "invalid_json",
            AppError::Validation(_) => "validation_failed",
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::InvalidCode => "invalid_code",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::StaleVersion => "stale_version",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::TooManyRequests | AppError::RateLimited { .. } => "too_many_requests",
            AppError::Unavailable => "unavailable",
            AppError::CrossSite => "cross_site_request",
            AppError::Busy => "busy",
            AppError::TotpEnrolmentRequired => "totp_enrolment_required",
            AppError::Internal(_) => "internal",
        }
    }

    /// The message for people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let detail = match self {
            AppError::InvalidJson(d) => Some(d.as_str()),
            _ => None,
        };
        vamyar_app::error::message_for(self.code(), detail, lang)
    }

    /// The JSON body of API.md: `{"error": {"code", "message", "fields"?}}`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let mut error = serde_json::json!({
            "code": self.code(),
            "message": self.message(lang),
        });
        if let AppError::Validation(fields) = self {
            error["fields"] = fields.to_json(lang);
        }
        serde_json::json!({ "error": error })
    }
}

impl From<vamyar_app::Error> for AppError {
    fn from(e: vamyar_app::Error) -> Self {
        use vamyar_app::Error as E;
        match e {
            E::BadRequest(code) => AppError::BadRequest(code),
            E::InvalidJson(detail) => AppError::InvalidJson(detail),
            E::Validation(fields) => AppError::Validation(fields),
            E::Unauthenticated => AppError::Unauthenticated,
            E::Forbidden => AppError::Forbidden,
            E::Refused(code) => AppError::Refused(code),
            E::NotFound => AppError::NotFound,
            E::Conflict(code) => AppError::Conflict(code),
            E::StaleVersion => AppError::StaleVersion,
            E::PayloadTooLarge => AppError::PayloadTooLarge,
            E::UnsupportedMediaType => AppError::UnsupportedMediaType,
            E::Unavailable => AppError::Unavailable,
            E::Busy => AppError::Busy,
            E::Internal(detail) => AppError::Internal(detail),
        }
    }
}

impl From<vamyar_store::StoreError> for AppError {
    fn from(e: vamyar_store::StoreError) -> Self {
        match &e {
            vamyar_store::StoreError::Sqlx(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => {
                tracing::error!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            _ => AppError::Internal(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        vamyar_store::StoreError::from(e).into()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status_code().into_response();
        if let AppError::Busy = &self {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(1u64),
            );
        }
        if let AppError::RateLimited { retry_after_secs } = &self {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*retry_after_secs),
            );
        }
        res.extensions_mut().insert(Arc::new(self));
        res
    }
}

/// The result of a handler.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    fn every_error() -> Vec<AppError> {
        let mut fields = FieldErrors::new();
        fields.add("applicant.national_id", "national_id_check_digit");
        vec![
            AppError::BadRequest("bad_request"),
            AppError::InvalidJson("line 1 column 2".into()),
            AppError::Validation(fields),
            AppError::Unauthenticated,
            AppError::InvalidCredentials,
            AppError::InvalidCode,
            AppError::Forbidden,
            AppError::Refused("proposer_cannot_confirm"),
            AppError::NotFound,
            AppError::MethodNotAllowed,
            AppError::Conflict("invalid_state"),
            AppError::StaleVersion,
            AppError::PayloadTooLarge,
            AppError::UnsupportedMediaType,
            AppError::TooManyRequests,
            AppError::RateLimited {
                retry_after_secs: 60,
            },
            AppError::Unavailable,
            AppError::Internal("secret detail".into()),
            AppError::CrossSite,
            AppError::Busy,
            AppError::TotpEnrolmentRequired,
        ]
    }

    #[test]
    fn each_error_has_its_status_and_code() {
        let pinned: Vec<(u16, &str)> = every_error()
            .iter()
            .map(|e| (e.status_code().as_u16(), e.code()))
            .collect();
        assert_eq!(
            pinned,
            vec![
                (400, "bad_request"),
                (400, "invalid_json"),
                (422, "validation_failed"),
                (401, "unauthenticated"),
                (401, "invalid_credentials"),
                (401, "invalid_code"),
                (403, "forbidden"),
                (403, "proposer_cannot_confirm"),
                (404, "not_found"),
                (405, "method_not_allowed"),
                (409, "invalid_state"),
                (409, "stale_version"),
                (413, "payload_too_large"),
                (415, "unsupported_media_type"),
                (429, "too_many_requests"),
                (429, "too_many_requests"),
                (503, "unavailable"),
                (500, "internal"),
                (403, "cross_site_request"),
                (503, "busy"),
                (403, "totp_enrolment_required"),
            ]
        );
    }

    #[test]
    fn each_error_has_a_persian_and_an_english_message_without_internals() {
        for e in every_error() {
            for lang in [Lang::Fa, Lang::En] {
                let body = e.to_json(lang);
                let msg = body["error"]["message"].as_str().unwrap();
                assert!(!msg.starts_with("error-"), "missing text for {}", e.code());
                assert!(!msg.contains("secret detail"));
                assert_eq!(body["error"]["code"], e.code());
            }
        }
        let fa = AppError::NotFound.message(Lang::Fa);
        assert!(
            fa.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{fa}"
        );
    }

    #[test]
    fn field_errors_carry_a_message_per_field() {
        let mut f = FieldErrors::new();
        f.add("mobile", "mobile_malformed");
        f.add("mobile", "required"); // the first problem of a field is kept
        let body = AppError::Validation(f).to_json(Lang::Fa);
        assert_eq!(
            body["error"]["fields"]["mobile"]["code"],
            "mobile_malformed"
        );
        assert!(
            body["error"]["fields"]["mobile"]["message"]
                .as_str()
                .unwrap()
                .contains("۰۹")
        );
    }

    #[test]
    fn every_domain_error_code_has_both_translations() {
        let mut codes: Vec<&str> = vamyar_calendar::CalendarError::CODES.to_vec();
        codes.extend([
            "national_id_empty",
            "national_id_invalid_character",
            "national_id_length",
            "national_id_pattern",
            "national_id_check_digit",
            "mobile_empty",
            "mobile_invalid_character",
            "mobile_malformed",
            "sheba_empty",
            "sheba_invalid_character",
            "sheba_length",
            "sheba_checksum",
            "postal_code_empty",
            "postal_code_invalid_character",
            "postal_code_length",
            "postal_code_pattern",
            "tracking_code_empty",
            "tracking_code_invalid_character",
            "tracking_code_length",
            "tracking_code_check",
            "verification_code_empty",
            "verification_code_invalid_character",
            "verification_code_length",
            "verification_code_check",
            "text_empty",
            "text_too_long",
            "text_control_character",
            "amount_empty",
            "amount_not_a_number",
            "amount_fraction",
            "amount_negative",
            "amount_too_large",
            "required",
            "too_long",
            "invalid_value",
            "invalid_choice",
            "invalid_number",
            "out_of_range",
            "otp_code_malformed",
            "totp_code_used",
            "totp_already_enabled",
            "totp_not_enrolled",
            "totp_reset_not_province_admin",
        ]);
        for code in codes {
            for lang in [Lang::Fa, Lang::En] {
                assert!(
                    vamyar_i18n::has(lang, &format!("error-{code}")),
                    "no {lang:?} text for {code}"
                );
            }
        }
    }

    use vamyar_app::loans::import::{FileProblem, ImportError};

    #[test]
    fn a_file_problem_is_a_422_on_the_file_field_with_texts_in_both_languages() {
        for (p, code) in [
            (FileProblem::NotUtf8, "csv_not_utf8"),
            (FileProblem::Header("a,b".into()), "csv_header"),
            (FileProblem::TooManyRows(1000), "csv_too_many_rows"),
        ] {
            let e = AppError::from(vamyar_app::Error::from(ImportError::File(p)));
            assert_eq!(e.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
            for lang in [Lang::Fa, Lang::En] {
                let body = e.to_json(lang);
                assert_eq!(body["error"]["fields"]["file"]["code"], code);
                let text = body["error"]["fields"]["file"]["message"].as_str();
                assert!(!text.unwrap_or("error-").starts_with("error-"), "{code}");
            }
        }
        // the codes of refused rows have texts too
        for code in ["csv_field_count", "csv_unreadable_row", "unknown_contract"] {
            assert!(vamyar_i18n::has(Lang::Fa, &format!("error-{code}")));
            assert!(vamyar_i18n::has(Lang::En, &format!("error-{code}")));
        }
    }
}
