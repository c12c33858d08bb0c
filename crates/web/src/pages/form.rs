//! Reading page forms: URL-encoded bodies as name/value pairs, and multipart uploads, each
//! only after its CSRF token passed ([`super::ctx`]).

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};

use super::ctx::{CSRF_FIELD, PageCtx};
use crate::AppState;
use crate::error::AppError;

/// A submitted form's fields, in order (a name may repeat, e.g. checkboxes).
#[derive(Clone, Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// The first value of `name` as typed (empty when absent).
    pub fn raw(&self, name: &str) -> String {
        self.get(name).unwrap_or_default()
    }

    /// Every non-blank value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    /// True when a checkbox `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The value as a JSON string, or null when blank.
    pub fn json(&self, name: &str) -> serde_json::Value {
        self.get(name)
            .map(serde_json::Value::String)
            .unwrap_or(serde_json::Value::Null)
    }
}

/// A page's URL-encoded POST: the context and the fields, with the CSRF token checked.
pub struct PageForm(pub PageCtx, pub FormData);

impl FromRequest<AppState> for PageForm {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let ctx = PageCtx::from_parts(&parts, state).await;
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| AppError::BadRequest("bad_request"))?;
        let form = FormData(pairs);
        ctx.check_csrf(form.get(CSRF_FIELD).as_deref())?;
        Ok(PageForm(ctx, form))
    }
}

/// A page's multipart POST (an upload), with the CSRF field checked: the body is read once
/// (within the app's body limit), searched for the `csrf` field, and handed on whole as a
/// fresh [`Multipart`] to the upload service.
pub struct PageMultipart(pub PageCtx, pub Multipart);

impl FromRequest<AppState> for PageMultipart {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let ctx = PageCtx::from_parts(&parts, state).await;
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        let mut first = Multipart::from_request(
            Request::from_parts(parts.clone(), Body::from(bytes.clone())),
            state,
        )
        .await
        .map_err(|_| AppError::UnsupportedMediaType)?;
        let mut token = None;
        while let Ok(Some(field)) = first.next_field().await {
            if field.name() == Some(CSRF_FIELD) {
                token = field.text().await.ok();
                break;
            }
        }
        ctx.check_csrf(token.as_deref().map(str::trim))?;
        let multipart =
            Multipart::from_request(Request::from_parts(parts, Body::from(bytes)), state)
                .await
                .map_err(|_| AppError::UnsupportedMediaType)?;
        Ok(PageMultipart(ctx, multipart))
    }
}

/// Tomans as typed → rials as text, for amount fields (the service judges the result).
pub fn rials_of(form: &FormData, name: &str) -> Option<String> {
    let raw = form.get(name)?;
    Some(match vamyar_domain::money::Rial::parse_tomans(&raw) {
        Ok(r) => r.value().to_string(),
        Err(_) => raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_trimmed_and_blank_ones_are_absent() {
        let f = FormData(vec![
            ("a".into(), " x ".into()),
            ("b".into(), "  ".into()),
            ("k".into(), "1".into()),
            ("k".into(), "2".into()),
        ]);
        assert_eq!(f.get("a").as_deref(), Some("x"));
        assert_eq!(f.get("b"), None);
        assert!(!f.checked("b"));
        assert_eq!(f.all("k"), vec!["1", "2"]);
        assert_eq!(f.json("b"), serde_json::Value::Null);
    }
}
