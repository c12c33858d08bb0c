//! A bank's payment file over HTTP: the bank officer uploads the same CSV as
//! `vamyar import payments` and gets a report line by line. The file is read and posted by
//! `loans::import::import_payments`, the command line's own function, for the officer's bank
//! (and only loans in their scope: a branch officer's branch).

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_domain::policy::{self, Permission, Scope};

use super::documents::{multipart_error, read_limited};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::lang::ReqLang;
use crate::loans::import::{self, ImportReport, Importer};
use crate::loans::payments::Poster;

/// The largest payment file taken over HTTP (bytes).
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// The most rows a file sent over HTTP may have (each row is a transaction, and the request
/// must end within the server's timeout); larger files go through `vamyar import payments`
/// or in parts.
pub const MAX_IMPORT_ROWS: usize = 1000;

/// The routes of payment files.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import_payments))
}

/// The multipart form of a payment file (for the OpenAPI document).
#[derive(ToSchema)]
pub struct PaymentFileForm {
    /// CSV, UTF-8, header `contract_number,bank_reference,amount,paid_on`; at most 1 MiB and
    /// 1000 rows.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Reads the `file` field (at most [`MAX_IMPORT_BYTES`]; other fields are skipped).
pub async fn read_file(multipart: &mut Multipart) -> AppResult<Vec<u8>> {
    let mut file = None;
    let mut too_large = false;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e))?
    {
        if field.name() == Some("file") && file.is_none() && !too_large {
            match read_limited(field, MAX_IMPORT_BYTES).await? {
                Some(bytes) => file = Some(bytes),
                None => too_large = true,
            }
        } else {
            read_limited(field, 0).await?;
        }
    }
    if too_large {
        return Err(AppError::PayloadTooLarge);
    }
    let mut errors = FieldErrors::new();
    match file {
        None => errors.add("file", "required"),
        Some(b) if b.is_empty() => errors.add("file", "file_empty"),
        Some(b) => return Ok(b),
    }
    Err(AppError::Validation(errors))
}

/// Imports a payment file of the caller's bank (bank officers): each row is posted as by
/// `POST /api/v1/loans/{id}/payments` in its own transaction, a repeated reference changes
/// nothing, and a bad row is reported without stopping the others. Audited
/// (`payments.import`).
#[utoipa::path(post, path = "/api/v1/payments/import", tag = "loans",
    request_body(content = PaymentFileForm, content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReport, description = "the report, line by line"),
        (status = 401), (status = 403),
        (status = 413, description = "the file is larger than 1 MiB"),
        (status = 415, description = "not a multipart request"),
        (status = 422, description = "no file, not UTF-8, a wrong header or too many rows: nothing was posted")))]
pub async fn import_payments(
    State(state): State<AppState>,
    current: CurrentActor,
    lang: ReqLang,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<ImportReport>> {
    let multipart = multipart.map_err(|_| AppError::UnsupportedMediaType);
    Ok(Json(import_from(&state, &current, lang, multipart).await?))
}

/// Checks who may import, reads the multipart form and imports it (API and pages).
pub async fn import_from(
    state: &AppState,
    current: &CurrentActor,
    lang: ReqLang,
    multipart: AppResult<Multipart>,
) -> AppResult<ImportReport> {
    let bank_id = match current.actor.scope() {
        Scope::Bank { bank_id, .. }
            if policy::allows(&current.actor, &Permission::ImportPayments) =>
        {
            *bank_id
        }
        _ => {
            vamyar_app::audit::denied(&state.ctx, &current.actor, "payments.import", "bank", "-")
                .await;
            return Err(AppError::Forbidden);
        }
    };
    let bank = vamyar_store::bank::bank(state.db.pool(), bank_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("bank {bank_id} of an officer is missing")))?;
    let mut multipart = multipart?;
    let bytes = read_file(&mut multipart).await?;
    let importer = Importer {
        bank: &bank,
        actor: Some(&current.actor),
        poster: Poster {
            staff_id: current.actor.staff_id(),
            channel: "file",
        },
        audit: vamyar_app::audit::entry(&current.actor, "payments.import", "bank"),
        lang: lang.0,
        max_rows: Some(MAX_IMPORT_ROWS),
    };
    Ok(import::import_payments(&state.ctx, importer, &bytes)
        .await
        .map_err(vamyar_app::Error::from)?)
}
