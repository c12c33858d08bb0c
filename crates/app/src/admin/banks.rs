//! Partner banks and their branches: created by the national administration, read by staff
//! with their memoranda and quota usage (a bank officer sees only their own bank).

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_store::bank::{self, Branch};

use super::memoranda::{self, MemorandumOut};
use super::{audit, own_bank, require, require_staff, unparsed};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::fields::{code, conflict_on, label, region_code};

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

/// Banks with their branches, memoranda and quota usage (staff; a bank officer sees only
/// their own bank).
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<BankOut>> {
    require_staff(actor)?;
    let only = own_bank(actor);
    let pool = ctx.db.pool();
    let banks = bank::banks(pool).await?;
    let branches = bank::branches(pool).await?;
    let memoranda = memoranda::load_all(ctx, only).await?;
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
    Ok(out)
}

/// Creates a bank (national admin); a taken code is a conflict `bank_code_taken`.
pub async fn create_bank(ctx: &Ctx, actor: &Actor, input: BankInput) -> Result<BankOut> {
    require(actor, &Permission::ManageBanks)?;
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
        return Err(unparsed("bank"));
    };
    let mut tx = ctx.db.begin().await?;
    if bank::bank_by_code(&mut *tx, &code).await?.is_some() {
        return Err(Error::Conflict("bank_code_taken"));
    }
    let id = bank::create_bank(&mut tx, &code, &name_fa, &name_en, sheba_code.as_deref())
        .await
        .map_err(conflict_on(bank::BANK_CODE_KEY, "bank_code_taken"))?;
    let detail = json!({"code": code, "name_en": name_en, "sheba_code": sheba_code});
    audit(&mut tx, actor, "bank.create", "bank", id, detail).await?;
    tx.commit().await?;
    Ok(BankOut {
        id,
        code,
        name_fa,
        name_en,
        sheba_code,
        branches: Vec::new(),
        memoranda: Vec::new(),
    })
}

/// The province of a new branch: required and known.
async fn province(
    ctx: &Ctx,
    errors: &mut FieldErrors,
    value: &Option<String>,
) -> Result<Option<String>> {
    Ok(match value.as_deref().map(region_code) {
        Some(p) if !p.is_empty() => {
            if vamyar_store::reference::province(ctx.db.pool(), &p)
                .await?
                .is_some()
            {
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
    })
}

/// The county of a new branch: optional, but when given known and in `province`.
async fn county(
    ctx: &Ctx,
    errors: &mut FieldErrors,
    value: &Option<String>,
    province: Option<&String>,
) -> Result<Option<String>> {
    Ok(match value.as_deref().map(region_code) {
        Some(c) if !c.is_empty() => match vamyar_store::reference::county(&ctx.db, &c).await? {
            None => {
                errors.add("county_code", "unknown_county");
                None
            }
            Some(county) if province.is_some_and(|p| *p != county.province_code) => {
                errors.add("county_code", "county_not_in_province");
                None
            }
            Some(county) => Some(county.code),
        },
        _ => None,
    })
}

/// Adds a branch to a bank (national admin). The province must exist, and the county, when
/// given, must be in it; a code the bank already uses is a conflict `branch_code_taken`.
pub async fn create_branch(
    ctx: &Ctx,
    actor: &Actor,
    bank_id: i64,
    input: BranchInput,
) -> Result<BranchOut> {
    require(actor, &Permission::ManageBanks)?;
    if bank::bank(ctx.db.pool(), bank_id).await?.is_none() {
        return Err(Error::NotFound);
    }
    let mut errors = FieldErrors::new();
    let code = code(&mut errors, "code", &input.code, 1, 40);
    let name_fa = label(&mut errors, "name_fa", &input.name_fa);
    let name_en = label(&mut errors, "name_en", &input.name_en);
    let province = province(ctx, &mut errors, &input.province_code).await?;
    let county = county(ctx, &mut errors, &input.county_code, province.as_ref()).await?;
    errors.finish()?;
    let (Some(code), Some(name_fa), Some(name_en), Some(province_code)) =
        (code, name_fa, name_en, province)
    else {
        return Err(unparsed("branch"));
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
    let mut tx = ctx.db.begin().await?;
    if bank::branch_by_code(&mut *tx, bank_id, &branch.code)
        .await?
        .is_some()
    {
        return Err(Error::Conflict("branch_code_taken"));
    }
    branch.id = bank::create_branch(&mut tx, &branch)
        .await
        .map_err(conflict_on(bank::BRANCH_CODE_KEY, "branch_code_taken"))?;
    let detail = json!({
        "bank_id": bank_id, "code": branch.code, "province_code": branch.province_code,
        "county_code": branch.county_code,
    });
    audit(&mut tx, actor, "branch.create", "branch", branch.id, detail).await?;
    tx.commit().await?;
    Ok(branch.into())
}
