//! The session cookie, and the session behind a request's credentials.
//!
//! The cookie is `HttpOnly` (scripts cannot read it), `SameSite=Lax` (other sites cannot
//! send it with their forms' POSTs), `Path=/`, and `Secure` when the site is served over TLS.
//! It has no `Max-Age`: it ends with the browser, which matters on the shared computers of
//! service desks and internet cafés; the server-side expiry is what counts.

use axum::extract::FromRequestParts;
use axum::http::HeaderValue;
use axum::http::request::Parts;
use vamyar_store::session::{self, Session};

use crate::AppState;
use crate::auth::actor::{SESSION_COOKIE, request_token};
use crate::error::AppError;

fn attributes(secure: bool) -> &'static str {
    if secure {
        "HttpOnly; SameSite=Lax; Path=/; Secure"
    } else {
        "HttpOnly; SameSite=Lax; Path=/"
    }
}

/// The `Set-Cookie` value that carries a session token.
pub fn session_cookie(token: &str, secure: bool) -> Result<HeaderValue, AppError> {
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; {}", attributes(secure)))
        .map_err(|_| AppError::Internal("session token is not a header value".into()))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let value = format!("{SESSION_COOKIE}=; {}; Max-Age=0", attributes(secure));
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(
        "vamyar_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0",
    ))
}

/// The live session whose token the request carries (bearer token or cookie); 401 without.
#[derive(Clone, Debug)]
pub struct CurrentSession(pub Session);

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = request_token(parts).ok_or(AppError::Unauthenticated)?;
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::Unauthenticated);
        }
        session::find(&state.db, &token)
            .await?
            .map(CurrentSession)
            .ok_or(AppError::Unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_and_lax_and_secure_on_request() {
        let c = session_cookie("ab12", false).unwrap();
        assert_eq!(
            c.to_str().unwrap(),
            "vamyar_session=ab12; HttpOnly; SameSite=Lax; Path=/"
        );
        let c = session_cookie("ab12", true).unwrap();
        assert!(c.to_str().unwrap().ends_with("; Secure"));
        let cleared = clear_cookie(false);
        assert!(cleared.to_str().unwrap().contains("Max-Age=0"));
        assert!(session_cookie("a\nb", false).is_err());
    }
}
