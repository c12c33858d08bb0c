//! The static files of the pages (one stylesheet, htmx, the Vazirmatn font and their
//! licences), embedded in the binary with `include_bytes!` so that `vamyar serve` works from
//! any folder, and served under `/static/` with a year-long, immutable cache: pages link
//! them with a `?v=` version made from their bytes, so a new build is a new URL.
//!
//! Where each file came from and how to refresh it: `crates/web/static/README.md`.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// One embedded file.
struct Asset {
    /// Its path under `/static/`.
    path: &'static str,
    /// Its `Content-Type`.
    content_type: &'static str,
    /// Its bytes.
    bytes: &'static [u8],
    /// The same bytes gzip-compressed, when shipped that way.
    gzip: Option<&'static [u8]>,
}

/// Every file served under `/static/`.
const ASSETS: &[Asset] = &[
    Asset {
        path: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../static/app.css"),
        gzip: None,
    },
    Asset {
        path: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/htmx.min.js"),
        gzip: Some(include_bytes!("../../static/htmx.min.js.gz")),
    },
    Asset {
        path: "fonts/vazirmatn-33.0.3-regular.woff2",
        content_type: "font/woff2",
        bytes: include_bytes!("../../static/fonts/vazirmatn-33.0.3-regular.woff2"),
        gzip: None,
    },
    Asset {
        path: "fonts/vazirmatn-33.0.3-bold.woff2",
        content_type: "font/woff2",
        bytes: include_bytes!("../../static/fonts/vazirmatn-33.0.3-bold.woff2"),
        gzip: None,
    },
    Asset {
        path: "fonts/OFL.txt",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../static/fonts/OFL.txt"),
        gzip: None,
    },
    Asset {
        path: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../../static/favicon.svg"),
        gzip: None,
    },
    Asset {
        path: "htmx-LICENSE.txt",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../static/htmx-LICENSE.txt"),
        gzip: None,
    },
];

/// A short version of every embedded file's bytes, for cache-busting URLs.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut h = DefaultHasher::new();
    for a in ASSETS {
        a.path.hash(&mut h);
        a.bytes.hash(&mut h);
    }
    format!("{:x}", h.finish() & 0xffff_ffff)
});

/// The URL of an embedded file with its version, e.g. `/static/app.css?v=1a2b3c4d`.
pub fn url(path: &str) -> String {
    format!("/static/{path}?v={}", VERSION.as_str())
}

/// The paths of every embedded file (for tests of the budget and the headers).
pub fn paths() -> Vec<&'static str> {
    ASSETS.iter().map(|a| a.path).collect()
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut pieces = part.split(';');
            let name = pieces.next().unwrap_or("").trim();
            let q_zero = pieces.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00"));
            name.eq_ignore_ascii_case("gzip") && !q_zero
        })
}

/// Serves `/static/{*path}`: the embedded bytes with a year-long immutable cache, gzip when
/// the client takes it and the file ships compressed; 404 for anything else.
pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Result<Response, AppError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.path == path)
        .ok_or(AppError::NotFound)?;
    let (body, gzip) = match asset.gzip {
        Some(z) if accepts_gzip(&headers) => (z, true),
        _ => (asset.bytes, false),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if gzip {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    Ok(res)
}

/// `GET /favicon.ico`: the favicon (SVG) where browsers look for it by default.
pub async fn favicon(headers: HeaderMap) -> Result<Response, AppError> {
    serve(Path("favicon.svg".to_string()), headers).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_chosen_only_when_accepted() {
        let mut h = HeaderMap::new();
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0, br"),
        );
        assert!(!accepts_gzip(&h));
    }

    #[test]
    fn urls_carry_a_version_and_every_file_is_embedded() {
        assert!(url("app.css").starts_with("/static/app.css?v="));
        for a in ASSETS {
            assert!(!a.bytes.is_empty(), "{}", a.path);
        }
        let css = std::str::from_utf8(ASSETS[0].bytes).unwrap_or_default();
        for a in ASSETS.iter().filter(|a| a.path.ends_with(".woff2")) {
            assert!(css.contains(a.path), "the stylesheet names {}", a.path);
        }
    }
}
