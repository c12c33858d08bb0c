//! Registration, step one: every field of the body read into domain values, with every
//! problem collected, and who may register whom checked. Reads reference data only.

use vamyar_domain::policy::Scope;
use vamyar_domain::workflow::{self, Role};

use super::{Caller, Doer, RegisterBody};
use crate::Ctx;
use crate::applicant::{Applicant, DbGeography};
use crate::error::{Error, FieldErrors, Result};
use crate::fields;
use crate::files::ProgramSettings;

/// The longest business text (characters).
pub const MAX_TEXT: usize = 2000;

/// Who registers, as the file's history and audit log record them.
#[derive(Clone, Debug)]
pub struct Registrar {
    /// `web` (the applicant online), `desk` (a desk clerk) or `api` (a partner gateway).
    pub channel: &'static str,
    /// The role registering.
    pub role: Role,
    /// The doer for the history.
    pub doer: Doer,
    /// A logged-in applicant's own person.
    pub own_person: Option<i64>,
    /// A verified registrant's national ID and mobile.
    pub registrant: Option<(String, String)>,
}

/// A registration whose every field is valid.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// Who registers.
    pub by: Registrar,
    /// The applicant.
    pub applicant: Applicant,
    /// The program's settings.
    pub settings: ProgramSettings,
    /// The loan type.
    pub loan_type: String,
    /// Rials asked for.
    pub amount: i64,
    /// The business's title.
    pub title: String,
    /// Its activity.
    pub activity: Option<String>,
    /// Where it runs.
    pub location: Option<String>,
    /// A summary.
    pub summary: Option<String>,
    /// Jobs it creates.
    pub jobs: i64,
    /// The person already stored under the national ID, whose details registration keeps.
    pub existing: Option<vamyar_store::person::Person>,
    /// The income decile imported for the national ID, if any.
    pub imported_decile: Option<i64>,
    /// The size of the household the applicant is linked into, if linked.
    pub household_size: Option<i64>,
    /// That household, checked again inside the registering transaction.
    pub household_id: Option<i64>,
}

/// Who a caller registers as, or forbidden.
pub fn registrar(caller: &Caller) -> Result<Registrar> {
    let by = match caller {
        Caller::Actor(a) => {
            let doer = Doer::of(a);
            match a.role() {
                Role::Applicant => Registrar {
                    channel: "web",
                    role: Role::Applicant,
                    doer,
                    own_person: a.person_id(),
                    registrant: None,
                },
                Role::DeskClerk => Registrar {
                    channel: "desk",
                    role: Role::DeskClerk,
                    doer,
                    own_person: None,
                    registrant: None,
                },
                Role::NationalAdmin => Registrar {
                    channel: "api",
                    role: Role::NationalAdmin,
                    doer,
                    own_person: None,
                    registrant: None,
                },
                _ => return Err(Error::Forbidden),
            }
        }
        Caller::Registrant {
            national_id,
            mobile,
        } => Registrar {
            channel: "web",
            role: Role::Applicant,
            doer: Doer {
                kind: "applicant",
                staff_id: None,
                person_id: None,
            },
            own_person: None,
            registrant: Some((national_id.clone(), mobile.clone())),
        },
    };
    workflow::register(by.role).map_err(|_| Error::Forbidden)?;
    Ok(by)
}

/// Reads and checks the body for `caller`.
pub async fn parse(ctx: &Ctx, caller: &Caller, body: RegisterBody) -> Result<Parsed> {
    let by = registrar(caller)?;
    let settings = ProgramSettings::load(ctx, body.program_id).await?;
    let geo = DbGeography::load(ctx).await?;
    let mut errors = FieldErrors::new();
    let applicant = body
        .applicant
        .parse("applicant.", &geo, ctx.today(), &mut errors);
    let settings = settings.filter(|s| s.program.is_active);
    if settings.is_none() {
        errors.add("program_id", "unknown_program");
    }
    let b = &body.business;
    let title = fields::text(&mut errors, "business.title", &b.title, MAX_TEXT, true);
    let activity = fields::text(
        &mut errors,
        "business.activity",
        &b.activity,
        MAX_TEXT,
        false,
    );
    let location = fields::text(
        &mut errors,
        "business.location",
        &b.location,
        MAX_TEXT,
        false,
    );
    let summary = fields::text(&mut errors, "business.summary", &b.summary, MAX_TEXT, false);
    let jobs = fields::int_or(
        &mut errors,
        "business.jobs_planned",
        &b.jobs_planned,
        0..=10_000,
        1,
    );
    let amount = fields::positive_amount(&mut errors, "requested_amount", &body.requested_amount);
    if let Some(s) = &settings {
        match (s.ceiling(&body.loan_type, jobs.unwrap_or(1)), amount) {
            (None, _) => errors.add("loan_type", "invalid_choice"),
            (Some(c), Some(a)) if a > c => errors.add_with(
                "requested_amount",
                "amount_above_ceiling",
                vec![("ceiling", c)],
            ),
            _ => {}
        }
    }
    let record = match &applicant {
        Some(a) => vamyar_store::person::on_record(ctx.db.pool(), a.national_id.as_str()).await?,
        None => vamyar_store::person::OnRecord::default(),
    };
    let vamyar_store::person::OnRecord {
        person: existing,
        imported_decile,
        household: linked,
    } = record;
    if let Some(a) = &applicant {
        check_registrar(ctx, caller, &by, a, existing.as_ref(), &mut errors).await?;
    }
    let household = match (&applicant, &settings) {
        (Some(_), Some(s)) => {
            let staff = by.doer.staff_id.is_some();
            crate::households::check_limit(ctx, linked, s, staff, &mut errors).await?
        }
        _ => None,
    };
    errors.finish()?;
    let (Some(applicant), Some(settings), Some(title), Some(jobs), Some(amount)) =
        (applicant, settings, title, jobs, amount)
    else {
        return Err(Error::Internal("registration parsed without values".into()));
    };
    Ok(Parsed {
        by,
        applicant,
        settings,
        loan_type: body.loan_type,
        amount,
        title,
        activity,
        location,
        summary,
        jobs,
        existing,
        imported_decile,
        household_size: household.as_ref().map(|h| h.size),
        household_id: household.map(|h| h.id),
    })
}

/// Who may register whom: a desk clerk only in their county (a known person's stored county,
/// since registration keeps a known person's details), a registrant only their own national
/// ID and verified mobile (a known person's stored one), an applicant only themselves.
async fn check_registrar(
    ctx: &Ctx,
    caller: &Caller,
    by: &Registrar,
    a: &Applicant,
    existing: Option<&vamyar_store::person::Person>,
    errors: &mut FieldErrors,
) -> Result<()> {
    let county = existing.map_or(a.county.as_str(), |p| p.county_code.as_str());
    if let Caller::Actor(actor) = caller
        && let Scope::County { county_code, .. } = actor.scope()
        && county != county_code
    {
        errors.add("applicant.county", "outside_your_county");
    }
    if let Some((nid, mobile)) = &by.registrant {
        if a.national_id.as_str() != nid {
            errors.add("applicant.national_id", "not_your_national_id");
        }
        if a.mobile.as_str() != mobile || existing.is_some_and(|p| &p.mobile != mobile) {
            errors.add("applicant.mobile", "not_your_mobile");
        }
    }
    if let Some(pid) = by.own_person {
        let me = vamyar_store::person::get(ctx.db.pool(), pid).await?;
        if me.is_none_or(|p| p.national_id != a.national_id.as_str()) {
            errors.add("applicant.national_id", "not_your_national_id");
        }
    }
    Ok(())
}
