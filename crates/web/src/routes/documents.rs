//! A file's documents over HTTP: the multipart upload form, listing, downloading and
//! reviewing (`vamyar_app::documents` does the work).

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_app::documents::{self, DocumentView, ReviewBody, Upload, UploadInput};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};
use crate::input::ApiJson;

/// The routes of documents.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, list))
        .routes(routes!(content))
        .routes(routes!(review))
}

/// The multipart form of an upload (for the OpenAPI document).
#[derive(ToSchema)]
pub struct UploadForm {
    /// The document kind (see [`DocumentView::kind`]).
    pub kind: String,
    /// The file: PDF, JPEG or PNG, at most the configured size.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Uploads a document (multipart fields `kind` and `file`) to a file in `submitted`,
/// `needs_correction` or `documents_pending`: the applicant to their own file, a desk clerk to
/// a file in their county. A pending or rejected document of the same kind is replaced.
#[utoipa::path(post, path = "/api/v1/applications/{id}/documents", tag = "documents",
    params(("id" = i64, Path, description = "file id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = DocumentView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the file's state does not take uploads"),
        (status = 413, description = "the file is larger than allowed"),
        (status = 415, description = "not a multipart request"),
        (status = 422, description = "unknown kind, missing file, or a type other than PDF, JPEG, PNG")))]
pub async fn upload(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<DocumentView>)> {
    let multipart = multipart.map_err(|_| AppError::UnsupportedMediaType);
    let doc = upload_from(&state, &current, id, multipart).await?;
    Ok((StatusCode::CREATED, Json(doc)))
}

/// Checks who may upload, reads the multipart form and uploads (API and pages).
pub async fn upload_from(
    state: &AppState,
    current: &CurrentActor,
    id: i64,
    multipart: AppResult<Multipart>,
) -> AppResult<DocumentView> {
    let file = documents::may_upload(&state.ctx, &current.actor, id).await?;
    let mut multipart = multipart?;
    let form = read_form(&mut multipart, state.config.max_upload_bytes).await?;
    Ok(documents::upload(&state.ctx, &current.actor, &file, form).await?)
}

/// Every document of a file, replaced ones too, oldest first.
#[utoipa::path(get, path = "/api/v1/applications/{id}/documents", tag = "documents",
    params(("id" = i64, Path, description = "file id")),
    responses((status = 200, body = Vec<DocumentView>), (status = 401), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<DocumentView>>> {
    Ok(Json(documents::list(&state.ctx, &current.actor, id).await?))
}

/// The bytes of a document, as an attachment, for anyone who can see its file.
#[utoipa::path(get, path = "/api/v1/documents/{id}/content", tag = "documents",
    params(("id" = i64, Path, description = "document id")),
    responses((status = 200, description = "the bytes (PDF, JPEG or PNG) as an attachment"),
        (status = 401), (status = 404)))]
pub async fn content(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    download(
        id,
        documents::content(&state.ctx, &current.actor, id).await?,
    )
}

/// The attachment response of a document's bytes (API and pages).
pub fn download(id: i64, c: documents::Content) -> AppResult<Response> {
    let disposition = format!("attachment; filename=\"document-{id}.{}\"", c.extension);
    let mut res = Body::from(c.bytes).into_response();
    let h = res.headers_mut();
    let value = |s: &str| HeaderValue::from_str(s).map_err(|e| AppError::Internal(e.to_string()));
    h.insert(header::CONTENT_TYPE, value(&c.document.content_type)?);
    h.insert(header::CONTENT_DISPOSITION, value(&disposition)?);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(res)
}

/// Accepts or rejects a pending document: a social worker or employment expert of the
/// file's county. A rejection is announced to the applicant with its reason; accepting the
/// last required kind moves the file on to counselling.
#[utoipa::path(post, path = "/api/v1/documents/{id}/review", tag = "documents",
    params(("id" = i64, Path, description = "document id")),
    request_body = ReviewBody,
    responses((status = 200, body = DocumentView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "`document_not_pending`, or the file's state"),
        (status = 422, description = "a rejection without a reason")))]
pub async fn review(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<DocumentView>> {
    Ok(Json(
        documents::review(&state.ctx, &current.actor, id, body).await?,
    ))
}

// --- Reading the form -------------------------------------------------------------------------

/// The longest `kind` value read (bytes); longer ones are unknown kinds anyway.
const MAX_KIND_BYTES: usize = 100;

pub(crate) fn multipart_error(e: &MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest("bad_request")
    }
}

/// Reads a field's bytes up to `max`; `None` (with the rest of the field read and dropped)
/// when it is longer.
pub(crate) async fn read_limited(mut field: Field<'_>, max: usize) -> AppResult<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e))? {
        if over || buf.len() + chunk.len() > max {
            over = true;
            buf = Vec::new();
            continue;
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(if over { None } else { Some(buf) })
}

async fn read_form(multipart: &mut Multipart, max_bytes: usize) -> AppResult<UploadInput> {
    let mut form = UploadInput::default();
    let mut too_large = false;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "kind" if form.kind.is_none() && !too_large => {
                let bytes = read_limited(field, MAX_KIND_BYTES).await?;
                // an over-long or non-UTF-8 kind is kept as something no kind is called
                form.kind = Some(
                    bytes
                        .and_then(|b| String::from_utf8(b).ok())
                        .unwrap_or_else(|| "?".into()),
                );
            }
            "file" if form.file.is_none() && !too_large => {
                let file_name = field.file_name().map(str::to_string);
                match read_limited(field, max_bytes).await? {
                    Some(bytes) => form.file = Some(Upload { bytes, file_name }),
                    // keep reading (the body limit bounds it) so the client gets the 413
                    None => too_large = true,
                }
            }
            _ => {
                if matches!(name.as_str(), "kind" | "file") && !form.duplicates.contains(&name) {
                    form.duplicates.push(name);
                }
                read_limited(field, 0).await?;
            }
        }
    }
    if too_large {
        return Err(AppError::PayloadTooLarge);
    }
    Ok(form)
}
