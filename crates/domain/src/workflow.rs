//! The file's journey: states, actions, roles and the pure transition function.
//!
//! [`decide`] is the single place where the workflow of SPEC §3 lives. Given the file's
//! current [`State`], the requested [`Action`], the acting [`Role`] and the action's input,
//! it either returns the [`Transition`] to record (with the [`Event`] to announce to the
//! applicant) or a [`WorkflowError`] with a stable code.
//!
//! | action | roles | from | to | reason |
//! |---|---|---|---|---|
//! | `approve` | social_worker | submitted | documents_pending | |
//! | `return` | social_worker | submitted | needs_correction | required |
//! | `reject` | social_worker | submitted | rejected | required |
//! | `resubmit` | applicant, desk_clerk | needs_correction | submitted | |
//! | `withdraw` | applicant, desk_clerk | any open state before disbursement | withdrawn | |
//! | `documents_complete` | system | documents_pending | counselling | |
//! | `approve_plan` | employment_expert | counselling | awaiting_referral | |
//! | `refer` | office_head | awaiting_referral | referred | |
//! | `request_guarantees` | bank_officer | referred | guarantees_pending | |
//! | `accept_guarantees` | bank_officer | guarantees_pending | bank_approved | |
//! | `bank_reject` | bank_officer | referred, guarantees_pending, bank_approved | awaiting_referral | required |
//! | `expire_referral` | system | referred, guarantees_pending | awaiting_referral | |
//! | `disburse` | bank_officer | bank_approved | active | |
//! | `accelerate` | office_head | active | accelerated | required |
//! | `close` | system | active, accelerated | closed | |
//!
//! **Separation of duties.** `province_admin`, `national_admin` and `auditor` perform no
//! workflow action: headquarters and provinces configure (programs, quotas, staff), auditors
//! read, and only county staff, the applicant and the partner bank move a file. The one
//! exception is [`register`], which `national_admin` may call as the identity of a partner
//! gateway (the JSON API channel); registering creates a file but moves none.
//!
//! What this module does not check: the actor's scope (see [`crate::policy`]), the file's
//! `version` (optimistic locking in the store), and the preconditions of automatic actions
//! (all required documents accepted, referral letter past validity, all installments paid),
//! which the caller establishes before asking for the transition.

use core::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Defines a fieldless enum with a stable snake_case name per variant: `as_str`, `parse`,
/// `ALL`, `Display`, and serde as that name.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable snake_case name, as used in the API, the database and serde.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Parses the stable snake_case name (exact match); `None` for anything else.
            pub fn parse(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// Where a file stands in its journey.
    pub enum State {
        /// Registered (or resubmitted) and waiting for the social-work unit's review.
        Submitted => "submitted",
        /// Returned to the applicant to correct or complete the application.
        NeedsCorrection => "needs_correction",
        /// Refused by the social-work unit (terminal).
        Rejected => "rejected",
        /// Eligible; waiting for the required documents to be uploaded and accepted.
        DocumentsPending => "documents_pending",
        /// Job counselling and business-plan review by the employment expert.
        Counselling => "counselling",
        /// Plan approved; waiting for the office head to refer the file to a bank.
        AwaitingReferral => "awaiting_referral",
        /// Referred to a partner bank branch with a referral letter.
        Referred => "referred",
        /// The bank asked for guarantees; the applicant is providing them.
        GuaranteesPending => "guarantees_pending",
        /// The bank accepted the guarantees; waiting for disbursement.
        BankApproved => "bank_approved",
        /// Loan disbursed; in grace or repayment, followed up by monitoring visits.
        Active => "active",
        /// The plan was not carried out; the whole balance was made due.
        Accelerated => "accelerated",
        /// Every installment paid: the service has ended (terminal).
        Closed => "closed",
        /// Withdrawn by the applicant before disbursement (terminal).
        Withdrawn => "withdrawn",
    }
}

impl State {
    /// Whether no action can ever leave this state: rejected, withdrawn, closed.
    pub const fn is_terminal(self) -> bool {
        matches!(self, State::Rejected | State::Withdrawn | State::Closed)
    }

    /// Whether the file is still open (not terminal). Accelerated files are open until paid.
    pub const fn is_open(self) -> bool {
        !self.is_terminal()
    }

    /// Whether the file is open and no money has been disbursed yet: the states from which
    /// the applicant may withdraw. False for terminal states and for active/accelerated.
    pub const fn before_disbursement(self) -> bool {
        matches!(
            self,
            State::Submitted
                | State::NeedsCorrection
                | State::DocumentsPending
                | State::Counselling
                | State::AwaitingReferral
                | State::Referred
                | State::GuaranteesPending
                | State::BankApproved
        )
    }
}

named_enum! {
    /// Who acts. The nine login roles of SPEC §1, plus [`Role::System`] for automatic
    /// transitions and the close-of-business job.
    pub enum Role {
        /// The person asking for the loan; own file only.
        Applicant => "applicant",
        /// In-person service desk; registers and acts on an applicant's behalf (county).
        DeskClerk => "desk_clerk",
        /// Social-work unit; approves, returns or rejects applications (county).
        SocialWorker => "social_worker",
        /// Job counselling, business-plan review, monitoring visits (county).
        EmploymentExpert => "employment_expert",
        /// Head of the district office; refers to the bank and decides acceleration (county).
        OfficeHead => "office_head",
        /// A partner bank's staff (one bank, optionally one branch).
        BankOfficer => "bank_officer",
        /// Provincial office: quotas, staff accounts, reports (province).
        ProvinceAdmin => "province_admin",
        /// Headquarters: programs, ceilings, banks, memoranda (all).
        NationalAdmin => "national_admin",
        /// Read-only, including the audit log (all).
        Auditor => "auditor",
        /// The service itself (automatic transitions, close of business). Never a login
        /// role: excluded from [`Role::LOGIN_ROLES`]; reject it wherever a role comes from
        /// outside (use [`Role::parse_login`]).
        System => "system",
    }
}

impl Role {
    /// The roles a person can hold and log in with (every role except [`Role::System`]).
    pub const LOGIN_ROLES: &'static [Role] = &[
        Role::Applicant,
        Role::DeskClerk,
        Role::SocialWorker,
        Role::EmploymentExpert,
        Role::OfficeHead,
        Role::BankOfficer,
        Role::ProvinceAdmin,
        Role::NationalAdmin,
        Role::Auditor,
    ];

    /// The roles of staff accounts (username and password): every login role except the
    /// applicant, who logs in with a one-time code.
    pub const STAFF_ROLES: &'static [Role] = &[
        Role::DeskClerk,
        Role::SocialWorker,
        Role::EmploymentExpert,
        Role::OfficeHead,
        Role::BankOfficer,
        Role::ProvinceAdmin,
        Role::NationalAdmin,
        Role::Auditor,
    ];

    /// Whether this is a staff role (agency, bank, administration or audit), i.e. one of
    /// [`Role::STAFF_ROLES`]. False for the applicant and for the system.
    pub const fn is_staff(self) -> bool {
        !matches!(self, Role::Applicant | Role::System)
    }

    /// Whether a person can log in with this role (false only for [`Role::System`]).
    pub const fn is_login_role(self) -> bool {
        !matches!(self, Role::System)
    }

    /// Parses a role that arrives from outside (command line, token, form): like
    /// [`Role::parse`] but never yields [`Role::System`].
    pub fn parse_login(name: &str) -> Option<Self> {
        Self::parse(name).filter(|r| r.is_login_role())
    }
}

named_enum! {
    /// A workflow action, by its API name.
    pub enum Action {
        /// Social worker: the applicant is eligible; documents are next.
        Approve => "approve",
        /// Social worker: send the application back for correction (reason required).
        Return => "return",
        /// Social worker: refuse the application (reason required).
        Reject => "reject",
        /// Applicant (or desk clerk on their behalf): send the corrected application back.
        Resubmit => "resubmit",
        /// Applicant (or desk clerk on their behalf): withdraw before disbursement.
        Withdraw => "withdraw",
        /// System: every required document has been accepted.
        DocumentsComplete => "documents_complete",
        /// Employment expert: the business plan is approved (with a recommended amount).
        ApprovePlan => "approve_plan",
        /// Office head: refer the file to a bank branch (consumes quota).
        Refer => "refer",
        /// Bank officer: ask the applicant for guarantees.
        RequestGuarantees => "request_guarantees",
        /// Bank officer: the guarantees are accepted; the loan is approved by the bank.
        AcceptGuarantees => "accept_guarantees",
        /// Bank officer: the bank declines the referral (reason required; releases quota).
        BankReject => "bank_reject",
        /// System: the referral letter passed its validity (releases quota).
        ExpireReferral => "expire_referral",
        /// Bank officer: the loan is paid out.
        Disburse => "disburse",
        /// Office head: the plan was not carried out; the whole balance becomes due
        /// (reason required).
        Accelerate => "accelerate",
        /// System: every installment has been paid.
        Close => "close",
    }
}

impl Action {
    /// The actions a person performs (the `/actions/{action}` endpoint): every action
    /// except the automatic ones performed by [`Role::System`].
    pub const MANUAL: &'static [Action] = &[
        Action::Approve,
        Action::Return,
        Action::Reject,
        Action::Resubmit,
        Action::Withdraw,
        Action::ApprovePlan,
        Action::Refer,
        Action::RequestGuarantees,
        Action::AcceptGuarantees,
        Action::BankReject,
        Action::Disburse,
        Action::Accelerate,
    ];

    /// The roles that may ever perform this action (in some state).
    pub const fn roles(self) -> &'static [Role] {
        match self {
            Action::Approve | Action::Return | Action::Reject => &[Role::SocialWorker],
            Action::Resubmit | Action::Withdraw => &[Role::Applicant, Role::DeskClerk],
            Action::DocumentsComplete | Action::ExpireReferral | Action::Close => &[Role::System],
            Action::ApprovePlan => &[Role::EmploymentExpert],
            Action::Refer | Action::Accelerate => &[Role::OfficeHead],
            Action::RequestGuarantees
            | Action::AcceptGuarantees
            | Action::BankReject
            | Action::Disburse => &[Role::BankOfficer],
        }
    }

    /// Whether `role` may ever perform this action.
    pub fn allows_role(self, role: Role) -> bool {
        self.roles().contains(&role)
    }

    /// The states this action may leave.
    pub const fn from_states(self) -> &'static [State] {
        match self {
            Action::Approve | Action::Return | Action::Reject => &[State::Submitted],
            Action::Resubmit => &[State::NeedsCorrection],
            Action::Withdraw => &[
                State::Submitted,
                State::NeedsCorrection,
                State::DocumentsPending,
                State::Counselling,
                State::AwaitingReferral,
                State::Referred,
                State::GuaranteesPending,
                State::BankApproved,
            ],
            Action::DocumentsComplete => &[State::DocumentsPending],
            Action::ApprovePlan => &[State::Counselling],
            Action::Refer => &[State::AwaitingReferral],
            Action::RequestGuarantees => &[State::Referred],
            Action::AcceptGuarantees => &[State::GuaranteesPending],
            Action::BankReject => &[
                State::Referred,
                State::GuaranteesPending,
                State::BankApproved,
            ],
            Action::ExpireReferral => &[State::Referred, State::GuaranteesPending],
            Action::Disburse => &[State::BankApproved],
            Action::Accelerate => &[State::Active],
            Action::Close => &[State::Active, State::Accelerated],
        }
    }

    /// Whether this action may leave `state`.
    pub fn allowed_from(self, state: State) -> bool {
        self.from_states().contains(&state)
    }

    /// The state this action leads to (the same from every state it may leave).
    pub const fn target(self) -> State {
        match self {
            Action::Approve => State::DocumentsPending,
            Action::Return => State::NeedsCorrection,
            Action::Reject => State::Rejected,
            Action::Resubmit => State::Submitted,
            Action::Withdraw => State::Withdrawn,
            Action::DocumentsComplete => State::Counselling,
            Action::ApprovePlan => State::AwaitingReferral,
            Action::Refer => State::Referred,
            Action::RequestGuarantees => State::GuaranteesPending,
            Action::AcceptGuarantees => State::BankApproved,
            Action::BankReject | Action::ExpireReferral => State::AwaitingReferral,
            Action::Disburse => State::Active,
            Action::Accelerate => State::Accelerated,
            Action::Close => State::Closed,
        }
    }

    /// Whether the action needs a non-blank reason: the refusals (`return`, `reject`,
    /// `bank_reject`) and `accelerate`.
    pub const fn requires_reason(self) -> bool {
        matches!(
            self,
            Action::Return | Action::Reject | Action::BankReject | Action::Accelerate
        )
    }

    /// Whether the action is automatic (performed only by [`Role::System`]).
    pub const fn is_automatic(self) -> bool {
        matches!(
            self,
            Action::DocumentsComplete | Action::ExpireReferral | Action::Close
        )
    }

    /// The event this action announces, given the (already validated, trimmed) reason.
    fn event(self, reason: Option<String>) -> Event {
        let reason = reason.unwrap_or_default();
        match self {
            Action::Approve => Event::Approved,
            Action::Return => Event::Returned { reason },
            Action::Reject => Event::Rejected { reason },
            Action::Resubmit => Event::Resubmitted,
            Action::Withdraw => Event::Withdrawn,
            Action::DocumentsComplete => Event::DocumentsComplete,
            Action::ApprovePlan => Event::PlanApproved,
            Action::Refer => Event::Referred,
            Action::RequestGuarantees => Event::GuaranteesRequested,
            Action::AcceptGuarantees => Event::BankApproved,
            Action::BankReject => Event::BankRejected { reason },
            Action::ExpireReferral => Event::ReferralExpired,
            Action::Disburse => Event::Disbursed,
            Action::Accelerate => Event::Accelerated { reason },
            Action::Close => Event::Closed,
        }
    }
}

/// What the applicant is told about a transition. Another crate turns it into SMS and
/// portal-inbox text; reasons are the staff's words, carried verbatim (trimmed).
///
/// Serialised with an internal tag: `{"kind":"returned","reason":"…"}`, `{"kind":"approved"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The file was registered (see [`register`]).
    Registered,
    /// Sent back for correction.
    Returned {
        /// What to correct.
        reason: String,
    },
    /// Refused by the social-work unit.
    Rejected {
        /// Why.
        reason: String,
    },
    /// The corrected application was sent back for review.
    Resubmitted,
    /// Found eligible; documents are next.
    Approved,
    /// All required documents accepted; counselling is next.
    DocumentsComplete,
    /// Business plan approved; waiting for referral to a bank.
    PlanApproved,
    /// Referred to a bank branch.
    Referred,
    /// The bank asks for guarantees.
    GuaranteesRequested,
    /// The bank accepted the guarantees and approved the loan.
    BankApproved,
    /// The bank declined; the file waits for a new referral.
    BankRejected {
        /// Why the bank declined.
        reason: String,
    },
    /// The referral letter expired; the file waits for a new referral.
    ReferralExpired,
    /// The loan was paid out.
    Disbursed,
    /// The whole balance was made due.
    Accelerated {
        /// Why.
        reason: String,
    },
    /// Every installment is paid; the service has ended.
    Closed,
    /// The application was withdrawn.
    Withdrawn,
}

impl Event {
    /// Every event kind, as returned by [`Event::kind`] (for template completeness checks).
    pub const KINDS: &'static [&'static str] = &[
        "registered",
        "returned",
        "rejected",
        "resubmitted",
        "approved",
        "documents_complete",
        "plan_approved",
        "referred",
        "guarantees_requested",
        "bank_approved",
        "bank_rejected",
        "referral_expired",
        "disbursed",
        "accelerated",
        "closed",
        "withdrawn",
    ];

    /// Stable snake_case kind, equal to the serde tag (e.g. `"returned"`).
    pub const fn kind(&self) -> &'static str {
        match self {
            Event::Registered => "registered",
            Event::Returned { .. } => "returned",
            Event::Rejected { .. } => "rejected",
            Event::Resubmitted => "resubmitted",
            Event::Approved => "approved",
            Event::DocumentsComplete => "documents_complete",
            Event::PlanApproved => "plan_approved",
            Event::Referred => "referred",
            Event::GuaranteesRequested => "guarantees_requested",
            Event::BankApproved => "bank_approved",
            Event::BankRejected { .. } => "bank_rejected",
            Event::ReferralExpired => "referral_expired",
            Event::Disbursed => "disbursed",
            Event::Accelerated { .. } => "accelerated",
            Event::Closed => "closed",
            Event::Withdrawn => "withdrawn",
        }
    }

    /// The reason carried by the event, if it carries one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Event::Returned { reason }
            | Event::Rejected { reason }
            | Event::BankRejected { reason }
            | Event::Accelerated { reason } => Some(reason),
            _ => None,
        }
    }
}

/// The free-text input of an action. Action-specific data (amounts, branch, guarantees) is
/// validated elsewhere; the workflow only needs the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionInput {
    /// Why: required by `return`, `reject`, `bank_reject` and `accelerate`, told to the
    /// applicant. Blank after trimming counts as missing.
    pub reason: Option<String>,
    /// An internal note for the file's history; never required.
    pub note: Option<String>,
}

impl ActionInput {
    /// Input with neither reason nor note.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the reason.
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// Sets the note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The reason trimmed, or `None` if absent or blank.
    pub fn trimmed_reason(&self) -> Option<&str> {
        non_blank(self.reason.as_deref())
    }

    /// The note trimmed, or `None` if absent or blank.
    pub fn trimmed_note(&self) -> Option<&str> {
        non_blank(self.note.as_deref())
    }
}

fn non_blank(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// A permitted state change, to be recorded with its event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Transition {
    /// The state the file leaves.
    pub from: State,
    /// The state the file enters.
    pub to: State,
    /// The action that caused it.
    pub action: Action,
    /// What to announce to the applicant.
    pub event: Event,
}

/// The referral states: a bank holds the file and a quota is consumed.
const fn holds_referral(state: State) -> bool {
    matches!(
        state,
        State::Referred | State::GuaranteesPending | State::BankApproved
    )
}

impl Transition {
    /// Whether this transition creates a referral and so consumes the bank's quota.
    pub const fn consumes_quota(&self) -> bool {
        matches!(self.action, Action::Refer)
    }

    /// Whether this transition ends a referral without disbursement and so releases the
    /// quota it consumed: `bank_reject`, `expire_referral`, or `withdraw` while referred.
    pub const fn releases_quota(&self) -> bool {
        holds_referral(self.from) && !holds_referral(self.to) && !matches!(self.to, State::Active)
    }
}

/// Why a workflow request is refused. Map to HTTP by [`WorkflowError::code`]:
/// `role_not_allowed` → 403, `invalid_state` → 409, `reason_required` → 422.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum WorkflowError {
    /// The role may never perform this action, in any state.
    #[error("role {role} may not perform {action}")]
    RoleNotAllowed {
        /// The acting role.
        role: Role,
        /// The requested action.
        action: Action,
    },
    /// The role may not register a file.
    #[error("role {role} may not register a file")]
    RegisterNotAllowed {
        /// The acting role.
        role: Role,
    },
    /// The action is not possible from the file's current state.
    #[error("{action} is not possible in state {state}")]
    WrongState {
        /// The file's current state.
        state: State,
        /// The requested action.
        action: Action,
    },
    /// The action needs a non-blank reason.
    #[error("{action} requires a reason")]
    ReasonRequired {
        /// The requested action.
        action: Action,
    },
}

impl WorkflowError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::RoleNotAllowed { .. } | Self::RegisterNotAllowed { .. } => "role_not_allowed",
            Self::WrongState { .. } => "invalid_state",
            Self::ReasonRequired { .. } => "reason_required",
        }
    }
}

/// Decides whether `role` may perform `action` on a file in `state`, and what follows.
///
/// Checks, in this order: the role may perform the action at all
/// ([`WorkflowError::RoleNotAllowed`]); the state allows it ([`WorkflowError::WrongState`]);
/// a non-blank reason is given where required ([`WorkflowError::ReasonRequired`]). The event
/// carries the trimmed reason. Scope and version are the caller's to check.
pub fn decide(
    state: State,
    action: Action,
    role: Role,
    input: &ActionInput,
) -> Result<Transition, WorkflowError> {
    if !action.allows_role(role) {
        return Err(WorkflowError::RoleNotAllowed { role, action });
    }
    if !action.allowed_from(state) {
        return Err(WorkflowError::WrongState { state, action });
    }
    let reason = input.trimmed_reason();
    if action.requires_reason() && reason.is_none() {
        return Err(WorkflowError::ReasonRequired { action });
    }
    let reason = if action.requires_reason() {
        reason.map(str::to_owned)
    } else {
        None
    };
    Ok(Transition {
        from: state,
        to: action.target(),
        action,
        event: action.event(reason),
    })
}

/// The roles that may register a new file: the applicant (their own), the desk clerk (on an
/// applicant's behalf), and `national_admin` as the identity of a partner gateway using the
/// JSON API channel.
pub const REGISTERING_ROLES: &[Role] = &[Role::Applicant, Role::DeskClerk, Role::NationalAdmin];

/// Registers a new file: the initial state (`submitted`) and the [`Event::Registered`]
/// announcement, or [`WorkflowError::RegisterNotAllowed`] for any role outside
/// [`REGISTERING_ROLES`].
pub fn register(role: Role) -> Result<(State, Event), WorkflowError> {
    if REGISTERING_ROLES.contains(&role) {
        Ok((State::Submitted, Event::Registered))
    } else {
        Err(WorkflowError::RegisterNotAllowed { role })
    }
}

/// The actions `role` may take on a file in `state` now, in [`Action::ALL`] order: exactly
/// those for which [`decide`] passes its role and state checks (a reason may still be
/// needed; see [`Action::requires_reason`]). Automatic actions belong to [`Role::System`]
/// only, so they never appear for a login role.
pub fn available_actions(state: State, role: Role) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| a.allows_role(role) && a.allowed_from(state))
        .collect()
}

/// Who must move next, for the service-level clock: the agency's clock runs only while the
/// agency owns the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageOwner {
    /// The agency (social work, counselling, referral).
    Agency,
    /// The partner bank.
    Bank,
    /// The applicant (corrections, missing documents, guarantees): pauses the agency's clock.
    Applicant,
    /// Nobody: the file is terminal or in repayment; no stage clock runs.
    None,
}

impl StageOwner {
    /// Stable snake_case name (`agency`, `bank`, `applicant`, `none`), as stored.
    pub const fn as_str(self) -> &'static str {
        match self {
            StageOwner::Agency => "agency",
            StageOwner::Bank => "bank",
            StageOwner::Applicant => "applicant",
            StageOwner::None => "none",
        }
    }
}

impl fmt::Display for StageOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who owns the stage a file in `state` is in. `documents_missing` matters only in
/// `documents_pending`: the applicant owns it while a required document is missing (not yet
/// uploaded, or rejected and not replaced), the agency while uploads await review.
pub const fn stage_owner(state: State, documents_missing: bool) -> StageOwner {
    match state {
        State::Submitted | State::Counselling | State::AwaitingReferral => StageOwner::Agency,
        State::DocumentsPending if documents_missing => StageOwner::Applicant,
        State::DocumentsPending => StageOwner::Agency,
        State::NeedsCorrection | State::GuaranteesPending => StageOwner::Applicant,
        State::Referred | State::BankApproved => StageOwner::Bank,
        State::Active | State::Accelerated | State::Closed | State::Rejected | State::Withdrawn => {
            StageOwner::None
        }
    }
}
