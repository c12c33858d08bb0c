//! Households: the agency's case number (پرونده مددجویی) with the household's size, and the
//! national IDs of its members, linked by the county's desk clerks and social workers before
//! or after they register. Registration refuses a file past the program's
//! `max_open_files_per_household` (naming the household's open file to staff), and the
//! priority counts the linked household's size instead of the applicant's claim; linking a
//! person scores their open files again.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::policy::{Actor, Scope};
use vamyar_domain::primitives::NationalId;
use vamyar_domain::workflow::Role;
use vamyar_store::household::{self, Household, NewHousehold};
use vamyar_store::queue::OpenFiles;

use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use crate::fields::Flex;
use crate::files::ProgramSettings;
use vamyar_store::audit::Entry;

/// The longest case number.
pub const MAX_CASE_NUMBER: usize = 30;

/// The body of `POST /api/v1/households`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdBody {
    /// The agency's case number (digits in any script, Latin letters, `-` and `/`).
    pub case_number: Option<String>,
    /// The household's size from the case file (1 to 30).
    pub size: Option<Flex>,
}

/// The body of `POST /api/v1/households/{case_number}/members`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    /// The member's national ID (registered or not yet).
    pub national_id: Option<String>,
}

/// A member as shown to staff.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MemberView {
    /// National ID.
    pub national_id: String,
    /// Name, once registered.
    pub name: Option<String>,
}

/// An open file of a member.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HouseholdFile {
    /// The file.
    pub application_id: i64,
    /// Its tracking code.
    pub tracking_code: String,
    /// Its state.
    pub state: String,
}

/// A household as shown to staff.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HouseholdView {
    /// The case number.
    pub case_number: String,
    /// The household's size (what the priority counts for its members).
    pub size: i64,
    /// Its county.
    pub county_code: String,
    /// The linked members.
    pub members: Vec<MemberView>,
    /// The members' open files.
    pub open_files: Vec<HouseholdFile>,
}

/// Checks a registration against the household limit of the program: when the national ID is
/// linked into a household (`linked`, read with the rest of what is on record for it) already
/// holding `max_open_files_per_household` open files, records
/// `household_has_open_file` against `applicant.national_id` (naming the first open file's
/// tracking code to staff; an applicant is not told another person's code). Returns the
/// household, when linked. Registration checks again inside its transaction ([`recheck`]).
pub async fn check_limit(
    ctx: &Ctx,
    linked: Option<Household>,
    settings: &ProgramSettings,
    staff: bool,
    errors: &mut FieldErrors,
) -> Result<Option<Household>> {
    let Some(h) = linked else {
        return Ok(None);
    };
    let open = household::open_files(ctx.db.pool(), h.id).await?;
    limit_errors(&open, settings, staff, errors);
    Ok(Some(h))
}

/// The household check again, inside the registering transaction: takes household
/// `household_id`'s lock, then counts its open files, so of two members registering at once
/// the second sees the first's file. Errors: 422 `household_has_open_file` as
/// [`check_limit`].
pub async fn recheck(
    tx: &mut vamyar_store::Tx,
    household_id: i64,
    settings: &ProgramSettings,
    staff: bool,
) -> Result<()> {
    household::lock(tx, household_id).await?;
    let open = household::open_files(&mut **tx, household_id).await?;
    let mut errors = FieldErrors::new();
    limit_errors(&open, settings, staff, &mut errors);
    errors.finish()
}

fn limit_errors(
    open: &[household::OpenFile],
    settings: &ProgramSettings,
    staff: bool,
    errors: &mut FieldErrors,
) {
    let max = settings.program.max_open_files_per_household.max(1);
    if open.len() as i64 >= max {
        let code: i64 = open[0].tracking_code.parse().unwrap_or(0);
        if staff {
            errors.add_with(
                "applicant.national_id",
                "household_has_open_file",
                vec![("code", code), ("max", max)],
            );
        } else {
            errors.add_with(
                "applicant.national_id",
                "household_has_open_file_own",
                vec![("max", max)],
            );
        }
    }
}

/// The county staff who link households: desk clerks and social workers.
fn writer(actor: &Actor) -> Result<(&str, &str)> {
    if !matches!(actor.role(), Role::DeskClerk | Role::SocialWorker) {
        return Err(Error::Forbidden);
    }
    match actor.scope() {
        Scope::County {
            province_code,
            county_code,
        } => Ok((province_code, county_code)),
        _ => Err(Error::Forbidden),
    }
}

/// Whether `actor` may see households of `h`'s county (staff in scope; bank officers and
/// applicants have no part: 403).
fn visible(actor: &Actor, h: &Household) -> Result<bool> {
    if !actor.role().is_staff() || actor.role() == Role::BankOfficer {
        return Err(Error::Forbidden);
    }
    Ok(match actor.scope() {
        Scope::County { county_code, .. } => *county_code == h.county_code,
        Scope::Province { province_code } => *province_code == h.province_code,
        Scope::All => true,
        _ => false,
    })
}

fn case_number(errors: &mut FieldErrors, v: &Option<String>) -> Option<String> {
    let raw = crate::fields::required(errors, "case_number", v)?;
    let latin = vamyar_calendar::digits::to_latin_digits(raw);
    let ok = latin.chars().count() <= MAX_CASE_NUMBER
        && latin
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/'));
    if ok {
        Some(latin.to_uppercase())
    } else {
        errors.add("case_number", "invalid_case_number");
        None
    }
}

/// Records a household of the caller's county.
pub async fn create(ctx: &Ctx, actor: &Actor, body: HouseholdBody) -> Result<HouseholdView> {
    let (province, county) = writer(actor)?;
    let mut errors = FieldErrors::new();
    let case = case_number(&mut errors, &body.case_number);
    let size = match &body.size {
        None => {
            errors.add("size", "required");
            None
        }
        Some(f) => match f.int_in(1..=30) {
            Ok(n) => Some(n),
            Err(code) => {
                errors.add("size", code);
                None
            }
        },
    };
    errors.finish()?;
    let (Some(case), Some(size)) = (case, size) else {
        return Err(Error::Internal("household fields".into()));
    };
    let at = vamyar_store::time::ts(ctx.clock.now());
    let mut tx = ctx.db.begin().await?;
    let id = household::create(
        &mut tx,
        &NewHousehold {
            case_number: &case,
            size,
            province_code: province,
            county_code: county,
            staff_user_id: actor.staff_id(),
            at: &at,
        },
    )
    .await?
    .ok_or_else(|| Error::field("case_number", "case_number_taken"))?;
    let entry = Entry::staff(
        actor.staff_id().unwrap_or_default(),
        "household.create",
        "household",
    )
    .on(id)
    .detail(json!({"size": size}));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    get(ctx, actor, &case).await
}

/// A household by its case number (404 outside the caller's scope).
pub async fn get(ctx: &Ctx, actor: &Actor, case: &str) -> Result<HouseholdView> {
    let case = vamyar_calendar::digits::to_latin_digits(case.trim()).to_uppercase();
    let h = household::by_case_number(ctx.db.pool(), &case)
        .await?
        .ok_or(Error::NotFound)?;
    if !visible(actor, &h)? {
        return Err(Error::NotFound);
    }
    view(ctx, h).await
}

async fn view(ctx: &Ctx, h: Household) -> Result<HouseholdView> {
    let pool = ctx.db.pool();
    let members = household::members(pool, h.id)
        .await?
        .into_iter()
        .map(|m| MemberView {
            name: m
                .first_name
                .map(|f| format!("{f} {}", m.last_name.unwrap_or_default())),
            national_id: m.national_id,
        })
        .collect();
    let open_files = household::open_files(pool, h.id)
        .await?
        .into_iter()
        .map(|f| HouseholdFile {
            application_id: f.application_id,
            tracking_code: f.tracking_code,
            state: f.state,
        })
        .collect();
    Ok(HouseholdView {
        case_number: h.case_number,
        size: h.size,
        county_code: h.county_code,
        members,
        open_files,
    })
}

/// Links a national ID into a household of the caller's county, and scores the person's open
/// files again with the household's size. Linking the same person again changes nothing; a
/// person linked into another household is refused (`household_member_elsewhere`).
pub async fn add_member(
    ctx: &Ctx,
    actor: &Actor,
    case: &str,
    body: MemberBody,
) -> Result<HouseholdView> {
    writer(actor)?;
    let case = vamyar_calendar::digits::to_latin_digits(case.trim()).to_uppercase();
    let h = household::by_case_number(ctx.db.pool(), &case)
        .await?
        .ok_or(Error::NotFound)?;
    if !visible(actor, &h)? {
        return Err(Error::NotFound);
    }
    let mut errors = FieldErrors::new();
    let nid = crate::fields::required(&mut errors, "national_id", &body.national_id)
        .and_then(|v| errors.check("national_id", NationalId::parse(v)));
    errors.finish()?;
    let Some(nid) = nid else {
        return Err(Error::Internal("member fields".into()));
    };
    if let Some(other) = household::of_national_id(ctx.db.pool(), nid.as_str()).await? {
        if other.id == h.id {
            return view(ctx, h).await;
        }
        return Err(Error::field("national_id", "household_member_elsewhere"));
    }
    let at = vamyar_store::time::ts(ctx.clock.now());
    let mut tx = ctx.db.begin().await?;
    if !household::link(&mut tx, h.id, nid.as_str(), actor.staff_id(), &at).await? {
        return Err(Error::field("national_id", "household_member_elsewhere"));
    }
    let weights = crate::files::rescore::program_weights(ctx).await?;
    let rescored = crate::files::rescore::rescore(
        &mut tx,
        OpenFiles::NationalId(nid.as_str()),
        &weights,
        ctx.today(),
    )
    .await?;
    let entry = Entry::staff(
        actor.staff_id().unwrap_or_default(),
        "household.link",
        "household",
    )
    .on(h.id)
    .detail(json!({"files_rescored": rescored}));
    vamyar_store::audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    view(ctx, h).await
}
