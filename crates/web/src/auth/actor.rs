//! Who is calling: the `CurrentActor` extractor reads a bearer token (`Authorization: Bearer
//! …`) or the `vamyar_session` cookie, finds the live session, and builds the policy `Actor`
//! (role and scope) that every handler checks against. Missing or dead credentials → 401.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use vamyar_domain::policy::Actor;
use vamyar_domain::workflow::Role;
use vamyar_store::session::{self, Session, Subject};

use crate::AppState;
use crate::error::AppError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "vamyar_session";

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct CurrentActor {
    /// Role and scope, for the policy.
    pub actor: Actor,
    /// The session behind the request.
    pub session: Session,
    /// The staff account's username (staff only), for the audit log.
    pub username: Option<String>,
    /// An administrator who has not enrolled the second factor: the session may only enrol
    /// (see [`crate::auth::enrolment`]).
    pub totp_pending: bool,
}

impl CurrentActor {
    /// The role.
    pub fn role(&self) -> Role {
        self.actor.role()
    }
}

/// A caller who proved control of a mobile for a national ID that has no file yet (online
/// registration), or a logged-in actor.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A logged-in staff member or applicant.
    Actor(Box<CurrentActor>),
    /// A verified registrant.
    Registrant {
        /// The national ID the code was sent for.
        national_id: String,
        /// The verified mobile.
        mobile: String,
    },
}

impl Caller {
    /// The caller as registration sees it.
    pub fn registrant(self) -> vamyar_app::files::register::Caller {
        match self {
            Caller::Actor(a) => vamyar_app::files::register::Caller::Actor(a.actor),
            Caller::Registrant {
                national_id,
                mobile,
            } => vamyar_app::files::register::Caller::Registrant {
                national_id,
                mobile,
            },
        }
    }
}

/// The token of a request: the bearer token, else the session cookie.
pub fn request_token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let v = v.trim();
        if v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer ") {
            return Some(v[7..].trim().to_string());
        }
    }
    for cookie in parts.headers.get_all(header::COOKIE) {
        if let Ok(s) = cookie.to_str() {
            for part in s.split(';') {
                if let Some(v) = part.trim().strip_prefix("vamyar_session=") {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}

/// Builds the caller of a live session, reading a staff session's account.
pub async fn caller_of(state: &AppState, session: Session) -> Result<Caller, AppError> {
    let staff = match session.subject() {
        Some(Subject::Staff(id)) => vamyar_store::staff::by_id(state.db.pool(), id).await?,
        _ => None,
    };
    caller_from(session, staff)
}

/// Builds the caller of a live session whose staff account (for a staff session) was read
/// with it ([`session::find_with_staff`]); a staff session without its account is dead.
pub fn caller_from(
    session: Session,
    staff: Option<vamyar_store::staff::Staff>,
) -> Result<Caller, AppError> {
    match session.subject() {
        Some(Subject::Staff(id)) => {
            let staff = staff
                .filter(|s| s.id == id)
                .ok_or(AppError::Unauthenticated)?;
            let actor = vamyar_app::actors::of_staff(&staff)?.ok_or(AppError::Unauthenticated)?;
            let totp_pending =
                vamyar_app::totp::enrolment_pending(actor.role(), staff.totp_enabled_at.as_deref());
            Ok(Caller::Actor(Box::new(CurrentActor {
                actor,
                session,
                username: Some(staff.username),
                totp_pending,
            })))
        }
        Some(Subject::Person(id)) => Ok(Caller::Actor(Box::new(CurrentActor {
            actor: Actor::applicant(id),
            session,
            username: None,
            totp_pending: false,
        }))),
        Some(Subject::Registrant {
            national_id,
            mobile,
        }) => Ok(Caller::Registrant {
            national_id,
            mobile,
        }),
        None => Err(AppError::Unauthenticated),
    }
}

/// The caller of a request's credentials: none without any, 401 for dead ones. The actor the
/// enrolment gate already resolved for this request is taken as it is, not read again.
pub async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<Caller>, AppError> {
    if let Some(a) = parts.extensions.get::<CurrentActor>() {
        return Ok(Some(Caller::Actor(Box::new(a.clone()))));
    }
    let Some(token) = request_token(parts) else {
        return Ok(None);
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::Unauthenticated);
    }
    let (session, staff) = session::find_with_staff(&state.db, &token)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    caller_from(session, staff).map(Some)
}

impl FromRequestParts<AppState> for CurrentActor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match resolve(parts, state).await? {
            Some(Caller::Actor(a)) => {
                parts.extensions.insert((*a).clone());
                Ok(*a)
            }
            _ => Err(AppError::Unauthenticated),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        resolve(parts, state)
            .await?
            .ok_or(AppError::Unauthenticated)
    }
}

/// An optional caller: `None` without credentials (public routes that say more to staff).
#[derive(Clone, Debug)]
pub struct MaybeActor(pub Option<CurrentActor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match resolve(parts, state).await? {
            Some(Caller::Actor(a)) => Ok(MaybeActor(Some(*a))),
            _ => Ok(MaybeActor(None)),
        }
    }
}
