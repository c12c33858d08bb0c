//! Staff login with username and password, and the audit hook of every authentication event.
//!
//! A wrong username, a wrong password and an inactive account get the same answer
//! (401 `invalid_credentials`) after the same work: an unknown username is verified against
//! a dummy hash, so the answer takes as long as for a real account. Attempts are limited per
//! client address and per (username, address), never per account alone (see
//! [`crate::auth::ratelimit`]).

use chrono::{DateTime, Duration, Utc};
use vamyar_domain::workflow::Role;
use vamyar_store::session::{self, Subject};
use vamyar_store::staff::{self, Staff};

use crate::AppState;
use crate::auth::password;
use crate::auth::ratelimit::{ClientIp, enforce};
use crate::error::AppError;

/// How long a staff login lasts.
pub const STAFF_SESSION_HOURS: i64 = 8;

/// Longer passwords are not hashed at all (no account has one; `password::hash` refuses
/// more than [`password::MAX_PASSWORD_CHARS`] characters).
const MAX_PASSWORD_BYTES: usize = 4 * password::MAX_PASSWORD_CHARS;

/// One authentication event for the audit log. Never carries a password, code or token;
/// national IDs only masked.
#[derive(Clone, Debug)]
pub struct AuthEvent {
    /// `login`, `logout`, `otp_request`, `otp_verify`, `token_create`, `token_revoke`.
    pub action: &'static str,
    /// `ok`, `failed`, `denied` (rate limited) or `ignored` (a code request that sends nothing).
    pub outcome: &'static str,
    /// The staff account concerned, when known.
    pub staff_id: Option<i64>,
    /// The person concerned, when known.
    pub person_id: Option<i64>,
    /// The session or token concerned.
    pub session_id: Option<i64>,
    /// A masked national ID, for code events.
    pub national_id_masked: Option<String>,
    /// Where the request came from.
    pub ip: ClientIp,
}

impl AuthEvent {
    /// An event with no subject yet.
    pub fn new(action: &'static str, outcome: &'static str, ip: ClientIp) -> AuthEvent {
        AuthEvent {
            action,
            outcome,
            staff_id: None,
            person_id: None,
            session_id: None,
            national_id_masked: None,
            ip,
        }
    }
}

/// Records an authentication event in the audit log (in its own transaction) and the log.
/// Events carry ids, a masked national ID and the client address; never passwords, codes,
/// tokens or mobiles. A failure to record is logged and never fails the request.
pub async fn audit_login(state: &AppState, event: &AuthEvent) {
    tracing::info!(
        target: "vamyar::auth",
        action = event.action,
        outcome = event.outcome,
        staff_id = event.staff_id,
        person_id = event.person_id,
        session_id = event.session_id,
        national_id = event.national_id_masked.as_deref(),
        ip = %event.ip.key(),
        "authentication event"
    );
    let (kind, id) = match (event.staff_id, event.person_id) {
        (Some(s), _) => (vamyar_store::audit::actor::STAFF, Some(s)),
        (None, Some(p)) => (vamyar_store::audit::actor::APPLICANT, Some(p)),
        _ => (vamyar_store::audit::actor::ANONYMOUS, None),
    };
    let outcome = match event.outcome {
        "denied" => vamyar_store::audit::outcome::DENIED,
        "failed" => vamyar_store::audit::outcome::FAILED,
        _ => vamyar_store::audit::outcome::OK,
    };
    let mut entry =
        vamyar_store::audit::Entry::new(kind, id, format!("auth.{}", event.action), "auth_session")
            .outcome(outcome);
    if let Some(sid) = event.session_id {
        entry = entry.on(sid);
    }
    entry.detail = serde_json::json!({
        "outcome": event.outcome,
        "national_id": event.national_id_masked,
    });
    entry.ip = Some(event.ip.key());
    if let Err(e) = vamyar_store::audit::append_now(&state.db, &entry).await {
        tracing::error!(error = %e, "could not record an authentication event in the audit log");
    }
}

/// A successful login: the new session's token and the account.
#[derive(Debug)]
pub struct LoggedIn {
    /// The session token (shown once).
    pub token: String,
    /// The session's id.
    pub session_id: i64,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The account.
    pub staff: Staff,
    /// Its role.
    pub role: Role,
    /// The account must enrol its second factor before the session may do anything else.
    pub totp_enrolment_required: bool,
}

/// Checks a username and password and opens an 8-hour session.
pub async fn login(
    state: &AppState,
    ip: ClientIp,
    username: &str,
    password: String,
    totp: Option<&str>,
) -> Result<LoggedIn, AppError> {
    let username = username.trim();
    let ip_key = ip.key();
    let account_key = username.to_lowercase();
    let limits = state.rate_limits.clone();
    let counted = match enforce(state, "login_ip", limits.login_per_ip, &[&ip_key]).await {
        Ok(ip_hit) => enforce(
            state,
            "login_account_ip",
            limits.login_per_account_ip,
            &[&account_key, &ip_key],
        )
        .await
        .map(|account_hit| (ip_hit, account_hit)),
        Err(e) => Err(e),
    };
    let (ip_hit, account_hit) = match counted {
        Ok(hits) => hits,
        Err(e) => {
            if matches!(e, AppError::RateLimited { .. }) {
                audit_login(state, &AuthEvent::new("login", "denied", ip)).await;
            }
            return Err(e);
        }
    };

    let account = if username.is_empty() {
        None
    } else {
        staff::by_username(state.db.pool(), username).await?
    };
    // Argon2 takes ~19 MiB and real CPU per check: a bounded number run at once, and past
    // that the answer is 503 at once instead of a queue that eats the memory.
    let Ok(_permit) = state.hashing.clone().try_acquire_owned() else {
        tracing::warn!("password checks saturated");
        metrics::counter!("vamyar_password_busy_total").increment(1);
        return Err(AppError::Busy);
    };
    let verified = match &account {
        Some(s) if password.len() <= MAX_PASSWORD_BYTES => {
            password::verify(password, s.password_hash.clone()).await && s.is_active
        }
        _ => {
            password::verify_dummy(password.chars().take(64).collect()).await;
            false
        }
    };
    let known_id = account.as_ref().map(|s| s.id);
    let Some(account) = account.filter(|_| verified) else {
        let mut event = AuthEvent::new("login", "failed", ip);
        event.staff_id = known_id;
        audit_login(state, &event).await;
        return Err(AppError::InvalidCredentials);
    };
    let role = Role::parse_login(&account.role)
        .filter(|r| r.is_staff())
        .ok_or_else(|| {
            AppError::Internal(format!("staff {} has role {}", account.id, account.role))
        })?;
    // an administrator with a confirmed second factor gives a code of a time step not used
    // before; one without gets a session that may only enrol (`auth::enrolment`)
    if vamyar_app::totp::required_for(role) && account.totp_enabled_at.is_some() {
        let code = totp.map(str::trim).filter(|c| !c.is_empty());
        if !vamyar_app::totp::accept(&state.ctx, account.id, &account.username, code).await? {
            let mut event = AuthEvent::new("login", "totp_failed", ip);
            event.staff_id = Some(account.id);
            audit_login(state, &event).await;
            return Err(AppError::InvalidCredentials);
        }
    }
    let totp_enrolment_required =
        vamyar_app::totp::enrolment_pending(role, account.totp_enabled_at.as_deref());

    let expires_at = Utc::now() + Duration::hours(STAFF_SESSION_HOURS);
    let mut tx = state.db.begin().await?;
    let (token, session_id) = session::create_until(
        &mut tx,
        "session",
        &Subject::Staff(account.id),
        None,
        expires_at,
    )
    .await?;
    tx.commit().await?;

    ip_hit.forgive(state).await;
    account_hit.forgive(state).await;
    let mut event = AuthEvent::new("login", "ok", ip);
    event.staff_id = Some(account.id);
    event.session_id = Some(session_id);
    audit_login(state, &event).await;
    Ok(LoggedIn {
        token,
        session_id,
        expires_at,
        staff: account,
        role,
        totp_enrolment_required,
    })
}
