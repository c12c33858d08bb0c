//! The national administration's API: programs and their loan types, partner banks with
//! branches, memoranda with provincial quotas, counties' deprived flag and the holiday
//! calendar. Reads are open to every staff member (a bank officer sees only their own bank);
//! writes need the matching [`Permission`] and are audit-logged in the same transaction.
//!
//! This module holds what the groups share: permission checks, the audit call and the
//! parsing of the scalar fields every body has (codes, titles, whole numbers, amounts, dates).

use chrono::NaiveDate;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_domain::money::Rial;
use vamyar_domain::policy::{self, Permission};
use vamyar_domain::text::normalize_name;
use vamyar_store::Tx;
use vamyar_store::audit;

use crate::AppState;
use crate::applicant::Flex;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult, FieldErrors};

pub mod banks;
pub mod geography;
pub mod memoranda;
pub mod program_input;
pub mod programs;
pub mod quotas;
pub mod staff;

/// The routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(programs::list_programs, programs::create_program))
        .routes(routes!(programs::get_program, programs::update_program))
        .routes(routes!(banks::list_banks, banks::create_bank))
        .routes(routes!(banks::create_branch))
        .routes(routes!(
            memoranda::list_memoranda,
            memoranda::create_memorandum
        ))
        .routes(routes!(quotas::set_quota))
        .routes(routes!(geography::set_county))
        .routes(routes!(geography::list_holidays, geography::add_holiday))
        .routes(routes!(geography::delete_holiday))
        .routes(routes!(staff::list_staff, staff::create_staff))
}

/// 403 unless the caller holds `permission`.
pub fn require(current: &CurrentActor, permission: &Permission) -> AppResult<()> {
    if policy::allows(&current.actor, permission) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// 403 unless the caller is staff (applicants do not read configuration).
pub fn require_staff(current: &CurrentActor) -> AppResult<()> {
    if current.role().is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Appends one audit entry for a configuration change, inside the caller's transaction, so
/// the change and its record commit together.
pub async fn audit(
    tx: &mut Tx,
    current: &CurrentActor,
    action: &str,
    entity: &'static str,
    entity_id: impl ToString,
    detail: serde_json::Value,
) -> AppResult<()> {
    let entry = crate::audit::entry(current, action, entity)
        .on(entity_id)
        .detail(detail);
    audit::append(tx, &entry).await?;
    Ok(())
}

/// The record a unique key guards is taken: 409 with `code`; other store errors pass on.
pub fn conflict_on(
    key: vamyar_store::UniqueKey,
    code: &'static str,
) -> impl Fn(vamyar_store::StoreError) -> AppError {
    move |e| {
        if e.violates(key) {
            AppError::Conflict(code)
        } else {
            AppError::from(e)
        }
    }
}

/// A required short label (title, name): normalised Persian text of at most 100 characters.
pub fn label(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<String> {
    match value.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => errors.check(field, normalize_name(s)),
        _ => {
            errors.add(field, "required");
            None
        }
    }
}

/// A code of lowercase Latin letters, digits and hyphens, `min..=max` long (Persian digits
/// and capitals are accepted and folded).
pub fn code(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    min: usize,
    max: usize,
) -> Option<String> {
    let Some(raw) = value.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        errors.add(field, "required");
        return None;
    };
    let code = vamyar_calendar::digits::to_latin_digits(raw).to_ascii_lowercase();
    let ok = (min..=max).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Some(code)
    } else {
        errors.add_with(
            field,
            "code_malformed",
            vec![("min", min as i64), ("max", max as i64)],
        );
        None
    }
}

/// A province or county code as typed (any digits, surrounding space): Latin digits.
pub fn region_code(raw: &str) -> String {
    vamyar_calendar::digits::to_latin_digits(raw.trim())
}

/// A required whole number in `range`.
pub fn int(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<Flex>,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    match value {
        None => {
            errors.add(field, "required");
            None
        }
        Some(v) => int_of(errors, field, v, range),
    }
}

/// An optional whole number in `range`, `default` when absent.
pub fn int_or(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<Flex>,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
) -> Option<i64> {
    match value {
        None => Some(default),
        Some(v) => int_of(errors, field, v, range),
    }
}

/// A whole number in `range`.
pub fn int_of(
    errors: &mut FieldErrors,
    field: &str,
    value: &Flex,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    match value.int_in(range) {
        Ok(n) => Some(n),
        Err(code) => {
            errors.add(field, code);
            None
        }
    }
}

/// A required amount of rials in `range` (digit grouping and Persian digits accepted).
pub fn amount(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<Flex>,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    let Some(v) = value else {
        errors.add(field, "required");
        return None;
    };
    let rials = errors.check(field, Rial::parse(&v.0))?.value();
    if range.contains(&rials) {
        Some(rials)
    } else {
        errors.add(field, "out_of_range");
        None
    }
}

/// A required date, ISO or Jalali, in any digits.
pub fn date(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<NaiveDate> {
    match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.add(field, "required");
            None
        }
        Some(s) => errors.check(field, vamyar_calendar::parse_date(s)),
    }
}

/// A required flag.
pub fn flag(errors: &mut FieldErrors, field: &str, value: Option<bool>) -> Option<bool> {
    if value.is_none() {
        errors.add(field, "required");
    }
    value
}

/// Commits a transaction.
pub async fn commit(tx: Tx) -> AppResult<()> {
    tx.commit()
        .await
        .map_err(|e| AppError::from(vamyar_store::StoreError::from(e)))
}
