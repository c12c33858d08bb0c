//! Programs: created by the national administration with their loan types in one
//! transaction, read by every staff member, and switched on or off or re-weighted later.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Permission};
use vamyar_domain::priority::PriorityWeights;
use vamyar_domain::sla::ServiceLevels;
use vamyar_store::Tx;
use vamyar_store::program::{self, LoanType, Program};

use super::program_input::{ProgramInput, sectors, service_levels, weights};
use super::{audit, require, require_staff, unparsed};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::fields::conflict_on;

/// A loan type of a program with its ceiling.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LoanTypeOut {
    /// Id.
    pub id: i64,
    /// `self_employment`, `household_business` or `employer`.
    pub loan_type: String,
    /// Persian title.
    pub title_fa: String,
    /// English title.
    pub title_en: String,
    /// Central-bank ceiling in rials.
    pub ceiling: i64,
    /// The ceiling is per job created.
    pub per_job: bool,
}

/// A program with its loan types and settings.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProgramOut {
    /// Id.
    pub id: i64,
    /// Jalali fiscal year.
    pub jalali_year: i64,
    /// Unique code.
    pub code: String,
    /// Persian title.
    pub title_fa: String,
    /// English title.
    pub title_en: String,
    /// Yearly fee rate in basis points.
    pub fee_rate_bp: i64,
    /// Repayment installments.
    pub term_months: i64,
    /// Grace months.
    pub grace_months: i64,
    /// The fee accrues during grace.
    pub grace_fee_accrues: bool,
    /// `annuity` or `flat`.
    pub schedule_method: String,
    /// Extra late-charge rate in basis points.
    pub late_charge_extra_bp: i64,
    /// Due dates on holidays move to the next working day.
    pub shift_due_to_working_day: bool,
    /// Groups that may apply.
    pub eligible_groups: Vec<String>,
    /// Document kinds every file needs.
    pub required_documents: Vec<String>,
    /// Priority weights.
    #[schema(value_type = Object)]
    pub priority_weights: PriorityWeights,
    /// Service levels in working days per stage.
    #[schema(value_type = Object)]
    pub service_levels: ServiceLevels,
    /// Months after disbursement with a monitoring visit.
    pub visit_months: Vec<i64>,
    /// The business sectors its plans may be classified in.
    pub sectors: Vec<String>,
    /// Open for applications.
    pub is_active: bool,
    /// How many open files one household (linked by its case number) may hold.
    pub max_open_files_per_household: i64,
    /// Its loan types.
    pub loan_types: Vec<LoanTypeOut>,
}

fn stored<T: serde::de::DeserializeOwned>(what: &str, id: i64, text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("program {id}: stored {what}: {e}")))
}

impl ProgramOut {
    /// A stored program with its loan types, its JSON settings read back.
    pub fn from_rows(p: Program, types: Vec<LoanType>) -> Result<ProgramOut> {
        Ok(ProgramOut {
            eligible_groups: stored("eligible_groups", p.id, &p.eligible_groups)?,
            required_documents: stored("required_documents", p.id, &p.required_documents)?,
            priority_weights: stored("priority_weights", p.id, &p.priority_weights)?,
            service_levels: stored("service_levels", p.id, &p.service_levels)?,
            visit_months: stored("visit_months", p.id, &p.visit_months)?,
            sectors: stored("sectors", p.id, &p.sectors)?,
            id: p.id,
            jalali_year: p.jalali_year,
            code: p.code,
            title_fa: p.title_fa,
            title_en: p.title_en,
            fee_rate_bp: p.fee_rate_bp,
            term_months: p.term_months,
            grace_months: p.grace_months,
            grace_fee_accrues: p.grace_fee_accrues,
            schedule_method: p.schedule_method,
            late_charge_extra_bp: p.late_charge_extra_bp,
            shift_due_to_working_day: p.shift_due_to_working_day,
            is_active: p.is_active,
            max_open_files_per_household: p.max_open_files_per_household,
            loan_types: types
                .into_iter()
                .map(|t| LoanTypeOut {
                    id: t.id,
                    loan_type: t.loan_type,
                    title_fa: t.title_fa,
                    title_en: t.title_en,
                    ceiling: t.ceiling,
                    per_job: t.per_job,
                })
                .collect(),
        })
    }
}

fn to_text<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))
}

/// Creates a program and its loan types in one transaction (national admin); a taken code
/// is a conflict `program_code_taken`.
pub async fn create(ctx: &Ctx, actor: &Actor, input: ProgramInput) -> Result<ProgramOut> {
    require(actor, &Permission::ManagePrograms)?;
    let mut errors = FieldErrors::new();
    let parsed = input.parse(&mut errors);
    errors.finish()?;
    let (new, types) = parsed.ok_or_else(|| unparsed("program"))?;
    let mut tx = ctx.db.begin().await?;
    if program::by_code(&mut *tx, &new.code).await?.is_some() {
        return Err(Error::Conflict("program_code_taken"));
    }
    let id = program::create(&mut tx, &new)
        .await
        .map_err(conflict_on(program::CODE_KEY, "program_code_taken"))?;
    for t in &types {
        program::add_loan_type(
            &mut tx,
            &LoanType {
                program_id: id,
                ..t.clone()
            },
        )
        .await?;
    }
    let ceilings: serde_json::Map<String, serde_json::Value> = types
        .iter()
        .map(|t| (t.loan_type.clone(), json!(t.ceiling)))
        .collect();
    let detail = json!({
        "code": new.code, "jalali_year": new.jalali_year, "fee_rate_bp": new.fee_rate_bp,
        "term_months": new.term_months, "grace_months": new.grace_months,
        "schedule_method": new.schedule_method, "ceilings": ceilings,
    });
    audit(&mut tx, actor, "program.create", "program", id, detail).await?;
    let p = program::get(&mut *tx, id).await?.ok_or(Error::NotFound)?;
    let types = program::loan_types(&mut *tx, id).await?;
    tx.commit().await?;
    ProgramOut::from_rows(p, types)
}

/// Every program, newest year first, with loan types and settings (staff).
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<ProgramOut>> {
    require_staff(actor)?;
    let programs = program::list(ctx.db.pool()).await?;
    let mut types = program::all_loan_types(ctx.db.pool()).await?;
    let mut out = Vec::with_capacity(programs.len());
    for p in programs {
        let (mine, rest) = types.into_iter().partition(|t| t.program_id == p.id);
        types = rest;
        out.push(ProgramOut::from_rows(p, mine)?);
    }
    Ok(out)
}

/// One program (staff); not found when there is none.
pub async fn get(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ProgramOut> {
    require_staff(actor)?;
    let p = program::get(ctx.db.pool(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let types = program::loan_types(ctx.db.pool(), id).await?;
    ProgramOut::from_rows(p, types)
}

/// What may change on an existing program. Weights and service levels are merged: the
/// entries given replace the stored ones, the others stay.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramPatch {
    /// Open or close the program for applications.
    pub is_active: Option<bool>,
    /// Priority weights to change.
    #[schema(value_type = Option<Object>)]
    pub priority_weights: Option<serde_json::Value>,
    /// Service levels to change.
    #[schema(value_type = Option<Object>)]
    pub service_levels: Option<serde_json::Value>,
    /// The business sectors offered, replacing the stored list (at least one).
    pub sectors: Option<Vec<String>>,
    /// How many open files one household may hold (1 to 10).
    pub max_open_files_per_household: Option<i64>,
    /// Why (at most 500 characters), kept in the audit entry; the pages ask it before
    /// closing a program.
    pub reason: Option<String>,
}

/// Activates or deactivates a program, or edits its priority weights, service levels and sectors
/// (national admin). Audited as `program.activate`, `program.deactivate` or
/// `program.update` when anything changed.
pub async fn update(ctx: &Ctx, actor: &Actor, id: i64, patch: ProgramPatch) -> Result<ProgramOut> {
    require(actor, &Permission::ManagePrograms)?;
    let mut tx = ctx.db.begin().await?;
    let out = update_in(ctx, &mut tx, actor, id, patch).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`update`] inside the caller's transaction `tx` (the permission, the program's lock,
/// every check, the write, the rescoring and the audit row; the caller commits or rolls
/// back). Nothing here begins another transaction.
pub async fn update_in(
    ctx: &Ctx,
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    patch: ProgramPatch,
) -> Result<ProgramOut> {
    require(actor, &Permission::ManagePrograms)?;
    // Take the row's lock before reading, so concurrent edits merge instead of racing.
    if !program::lock(tx, id).await? {
        return Err(Error::NotFound);
    }
    let p = program::get(&mut **tx, id).await?.ok_or(Error::NotFound)?;
    let old_weights: PriorityWeights = stored("priority_weights", id, &p.priority_weights)?;
    let old_levels: ServiceLevels = stored("service_levels", id, &p.service_levels)?;
    let mut errors = FieldErrors::new();
    let new_weights = weights(&mut errors, &old_weights, patch.priority_weights.as_ref());
    let new_levels = service_levels(&mut errors, &old_levels, patch.service_levels.as_ref());
    let old_sectors: Vec<String> = stored("sectors", id, &p.sectors)?;
    let new_sectors = match patch.sectors.as_deref() {
        None => Some(old_sectors.clone()),
        given => sectors(&mut errors, given),
    };
    let reason = crate::fields::text(&mut errors, "reason", &patch.reason, 500, false);
    let household_limit = patch
        .max_open_files_per_household
        .unwrap_or(p.max_open_files_per_household);
    if !(1..=10).contains(&household_limit) {
        errors.add("max_open_files_per_household", "out_of_range");
    }
    errors.finish()?;
    let (Some(new_weights), Some(new_levels), Some(new_sectors)) =
        (new_weights, new_levels, new_sectors)
    else {
        return Err(unparsed("program patch"));
    };
    let is_active = patch.is_active.unwrap_or(p.is_active);
    program::update_settings(
        tx,
        id,
        program::Settings {
            is_active,
            priority_weights: &to_text(&new_weights)?,
            service_levels: &to_text(&new_levels)?,
            sectors: &to_text(&new_sectors)?,
            max_open_files_per_household: household_limit,
        },
    )
    .await?;
    let mut detail = serde_json::Map::new();
    if is_active != p.is_active {
        detail.insert("is_active".into(), json!(is_active));
    }
    if new_weights != old_weights {
        detail.insert("priority_weights".into(), json!(new_weights));
        // The program's open files are scored, and placed in the queue, by the new weights.
        let mut weights = crate::files::rescore::program_weights(ctx).await?;
        weights.insert(id, new_weights);
        let rescored = crate::files::rescore::rescore(
            tx,
            vamyar_store::queue::OpenFiles::Program(id),
            &weights,
            ctx.today(),
        )
        .await?;
        detail.insert("files_rescored".into(), json!(rescored));
    }
    if new_levels != old_levels {
        detail.insert("service_levels".into(), json!(new_levels));
    }
    if new_sectors != old_sectors {
        detail.insert("sectors".into(), json!(new_sectors));
    }
    if household_limit != p.max_open_files_per_household {
        detail.insert(
            "max_open_files_per_household".into(),
            json!(household_limit),
        );
    }
    if !detail.is_empty() {
        let action = match (detail.len(), detail.get("is_active")) {
            (1, Some(serde_json::Value::Bool(true))) => "program.activate",
            (1, Some(_)) => "program.deactivate",
            _ => "program.update",
        };
        if let Some(reason) = reason {
            detail.insert("reason".into(), json!(reason));
        }
        audit(tx, actor, action, "program", id, detail.into()).await?;
    }
    let p = program::get(&mut **tx, id).await?.ok_or(Error::NotFound)?;
    let types = program::loan_types(&mut **tx, id).await?;
    ProgramOut::from_rows(p, types)
}
