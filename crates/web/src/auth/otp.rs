//! Applicants log in with their national ID and a one-time code sent by SMS (SPEC §5).
//!
//! Asking for a code always answers 202 `{sent: true}`, whatever happens behind it, so the
//! answer says nothing about who is registered. A code is sent when the national ID belongs
//! to a person whose registered mobile is the one given, or to nobody yet (online
//! registration: the code goes to the given mobile, and proves control of it). When the
//! person exists with another mobile, nothing is sent. The code, the national ID and the
//! mobile are never logged (national IDs only masked).
//!
//! Verifying takes the newest live code of the national ID. Each attempt is counted before
//! the code is compared; five attempts and the code is dead; a right code is used once. The
//! session is an applicant's (`session`) for an existing person, or a one-hour
//! `registration` session carrying the national ID and mobile for someone not registered.

use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vamyar_calendar::digits::to_latin_digits;
use vamyar_domain::primitives::{Mobile, NationalId};
use vamyar_store::otp::{self, NewChallenge};
use vamyar_store::person;
use vamyar_store::session::{self, Subject};

use crate::AppState;
use crate::auth::login::{AuthEvent, audit_login};
use crate::auth::ratelimit::{ClientIp, enforce, within};
use crate::error::{AppError, FieldErrors};

/// How long a code works.
pub const CODE_TTL_MINUTES: i64 = 5;
/// How long an applicant's login lasts.
pub const APPLICANT_SESSION_HOURS: i64 = 2;
/// How long a registration session lasts.
pub const REGISTRATION_SESSION_HOURS: i64 = 1;

/// A request for a login code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpRequest {
    /// National ID (Persian or Latin digits).
    pub national_id: String,
    /// Mobile, e.g. `09121234567`.
    pub mobile: String,
}

/// The answer to a code request: always the same.
#[derive(Serialize, ToSchema)]
pub struct OtpSent {
    /// Always true.
    pub sent: bool,
}

/// A code to check.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpVerify {
    /// National ID the code was requested for.
    pub national_id: String,
    /// The six-digit code (Persian or Latin digits).
    pub code: String,
}

/// The session opened by a right code.
#[derive(Serialize, ToSchema)]
pub struct OtpSession {
    /// The session token (also set as the `vamyar_session` cookie).
    pub token: String,
    /// `applicant` (a registered person) or `registrant` (not registered yet).
    pub kind: String,
    /// When the session stops working (RFC 3339).
    pub expires_at: String,
}

/// Handles a code request (see the module documentation); the caller answers 202.
pub async fn request_code(
    state: &AppState,
    ip: ClientIp,
    input: &OtpRequest,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let national_id = errors.check("national_id", NationalId::parse(&input.national_id));
    let mobile = errors.check("mobile", Mobile::parse(&input.mobile));
    errors.finish()?;
    let (Some(national_id), Some(mobile)) = (national_id, mobile) else {
        return Err(AppError::Internal("parsed fields missing".into()));
    };
    let ip_key = ip.key();
    let mut event = AuthEvent::new("otp_request", "ignored", ip);
    event.national_id_masked = Some(national_id.masked());
    if let Err(e) = enforce(
        state,
        "otp_request_ip",
        state.rate_limits.otp_request_per_ip,
        &[&ip_key],
    )
    .await
    {
        event.outcome = "denied";
        audit_login(state, &event).await;
        return Err(e);
    }

    let existing = person::by_national_id(state.db.pool(), national_id.as_str()).await?;
    let target = match &existing {
        None => Some(None),
        Some(p) if Mobile::parse(&p.mobile).is_ok_and(|m| m == mobile) => Some(Some(p.id)),
        Some(_) => None,
    };
    event.person_id = existing.as_ref().map(|p| p.id);
    if let Some(person_id) = target {
        let limit = state.rate_limits.otp_sms_per_recipient;
        let parts = [national_id.as_str(), mobile.as_str()];
        let per_mobile = state.rate_limits.otp_sms_per_mobile;
        if within(state, "otp_sms", limit, &parts).await?
            && within(state, "otp_sms_mobile", per_mobile, &[mobile.as_str()]).await?
        {
            let global = state.rate_limits.otp_sms_global;
            if let Err(e) = enforce(state, "otp_sms_global", global, &[]).await {
                event.outcome = "denied";
                audit_login(state, &event).await;
                return Err(e);
            }
            let new = NewChallenge {
                person_id,
                national_id: national_id.as_str(),
                mobile: mobile.as_str(),
            };
            let code = otp::new_code();
            let mut tx = state.db.begin().await?;
            otp::create(&mut tx, &new, &code, Duration::minutes(CODE_TTL_MINUTES)).await?;
            tx.commit().await?;
            event.outcome = "ok";
        }
    }
    audit_login(state, &event).await;
    Ok(())
}

/// The code as six Latin digits, or `None` when it cannot be one.
fn parse_code(input: &str) -> Option<String> {
    let code: String = to_latin_digits(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// Checks a code and opens a session; every failure is 401 `invalid_code`.
pub async fn verify_code(
    state: &AppState,
    ip: ClientIp,
    input: &OtpVerify,
) -> Result<OtpSession, AppError> {
    let mut errors = FieldErrors::new();
    let national_id = errors.check("national_id", NationalId::parse(&input.national_id));
    let code = parse_code(&input.code);
    if code.is_none() {
        errors.add("code", "otp_code_malformed");
    }
    errors.finish()?;
    let (Some(national_id), Some(code)) = (national_id, code) else {
        return Err(AppError::Internal("parsed fields missing".into()));
    };
    let mut event = AuthEvent::new("otp_verify", "failed", ip);
    event.national_id_masked = Some(national_id.masked());
    let limit = state.rate_limits.otp_verify_per_ip;
    let ip_hit = match enforce(state, "otp_verify_ip", limit, &[&ip.key()]).await {
        Ok(hit) => hit,
        Err(e) => {
            event.outcome = "denied";
            audit_login(state, &event).await;
            return Err(e);
        }
    };

    let nid = national_id.as_str();
    let mut tx = state.db.begin().await?;
    let challenge = match otp::latest_live(&mut tx, nid).await? {
        Some(c) if otp::count_attempt(&mut tx, c.id).await? => c,
        _ => {
            tx.commit().await?;
            audit_login(state, &event).await;
            return Err(AppError::InvalidCode);
        }
    };
    if !otp::code_matches(&challenge.code_hash, nid, &code)
        || !otp::consume(&mut tx, challenge.id).await?
    {
        tx.commit().await?;
        event.person_id = challenge.person_id;
        audit_login(state, &event).await;
        return Err(AppError::InvalidCode);
    }
    // A person may have been registered (at a desk) since the code was sent.
    let person_id = match challenge.person_id {
        Some(id) => Some(id),
        None => match person::by_national_id(&mut *tx, nid).await? {
            Some(p) if p.mobile == challenge.mobile => Some(p.id),
            Some(_) => {
                tx.commit().await?;
                audit_login(state, &event).await;
                return Err(AppError::InvalidCode);
            }
            None => None,
        },
    };
    let (kind, subject, hours) = match person_id {
        Some(id) => ("applicant", Subject::Person(id), APPLICANT_SESSION_HOURS),
        None => (
            "registrant",
            Subject::Registrant {
                national_id: nid.to_string(),
                mobile: challenge.mobile.clone(),
            },
            REGISTRATION_SESSION_HOURS,
        ),
    };
    let session_kind = if person_id.is_some() {
        "session"
    } else {
        "registration"
    };
    let expires_at = Utc::now() + Duration::hours(hours);
    let (token, session_id) =
        session::create_until(&mut tx, session_kind, &subject, None, expires_at).await?;
    tx.commit().await?;

    ip_hit.forgive(state).await;
    event.outcome = "ok";
    event.person_id = person_id;
    event.session_id = Some(session_id);
    audit_login(state, &event).await;
    Ok(OtpSession {
        token,
        kind: kind.to_string(),
        expires_at: vamyar_store::time::ts(expires_at),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_code;

    #[test]
    fn codes_may_be_typed_in_persian_digits() {
        assert_eq!(parse_code("۱۲۳۴۵۶").as_deref(), Some("123456"));
        assert_eq!(parse_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("12345a"), None);
    }
}
