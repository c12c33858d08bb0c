//! A file's documents: uploading (the type is found from the content, never from the
//! client's name or content type), listing, reading back and reviewing them.
//!
//! Each write is one transaction with its audit row, its announcement and the documents
//! stage's clock, and may move the file on to counselling when the last required kind is
//! accepted. The bytes are stored by [`blob`] before the transaction and removed again when
//! it fails and no other document holds the same bytes.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::announcement::Notice;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_domain::vocab::DocumentStatus;
use vamyar_domain::workflow::State as FileState;
use vamyar_store::document::{self, Document, NewDocument};

use crate::Ctx;
use crate::admin::program_input::DOCUMENT_KINDS;
use crate::error::{Error, FieldErrors, Result};
use crate::files::guard::{in_states, lock_file, permit};
use crate::files::{FileContext, Rules, actions};

pub mod blob;
pub mod sniff;

pub use sniff::{MAX_FILE_NAME_CHARS, clean_file_name, sniff};

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

/// The longest rejection reason (characters).
pub const MAX_REASON_CHARS: usize = 1000;

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
    /// Where it stands.
    #[schema(value_type = String)]
    pub status: DocumentStatus,
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

/// One uploaded file as read from a form.
#[derive(Clone, Debug)]
pub struct Upload {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The uploader's file name.
    pub file_name: Option<String>,
}

/// An upload as the channel read it.
#[derive(Clone, Debug, Default)]
pub struct UploadInput {
    /// The document kind as sent.
    pub kind: Option<String>,
    /// The file.
    pub file: Option<Upload>,
    /// Fields that were sent more than once (each is a field error).
    pub duplicates: Vec<String>,
}

/// Checks that `actor` may upload to file `id` now, before its body is read: the applicant
/// to their own file, a desk clerk to a file in their county, while the file is in
/// `submitted`, `needs_correction` or `documents_pending`.
pub async fn may_upload(ctx: &Ctx, actor: &Actor, id: i64) -> Result<FileContext> {
    let file = FileContext::load(ctx, id).await?.ok_or(Error::NotFound)?;
    permit(
        ctx,
        actor,
        &file,
        &Permission::UploadDocuments,
        "document.upload",
        "application",
        id,
    )
    .await?;
    if !in_states(file.app.state, &UPLOAD_STATES) {
        return Err(Error::Conflict("invalid_state"));
    }
    Ok(file)
}

/// Uploads a document to a file that [`may_upload`] admitted. A pending or rejected document
/// of the same kind is replaced.
pub async fn upload(
    ctx: &Ctx,
    actor: &Actor,
    file: &FileContext,
    input: UploadInput,
) -> Result<DocumentView> {
    let id = file.app.id;
    let mut errors = FieldErrors::new();
    for field in &input.duplicates {
        errors.add(field.clone(), "duplicate_value");
    }
    let kind = match input
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
    let sniffed = match &input.file {
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
    let (Some(kind), Some((content_type, ext)), Some(upload)) = (kind, sniffed, input.file) else {
        return Err(Error::Internal("upload checked without its parts".into()));
    };
    let file_name = clean_file_name(upload.file_name.as_deref(), ext);
    let size = i64::try_from(upload.bytes.len()).map_err(|_| Error::PayloadTooLarge)?;
    let sha256 = document::sha256_hex(&upload.bytes);
    let rules = Rules::load(ctx, file.app.program_id).await?;
    let written = blob::store_bytes(
        ctx.settings.upload_dir.clone(),
        sha256.clone(),
        upload.bytes,
    )
    .await?;
    let result = async {
        let mut tx = ctx.db.begin().await?;
        let fresh = lock_file(&mut tx, file, &UPLOAD_STATES).await?;
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
                uploaded_by_staff_id: actor.staff_id(),
                uploaded_by_person_id: actor.person_id(),
            },
        )
        .await?;
        let entry = crate::audit::entry(actor, "document.upload", "document")
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
        actions::refresh_documents_stage(&mut tx, &fresh, &rules).await?;
        tx.commit().await?;
        Ok::<_, Error>(doc)
    }
    .await;
    match result {
        Ok(doc) => Ok(doc.into()),
        Err(e) => {
            if written {
                blob::remove_unreferenced(ctx, &sha256).await;
            }
            Err(e)
        }
    }
}

/// Every document of a file, replaced ones too, oldest first.
pub async fn list(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Vec<DocumentView>> {
    crate::files::visible_file(ctx, actor, id).await?;
    let docs = document::for_application(ctx.db.pool(), id).await?;
    Ok(docs.into_iter().map(DocumentView::from).collect())
}

/// A document's stored bytes, for anyone who can see its file.
pub struct Content {
    /// The document.
    pub document: DocumentView,
    /// Its extension (`pdf`, `jpg`, `png`).
    pub extension: &'static str,
    /// The bytes, checked against their hash.
    pub bytes: Vec<u8>,
}

/// Reads a document back.
pub async fn content(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Content> {
    let doc = document::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    crate::files::visible_file(ctx, actor, doc.application_id).await?;
    let bytes = blob::read_bytes(&ctx.settings.upload_dir, &doc.sha256).await?;
    let extension = sniff::extension_of(&doc.content_type).ok_or_else(|| {
        Error::Internal(format!(
            "document {id} has content type {}",
            doc.content_type
        ))
    })?;
    Ok(Content {
        document: doc.into(),
        extension,
        bytes,
    })
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

/// The body of a review.
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
/// last required kind moves the file on to counselling. The body is judged only after the
/// caller's authority is checked.
pub async fn review(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    body: serde_json::Value,
) -> Result<DocumentView> {
    let doc = document::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let file = FileContext::load(ctx, doc.application_id)
        .await?
        .ok_or(Error::NotFound)?;
    permit(
        ctx,
        actor,
        &file,
        &Permission::ReviewDocuments,
        "document.review",
        "document",
        id,
    )
    .await?;
    let body: ReviewBody = crate::input::from_value(body)?;
    if !in_states(file.app.state, &REVIEW_STATES) {
        return Err(Error::Conflict("invalid_state"));
    }
    if doc.status != DocumentStatus::Pending {
        return Err(Error::Conflict("document_not_pending"));
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
    let staff_id = actor.staff_id().ok_or(Error::Forbidden)?;
    let (status, reason) = match body.decision {
        Decision::Accept => ("accepted", None),
        Decision::Reject => ("rejected", reason),
    };

    let rules = Rules::load(ctx, file.app.program_id).await?;
    let mut tx = ctx.db.begin().await?;
    let fresh = lock_file(&mut tx, &file, &REVIEW_STATES).await?;
    if !document::review(&mut tx, id, status, reason.as_deref(), staff_id).await? {
        return Err(Error::Conflict("document_not_pending"));
    }
    let action = if status == "accepted" {
        "document.accept"
    } else {
        "document.reject"
    };
    let entry = crate::audit::entry(actor, action, "document")
        .on(id)
        .detail(json!({
            "application_id": doc.application_id,
            "kind": doc.kind,
            "reason": reason,
        }));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    if let Some(r) = &reason {
        crate::files::announce::queue_message(
            &mut tx,
            &fresh,
            Notice::DocumentRejected {
                document_kind: doc.kind.clone(),
                reason: r.clone(),
            },
            format!("document:{id}:rejected"),
        )
        .await?;
    }
    actions::refresh_documents_stage(&mut tx, &fresh, &rules).await?;
    tx.commit().await?;
    let doc = document::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(doc.into())
}
