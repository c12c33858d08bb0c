//! Files (applications) as the service sees them: loading one with its scope and settings,
//! checking the caller against the policy, and rendering it for the API.

use chrono::NaiveDate;
use vamyar_calendar::WorkingCalendar;
use vamyar_domain::policy::{self, Access, FileScope};
use vamyar_domain::priority::{BeneficiaryStatus, Priority, PriorityInput, PriorityWeights};
use vamyar_domain::sla::ServiceLevels;
use vamyar_store::application::Application;
use vamyar_store::person::Person;
use vamyar_store::program::{LoanType, Program};

use crate::Ctx;
use crate::error::{Error, Result};
use vamyar_domain::policy::Actor;

pub mod actions;
pub mod announce;
pub mod body;
pub mod correct;
pub mod doer;
pub mod guard;
pub mod history;
pub mod hooks;
pub mod register;
pub mod rescore;
pub mod view;

/// A program's settings, parsed from their JSON columns.
#[derive(Clone, Debug)]
pub struct ProgramSettings {
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
    /// The business sectors its plans may be classified in.
    pub sectors: Vec<vamyar_domain::vocab::Sector>,
}

impl ProgramSettings {
    /// A program's settings (from the process's copy of the rows while the reference data is
    /// unchanged; see [`crate::reference`]).
    pub async fn load(ctx: &Ctx, program_id: i64) -> Result<Option<ProgramSettings>> {
        let Some((program, loan_types)) = crate::reference::program(ctx, program_id).await? else {
            return Ok(None);
        };
        let parse =
            |what: &str, s: &str| Error::Internal(format!("program {program_id} {what}: {s}"));
        let weights = serde_json::from_str(&program.priority_weights)
            .map_err(|e| parse("weights", &e.to_string()))?;
        let service_levels = serde_json::from_str(&program.service_levels)
            .map_err(|e| parse("service levels", &e.to_string()))?;
        let required_documents = serde_json::from_str(&program.required_documents)
            .map_err(|e| parse("documents", &e.to_string()))?;
        let sectors =
            serde_json::from_str(&program.sectors).map_err(|e| parse("sectors", &e.to_string()))?;
        Ok(Some(ProgramSettings {
            sectors,
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
        if t.per_job {
            t.ceiling.checked_mul(jobs.max(1))
        } else {
            Some(t.ceiling)
        }
    }
}

/// What a file's transitions are checked and timed against: its program's settings, the
/// working calendar and today's date in Tehran.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The program's settings.
    pub settings: ProgramSettings,
    /// Weekends and holidays.
    pub calendar: WorkingCalendar,
    /// Today in Tehran, from the context's clock (close of business: its business date).
    pub today: NaiveDate,
    /// The instant the change is recorded at (RFC 3339 UTC, from the context's clock).
    pub at: String,
}

impl Rules {
    /// Loads the rules of a program (an internal error when the program is missing: a file
    /// always has one).
    pub async fn load(ctx: &Ctx, program_id: i64) -> Result<Rules> {
        let settings = ProgramSettings::load(ctx, program_id)
            .await?
            .ok_or_else(|| Error::Internal(format!("program {program_id} missing")))?;
        let calendar = ctx.calendar().await?;
        let now = ctx.clock.now();
        Ok(Rules {
            settings,
            calendar,
            today: vamyar_calendar::tehran_date(now),
            at: vamyar_store::time::ts(now),
        })
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
    /// The income decile imported for the applicant's national ID (labour ministry's list),
    /// if any: it wins over the declared one.
    pub imported_decile: Option<i64>,
    /// The size of the household the applicant is linked into (the agency's case file), if
    /// any: the priority counts it instead of the declared size.
    pub household_size: Option<i64>,
}

impl FileContext {
    /// Loads a file by id (no access check).
    pub async fn load(ctx: &Ctx, id: i64) -> Result<Option<FileContext>> {
        let Some(app) = vamyar_store::application::get(ctx.db.pool(), id).await? else {
            return Ok(None);
        };
        Self::complete(ctx, app).await.map(Some)
    }

    /// Adds the person (with the imported decile and household size, one read) and the
    /// county to a loaded file.
    pub async fn complete(ctx: &Ctx, app: Application) -> Result<FileContext> {
        Self::complete_via(ctx, ctx.db.pool(), app).await
    }

    /// [`FileContext::complete`], reading the person through `ex` (a transaction's
    /// connection, for a file completed inside a write).
    pub async fn complete_via<'e, E>(ctx: &Ctx, ex: E, app: Application) -> Result<FileContext>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let vamyar_store::person::PersonFacts {
            person,
            imported_decile,
            household_size,
        } = vamyar_store::person::facts(ex, app.person_id)
            .await?
            .ok_or_else(|| Error::Internal(format!("file {} has no person", app.id)))?;
        let deprived = crate::reference::county(ctx, &app.county_code)
            .await?
            .is_some_and(|c| c.is_deprived);
        Ok(FileContext {
            app,
            person,
            deprived,
            imported_decile,
            household_size,
        })
    }

    /// The income decile the priority uses: the imported one when there is one, else the
    /// declared one.
    pub fn income_decile(&self) -> Option<i64> {
        self.imported_decile.or(self.person.income_decile)
    }

    /// Where [`FileContext::income_decile`] comes from: `imported`, `declared`, or `None`
    /// when it is unknown.
    pub fn income_decile_source(&self) -> Option<&'static str> {
        rescore::decile_source(self.imported_decile, self.person.income_decile)
    }

    /// The file's scope for the policy.
    pub fn scope(&self) -> FileScope {
        scope_of(&self.app)
    }

    /// The live priority score (with the imported decile when there is one).
    pub fn priority(&self, weights: &PriorityWeights, today: NaiveDate) -> Priority {
        rescore::score(
            weights,
            &self.app,
            &rescore::with_household(self.person.clone(), self.household_size),
            self.deprived,
            self.imported_decile,
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

/// The priority inputs of a file; `today` stands in for a submission time that cannot be
/// read (it never happens with rows this service wrote).
pub fn priority_input(
    app: &Application,
    person: &Person,
    deprived: bool,
    today: NaiveDate,
) -> PriorityInput {
    let submitted_on = vamyar_store::time::parse_ts(&app.submitted_at)
        .map(vamyar_calendar::tehran_date)
        .unwrap_or(today);
    PriorityInput {
        female_head_of_household: person.is_female_head,
        deprived_county: deprived,
        disability: person.has_disability,
        income_decile: person.income_decile.and_then(|d| u8::try_from(d).ok()),
        beneficiary_status: BeneficiaryStatus::parse(&person.beneficiary_status)
            .unwrap_or_default(),
        household_size: u8::try_from(person.household_size.clamp(1, 255)).unwrap_or(1),
        submitted_on,
    }
}

/// Loads a file the caller may see, or 404 (recording the refusal in the audit log when the
/// file exists but is outside the caller's scope).
pub async fn visible_file(ctx: &Ctx, actor: &Actor, id: i64) -> Result<FileContext> {
    let Some(file) = FileContext::load(ctx, id).await? else {
        return Err(Error::NotFound);
    };
    match policy::can_view_file(actor, &file.scope()) {
        Access::Allowed => Ok(file),
        _ => {
            crate::audit::denied(ctx, actor, "application.view", "application", id).await;
            Err(Error::NotFound)
        }
    }
}
