//! The second factor of national and province administrators: RFC 6238 time-based one-time
//! passwords (`totp-rs`; SHA-1, six digits, 30-second steps, one step of clock skew either
//! way), enrolled with a QR code drawn as SVG on the server (no third-party service sees the
//! secret). Enrolment stores a fresh secret; it counts only once a code from the
//! authenticator app confirms it. From then on logging in needs the code. Until then an
//! administrator's login may do nothing but enrol ([`enrolment_pending`]). Each code (time
//! step) is accepted once: the last accepted step is stored per account and a step at or
//! before it is refused ([`accept`]).

use totp_rs::{Algorithm, Builder, Secret, Totp};
use vamyar_domain::workflow::Role;

use crate::Ctx;
use crate::error::{Error, Result};

/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "Vamyar";

/// True for the roles that need the second factor.
pub fn required_for(role: Role) -> bool {
    matches!(role, Role::NationalAdmin | Role::ProvinceAdmin)
}

fn totp(secret_b32: &str, username: &str) -> Result<Totp> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|_| Error::Internal("stored TOTP secret is not base32".into()))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(ISSUER.to_string()))
        .with_account_name(username.to_string())
        .build()
        .map_err(|e| Error::Internal(format!("TOTP: {e}")))
}

/// True when `code` is the current code (or the one before or after) of the secret.
pub fn check(secret_b32: &str, username: &str, code: &str, unix_secs: u64) -> bool {
    step_of(secret_b32, username, code, unix_secs).is_some()
}

/// The time step (unix seconds / 30) whose code `code` is, within one step of `unix_secs`.
pub fn step_of(secret_b32: &str, username: &str, code: &str, unix_secs: u64) -> Option<u64> {
    let code: String = vamyar_calendar::digits::to_latin_digits(code)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    totp(secret_b32, username)
        .ok()
        .and_then(|t| t.check(&code, unix_secs))
}

/// True when `role` needs the second factor and the account has not confirmed one: its
/// sessions may only enrol (and log out) until it does.
pub fn enrolment_pending(role: Role, totp_enabled_at: Option<&str>) -> bool {
    required_for(role) && totp_enabled_at.is_none()
}

fn now_secs(ctx: &Ctx) -> u64 {
    u64::try_from(ctx.clock.now().timestamp()).unwrap_or(0)
}

/// Checks a login's code against the account's confirmed secret and uses up its time step:
/// true only for a right code of a step later than the last accepted one (so a code works
/// once, even for two logins at the same moment). False when no second factor is in force.
pub async fn accept(ctx: &Ctx, staff_id: i64, username: &str, code: Option<&str>) -> Result<bool> {
    let (secret, enabled) = vamyar_store::staff::totp(ctx.db.pool(), staff_id).await?;
    let (Some(secret), Some(_), Some(code)) = (secret, enabled, code) else {
        return Ok(false);
    };
    let Some(step) = step_of(&secret, username, code, now_secs(ctx)) else {
        return Ok(false);
    };
    let step = i64::try_from(step).map_err(|_| Error::Internal("TOTP step".into()))?;
    Ok(vamyar_store::staff::accept_totp_step(ctx.db.pool(), staff_id, step).await?)
}

/// The current code of a secret (for tests and the enrolment check).
pub fn code_at(secret_b32: &str, username: &str, unix_secs: u64) -> Result<String> {
    Ok(totp(secret_b32, username)?.generate(unix_secs).to_string())
}

/// What an administrator scans to enrol.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Enrolment {
    /// The secret, base32 (for typing it in by hand).
    pub secret: String,
    /// The `otpauth://` URL the QR code carries.
    pub otpauth_url: String,
    /// The QR code as an SVG image.
    pub qr_svg: String,
}

/// Draws `text` as a QR code in SVG (medium error correction, four-module quiet zone).
pub fn qr_svg(text: &str) -> Result<String> {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium)
        .map_err(|_| Error::Internal("QR code too long".into()))?;
    let border = 4;
    let size = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// Starts (or restarts, while not confirmed) the enrolment of a staff account: a new secret
/// is stored, not yet in force. An account whose second factor is in force cannot re-enrol
/// here (a national administrator resets it).
pub async fn enrol(ctx: &Ctx, staff_id: i64, username: &str) -> Result<Enrolment> {
    let (_, enabled) = vamyar_store::staff::totp(ctx.db.pool(), staff_id).await?;
    if enabled.is_some() {
        return Err(Error::Conflict("totp_already_enabled"));
    }
    let secret = Secret::generate().to_base32();
    let t = totp(&secret, username)?;
    let url = t
        .to_url()
        .map_err(|e| Error::Internal(format!("TOTP URL: {e}")))?;
    let mut tx = ctx.db.begin().await?;
    vamyar_store::staff::set_totp_secret(&mut tx, staff_id, &secret).await?;
    vamyar_store::audit::append(
        &mut tx,
        &vamyar_store::audit::Entry::staff(staff_id, "staff.totp_enrol", "staff_user").on(staff_id),
    )
    .await?;
    tx.commit().await?;
    Ok(Enrolment {
        qr_svg: qr_svg(&url)?,
        otpauth_url: url,
        secret,
    })
}

/// The enrolment in progress (the unconfirmed secret already stored, so reloading the page
/// keeps the code the app scanned), or a new one ([`enrol`]) when there is none.
pub async fn enrolment(ctx: &Ctx, staff_id: i64, username: &str) -> Result<Enrolment> {
    let (secret, enabled) = vamyar_store::staff::totp(ctx.db.pool(), staff_id).await?;
    match (secret, enabled) {
        (Some(secret), None) => {
            let url = totp(&secret, username)?
                .to_url()
                .map_err(|e| Error::Internal(format!("TOTP URL: {e}")))?;
            Ok(Enrolment {
                qr_svg: qr_svg(&url)?,
                otpauth_url: url,
                secret,
            })
        }
        _ => enrol(ctx, staff_id, username).await,
    }
}

/// Confirms an enrolment with a code from the app; from then on logins need a code.
pub async fn confirm(ctx: &Ctx, staff_id: i64, username: &str, code: &str) -> Result<()> {
    let (secret, enabled) = vamyar_store::staff::totp(ctx.db.pool(), staff_id).await?;
    let Some(secret) = secret else {
        return Err(Error::Conflict("totp_not_enrolled"));
    };
    if enabled.is_some() {
        return Err(Error::Conflict("totp_already_enabled"));
    }
    let step = step_of(&secret, username, code, now_secs(ctx))
        .and_then(|s| i64::try_from(s).ok())
        .ok_or_else(|| Error::field("code", "invalid_code"))?;
    let mut tx = ctx.db.begin().await?;
    // the confirming code is used up too: it cannot also open a session
    if !vamyar_store::staff::accept_totp_step(&mut *tx, staff_id, step).await? {
        return Err(Error::field("code", "totp_code_used"));
    }
    vamyar_store::staff::enable_totp(&mut tx, staff_id).await?;
    vamyar_store::audit::append(
        &mut tx,
        &vamyar_store::audit::Entry::staff(staff_id, "staff.totp_enable", "staff_user")
            .on(staff_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
