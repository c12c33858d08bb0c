//! A file's documents over HTTP: uploading (multipart; the type is found from the content,
//! never from the client's name or content type), listing, downloading and reviewing them.
//!
//! The bytes are stored outside any web root under `upload_dir/<first 2 hex>/<sha256>`,
//! content-addressed: the same bytes uploaded twice are stored once. Each write is one
//! transaction with its audit row, its announcement and the documents stage's clock, and may
//! move the file on to counselling when the last required kind is accepted.

use std::io::Write;
use std::path::{Path as FsPath, PathBuf};

use axum::Json;
use axum::body::Body;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_domain::policy::{self, Access, Permission};
use vamyar_domain::workflow::State as FileState;
use vamyar_store::Tx;
use vamyar_store::document::{self, Document, NewDocument};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::files::{FileContext, Settings, actions};
use crate::input::ApiJson;
use crate::routes::admin::program_input::DOCUMENT_KINDS;

/// The states in which documents may be uploaded.
pub const UPLOAD_STATES: [FileState; 3] = [
    FileState::Submitted,
    FileState::NeedsCorrection,
    FileState::DocumentsPending,
];

/// The states in which documents may be reviewed (an upload may still await review when
/// the file reaches counselling).
pub const REVIEW_STATES: [FileState; 4] = [
    FileState::Submitted,
    FileState::NeedsCorrection,
    FileState::DocumentsPending,
    FileState::Counselling,
];

/// The longest file name kept (characters).
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// The longest rejection reason (characters).
pub const MAX_REASON_CHARS: usize = 1000;

/// The routes of documents.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, list))
        .routes(routes!(content))
        .routes(routes!(review))
}

/// A document as the API returns it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// Id.
    pub id: i64,
    /// The file.
    pub application_id: i64,
    /// `national_card`, `birth_certificate`, `business_plan`, `skill_certificate`,
    /// `residence_proof`, `income_proof`, `guarantor_documents` or `photo`.
    pub kind: String,
    /// The uploader's file name (metadata only).
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png` (found from the content).
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// `pending`, `accepted`, `rejected` or `replaced`.
    pub status: String,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// When it was uploaded (RFC 3339).
    pub created_at: String,
    /// When it was accepted or rejected (RFC 3339).
    pub reviewed_at: Option<String>,
}

impl From<Document> for DocumentView {
    fn from(d: Document) -> Self {
        DocumentView {
            id: d.id,
            application_id: d.application_id,
            kind: d.kind,
            file_name: d.file_name,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            status: d.status,
            reason: d.reason,
            created_at: d.created_at,
            reviewed_at: d.reviewed_at,
        }
    }
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

/// Checks a file-bound permission: 404 outside the caller's scope, 403 for a role without
/// it (both recorded in the audit log as denied).
pub(crate) async fn permit(
    state: &AppState,
    current: &CurrentActor,
    file: &FileContext,
    permission: &Permission,
    action: &str,
    entity: &'static str,
    entity_id: i64,
) -> AppResult<()> {
    match policy::check_file_permission(&current.actor, permission, &file.scope()) {
        Access::Allowed => Ok(()),
        Access::NotFound => {
            crate::audit::denied(state, current, action, entity, entity_id).await;
            Err(AppError::NotFound)
        }
        Access::Forbidden => {
            crate::audit::denied(state, current, action, entity, entity_id).await;
            Err(AppError::Forbidden)
        }
    }
}

/// True when the file's state is one of `states`.
pub(crate) fn in_states(state: &str, states: &[FileState]) -> bool {
    states.iter().any(|s| s.as_str() == state)
}

/// Locks the file for the rest of `tx` and returns it as it now is (state and version read
/// under the lock), or 409 `invalid_state` when it is no longer in one of `states`.
pub(crate) async fn lock_file(
    tx: &mut Tx,
    file: &FileContext,
    states: &[FileState],
) -> AppResult<FileContext> {
    let (state, version) = document::lock_application(tx, file.app.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !in_states(&state, states) {
        return Err(AppError::Conflict("invalid_state"));
    }
    let mut fresh = file.clone();
    fresh.app.state = state;
    fresh.app.version = version;
    Ok(fresh)
}

/// Queues a message to the applicant about something that is not a workflow transition.
pub(crate) async fn queue_message(
    tx: &mut Tx,
    file: &FileContext,
    event: serde_json::Value,
    detail: serde_json::Value,
    dedupe_key: String,
) -> AppResult<()> {
    let kind = event["kind"].as_str().unwrap_or_default().to_string();
    let payload = json!({
        "event": event,
        "tracking_code": file.app.tracking_code,
        "first_name": file.person.first_name,
        "detail": detail,
    });
    vamyar_store::outbox::enqueue(
        tx,
        &vamyar_store::outbox::NewMessage {
            event: &kind,
            application_id: Some(file.app.id),
            person_id: Some(file.person.id),
            recipient: &file.person.mobile,
            payload,
            dedupe_key: Some(dedupe_key),
            expires_at: None,
        },
    )
    .await?;
    Ok(())
}

async fn settings_of(state: &AppState, file: &FileContext) -> AppResult<Settings> {
    Settings::load(state, file.app.program_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("file {} has no program", file.app.id)))
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
    let file = FileContext::load(&state, id)
        .await?
        .ok_or(AppError::NotFound)?;
    permit(
        &state,
        &current,
        &file,
        &Permission::UploadDocuments,
        "document.upload",
        "application",
        id,
    )
    .await?;
    if !in_states(&file.app.state, &UPLOAD_STATES) {
        return Err(AppError::Conflict("invalid_state"));
    }
    let mut multipart = multipart.map_err(|_| AppError::UnsupportedMediaType)?;
    let form = read_form(&mut multipart, state.config.max_upload_bytes).await?;

    let mut errors = FieldErrors::new();
    for field in &form.duplicates {
        errors.add(field.clone(), "duplicate_value");
    }
    let kind = match form
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => {
            errors.add("kind", "required");
            None
        }
        Some(k) => match DOCUMENT_KINDS.iter().find(|known| **known == k) {
            Some(known) => Some(*known),
            None => {
                errors.add("kind", "unknown_document_kind");
                None
            }
        },
    };
    let sniffed = match &form.file {
        None => {
            errors.add("file", "required");
            None
        }
        Some(f) if f.bytes.is_empty() => {
            errors.add("file", "file_empty");
            None
        }
        Some(f) => match sniff(&f.bytes) {
            Some(t) => Some(t),
            None => {
                errors.add("file", "unsupported_file_type");
                None
            }
        },
    };
    errors.finish()?;
    let (Some(kind), Some((content_type, ext)), Some(upload)) = (kind, sniffed, form.file) else {
        return Err(AppError::Internal(
            "upload checked without its parts".into(),
        ));
    };
    let file_name = clean_file_name(upload.file_name.as_deref(), ext);
    let size = i64::try_from(upload.bytes.len()).map_err(|_| AppError::PayloadTooLarge)?;
    let sha256 = document::sha256_hex(&upload.bytes);
    store_bytes(
        state.config.upload_dir.clone(),
        sha256.clone(),
        upload.bytes,
    )
    .await?;

    let settings = settings_of(&state, &file).await?;
    let calendar = vamyar_store::reference::working_calendar(&state.db).await?;
    let mut tx = state.db.begin().await?;
    let fresh = lock_file(&mut tx, &file, &UPLOAD_STATES).await?;
    let replaced = document::replace_open(&mut tx, id, kind).await?;
    let doc = document::create(
        &mut tx,
        &NewDocument {
            application_id: id,
            kind,
            file_name: &file_name,
            content_type,
            size_bytes: size,
            sha256: &sha256,
            uploaded_by_staff_id: current.actor.staff_id(),
            uploaded_by_person_id: current.actor.person_id(),
        },
    )
    .await?;
    let entry = crate::audit::entry(&current, "document.upload", "document")
        .on(doc.id)
        .detail(json!({
            "application_id": id,
            "kind": kind,
            "content_type": content_type,
            "size_bytes": size,
            "sha256": sha256,
            "replaced": replaced,
        }));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    actions::refresh_documents_stage(&mut tx, &fresh, &settings, &calendar).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(doc.into())))
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
    crate::files::visible_file(&state, &current, id).await?;
    let docs = document::for_application(state.db.pool(), id).await?;
    Ok(Json(docs.into_iter().map(DocumentView::from).collect()))
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
    let doc = document::get(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::files::visible_file(&state, &current, doc.application_id).await?;
    let bytes = read_bytes(&state.config.upload_dir, &doc.sha256).await?;
    let ext = match doc.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        other => {
            return Err(AppError::Internal(format!(
                "document {id} has content type {other}"
            )));
        }
    };
    let disposition = format!("attachment; filename=\"document-{id}.{ext}\"");
    let mut res = Body::from(bytes).into_response();
    let h = res.headers_mut();
    let value = |s: &str| HeaderValue::from_str(s).map_err(|e| AppError::Internal(e.to_string()));
    h.insert(header::CONTENT_TYPE, value(&doc.content_type)?);
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

/// A reviewer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The document is right.
    Accept,
    /// The document is not acceptable (a reason is required).
    Reject,
}

/// The body of `POST /api/v1/documents/{id}/review`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// `accept` or `reject`.
    pub decision: Decision,
    /// Why it is rejected (required for `reject`; told to the applicant).
    pub reason: Option<String>,
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
    let doc = document::get(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let file = FileContext::load(&state, doc.application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    permit(
        &state,
        &current,
        &file,
        &Permission::ReviewDocuments,
        "document.review",
        "document",
        id,
    )
    .await?;
    let body: ReviewBody = crate::input::from_value(body)?;
    if !in_states(&file.app.state, &REVIEW_STATES) {
        return Err(AppError::Conflict("invalid_state"));
    }
    if doc.status != "pending" {
        return Err(AppError::Conflict("document_not_pending"));
    }
    let reason = body
        .reason
        .as_deref()
        .map(vamyar_domain::text::normalize_persian)
        .filter(|r| !r.is_empty());
    let mut errors = FieldErrors::new();
    match (&body.decision, &reason) {
        (Decision::Reject, None) => errors.add("reason", "reason_required"),
        (_, Some(r)) if r.chars().count() > MAX_REASON_CHARS => {
            errors.add_with("reason", "too_long", vec![("max", MAX_REASON_CHARS as i64)]);
        }
        _ => {}
    }
    errors.finish()?;
    let staff_id = current.actor.staff_id().ok_or(AppError::Forbidden)?;
    let (status, reason) = match body.decision {
        Decision::Accept => ("accepted", None),
        Decision::Reject => ("rejected", reason),
    };

    let settings = settings_of(&state, &file).await?;
    let calendar = vamyar_store::reference::working_calendar(&state.db).await?;
    let mut tx = state.db.begin().await?;
    let fresh = lock_file(&mut tx, &file, &REVIEW_STATES).await?;
    if !document::review(&mut tx, id, status, reason.as_deref(), staff_id).await? {
        return Err(AppError::Conflict("document_not_pending"));
    }
    let action = if status == "accepted" {
        "document.accept"
    } else {
        "document.reject"
    };
    let entry = crate::audit::entry(&current, action, "document")
        .on(id)
        .detail(json!({
            "application_id": doc.application_id,
            "kind": doc.kind,
            "reason": reason,
        }));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    if let Some(r) = &reason {
        queue_message(
            &mut tx,
            &fresh,
            json!({"kind": "document_rejected", "document_kind": doc.kind, "reason": r}),
            json!({"document_id": id, "kind": doc.kind, "reason": r}),
            format!("document:{id}:rejected"),
        )
        .await?;
    }
    actions::refresh_documents_stage(&mut tx, &fresh, &settings, &calendar).await?;
    tx.commit().await?;
    let doc = document::get(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(doc.into()))
}

// --- Reading the form -------------------------------------------------------------------------

/// One uploaded file as read from the form.
struct Upload {
    bytes: Vec<u8>,
    file_name: Option<String>,
}

/// The fields of an upload form.
#[derive(Default)]
struct Form {
    kind: Option<String>,
    file: Option<Upload>,
    duplicates: Vec<String>,
}

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

async fn read_form(multipart: &mut Multipart, max_bytes: usize) -> AppResult<Form> {
    let mut form = Form::default();
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

/// The content type and extension of a PDF, JPEG or PNG, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else {
        None
    }
}

/// The uploader's file name as metadata: its last path component, normalised, without
/// control characters, at most [`MAX_FILE_NAME_CHARS`] characters; `document.<ext>` when
/// nothing is left.
pub fn clean_file_name(raw: Option<&str>, ext: &str) -> String {
    let base = raw
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let base: String = base.chars().filter(|c| !c.is_control()).collect();
    let text = vamyar_domain::text::normalize_persian(&base);
    let name: String = text
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let name = name.trim().to_string();
    if name.is_empty() {
        format!("document.{ext}")
    } else {
        name
    }
}

// --- Storing the bytes ------------------------------------------------------------------------

fn io_error(what: &str, path: &FsPath, e: std::io::Error) -> AppError {
    AppError::Internal(format!("{what} {}: {e}", path.display()))
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where the bytes of `sha256` are stored.
fn stored_path(dir: &FsPath, sha256: &str) -> AppResult<PathBuf> {
    if !is_sha256_hex(sha256) {
        return Err(AppError::Internal(format!(
            "not a stored document name: {sha256}"
        )));
    }
    Ok(dir.join(&sha256[..2]).join(sha256))
}

fn sync_dir(path: &FsPath) -> AppResult<()> {
    std::fs::File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("syncing", path, e))
}

/// Stores `bytes` under their hash unless already there: written to a temporary file in the
/// same folder, flushed to disk, renamed into place, and the folder synced, so a crash leaves
/// either the whole file or none.
async fn store_bytes(dir: PathBuf, sha256: String, bytes: Vec<u8>) -> AppResult<()> {
    tokio::task::spawn_blocking(move || -> AppResult<()> {
        let target = stored_path(&dir, &sha256)?;
        let folder = target
            .parent()
            .map(FsPath::to_path_buf)
            .unwrap_or_else(|| dir.clone());
        if std::fs::metadata(&target).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64) {
            return Ok(());
        }
        let created = !folder.is_dir();
        std::fs::create_dir_all(&folder).map_err(|e| io_error("creating", &folder, e))?;
        if created {
            sync_dir(&dir)?;
        }
        let tmp = folder.join(format!(".{sha256}.{}.tmp", uuid::Uuid::new_v4().simple()));
        let written = (|| -> std::io::Result<()> {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &target)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io_error("storing", &target, e));
        }
        sync_dir(&folder)
    })
    .await
    .map_err(|e| AppError::Internal(format!("storing a document: {e}")))?
}

/// Reads stored bytes back, checking them against their hash.
async fn read_bytes(dir: &FsPath, sha256: &str) -> AppResult<Vec<u8>> {
    let path = stored_path(dir, sha256)?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| io_error("reading", &path, e))?;
    if document::sha256_hex(&bytes) != sha256 {
        return Err(AppError::Internal(format!(
            "stored document {} does not match its hash",
            path.display()
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(("application/pdf", "pdf")));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(("image/jpeg", "jpg"))
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(("image/png", "png")));
        assert_eq!(sniff(b"hello, I am text"), None);
        assert_eq!(sniff(b"%PD"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn file_names_lose_their_paths_and_controls() {
        assert_eq!(clean_file_name(Some("../../etc/passwd"), "pdf"), "passwd");
        assert_eq!(
            clean_file_name(Some("C:\\Users\\x\\كارت ملي.pdf"), "pdf"),
            "کارت ملی.pdf"
        );
        assert_eq!(clean_file_name(Some("a\u{0}b\nc.png"), "png"), "abc.png");
        assert_eq!(clean_file_name(Some("/"), "png"), "document.png");
        assert_eq!(clean_file_name(None, "jpg"), "document.jpg");
        assert_eq!(clean_file_name(Some(".hidden"), "jpg"), "hidden");
        assert_eq!(
            clean_file_name(Some(&"x".repeat(500)), "pdf")
                .chars()
                .count(),
            MAX_FILE_NAME_CHARS
        );
    }

    #[test]
    fn only_hashes_name_stored_files() {
        let dir = FsPath::new("/srv/uploads");
        let sha = "ab".repeat(32);
        assert_eq!(stored_path(dir, &sha).unwrap(), dir.join("ab").join(&sha));
        assert!(stored_path(dir, "../../etc/passwd").is_err());
        assert!(stored_path(dir, &"AB".repeat(32)).is_err());
    }
}
