//! What every page knows about its request: the language, who is logged in (from the
//! `vamyar_session` cookie), and the CSRF token its forms must carry.
//!
//! **CSRF.** Every POST from a page carries a hidden `csrf` field, checked by
//! [`PageCtx::check_csrf`] before anything else is read:
//! - a logged-in caller (staff, applicant or verified registrant) must send the token stored
//!   with their session (`auth_session.csrf_token`, random, 256 bits);
//! - an anonymous caller (tracking, asking for a code, logging in) must send the value of the
//!   `vamyar_csrf` cookie (a double-submit cookie: random, HttpOnly, SameSite=Lax, Secure
//!   under TLS), which another site can neither read nor, SameSite, make the browser send;
//! - and in both cases a request that the browser marks as cross-site (`Sec-Fetch-Site:
//!   cross-site`, or an `Origin` that is not this host) is refused outright.
//!
//! Tokens are compared in constant time. A refusal is 403 and changes nothing.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;
use vamyar_store::session;

use crate::AppState;
use crate::auth::actor::{Caller, CurrentActor, caller_from, request_token};
use crate::error::AppError;

/// The anonymous forms' double-submit cookie.
pub const CSRF_COOKIE: &str = "vamyar_csrf";

/// The hidden field every page form carries.
pub const CSRF_FIELD: &str = "csrf";

/// The request as a page sees it (an extractor that never fails).
#[derive(Clone, Debug)]
pub struct PageCtx {
    /// The language of the page.
    pub lang: Lang,
    /// The logged-in caller, if any (a dead or unknown session counts as none).
    pub caller: Option<Caller>,
    /// The live session behind the cookie, if any.
    pub session: Option<session::Session>,
    /// The token forms must carry.
    pub csrf: String,
    /// A new anonymous token's cookie, to set with the answer.
    pub set_cookie: Option<HeaderValue>,
    /// The request's path (for the language switch).
    pub path: String,
    /// Whether the request came from htmx (`HX-Request`).
    pub htmx: bool,
    /// A finished action named by `?done=` (post/redirect/get), for the page's notice.
    pub done: Option<String>,
    /// The language asked for with `?lang=`, to remember in the `vamyar_lang` cookie.
    pub chosen_lang: Option<Lang>,
    /// The request's headers that the cross-site check reads.
    fetch_site: Option<String>,
    origin: Option<String>,
    host: Option<String>,
}

fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|s| s.split(';'))
        .find_map(|part| {
            let (k, v) = part.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The `Set-Cookie` value of an anonymous CSRF token.
pub fn csrf_cookie(token: &str, secure: bool) -> Result<HeaderValue, AppError> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{CSRF_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/{secure}"
    ))
    .map_err(|_| AppError::Internal("csrf token is not a header value".into()))
}

impl PageCtx {
    /// The logged-in person or staff member, when the caller is one (not a registrant).
    pub fn actor(&self) -> Option<&CurrentActor> {
        match &self.caller {
            Some(Caller::Actor(a)) => Some(a),
            _ => None,
        }
    }

    /// The caller's role, when logged in as an actor.
    pub fn role(&self) -> Option<Role> {
        self.actor().map(|a| a.role())
    }

    /// Checks a submitted form token and the cross-site headers (see the module docs).
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), AppError> {
        if self.fetch_site.as_deref() == Some("cross-site") {
            return Err(AppError::Forbidden);
        }
        if let (Some(origin), Some(host)) = (&self.origin, &self.host) {
            let origin_host = origin
                .split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or(origin.as_str());
            if origin != "null" && origin_host != host {
                return Err(AppError::Forbidden);
            }
        }
        let submitted = submitted.unwrap_or_default();
        let fresh = self.set_cookie.is_some();
        if fresh
            || !is_token(submitted)
            || !vamyar_store::otp::constant_time_eq(submitted.as_bytes(), self.csrf.as_bytes())
        {
            return Err(AppError::Forbidden);
        }
        Ok(())
    }

    /// Resolves the context from a request's parts.
    pub async fn from_parts(parts: &Parts, state: &AppState) -> PageCtx {
        let lang = crate::lang::choose_page(parts.uri.query(), &parts.headers);
        let mut caller = None;
        let mut csrf = None;
        let mut live = None;
        if let Some(token) = request_token(parts).filter(|t| is_token(t))
            && let Ok(Some((s, staff))) = session::find_with_staff(&state.db, &token).await
        {
            let session_csrf = s.csrf_token.clone();
            let kept = s.clone();
            if let Ok(c) = caller_from(s, staff) {
                caller = Some(c);
                live = Some(kept);
                csrf = session_csrf.filter(|t| is_token(t));
            }
        }
        let mut set_cookie = None;
        let csrf =
            match csrf.or_else(|| cookie(&parts.headers, CSRF_COOKIE).filter(|t| is_token(t))) {
                Some(t) => t,
                None => {
                    let t = session::new_token();
                    set_cookie = csrf_cookie(&t, state.config.secure_cookies).ok();
                    t
                }
            };
        PageCtx {
            lang,
            caller,
            session: live,
            csrf,
            set_cookie,
            path: parts.uri.path().to_string(),
            htmx: parts.headers.contains_key("hx-request"),
            done: parts.uri.query().and_then(|q| {
                q.split('&').find_map(|p| {
                    p.strip_prefix("done=")
                        .filter(|v| {
                            v.len() <= 40
                                && v.bytes()
                                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-')
                        })
                        .map(str::to_string)
                })
            }),
            chosen_lang: parts.uri.query().and_then(|q| {
                q.split('&')
                    .find_map(|p| p.strip_prefix("lang=").and_then(Lang::parse))
            }),
            fetch_site: header_text(
                &parts.headers,
                header::HeaderName::from_static("sec-fetch-site"),
            ),
            origin: header_text(&parts.headers, header::ORIGIN),
            host: header_text(&parts.headers, header::HOST),
        }
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(PageCtx::from_parts(parts, state).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(csrf: &str) -> PageCtx {
        PageCtx {
            lang: Lang::Fa,
            caller: None,
            session: None,
            csrf: csrf.to_string(),
            set_cookie: None,
            path: "/".into(),
            htmx: false,
            done: None,
            chosen_lang: None,
            fetch_site: None,
            origin: None,
            host: Some("127.0.0.1:8080".into()),
        }
    }

    #[test]
    fn tokens_must_match_and_requests_must_not_be_cross_site() {
        let token = "ab".repeat(32);
        let c = ctx(&token);
        assert!(c.check_csrf(Some(&token)).is_ok());
        assert!(c.check_csrf(None).is_err());
        assert!(c.check_csrf(Some(&"cd".repeat(32))).is_err());
        let mut cross = ctx(&token);
        cross.fetch_site = Some("cross-site".into());
        assert!(cross.check_csrf(Some(&token)).is_err());
        let mut other = ctx(&token);
        other.origin = Some("https://evil.example".into());
        assert!(other.check_csrf(Some(&token)).is_err());
        let mut same = ctx(&token);
        same.origin = Some("http://127.0.0.1:8080".into());
        assert!(same.check_csrf(Some(&token)).is_ok());
        let mut fresh = ctx(&token);
        fresh.set_cookie = Some(HeaderValue::from_static("x"));
        assert!(
            fresh.check_csrf(Some(&token)).is_err(),
            "a token minted by this very request proves nothing"
        );
    }
}
