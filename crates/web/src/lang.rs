//! The language of a request: `?lang=en|fa` first, then the `vamyar_lang` cookie, then (for
//! the API only) `Accept-Language`; Persian when nothing says otherwise. Pages ignore the
//! browser's `Accept-Language`: the service is Persian unless the person chooses English
//! (the switch link sets the cookie) — [`choose_page`].

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use vamyar_i18n::Lang;

/// The language chosen for one request (an extractor; never fails).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReqLang(pub Lang);

/// Chooses the language from a request's query string and headers.
pub fn choose(query: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(q) = query {
        for pair in q.split('&') {
            if let Some(l) = pair.strip_prefix("lang=").and_then(Lang::parse) {
                return l;
            }
        }
    }
    for cookie in headers.get_all(header::COOKIE) {
        if let Ok(s) = cookie.to_str() {
            for part in s.split(';') {
                if let Some(l) = part
                    .trim()
                    .strip_prefix("vamyar_lang=")
                    .and_then(Lang::parse)
                {
                    return l;
                }
            }
        }
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// The language of a page: `?lang=`, then the `vamyar_lang` cookie, else Persian — whatever
/// the browser's `Accept-Language` says.
pub fn choose_page(query: Option<&str>, headers: &HeaderMap) -> Lang {
    let mut chosen = HeaderMap::new();
    for cookie in headers.get_all(header::COOKIE) {
        chosen.append(header::COOKIE, cookie.clone());
    }
    choose(query, &chosen)
}

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ReqLang(choose(parts.uri.query(), &parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn query_beats_cookie_beats_header() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en"));
        assert_eq!(choose(None, &h), Lang::En);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; vamyar_lang=fa"),
        );
        assert_eq!(choose(None, &h), Lang::Fa);
        assert_eq!(choose(Some("x=1&lang=en"), &h), Lang::En);
        assert_eq!(choose(None, &HeaderMap::new()), Lang::Fa);
    }

    #[test]
    fn pages_are_persian_unless_english_is_chosen() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-US,en;q=0.9"),
        );
        assert_eq!(
            choose_page(None, &h),
            Lang::Fa,
            "the browser's language is ignored"
        );
        assert_eq!(choose_page(Some("lang=en"), &h), Lang::En);
        h.insert(header::COOKIE, HeaderValue::from_static("vamyar_lang=en"));
        assert_eq!(
            choose_page(None, &h),
            Lang::En,
            "the person's choice is kept"
        );
    }
}
