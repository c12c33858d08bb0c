//! Partner banks and their branches: created by the national administration, read by staff
//! with their memoranda and quota usage (a bank officer sees only their own bank).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Permission, Scope};
use vamyar_store::bank::{self, Branch};

use super::memoranda::MemorandumOut;
use super::{audit, code, commit, conflict_on, label, region_code, require, require_staff};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::input::ApiJson;

/// A branch of a bank.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BranchOut {
    /// Id.
    pub id: i64,
    /// The bank.
    pub bank_id: i64,
    /// Code within the bank.
    pub code: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// Province code.
    pub province_code: String,
    /// County code, when known.
    pub county_code: Option<String>,
}

impl From<Branch> for BranchOut {
    fn from(b: Branch) -> Self {
        BranchOut {
            id: b.id,
            bank_id: b.bank_id,
            code: b.code,
            name_fa: b.name_fa,
            name_en: b.name_en,
            province_code: b.province_code,
            county_code: b.county_code,
        }
    }
}

/// A bank with its branches and memoranda (with quota usage).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BankOut {
    /// Id.
    pub id: i64,
    /// Short unique code.
    pub code: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// The three-digit bank code inside Sheba numbers.
    pub sheba_code: Option<String>,
    /// Its branches.
    pub branches: Vec<BranchOut>,
    /// Its memoranda with the agency.
    pub memoranda: Vec<MemorandumOut>,
}

/// A new bank.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankInput {
    /// Unique code: 2–40 lowercase Latin letters, digits and hyphens.
    pub code: Option<String>,
    /// Persian name.
    pub name_fa: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// The three-digit bank code inside Sheba numbers (optional).
    pub sheba_code: Option<String>,
}

/// A new branch of a bank.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchInput {
    /// Code within the bank: 1–40 lowercase Latin letters, digits and hyphens.
    pub code: Option<String>,
    /// Persian name.
    pub name_fa: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Province code.
    pub province_code: Option<String>,
    /// County code (optional; must be in the province).
    pub county_code: Option<String>,
}

/// Creates a bank (national admin); a taken code is 409 `bank_code_taken`.
#[utoipa::path(post, path = "/api/v1/banks", tag = "admin",
    request_body = BankInput,
    responses((status = 201, body = BankOut), (status = 401), (status = 403),
        (status = 409, description = "bank_code_taken"),
        (status = 422, description = "field errors")))]
pub async fn create_bank(
    State(state): State<AppState>,
    current: CurrentActor,
    ApiJson(input): ApiJson<BankInput>,
) -> AppResult<(StatusCode, Json<BankOut>)> {
    require(&current, &Permission::ManageBanks)?;
    let mut errors = FieldErrors::new();
    let code = code(&mut errors, "code", &input.code, 2, 40);
    let name_fa = label(&mut errors, "name_fa", &input.name_fa);
    let name_en = label(&mut errors, "name_en", &input.name_en);
    let sheba_code = match input.sheba_code.as_deref().map(region_code) {
        Some(s) if s.is_empty() => None,
        Some(s) if s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()) => Some(s),
        Some(_) => {
            errors.add("sheba_code", "sheba_code_malformed");
            None
        }
        None => None,
    };
    errors.finish()?;
    let (Some(code), Some(name_fa), Some(name_en)) = (code, name_fa, name_en) else {
        return Err(AppError::Internal("bank parse returned nothing".into()));
    };
    let mut tx = state.db.begin().await?;
    if bank::bank_by_code(&mut *tx, &code).await?.is_some() {
        return Err(AppError::Conflict("bank_code_taken"));
    }
    let id = bank::create_bank(&mut tx, &code, &name_fa, &name_en, sheba_code.as_deref())
        .await
        .map_err(conflict_on(bank::BANK_CODE_KEY, "bank_code_taken"))?;
    let detail = json!({"code": code, "name_en": name_en, "sheba_code": sheba_code});
    audit(&mut tx, &current, "bank.create", "bank", id, detail).await?;
    commit(tx).await?;
    Ok((
        StatusCode::CREATED,
        Json(BankOut {
            id,
            code,
            name_fa,
            name_en,
            sheba_code,
            branches: Vec::new(),
            memoranda: Vec::new(),
        }),
    ))
}

/// Adds a branch to a bank (national admin). The province must exist, and the county, when
/// given, must be in it; a code the bank already uses is 409 `branch_code_taken`.
#[utoipa::path(post, path = "/api/v1/banks/{id}/branches", tag = "admin",
    params(("id" = i64, Path, description = "bank id")),
    request_body = BranchInput,
    responses((status = 201, body = BranchOut), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "branch_code_taken"),
        (status = 422, description = "field errors")))]
pub async fn create_branch(
    State(state): State<AppState>,
    current: CurrentActor,
    Path(bank_id): Path<i64>,
    ApiJson(input): ApiJson<BranchInput>,
) -> AppResult<(StatusCode, Json<BranchOut>)> {
    require(&current, &Permission::ManageBanks)?;
    let pool = state.db.pool();
    if bank::bank(pool, bank_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let mut errors = FieldErrors::new();
    let code = code(&mut errors, "code", &input.code, 1, 40);
    let name_fa = label(&mut errors, "name_fa", &input.name_fa);
    let name_en = label(&mut errors, "name_en", &input.name_en);
    let province = match input.province_code.as_deref().map(region_code) {
        Some(p) if !p.is_empty() => {
            if vamyar_store::reference::province(pool, &p).await?.is_some() {
                Some(p)
            } else {
                errors.add("province_code", "unknown_province");
                None
            }
        }
        _ => {
            errors.add("province_code", "required");
            None
        }
    };
    let county = match input.county_code.as_deref().map(region_code) {
        Some(c) if !c.is_empty() => match vamyar_store::reference::county(&state.db, &c).await? {
            None => {
                errors.add("county_code", "unknown_county");
                None
            }
            Some(county)
                if province
                    .as_ref()
                    .is_some_and(|p| *p != county.province_code) =>
            {
                errors.add("county_code", "county_not_in_province");
                None
            }
            Some(county) => Some(county.code),
        },
        _ => None,
    };
    errors.finish()?;
    let (Some(code), Some(name_fa), Some(name_en), Some(province_code)) =
        (code, name_fa, name_en, province)
    else {
        return Err(AppError::Internal("branch parse returned nothing".into()));
    };
    let mut branch = Branch {
        id: 0,
        bank_id,
        code,
        name_fa,
        name_en,
        province_code,
        county_code: county,
    };
    let mut tx = state.db.begin().await?;
    if bank::branch_by_code(&mut *tx, bank_id, &branch.code)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict("branch_code_taken"));
    }
    branch.id = bank::create_branch(&mut tx, &branch)
        .await
        .map_err(conflict_on(bank::BRANCH_CODE_KEY, "branch_code_taken"))?;
    let detail = json!({
        "bank_id": bank_id, "code": branch.code, "province_code": branch.province_code,
        "county_code": branch.county_code,
    });
    audit(
        &mut tx,
        &current,
        "branch.create",
        "branch",
        branch.id,
        detail,
    )
    .await?;
    commit(tx).await?;
    Ok((StatusCode::CREATED, Json(branch.into())))
}

/// The bank an actor is restricted to (bank officers), if any.
pub fn own_bank(current: &CurrentActor) -> Option<i64> {
    match current.actor.scope() {
        Scope::Bank { bank_id, .. } => Some(*bank_id),
        _ => None,
    }
}

/// Banks with their branches, memoranda and quota usage (staff; a bank officer sees only
/// their own bank).
#[utoipa::path(get, path = "/api/v1/banks", tag = "admin",
    responses((status = 200, body = Vec<BankOut>), (status = 401), (status = 403)))]
pub async fn list_banks(
    State(state): State<AppState>,
    current: CurrentActor,
) -> AppResult<Json<Vec<BankOut>>> {
    require_staff(&current)?;
    let only = own_bank(&current);
    let pool = state.db.pool();
    let banks = bank::banks(pool).await?;
    let branches = bank::branches(pool).await?;
    let memoranda = super::memoranda::load_all(pool, only).await?;
    let out = banks
        .into_iter()
        .filter(|b| only.is_none_or(|id| id == b.id))
        .map(|b| BankOut {
            branches: branches
                .iter()
                .filter(|br| br.bank_id == b.id)
                .cloned()
                .map(BranchOut::from)
                .collect(),
            memoranda: memoranda
                .iter()
                .filter(|m| m.bank_id == b.id)
                .cloned()
                .collect(),
            id: b.id,
            code: b.code,
            name_fa: b.name_fa,
            name_en: b.name_en,
            sheba_code: b.sheba_code,
        })
        .collect();
    Ok(Json(out))
}
