//! Registering a file: by the applicant online (web), by a desk clerk for a walk-in applicant
//! (desk), or by a partner gateway's national-admin token (api).

use crate::Ctx;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vamyar_domain::policy::Scope;
use vamyar_domain::primitives::TrackingCode;
use vamyar_domain::priority::Priority;
use vamyar_domain::workflow::{self, Role, State};
use vamyar_store::person::Person;

use super::actions::{Doer, open_stage};
use super::announce::announce;
use super::{FileContext, ProgramSettings, Rules};
use crate::applicant::DbGeography;
use crate::applicant::{ApplicantInput, Flex};
use crate::error::{Error, FieldErrors, Result};
use vamyar_domain::policy::Actor;

/// The business plan part of a registration.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessInput {
    /// What the business is called, e.g. «خیاطی خانگی».
    pub title: Option<String>,
    /// The activity, e.g. `tailoring`.
    pub activity: Option<String>,
    /// Where it will run.
    pub location: Option<String>,
    /// A short summary of the plan.
    pub summary: Option<String>,
    /// Jobs it creates (for employers, the ceiling is per job).
    pub jobs_planned: Option<Flex>,
}

/// The body of `POST /api/v1/applications`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// The program.
    pub program_id: i64,
    /// `self_employment`, `household_business` or `employer`.
    pub loan_type: String,
    /// Rials asked for (at most the central bank's ceiling).
    pub requested_amount: Flex,
    /// The applicant.
    pub applicant: ApplicantInput,
    /// The business plan.
    pub business: BusinessInput,
}

/// The answer to a registration.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Registered {
    /// The file's id.
    pub id: i64,
    /// The tracking code to give the applicant.
    pub tracking_code: String,
    /// Always `submitted`.
    pub state: String,
    /// The version to send with the first action.
    pub version: i64,
    /// The priority score and its factors.
    #[schema(value_type = Object)]
    pub priority: Priority,
}

const MAX_TEXT: usize = 2000;

fn text(
    errors: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    required: bool,
) -> Option<Option<String>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None if required => {
            errors.add(field, "required");
            None
        }
        None => Some(None),
        Some(s) if s.chars().count() > MAX_TEXT => {
            errors.add_with(field, "too_long", vec![("max", MAX_TEXT as i64)]);
            None
        }
        Some(s) => Some(Some(vamyar_domain::text::normalize_persian(s))),
    }
}

/// Who registers a file.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A logged-in applicant (own file), desk clerk (walk-in) or national admin (gateway).
    Actor(Actor),
    /// A person who proved control of a mobile for a national ID that has no file yet.
    Registrant {
        /// The national ID the code was sent for.
        national_id: String,
        /// The verified mobile.
        mobile: String,
    },
}

/// Refuses callers who may never register a file (before their body is judged).
pub fn may_register(caller: &Caller) -> Result<()> {
    match caller {
        Caller::Registrant { .. } => Ok(()),
        Caller::Actor(a) => channel_of(a).map(|_| ()),
    }
}

/// Registers a file for the caller.
pub async fn register(ctx: &Ctx, caller: Caller, body: RegisterBody) -> Result<Registered> {
    let (channel, role, doer, own_person, registrant) = match &caller {
        Caller::Actor(a) => channel_of(a)?,
        Caller::Registrant {
            national_id,
            mobile,
        } => (
            "web",
            Role::Applicant,
            Doer {
                kind: "applicant",
                staff_id: None,
                person_id: None,
            },
            None,
            Some((national_id.clone(), mobile.clone())),
        ),
    };
    workflow::register(role).map_err(|_| Error::Forbidden)?;
    let settings = ProgramSettings::load(ctx, body.program_id).await?;
    let today = ctx.today();
    let geo = DbGeography::load(ctx).await?;
    let mut errors = FieldErrors::new();
    let applicant = body.applicant.parse("applicant.", &geo, today, &mut errors);
    let settings = match settings.filter(|s| s.program.is_active == 1) {
        Some(s) => Some(s),
        None => {
            errors.add("program_id", "unknown_program");
            None
        }
    };
    let title = text(&mut errors, "business.title", &body.business.title, true);
    let activity = text(
        &mut errors,
        "business.activity",
        &body.business.activity,
        false,
    );
    let location = text(
        &mut errors,
        "business.location",
        &body.business.location,
        false,
    );
    let summary = text(
        &mut errors,
        "business.summary",
        &body.business.summary,
        false,
    );
    let jobs = match &body.business.jobs_planned {
        Some(v) => match v.int_in(0..=10_000) {
            Ok(n) => Some(n),
            Err(code) => {
                errors.add("business.jobs_planned", code);
                None
            }
        },
        None => Some(1),
    };
    let amount = match vamyar_domain::money::Rial::parse(&body.requested_amount.0) {
        Ok(r) if r.value() > 0 => Some(r.value()),
        Ok(_) => {
            errors.add("requested_amount", "out_of_range");
            None
        }
        Err(e) => {
            errors.add("requested_amount", e.code());
            None
        }
    };
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
    // who may register whom
    if let (Some(a), Caller::Actor(actor)) = (&applicant, &caller) {
        match actor.scope() {
            Scope::County { county_code, .. } if &a.county != county_code => {
                errors.add("applicant.county", "outside_your_county")
            }
            _ => {}
        }
    }
    if let (Some(a), Some((nid, mobile))) = (&applicant, &registrant) {
        if a.national_id.as_str() != nid {
            errors.add("applicant.national_id", "not_your_national_id");
        }
        if a.mobile.as_str() != mobile {
            errors.add("applicant.mobile", "not_your_mobile");
        }
    }
    if let (Some(a), Some(pid)) = (&applicant, own_person) {
        let me = vamyar_store::person::get(ctx.db.pool(), pid).await?;
        if me.is_none_or(|p| p.national_id != a.national_id.as_str()) {
            errors.add("applicant.national_id", "not_your_national_id");
        }
    }
    errors.finish()?;
    let (
        Some(a),
        Some(settings),
        Some(Some(title)),
        Some(activity),
        Some(location),
        Some(summary),
        Some(jobs),
        Some(amount),
    ) = (
        applicant, settings, title, activity, location, summary, jobs, amount,
    )
    else {
        return Err(Error::Internal("registration parsed without values".into()));
    };
    let imported =
        vamyar_store::person::imported_decile(ctx.db.pool(), a.national_id.as_str()).await?;
    let person = Person {
        id: 0,
        national_id: a.national_id.as_str().to_string(),
        first_name: a.first_name,
        last_name: a.last_name,
        father_name: a.father_name,
        birth_date: a.birth_date.map(vamyar_store::time::date),
        gender: a.gender,
        mobile: a.mobile.as_str().to_string(),
        province_code: a.province.clone(),
        county_code: a.county.clone(),
        address: a.address,
        postal_code: a.postal_code.map(|p| p.as_str().to_string()),
        is_female_head: i64::from(a.female_head_of_household),
        has_disability: i64::from(a.disability),
        household_size: a.household_size,
        income_decile: imported.or(a.income_decile),
        beneficiary_status: a.beneficiary_status,
        sheba: a.sheba.map(|s| s.as_str().to_string()),
    };
    let calendar = ctx.calendar().await?;
    let rules = Rules {
        settings,
        calendar,
        today,
    };
    let settings = &rules.settings;
    let deprived = vamyar_store::reference::county(&ctx.db, &a.county)
        .await?
        .is_some_and(|c| c.is_deprived == 1);
    let mut tx = ctx.db.begin().await?;
    let person_id = vamyar_store::person::upsert(&mut tx, &person).await?;
    let person = Person {
        id: person_id,
        ..person
    };
    let mut new = vamyar_store::application::NewApplication {
        tracking_code: String::new(),
        person_id,
        program_id: settings.program.id,
        loan_type: body.loan_type.clone(),
        channel: channel.into(),
        state: State::Submitted.as_str().into(),
        requested_amount: amount,
        business_title: title,
        business_activity: activity,
        business_location: location,
        business_summary: summary,
        jobs_planned: jobs,
        province_code: a.province,
        county_code: a.county,
        priority_score: 0,
        priority_factors: "{}".into(),
        created_by_staff_id: doer.staff_id,
    };
    let draft = vamyar_store::application::Application {
        id: 0,
        tracking_code: String::new(),
        person_id,
        program_id: new.program_id,
        loan_type: new.loan_type.clone(),
        channel: new.channel.clone(),
        state: new.state.clone(),
        version: 1,
        requested_amount: amount,
        recommended_amount: None,
        approved_amount: None,
        business_title: new.business_title.clone(),
        business_activity: new.business_activity.clone(),
        business_location: new.business_location.clone(),
        business_summary: new.business_summary.clone(),
        jobs_planned: jobs,
        province_code: new.province_code.clone(),
        county_code: new.county_code.clone(),
        priority_score: 0,
        submitted_at: vamyar_store::time::now(),
        state_changed_at: vamyar_store::time::now(),
        is_breached: 0,
        created_by_staff_id: doer.staff_id,
        bank_id: None,
        branch_id: None,
    };
    let priority = vamyar_domain::priority::score(
        &settings.weights,
        &super::priority_input(&draft, &person, deprived, today),
        today,
    );
    new.priority_score = priority.score;
    new.priority_factors = serde_json::to_string(&priority).unwrap_or_default();
    let mut id = None;
    for _ in 0..5 {
        new.tracking_code = TrackingCode::generate(&mut rand::rng())
            .as_str()
            .to_string();
        match vamyar_store::application::create(&mut tx, &new).await {
            Ok(i) => {
                id = Some(i);
                break;
            }
            Err(e) if e.violates(vamyar_store::application::TRACKING_CODE_KEY) => continue,
            Err(e) if e.violates(vamyar_store::application::OPEN_PER_PERSON_KEY) => {
                return Err(Error::Conflict("open_file_exists"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let id = id.ok_or_else(|| Error::Internal("no free tracking code".into()))?;
    let person_doer = Doer {
        person_id: doer.person_id.or(if role == Role::Applicant {
            Some(person_id)
        } else {
            None
        }),
        ..doer
    };
    vamyar_store::application::add_event(
        &mut tx,
        &vamyar_store::application::NewEvent {
            application_id: id,
            action: "register",
            from_state: None,
            to_state: State::Submitted.as_str(),
            actor_kind: person_doer.kind,
            staff_user_id: person_doer.staff_id,
            person_id: person_doer.person_id,
            note: None,
            reason: None,
            detail: serde_json::json!({"channel": channel}),
        },
    )
    .await?;
    open_stage(&mut tx, id, State::Submitted, false, &rules).await?;
    let entry = match person_doer.kind {
        "applicant" => {
            vamyar_store::audit::Entry::applicant(person_id, "application.register", "application")
        }
        _ => vamyar_store::audit::Entry::staff(
            person_doer.staff_id.unwrap_or_default(),
            "application.register",
            "application",
        ),
    }
    .on(id);
    let mut entry = entry;
    entry.detail = serde_json::json!({"channel": channel, "program_id": settings.program.id, "requested_amount": amount});
    vamyar_store::audit::append(&mut tx, &entry).await?;
    let app = vamyar_store::application::Application {
        id,
        tracking_code: new.tracking_code.clone(),
        ..draft
    };
    let file = FileContext {
        app,
        person,
        deprived,
    };
    let (_, event) = workflow::register(role).map_err(|_| Error::Forbidden)?;
    announce(
        &mut tx,
        &file,
        &event,
        1,
        &serde_json::json!({"channel": channel}),
    )
    .await?;
    tx.commit().await?;
    Ok(Registered {
        id,
        tracking_code: new.tracking_code,
        state: State::Submitted.as_str().into(),
        version: 1,
        priority,
    })
}

type ChannelOf = (
    &'static str,
    Role,
    Doer,
    Option<i64>,
    Option<(String, String)>,
);

fn channel_of(a: &Actor) -> Result<ChannelOf> {
    let doer = Doer::of(a);
    match a.role() {
        Role::Applicant => Ok(("web", Role::Applicant, doer, a.person_id(), None)),
        Role::DeskClerk => Ok(("desk", Role::DeskClerk, doer, None, None)),
        Role::NationalAdmin => Ok(("api", Role::NationalAdmin, doer, None, None)),
        _ => Err(Error::Forbidden),
    }
}
