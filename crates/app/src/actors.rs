//! Who acts: the policy's [`Actor`] of a staff account (role and scope from its row).

use vamyar_domain::policy::{Actor, Scope};
use vamyar_domain::workflow::Role;
use vamyar_store::staff::Staff;

use crate::Ctx;
use crate::error::{Error, Result};

/// The actor of an active staff account; `None` when the account is inactive.
pub fn of_staff(staff: &Staff) -> Result<Option<Actor>> {
    if !staff.is_active {
        return Ok(None);
    }
    let id = staff.id;
    let role = Role::parse_login(&staff.role)
        .filter(|r| r.is_staff())
        .ok_or_else(|| Error::Internal(format!("staff {id} has role {}", staff.role)))?;
    let scope = match role {
        Role::DeskClerk | Role::SocialWorker | Role::EmploymentExpert | Role::OfficeHead => {
            Scope::County {
                province_code: staff.province_code.clone().unwrap_or_default(),
                county_code: staff.county_code.clone().unwrap_or_default(),
            }
        }
        Role::ProvinceAdmin => Scope::Province {
            province_code: staff.province_code.clone().unwrap_or_default(),
        },
        Role::BankOfficer => Scope::Bank {
            bank_id: staff.bank_id.unwrap_or_default(),
            branch_id: staff.branch_id,
        },
        _ => Scope::All,
    };
    Actor::staff(role, id, scope)
        .map(Some)
        .map_err(|e| Error::Internal(format!("staff {id}: {}", e.code())))
}

/// The actor of the active staff account `username` (tools and tests).
pub async fn staff_by_username(ctx: &Ctx, username: &str) -> Result<Actor> {
    let staff = vamyar_store::staff::by_username(ctx.db.pool(), username)
        .await?
        .ok_or(Error::NotFound)?;
    of_staff(&staff)?.ok_or(Error::NotFound)
}
