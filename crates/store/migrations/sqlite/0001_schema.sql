-- Vamyar schema (SQLite), step 1: every table the product needs.
-- Conventions (migrations/README.md): lowercase SQL, singular table names, created_at on every
-- table, money as integer rials, dates as ISO 'YYYY-MM-DD' text, instants as RFC 3339 UTC text,
-- flags as integer 0/1, structured settings as JSON text. Constraint and index names are
-- stable: the store maps them to field errors.

-- Geography and calendar -------------------------------------------------------------------

create table province (
    code text primary key,
    name_fa text not null,
    name_en text not null,
    iso_code text not null,
    created_at text not null
);

create table county (
    code text primary key,
    province_code text not null references province (code),
    name_fa text not null,
    name_en text not null,
    is_deprived integer not null default 0 check (is_deprived in (0, 1)),
    created_at text not null,
    updated_at text not null
);
create index county_province on county (province_code);

create table holiday (
    holiday_date text primary key,
    name_fa text not null,
    name_en text not null,
    kind text not null check (kind in ('solar', 'lunar', 'other')),
    created_at text not null
);

-- People -----------------------------------------------------------------------------------

create table person (
    id integer primary key autoincrement,
    national_id text not null,
    first_name text not null,
    last_name text not null,
    father_name text,
    birth_date text,
    gender text not null check (gender in ('female', 'male')),
    mobile text not null,
    province_code text not null references province (code),
    county_code text not null references county (code),
    address text,
    postal_code text,
    is_female_head integer not null default 0 check (is_female_head in (0, 1)),
    has_disability integer not null default 0 check (has_disability in (0, 1)),
    household_size integer not null default 1 check (household_size between 1 and 30),
    income_decile integer check (income_decile between 1 and 10),
    beneficiary_status text not null default 'none'
        check (beneficiary_status in ('supported', 'waiting_list', 'household_member', 'none')),
    sheba text,
    created_at text not null,
    updated_at text not null
);
create unique index person_national_id_key on person (national_id);
create index person_county on person (county_code);

create table household_member (
    id integer primary key autoincrement,
    person_id integer not null references person (id),
    national_id text,
    full_name text not null,
    relation text not null,
    birth_date text,
    is_dependent integer not null default 1 check (is_dependent in (0, 1)),
    created_at text not null
);
create index household_member_person on household_member (person_id);

-- Income deciles imported from the labour ministry's lists.
create table income_decile (
    national_id text primary key,
    decile integer not null check (decile between 1 and 10),
    source text not null,
    created_at text not null
);

-- Banks --------------------------------------------------------------------------------------

create table bank (
    id integer primary key autoincrement,
    code text not null,
    name_fa text not null,
    name_en text not null,
    sheba_code text,
    is_active integer not null default 1 check (is_active in (0, 1)),
    created_at text not null
);
create unique index bank_code_key on bank (code);

create table branch (
    id integer primary key autoincrement,
    bank_id integer not null references bank (id),
    code text not null,
    name_fa text not null,
    name_en text not null,
    province_code text not null references province (code),
    county_code text references county (code),
    address text,
    created_at text not null
);
create unique index branch_bank_code_key on branch (bank_id, code);
create index branch_province on branch (province_code);

-- Staff and access ---------------------------------------------------------------------------

create table staff_user (
    id integer primary key autoincrement,
    username text not null,
    password_hash text not null,
    full_name text not null,
    role text not null check (role in ('desk_clerk', 'social_worker', 'employment_expert',
        'office_head', 'bank_officer', 'province_admin', 'national_admin', 'auditor')),
    province_code text references province (code),
    county_code text references county (code),
    bank_id integer references bank (id),
    branch_id integer references branch (id),
    mobile text,
    is_active integer not null default 1 check (is_active in (0, 1)),
    failed_logins integer not null default 0,
    locked_until text,
    created_at text not null,
    updated_at text not null
);
create unique index staff_user_username_key on staff_user (username);

-- Login sessions (cookie) and API tokens, stored by the SHA-256 of the secret.
-- A 'registration' session proves control of a mobile for a national ID that has no person
-- yet (online registration); it carries the pair it was issued for.
create table auth_session (
    id integer primary key autoincrement,
    token_hash text not null,
    kind text not null check (kind in ('session', 'api_token', 'registration')),
    staff_user_id integer references staff_user (id),
    person_id integer references person (id),
    subject_national_id text,
    subject_mobile text,
    name text,
    csrf_token text,
    expires_at text not null,
    last_seen_at text,
    revoked_at text,
    created_at text not null
);
create unique index auth_session_token_key on auth_session (token_hash);
create index auth_session_staff on auth_session (staff_user_id);
create index auth_session_person on auth_session (person_id);

-- One-time login codes for applicants; only the hash of the code is kept. A challenge for a
-- national ID with no person yet (online registration) has no person_id.
create table otp_challenge (
    id integer primary key autoincrement,
    person_id integer references person (id),
    national_id text not null,
    mobile text not null,
    code_hash text not null,
    attempts integer not null default 0,
    expires_at text not null,
    consumed_at text,
    created_at text not null
);
create index otp_challenge_national_id on otp_challenge (national_id);

-- Fixed-window counters for rate limits shared by every server process.
create table rate_limit (
    bucket text primary key,
    window_start text not null,
    hits integer not null,
    created_at text not null
);

-- Programs -----------------------------------------------------------------------------------

create table program (
    id integer primary key autoincrement,
    jalali_year integer not null,
    code text not null,
    title_fa text not null,
    title_en text not null,
    fee_rate_bp integer not null check (fee_rate_bp between 0 and 10000),
    term_months integer not null check (term_months between 1 and 240),
    grace_months integer not null default 0 check (grace_months between 0 and 60),
    grace_fee_accrues integer not null default 1 check (grace_fee_accrues in (0, 1)),
    schedule_method text not null check (schedule_method in ('annuity', 'flat')),
    late_charge_extra_bp integer not null default 600,
    shift_due_to_working_day integer not null default 1 check (shift_due_to_working_day in (0, 1)),
    eligible_groups text not null,
    required_documents text not null,
    priority_weights text not null,
    service_levels text not null,
    visit_months text not null,
    is_active integer not null default 1 check (is_active in (0, 1)),
    created_at text not null,
    updated_at text not null
);
create unique index program_code_key on program (code);

create table program_loan_type (
    id integer primary key autoincrement,
    program_id integer not null references program (id),
    loan_type text not null check (loan_type in ('self_employment', 'household_business', 'employer')),
    title_fa text not null,
    title_en text not null,
    ceiling integer not null check (ceiling > 0),
    per_job integer not null default 0 check (per_job in (0, 1)),
    created_at text not null
);
create unique index program_loan_type_key on program_loan_type (program_id, loan_type);

create table memorandum (
    id integer primary key autoincrement,
    bank_id integer not null references bank (id),
    program_id integer not null references program (id),
    number text not null,
    signed_on text not null,
    valid_from text not null,
    valid_to text not null,
    fee_rate_bp integer not null check (fee_rate_bp between 0 and 10000),
    term_months integer not null check (term_months between 1 and 240),
    grace_months integer not null default 0,
    letter_validity_days integer not null default 30 check (letter_validity_days between 1 and 365),
    created_at text not null
);
create unique index memorandum_bank_program_key on memorandum (bank_id, program_id);

create table quota (
    id integer primary key autoincrement,
    memorandum_id integer not null references memorandum (id),
    province_code text not null references province (code),
    count_limit integer not null check (count_limit >= 0),
    amount_limit integer not null check (amount_limit >= 0),
    count_used integer not null default 0,
    amount_used integer not null default 0,
    created_at text not null,
    updated_at text not null,
    constraint quota_count_within_limit check (count_used between 0 and count_limit),
    constraint quota_amount_within_limit check (amount_used between 0 and amount_limit)
);
create unique index quota_memorandum_province_key on quota (memorandum_id, province_code);

-- Applications (files) -----------------------------------------------------------------------

create table application (
    id integer primary key autoincrement,
    tracking_code text not null,
    person_id integer not null references person (id),
    program_id integer not null references program (id),
    loan_type text not null,
    channel text not null check (channel in ('web', 'desk', 'api')),
    state text not null,
    version integer not null default 1,
    requested_amount integer not null check (requested_amount > 0),
    recommended_amount integer,
    approved_amount integer,
    business_title text not null,
    business_activity text,
    business_location text,
    business_summary text,
    jobs_planned integer not null default 1 check (jobs_planned between 0 and 10000),
    province_code text not null references province (code),
    county_code text not null references county (code),
    priority_score integer not null default 0,
    priority_factors text not null default '{}',
    submitted_at text not null,
    state_changed_at text not null,
    stage_due_on text,
    is_breached integer not null default 0 check (is_breached in (0, 1)),
    created_by_staff_id integer references staff_user (id),
    closed_at text,
    created_at text not null,
    updated_at text not null
);
create unique index application_tracking_code_key on application (tracking_code);
create unique index application_open_per_person_key on application (person_id, program_id)
    where state not in ('rejected', 'withdrawn', 'closed');
create index application_queue on application (state, county_code, priority_score);
create index application_person on application (person_id);

-- The file's history: one row per workflow action.
create table application_event (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    action text not null,
    from_state text,
    to_state text not null,
    actor_kind text not null check (actor_kind in ('staff', 'applicant', 'system')),
    staff_user_id integer references staff_user (id),
    person_id integer references person (id),
    note text,
    reason text,
    detail text not null default '{}',
    created_at text not null
);
create index application_event_application on application_event (application_id);

-- Time spent in each stage, for service levels; paused while the applicant owns the stage.
create table stage_timing (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    state text not null,
    owner text not null check (owner in ('agency', 'bank', 'applicant', 'none')),
    started_at text not null,
    ended_at text,
    target_working_days integer,
    due_on text,
    is_breached integer not null default 0 check (is_breached in (0, 1)),
    created_at text not null
);
create index stage_timing_application on stage_timing (application_id);
create index stage_timing_open_due on stage_timing (due_on) where ended_at is null;

create table document (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    kind text not null,
    file_name text not null,
    content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes integer not null check (size_bytes > 0),
    sha256 text not null,
    status text not null default 'pending' check (status in ('pending', 'accepted', 'rejected', 'replaced')),
    reason text,
    uploaded_by_staff_id integer references staff_user (id),
    uploaded_by_person_id integer references person (id),
    reviewed_by_staff_id integer references staff_user (id),
    reviewed_at text,
    created_at text not null
);
create index document_application on document (application_id);

create table counselling_session (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    staff_user_id integer not null references staff_user (id),
    held_on text not null,
    scheduled_for text,
    notes text,
    created_at text not null
);
create index counselling_session_application on counselling_session (application_id);

create table plan_review (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    staff_user_id integer not null references staff_user (id),
    activity text not null,
    location text not null,
    recommended_amount integer not null check (recommended_amount > 0),
    jobs_to_create integer not null check (jobs_to_create >= 0),
    notes text,
    created_at text not null
);
create index plan_review_application on plan_review (application_id);

-- Referral to a bank ---------------------------------------------------------------------------

create table referral (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    memorandum_id integer not null references memorandum (id),
    quota_id integer not null references quota (id),
    bank_id integer not null references bank (id),
    branch_id integer not null references branch (id),
    letter_number text not null,
    amount integer not null check (amount > 0),
    issued_on text not null,
    valid_until text not null,
    status text not null check (status in ('open', 'guarantees_pending', 'approved', 'rejected',
        'expired', 'withdrawn', 'disbursed')),
    reason text,
    decided_by_staff_id integer references staff_user (id),
    decided_at text,
    created_at text not null,
    updated_at text not null
);
create unique index referral_letter_number_key on referral (letter_number);
create index referral_application on referral (application_id);
create index referral_bank_status on referral (bank_id, status);
create index referral_open_valid_until on referral (valid_until) where status in ('open', 'guarantees_pending');

create table guarantee (
    id integer primary key autoincrement,
    referral_id integer not null references referral (id),
    kind text not null check (kind in ('guarantor', 'promissory_note', 'salary_deduction',
        'collateral_deed', 'cheque', 'institution')),
    description text,
    guarantor_national_id text,
    guarantor_name text,
    amount integer,
    status text not null default 'requested' check (status in ('requested', 'accepted', 'rejected')),
    created_at text not null,
    updated_at text not null
);
create index guarantee_referral on guarantee (referral_id);

-- Loans and money ------------------------------------------------------------------------------

create table loan (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    referral_id integer not null references referral (id),
    bank_id integer not null references bank (id),
    contract_number text not null,
    principal integer not null check (principal > 0),
    fee_rate_bp integer not null,
    term_months integer not null,
    grace_months integer not null,
    schedule_method text not null check (schedule_method in ('annuity', 'flat')),
    late_charge_extra_bp integer not null,
    disbursed_on text not null,
    total_fee integer not null,
    status text not null check (status in ('active', 'accelerated', 'closed')),
    accelerated_on text,
    closed_on text,
    credit_balance integer not null default 0,
    arrears_days integer not null default 0,
    arrears_bucket text not null default 'current'
        check (arrears_bucket in ('current', '1_30', '31_90', 'over_90')),
    version integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create unique index loan_application_key on loan (application_id);
create unique index loan_bank_contract_key on loan (bank_id, contract_number);
create index loan_status on loan (status);

create table installment (
    id integer primary key autoincrement,
    loan_id integer not null references loan (id),
    seq integer not null check (seq >= 1),
    due_on text not null,
    principal_due integer not null check (principal_due >= 0),
    fee_due integer not null check (fee_due >= 0),
    late_charge_due integer not null default 0 check (late_charge_due >= 0),
    principal_paid integer not null default 0,
    fee_paid integer not null default 0,
    late_charge_paid integer not null default 0,
    status text not null default 'pending' check (status in ('pending', 'due', 'overdue', 'paid')),
    paid_on text,
    late_charge_through text,
    created_at text not null,
    updated_at text not null
);
create unique index installment_loan_seq_key on installment (loan_id, seq);
create index installment_due_unpaid on installment (due_on) where status <> 'paid';

create table payment (
    id integer primary key autoincrement,
    loan_id integer not null references loan (id),
    bank_id integer not null references bank (id),
    bank_reference text not null,
    amount integer not null check (amount > 0),
    paid_on text not null,
    channel text not null check (channel in ('api', 'file', 'desk')),
    allocated_late_charge integer not null default 0,
    allocated_fee integer not null default 0,
    allocated_principal integer not null default 0,
    to_credit integer not null default 0,
    posted_by_staff_id integer references staff_user (id),
    created_at text not null
);
create unique index payment_bank_reference_key on payment (bank_id, bank_reference);
create index payment_loan on payment (loan_id);

create table monitoring_visit (
    id integer primary key autoincrement,
    loan_id integer not null references loan (id),
    application_id integer not null references application (id),
    scheduled_on text not null,
    visited_on text,
    staff_user_id integer references staff_user (id),
    business_running integer check (business_running in (0, 1)),
    people_employed integer check (people_employed >= 0),
    plan_carried_out integer check (plan_carried_out in (0, 1)),
    findings text,
    recommendation text,
    created_at text not null,
    updated_at text not null
);
create index monitoring_visit_loan on monitoring_visit (loan_id);
create index monitoring_visit_open on monitoring_visit (scheduled_on) where visited_on is null;

create table expert_service (
    id integer primary key autoincrement,
    application_id integer not null references application (id),
    staff_user_id integer not null references staff_user (id),
    kind text not null,
    description text not null,
    provided_on text not null,
    created_at text not null
);
create index expert_service_application on expert_service (application_id);

-- Messages (transactional outbox) ---------------------------------------------------------------

create table outbox (
    id integer primary key autoincrement,
    event text not null,
    application_id integer references application (id),
    person_id integer references person (id),
    recipient text not null,
    payload text not null,
    dedupe_key text,
    status text not null default 'pending'
        check (status in ('pending', 'sending', 'sent', 'delivered', 'failed', 'expired')),
    attempts integer not null default 0,
    next_attempt_at text not null,
    locked_until text,
    locked_by text,
    provider text,
    provider_message_id text,
    delivery_status text,
    last_error text,
    expires_at text,
    sent_at text,
    created_at text not null,
    updated_at text not null
);
create unique index outbox_dedupe_key on outbox (dedupe_key);
create index outbox_due on outbox (status, next_attempt_at);
create index outbox_application on outbox (application_id);
create index outbox_person on outbox (person_id);

create table sms_inbound (
    id integer primary key autoincrement,
    sender_hash text not null,
    provider_message_id text,
    body_kind text not null,
    created_at text not null
);

-- Audit and operations --------------------------------------------------------------------------

-- Append-only, each row chained to the previous one by SHA-256.
create table audit_log (
    id integer primary key autoincrement,
    seq integer not null,
    occurred_at text not null,
    actor_kind text not null,
    actor_id integer,
    action text not null,
    entity text not null,
    entity_id text,
    outcome text not null,
    detail text not null default '{}',
    ip text,
    prev_hash text not null,
    hash text not null,
    created_at text not null
);
create unique index audit_log_seq_key on audit_log (seq);
create index audit_log_entity on audit_log (entity, entity_id);

-- The head of the audit chain: one row, updated by every append, so appends are serialised
-- (its row lock on PostgreSQL; the single writer on SQLite) and a deleted last row is detected.
create table audit_head (
    id integer primary key check (id = 1),
    seq integer not null,
    hash text not null,
    created_at text not null
);

-- One close-of-business run per business date.
create table cob_run (
    business_date text primary key,
    status text not null check (status in ('running', 'done', 'failed')),
    stats text not null default '{}',
    started_at text not null,
    finished_at text,
    created_at text not null
);

create table portfolio_snapshot (
    business_date text primary key,
    active_loans integer not null,
    outstanding_principal integer not null,
    at_risk_30_principal integer not null,
    par30_bp integer not null,
    bucket_1_30 integer not null,
    bucket_31_90 integer not null,
    bucket_over_90 integer not null,
    created_at text not null
);

-- Leases that let several server processes share background work without running it twice.
create table lease (
    name text primary key,
    holder text not null,
    expires_at text not null,
    created_at text not null
);
