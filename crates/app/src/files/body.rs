//! What an action on a file carries: the body of
//! `POST /api/v1/applications/{id}/actions/{action}` and the pages' action forms.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::applicant::Flex;

/// The body of `POST /api/v1/applications/{id}/actions/{action}`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// The file's version as last read (optimistic concurrency).
    pub version: i64,
    /// A free note kept in the history.
    pub note: Option<String>,
    /// Why (required for `return`, `reject`, `bank_reject`, `accelerate`).
    pub reason: Option<String>,
    /// `approve_plan`: rials recommended (defaults to the plan review's).
    pub recommended_amount: Option<Flex>,
    /// `refer`: the bank branch.
    pub branch_id: Option<i64>,
    /// `refer`: rials referred (defaults to the recommended amount); `disburse`: rials paid
    /// out, more than 0 and at most the approved amount (defaults to the approved amount).
    pub amount: Option<Flex>,
    /// `disburse`: the bank's contract number (required, at most 64 characters, unique per bank).
    pub contract_number: Option<String>,
    /// `disburse`: the day the loan was paid out, ISO or Jalali, not in the future (required).
    pub disbursed_on: Option<String>,
    /// `request_guarantees`: what the bank asks for.
    pub guarantees: Option<Vec<GuaranteeInput>>,
}

/// One guarantee the bank asks for.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeInput {
    /// `guarantor`, `promissory_note`, `salary_deduction`, `collateral_deed`, `cheque` or `institution`.
    pub kind: String,
    /// What exactly.
    pub description: Option<String>,
    /// A guarantor's national ID (kind `guarantor`).
    pub guarantor_national_id: Option<String>,
    /// A guarantor's name.
    pub guarantor_name: Option<String>,
    /// Rials covered.
    pub amount: Option<Flex>,
}
