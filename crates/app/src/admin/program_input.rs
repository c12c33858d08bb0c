//! A program as sent by the national administration, checked field by field into the rows
//! the store writes: every problem is reported at once, under the field's path
//! (`loan_types[1].ceiling`), and nothing is written while any remains.

use std::collections::HashSet;

use serde::Deserialize;
use utoipa::ToSchema;
use vamyar_domain::priority::PriorityWeights;
use vamyar_domain::sla::ServiceLevels;
use vamyar_domain::vocab::Sector;
use vamyar_store::program::{LoanType, NewProgram};

use crate::applicant::Flex;
use crate::error::FieldErrors;
use crate::fields::{code, flag, int, int_of, int_or, label};

/// The document kinds a program may require.
pub const DOCUMENT_KINDS: [&str; 8] = [
    "national_card",
    "birth_certificate",
    "business_plan",
    "skill_certificate",
    "residence_proof",
    "income_proof",
    "guarantor_documents",
    "photo",
];

/// The groups a program may be open to (SPEC §2).
pub const ELIGIBLE_GROUPS: [&str; 5] = [
    "supported",
    "waiting_list",
    "household_member",
    "decile_1_5",
    "employer",
];

/// The loan types a program may offer.
pub const LOAN_TYPES: [&str; 3] = ["self_employment", "household_business", "employer"];

/// The schedule methods: declining-balance annuity, or the banks' flat fee formula.
pub const SCHEDULE_METHODS: [&str; 2] = ["annuity", "flat"];

/// The largest accepted loan ceiling, in rials (10^13).
pub const MAX_CEILING: i64 = 10_000_000_000_000;

/// Monitoring visits when the program does not say (months after disbursement).
pub const DEFAULT_VISIT_MONTHS: [i64; 3] = [3, 6, 12];

/// One loan type of a new program.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoanTypeInput {
    /// `self_employment`, `household_business` or `employer`.
    pub loan_type: Option<String>,
    /// Persian title.
    pub title_fa: Option<String>,
    /// English title.
    pub title_en: Option<String>,
    /// The central-bank ceiling in rials (1 … 10^13).
    pub ceiling: Option<Flex>,
    /// The ceiling is per job created; defaults to true for `employer`, else false.
    pub per_job: Option<bool>,
}

/// A new program with its loan types (`POST /api/v1/programs`).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramInput {
    /// Jalali fiscal year, 1390 … 1500.
    pub jalali_year: Option<Flex>,
    /// Unique code: 2–40 lowercase Latin letters, digits and hyphens.
    pub code: Option<String>,
    /// Persian title.
    pub title_fa: Option<String>,
    /// English title.
    pub title_en: Option<String>,
    /// Yearly fee rate in basis points (400 = 4%), 0 … 10000.
    pub fee_rate_bp: Option<Flex>,
    /// Repayment installments, 1 … 240.
    pub term_months: Option<Flex>,
    /// Months before the first installment, 0 … 60.
    pub grace_months: Option<Flex>,
    /// Whether the fee accrues during grace.
    pub grace_fee_accrues: Option<bool>,
    /// `annuity` or `flat`.
    pub schedule_method: Option<String>,
    /// Extra late-charge rate in basis points (default 600), 0 … 10000.
    pub late_charge_extra_bp: Option<Flex>,
    /// Whether due dates on holidays move to the next working day (default true).
    pub shift_due_to_working_day: Option<bool>,
    /// At least one of `supported`, `waiting_list`, `household_member`, `decile_1_5`,
    /// `employer`.
    pub eligible_groups: Option<Vec<String>>,
    /// Required document kinds (see [`DOCUMENT_KINDS`]).
    pub required_documents: Option<Vec<String>>,
    /// Priority weights; missing entries take their defaults.
    #[schema(value_type = Option<Object>)]
    pub priority_weights: Option<serde_json::Value>,
    /// Service levels in working days per stage; missing entries take their defaults.
    #[schema(value_type = Option<Object>)]
    pub service_levels: Option<serde_json::Value>,
    /// Months after disbursement with a monitoring visit, ascending, 1 … 120
    /// (default 3, 6, 12).
    #[schema(value_type = Option<Vec<i64>>)]
    pub visit_months: Option<Vec<Flex>>,
    /// The business sectors its plans may be classified in, each at most once: `agriculture`,
    /// `livestock`, `handicrafts`, `home_business`, `services`, `industry`, `trade`,
    /// `tourism`, `other` (default all of them).
    pub sectors: Option<Vec<String>>,
    /// At least one loan type, each at most once.
    pub loan_types: Option<Vec<LoanTypeInput>>,
}

/// Picks `value` from `allowed`, or records `invalid_choice` / `required`.
fn choice(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    allowed: &[&str],
) -> Option<String> {
    match value.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add(field, "required");
            None
        }
        Some(v) if allowed.contains(&v) => Some(v.to_string()),
        Some(_) => {
            errors.add(field, "invalid_choice");
            None
        }
    }
}

/// A list of names from `allowed`, each at most once; an unknown one records `unknown`.
fn names(
    errors: &mut FieldErrors,
    field: &str,
    values: &[String],
    allowed: &[&str],
    unknown: &'static str,
) -> Option<Vec<String>> {
    let mut seen = HashSet::new();
    let mut ok = true;
    for (i, v) in values.iter().enumerate() {
        let v = v.trim();
        let at = format!("{field}[{i}]");
        if !allowed.contains(&v) {
            errors.add(at, unknown);
            ok = false;
        } else if !seen.insert(v) {
            errors.add(at, "duplicate_value");
            ok = false;
        }
    }
    ok.then(|| values.iter().map(|v| v.trim().to_string()).collect())
}

/// The program's sectors: all of the vocabulary when not given, else at least one, each known
/// (`unknown_sector`) and at most once.
pub fn sectors(errors: &mut FieldErrors, values: Option<&[String]>) -> Option<Vec<String>> {
    let all: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
    match values {
        None => Some(all.iter().map(|s| s.to_string()).collect()),
        Some([]) => {
            errors.add("sectors", "required");
            None
        }
        Some(values) => names(errors, "sectors", values, &all, "unknown_sector"),
    }
}

/// Priority weights: `value` laid over `base` (stored or default), then checked.
pub fn weights(
    errors: &mut FieldErrors,
    base: &PriorityWeights,
    value: Option<&serde_json::Value>,
) -> Option<PriorityWeights> {
    let merged = overlay(
        errors,
        "priority_weights",
        base,
        value,
        "priority_weights_invalid",
    )?;
    match merged.validate() {
        Ok(()) => Some(merged),
        Err(e) => {
            errors.add(format!("priority_weights.{}", e.field()), e.code());
            None
        }
    }
}

/// Service levels: `value` laid over `base` (stored or default), then checked.
pub fn service_levels(
    errors: &mut FieldErrors,
    base: &ServiceLevels,
    value: Option<&serde_json::Value>,
) -> Option<ServiceLevels> {
    let merged = overlay(
        errors,
        "service_levels",
        base,
        value,
        "service_levels_invalid",
    )?;
    match merged.validate() {
        Ok(()) => Some(merged),
        Err(e) => {
            errors.add(format!("service_levels.{}", e.stage()), e.code());
            None
        }
    }
}

/// Lays the entries of the JSON object `value` over `base` and reads the result back; a
/// non-object, an unknown entry or a wrong type records `code` under `field.entry`.
fn overlay<T>(
    errors: &mut FieldErrors,
    field: &str,
    base: &T,
    value: Option<&serde_json::Value>,
    code: &'static str,
) -> Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone,
{
    let Some(value) = value else {
        return Some(base.clone());
    };
    let Some(entries) = value.as_object() else {
        errors.add(field, code);
        return None;
    };
    let mut merged = serde_json::to_value(base).ok()?;
    if let Some(obj) = merged.as_object_mut() {
        for (k, v) in entries {
            obj.insert(k.clone(), v.clone());
        }
    }
    match serde_path_to_error::deserialize::<_, T>(merged) {
        Ok(t) => Some(t),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            let name = inner
                .strip_prefix("unknown field `")
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string)
                .unwrap_or(path);
            if name == "." || name.is_empty() {
                errors.add(field, code);
            } else {
                errors.add(format!("{field}.{name}"), code);
            }
            None
        }
    }
}

/// Visit months: each 1 … 120, strictly ascending.
fn visit_months(errors: &mut FieldErrors, values: Option<&[Flex]>) -> Option<Vec<i64>> {
    let Some(values) = values else {
        return Some(DEFAULT_VISIT_MONTHS.to_vec());
    };
    let mut out = Vec::with_capacity(values.len());
    let mut ok = true;
    for (i, v) in values.iter().enumerate() {
        let at = format!("visit_months[{i}]");
        match int_of(errors, &at, v, 1..=120) {
            Some(m) if out.last().is_some_and(|&prev| prev >= m) => {
                errors.add(at, "visit_months_not_ascending");
                ok = false;
            }
            Some(m) => out.push(m),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// The loan types, each checked; at least one and no type twice.
fn loan_types(errors: &mut FieldErrors, values: Option<&[LoanTypeInput]>) -> Option<Vec<LoanType>> {
    let values = match values {
        Some(v) if !v.is_empty() => v,
        _ => {
            errors.add("loan_types", "required");
            return None;
        }
    };
    let mut out = Vec::with_capacity(values.len());
    let mut seen = HashSet::new();
    let mut ok = true;
    for (i, t) in values.iter().enumerate() {
        let f = |name: &str| format!("loan_types[{i}].{name}");
        let loan_type = choice(errors, &f("loan_type"), &t.loan_type, &LOAN_TYPES);
        if let Some(lt) = &loan_type
            && !seen.insert(lt.clone())
        {
            errors.add(f("loan_type"), "duplicate_loan_type");
            ok = false;
        }
        let title_fa = label(errors, &f("title_fa"), &t.title_fa);
        let title_en = label(errors, &f("title_en"), &t.title_en);
        let ceiling = crate::fields::amount(errors, &f("ceiling"), &t.ceiling, 1..=MAX_CEILING);
        match (loan_type, title_fa, title_en, ceiling) {
            (Some(loan_type), Some(title_fa), Some(title_en), Some(ceiling)) => {
                let per_job = t.per_job.unwrap_or(loan_type == "employer");
                out.push(LoanType {
                    id: 0,
                    program_id: 0,
                    loan_type,
                    title_fa,
                    title_en,
                    ceiling,
                    per_job,
                });
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

impl ProgramInput {
    /// Checks every field; the program row (its `id` 0) and its loan types (their
    /// `program_id` 0) only when there was no problem.
    pub fn parse(&self, errors: &mut FieldErrors) -> Option<(NewProgram, Vec<LoanType>)> {
        let jalali_year = int(errors, "jalali_year", &self.jalali_year, 1390..=1500);
        let code = code(errors, "code", &self.code, 2, 40);
        let title_fa = label(errors, "title_fa", &self.title_fa);
        let title_en = label(errors, "title_en", &self.title_en);
        let fee_rate_bp = int(errors, "fee_rate_bp", &self.fee_rate_bp, 0..=10_000);
        let term_months = int(errors, "term_months", &self.term_months, 1..=240);
        let grace_months = int(errors, "grace_months", &self.grace_months, 0..=60);
        let grace_fee_accrues = flag(errors, "grace_fee_accrues", self.grace_fee_accrues);
        let schedule_method = choice(
            errors,
            "schedule_method",
            &self.schedule_method,
            &SCHEDULE_METHODS,
        );
        let late_charge_extra_bp = int_or(
            errors,
            "late_charge_extra_bp",
            &self.late_charge_extra_bp,
            0..=10_000,
            600,
        );
        let eligible_groups = match self.eligible_groups.as_deref() {
            Some(groups) if !groups.is_empty() => names(
                errors,
                "eligible_groups",
                groups,
                &ELIGIBLE_GROUPS,
                "unknown_eligible_group",
            ),
            _ => {
                errors.add("eligible_groups", "required");
                None
            }
        };
        let required_documents = names(
            errors,
            "required_documents",
            self.required_documents.as_deref().unwrap_or_default(),
            &DOCUMENT_KINDS,
            "unknown_document_kind",
        );
        let weights = weights(
            errors,
            &PriorityWeights::default(),
            self.priority_weights.as_ref(),
        );
        let levels = service_levels(
            errors,
            &ServiceLevels::default(),
            self.service_levels.as_ref(),
        );
        let visits = visit_months(errors, self.visit_months.as_deref());
        let sectors = sectors(errors, self.sectors.as_deref());
        let types = loan_types(errors, self.loan_types.as_deref());
        if !errors.is_empty() {
            return None;
        }
        let program = NewProgram {
            id: 0,
            jalali_year: jalali_year?,
            code: code?,
            title_fa: title_fa?,
            title_en: title_en?,
            fee_rate_bp: fee_rate_bp?,
            term_months: term_months?,
            grace_months: grace_months?,
            grace_fee_accrues: grace_fee_accrues?,
            schedule_method: schedule_method?,
            late_charge_extra_bp: late_charge_extra_bp?,
            shift_due_to_working_day: self.shift_due_to_working_day.unwrap_or(true),
            eligible_groups: serde_json::to_string(&eligible_groups?).ok()?,
            required_documents: serde_json::to_string(&required_documents?).ok()?,
            priority_weights: serde_json::to_string(&weights?).ok()?,
            service_levels: serde_json::to_string(&levels?).ok()?,
            visit_months: serde_json::to_string(&visits?).ok()?,
            sectors: serde_json::to_string(&sectors?).ok()?,
            is_active: true,
            max_open_files_per_household: 1,
        };
        Some((program, types?))
    }
}
