//! Staff accounts: the national administration creates accounts of any role, a province's
//! administrator those of their own province (county staff and province administrators
//! there). The same checks as `vamyar user add`: a staff role, the scope the role needs
//! (county, province or bank), a password of 8–128 characters (Argon2id).

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission, Scope};
use vamyar_domain::workflow::Role;
use vamyar_store::Tx;
use vamyar_store::staff::{self, NewStaff, Staff};

use super::{audit, require, require_staff};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::fields::{conflict_on, region_code};

/// A new staff account.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffInput {
    /// Login name: 1–64 characters without spaces.
    pub username: Option<String>,
    /// Password: 8–128 characters.
    pub password: Option<String>,
    /// Display name (the username when absent).
    pub full_name: Option<String>,
    /// A staff role (`desk_clerk`, `social_worker`, …).
    pub role: Option<String>,
    /// County code, for county roles.
    pub county: Option<String>,
    /// Province code, for province administrators.
    pub province: Option<String>,
    /// Bank code, for bank officers.
    pub bank: Option<String>,
    /// Branch code within the bank (optional).
    pub branch: Option<String>,
}

/// A staff account as listed (never the password).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StaffOut {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub full_name: String,
    /// Role.
    pub role: String,
    /// Province scope.
    pub province_code: Option<String>,
    /// County scope.
    pub county_code: Option<String>,
    /// Bank scope.
    pub bank_id: Option<i64>,
    /// Branch scope.
    pub branch_id: Option<i64>,
    /// May log in.
    pub is_active: bool,
    /// The second factor (TOTP) is confirmed (administrators).
    pub totp_enrolled: bool,
}

impl From<Staff> for StaffOut {
    fn from(s: Staff) -> Self {
        StaffOut {
            id: s.id,
            username: s.username,
            full_name: s.full_name,
            role: s.role,
            province_code: s.province_code,
            county_code: s.county_code,
            bank_id: s.bank_id,
            branch_id: s.branch_id,
            is_active: s.is_active,
            totp_enrolled: s.totp_enabled_at.is_some(),
        }
    }
}

/// Staff accounts the caller manages: all for the national administration, their
/// province's for a province administrator; forbidden for other roles.
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<StaffOut>> {
    require_staff(actor)?;
    let only = match actor.scope() {
        Scope::All if actor.role() == Role::NationalAdmin => None,
        Scope::Province { province_code } if actor.role() == Role::ProvinceAdmin => {
            Some(province_code.clone())
        }
        _ => return Err(Error::Forbidden),
    };
    let all = staff::list(ctx.db.pool()).await?;
    Ok(all
        .into_iter()
        .filter(|s| only.is_none() || s.province_code == only)
        .map(StaffOut::from)
        .collect())
}

/// A trimmed, non-blank text.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Fills in the scope `role` needs (county, province, or bank and branch) from `input`,
/// recording what is missing or unknown.
async fn place(
    ctx: &Ctx,
    errors: &mut FieldErrors,
    role: Option<Role>,
    input: &StaffInput,
    new: &mut NewStaff,
) -> Result<()> {
    let pool = ctx.db.pool();
    let code = |v: &Option<String>| v.as_deref().map(region_code).filter(|s| !s.is_empty());
    match role {
        Some(Role::DeskClerk | Role::SocialWorker | Role::EmploymentExpert | Role::OfficeHead) => {
            match code(&input.county) {
                None => errors.add("county", "required"),
                Some(c) => match vamyar_store::reference::county(&ctx.db, &c).await? {
                    Some(county) => {
                        new.province_code = Some(county.province_code);
                        new.county_code = Some(county.code);
                    }
                    None => errors.add("county", "unknown_county"),
                },
            }
        }
        Some(Role::ProvinceAdmin) => match code(&input.province) {
            None => errors.add("province", "required"),
            Some(p) => match vamyar_store::reference::province(pool, &p).await? {
                Some(_) => new.province_code = Some(p),
                None => errors.add("province", "unknown_province"),
            },
        },
        Some(Role::BankOfficer) => match given(&input.bank) {
            None => errors.add("bank", "required"),
            Some(b) => match vamyar_store::bank::bank_by_code(pool, b).await? {
                None => errors.add("bank", "unknown_bank"),
                Some(bank) => {
                    new.bank_id = Some(bank.id);
                    if let Some(br) = given(&input.branch) {
                        match vamyar_store::bank::branch_by_code(pool, bank.id, br).await? {
                            Some(branch) => new.branch_id = Some(branch.id),
                            None => errors.add("branch", "unknown_branch"),
                        }
                    }
                }
            },
        },
        _ => {}
    }
    Ok(())
}

/// Creates a staff account (see the module documentation). A taken username is a conflict
/// `username_taken`.
pub async fn create(ctx: &Ctx, actor: &Actor, input: StaffInput) -> Result<StaffOut> {
    require_staff(actor)?;
    if !matches!(actor.role(), Role::NationalAdmin | Role::ProvinceAdmin) {
        return Err(Error::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let username = input.username.as_deref().map(str::trim).unwrap_or_default();
    if username.is_empty() {
        errors.add("username", "required");
    } else if username.chars().count() > 64 || username.chars().any(char::is_whitespace) {
        errors.add("username", "invalid_value");
    }
    let role = staff_role(&mut errors, &input.role);
    let mut new = NewStaff {
        username: username.to_string(),
        password_hash: String::new(),
        full_name: input
            .full_name
            .as_deref()
            .map(vamyar_domain::text::normalize_persian)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| username.to_string()),
        role: role.map(|r| r.as_str().to_string()).unwrap_or_default(),
        province_code: None,
        county_code: None,
        bank_id: None,
        branch_id: None,
    };
    place(ctx, &mut errors, role, &input, &mut new).await?;
    // A province admin manages only their province; roles without one are headquarters'.
    // (While the role or its place is unknown, the field errors answer first.)
    if let Some(province) = managing_province(&new.province_code, role) {
        require(actor, &Permission::ManageStaff { province })?;
    }
    let password = input.password.clone().unwrap_or_default();
    match crate::password::hash(password).await {
        Ok(h) => new.password_hash = h,
        Err(e) => errors.add("password", e.code()),
    }
    errors.finish()?;
    let mut tx = ctx.db.begin().await?;
    let id = staff::create(&mut tx, &new)
        .await
        .map_err(conflict_on(staff::USERNAME_KEY, "username_taken"))?;
    let detail = json!({"username": new.username, "role": new.role, "province_code": new.province_code,
        "county_code": new.county_code, "bank_id": new.bank_id, "branch_id": new.branch_id});
    audit(&mut tx, actor, "staff.create", "staff_user", id, detail).await?;
    tx.commit().await?;
    let created = staff::by_id(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(created.into())
}

/// What an edit of an account may change: the display name, the role and its scope (all
/// given, as on creation; the username and the password stay).
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffEdit {
    /// Display name (required).
    pub full_name: Option<String>,
    /// A staff role.
    pub role: Option<String>,
    /// County code, for county roles.
    pub county: Option<String>,
    /// Province code, for province administrators.
    pub province: Option<String>,
    /// Bank code, for bank officers.
    pub bank: Option<String>,
    /// Branch code within the bank (optional).
    pub branch: Option<String>,
}

/// The province whose staff manager may hold an account of `role` placed in `province`
/// (`""`: headquarters' roles), or `None` while the role or its place is unknown.
fn managing_province(province: &Option<String>, role: Option<Role>) -> Option<String> {
    match (province, role) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(Role::BankOfficer | Role::NationalAdmin | Role::Auditor)) => {
            Some(String::new())
        }
        _ => None,
    }
}

/// A staff role, or a field error.
fn staff_role(errors: &mut FieldErrors, raw: &Option<String>) -> Option<Role> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add("role", "required");
            None
        }
        Some(r) => {
            let role = Role::parse(r).filter(|r| r.is_staff());
            if role.is_none() {
                errors.add("role", "invalid_choice");
            }
            role
        }
    }
}

/// Changes an account's display name, role and scope. The caller must manage staff both
/// where the account is and where it goes (a province administrator: their own province,
/// for the roles they may create there); nobody changes their own role (`own_role`).
/// Audited as `staff.update` with the values before and after.
pub async fn update(ctx: &Ctx, actor: &Actor, id: i64, input: StaffEdit) -> Result<StaffOut> {
    let mut tx = ctx.db.begin().await?;
    let out = update_in(ctx, &mut tx, actor, id, input).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`update`] inside the caller's transaction `tx` (every check, the write and its audit row;
/// the caller commits or rolls back). Reads before the write go through the pool; nothing
/// here begins another transaction.
pub async fn update_in(
    ctx: &Ctx,
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    input: StaffEdit,
) -> Result<StaffOut> {
    require_staff(actor)?;
    if !matches!(actor.role(), Role::NationalAdmin | Role::ProvinceAdmin) {
        return Err(Error::Forbidden);
    }
    let target = staff::by_id(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let current_role = Role::parse(&target.role);
    let here = managing_province(&target.province_code, current_role).unwrap_or_default();
    require(actor, &Permission::ManageStaff { province: here })?;
    let mut errors = FieldErrors::new();
    let full_name = crate::fields::label(&mut errors, "full_name", &input.full_name);
    let role = staff_role(&mut errors, &input.role);
    let as_new = StaffInput {
        county: input.county.clone(),
        province: input.province.clone(),
        bank: input.bank.clone(),
        branch: input.branch.clone(),
        ..StaffInput::default()
    };
    let mut new = NewStaff {
        username: target.username.clone(),
        password_hash: String::new(),
        full_name: full_name.clone().unwrap_or_default(),
        role: role.map(|r| r.as_str().to_string()).unwrap_or_default(),
        province_code: None,
        county_code: None,
        bank_id: None,
        branch_id: None,
    };
    place(ctx, &mut errors, role, &as_new, &mut new).await?;
    if let Some(there) = managing_province(&new.province_code, role) {
        require(actor, &Permission::ManageStaff { province: there })?;
    }
    if actor.staff_id() == Some(id) && role.is_some_and(|r| Some(r) != current_role) {
        return Err(Error::Conflict("own_role"));
    }
    errors.finish()?;
    staff::update(tx, id, &new, &vamyar_store::time::ts(ctx.clock.now())).await?;
    let detail = json!({
        "username": target.username,
        "before": {"full_name": target.full_name, "role": target.role,
            "province_code": target.province_code, "county_code": target.county_code,
            "bank_id": target.bank_id, "branch_id": target.branch_id},
        "after": {"full_name": new.full_name, "role": new.role,
            "province_code": new.province_code, "county_code": new.county_code,
            "bank_id": new.bank_id, "branch_id": new.branch_id},
    });
    audit(tx, actor, "staff.update", "staff_user", id, detail).await?;
    let changed = staff::by_id(&mut **tx, id).await?.ok_or(Error::NotFound)?;
    Ok(changed.into())
}

/// Deactivates an account (it can no longer log in, and its open sessions stop working on
/// their next request) or activates it again. The caller must manage staff in the account's
/// province (headquarters' accounts: national administration); nobody deactivates their own
/// account (`own_account`).
///
/// `reason` (at most 500 characters; the pages ask it before deactivating) is kept in the
/// audit entry.
pub async fn set_active(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    active: bool,
    reason: Option<String>,
) -> Result<StaffOut> {
    require_staff(actor)?;
    if !matches!(actor.role(), Role::NationalAdmin | Role::ProvinceAdmin) {
        return Err(Error::Forbidden);
    }
    let target = staff::by_id(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    require(
        actor,
        &Permission::ManageStaff {
            province: target.province_code.clone().unwrap_or_default(),
        },
    )?;
    if actor.staff_id() == Some(id) && !active {
        return Err(Error::Conflict("own_account"));
    }
    let mut errors = FieldErrors::new();
    let reason = crate::fields::text(&mut errors, "reason", &reason, 500, false);
    errors.finish()?;
    let mut tx = ctx.db.begin().await?;
    staff::set_active(
        &mut tx,
        id,
        active,
        &vamyar_store::time::ts(ctx.clock.now()),
    )
    .await?;
    let action = if active {
        "staff.activate"
    } else {
        "staff.deactivate"
    };
    audit(
        &mut tx,
        actor,
        action,
        "staff_user",
        id,
        json!({"username": target.username, "reason": reason}),
    )
    .await?;
    tx.commit().await?;
    let changed = staff::by_id(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(changed.into())
}
