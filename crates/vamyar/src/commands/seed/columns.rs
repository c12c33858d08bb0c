//! The columns `vamyar seed` writes, table by table, in the order `rows` gives the values.

/// Columns of `person`.
pub const PERSON_COLUMNS: &[&str] = &[
    "id",
    "national_id",
    "first_name",
    "last_name",
    "gender",
    "mobile",
    "province_code",
    "county_code",
    "household_size",
    "created_at",
    "updated_at",
];
/// Columns of the table named in the constant.
pub const APPLICATION_COLUMNS: &[&str] = &[
    "id",
    "tracking_code",
    "person_id",
    "program_id",
    "loan_type",
    "channel",
    "state",
    "requested_amount",
    "approved_amount",
    "business_title",
    "province_code",
    "county_code",
    "priority_score",
    "submitted_at",
    "state_changed_at",
    "created_at",
    "updated_at",
];
/// Columns of the table named in the constant.
pub const STAGE_COLUMNS: &[&str] = &[
    "application_id",
    "state",
    "owner",
    "started_at",
    "target_working_days",
    "due_on",
    "created_at",
];
/// Columns of the table named in the constant.
pub const REFERRAL_COLUMNS: &[&str] = &[
    "id",
    "application_id",
    "memorandum_id",
    "quota_id",
    "bank_id",
    "branch_id",
    "letter_number",
    "amount",
    "issued_on",
    "valid_until",
    "status",
    "created_at",
    "updated_at",
];
/// Columns of the table named in the constant.
pub const LOAN_COLUMNS: &[&str] = &[
    "id",
    "application_id",
    "referral_id",
    "bank_id",
    "contract_number",
    "principal",
    "fee_rate_bp",
    "term_months",
    "grace_months",
    "schedule_method",
    "late_charge_extra_bp",
    "disbursed_on",
    "total_fee",
    "status",
    "arrears_days",
    "arrears_bucket",
    "principal_repaid",
    "created_at",
    "updated_at",
];
/// Columns of the table named in the constant.
pub const INSTALLMENT_COLUMNS: &[&str] = &[
    "id",
    "loan_id",
    "seq",
    "due_on",
    "principal_due",
    "fee_due",
    "principal_paid",
    "fee_paid",
    "status",
    "paid_on",
    "late_charge_due",
    "late_charge_through",
    "created_at",
    "updated_at",
];
