//! Files (applications) as the service sees them: loading one with its scope and settings,
//! checking the caller against the policy, and rendering it for the API.

use chrono::{NaiveDate, Utc};
use vamyar_domain::policy::{self, Access, FileScope};
use vamyar_domain::priority::{self, BeneficiaryStatus, Priority, PriorityInput, PriorityWeights};
use vamyar_domain::sla::ServiceLevels;
use vamyar_store::application::Application;
use vamyar_store::person::Person;
use vamyar_store::program::{LoanType, Program};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

pub mod actions;
pub mod hooks;
pub mod register;
pub mod view;

/// A program's settings, parsed from their JSON columns.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The program row.
    pub program: Program,
    /// Its loan types.
    pub loan_types: Vec<LoanType>,
    /// Priority weights.
    pub weights: PriorityWeights,
    /// Service levels per stage.
    pub service_levels: ServiceLevels,
    /// Document kinds every file must have accepted.
    pub required_documents: Vec<String>,
}

impl Settings {
    /// Loads a program's settings.
    pub async fn load(state: &AppState, program_id: i64) -> AppResult<Option<Settings>> {
        let Some(program) = vamyar_store::program::get(state.db.pool(), program_id).await? else {
            return Ok(None);
        };
        let loan_types = vamyar_store::program::loan_types(state.db.pool(), program_id).await?;
        let parse =
            |what: &str, s: &str| AppError::Internal(format!("program {program_id} {what}: {s}"));
        let weights = serde_json::from_str(&program.priority_weights)
            .map_err(|e| parse("weights", &e.to_string()))?;
        let service_levels = serde_json::from_str(&program.service_levels)
            .map_err(|e| parse("service levels", &e.to_string()))?;
        let required_documents = serde_json::from_str(&program.required_documents)
            .map_err(|e| parse("documents", &e.to_string()))?;
        Ok(Some(Settings {
            program,
            loan_types,
            weights,
            service_levels,
            required_documents,
        }))
    }

    /// The ceiling of a loan type for a plan creating `jobs` jobs.
    pub fn ceiling(&self, loan_type: &str, jobs: i64) -> Option<i64> {
        let t = self.loan_types.iter().find(|t| t.loan_type == loan_type)?;
        if t.per_job == 1 {
            t.ceiling.checked_mul(jobs.max(1))
        } else {
            Some(t.ceiling)
        }
    }
}

/// A file with everything the policy and the views need.
#[derive(Clone, Debug)]
pub struct FileContext {
    /// The file.
    pub app: Application,
    /// The applicant.
    pub person: Person,
    /// Whether the applicant's county is flagged deprived.
    pub deprived: bool,
}

impl FileContext {
    /// Loads a file by id (no access check).
    pub async fn load(state: &AppState, id: i64) -> AppResult<Option<FileContext>> {
        let Some(app) = vamyar_store::application::get(state.db.pool(), id).await? else {
            return Ok(None);
        };
        Self::complete(state, app).await.map(Some)
    }

    /// Adds the person and county to a loaded file.
    pub async fn complete(state: &AppState, app: Application) -> AppResult<FileContext> {
        let person = vamyar_store::person::get(state.db.pool(), app.person_id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("file {} has no person", app.id)))?;
        let deprived = vamyar_store::reference::county(&state.db, &app.county_code)
            .await?
            .is_some_and(|c| c.is_deprived == 1);
        Ok(FileContext {
            app,
            person,
            deprived,
        })
    }

    /// The file's scope for the policy.
    pub fn scope(&self) -> FileScope {
        scope_of(&self.app)
    }

    /// The live priority score.
    pub fn priority(&self, weights: &PriorityWeights, today: NaiveDate) -> Priority {
        priority::score(
            weights,
            &priority_input(&self.app, &self.person, self.deprived),
            today,
        )
    }
}

/// The policy's view of a file.
pub fn scope_of(app: &Application) -> FileScope {
    FileScope {
        person_id: app.person_id,
        province_code: app.province_code.clone(),
        county_code: app.county_code.clone(),
        bank_id: app.bank_id,
        branch_id: app.branch_id,
    }
}

/// The priority inputs of a file.
pub fn priority_input(app: &Application, person: &Person, deprived: bool) -> PriorityInput {
    let submitted_on = vamyar_store::time::parse_ts(&app.submitted_at)
        .map(|t| t.date_naive())
        .unwrap_or_else(|_| Utc::now().date_naive());
    PriorityInput {
        female_head_of_household: person.is_female_head == 1,
        deprived_county: deprived,
        disability: person.has_disability == 1,
        income_decile: person.income_decile.and_then(|d| u8::try_from(d).ok()),
        beneficiary_status: BeneficiaryStatus::parse(&person.beneficiary_status)
            .unwrap_or_default(),
        household_size: u8::try_from(person.household_size.clamp(1, 255)).unwrap_or(1),
        submitted_on,
    }
}

/// Loads a file the caller may see, or 404 (recording the refusal in the audit log when the
/// file exists but is outside the caller's scope).
pub async fn visible_file(
    state: &AppState,
    current: &CurrentActor,
    id: i64,
) -> AppResult<FileContext> {
    let Some(file) = FileContext::load(state, id).await? else {
        return Err(AppError::NotFound);
    };
    match policy::can_view_file(&current.actor, &file.scope()) {
        Access::Allowed => Ok(file),
        _ => {
            crate::audit::denied(state, current, "application.view", "application", id).await;
            Err(AppError::NotFound)
        }
    }
}
