//! Who acts ([`Role`]), what they ask for ([`Action`]) and with which words ([`ActionInput`]).

use serde::{Deserialize, Serialize};

use super::event::Event;
use super::state::State;
use crate::named::named_enum;

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
        /// Office head: an appeal against the rejection was upheld; the file goes back to the
        /// social-work review. Only through an appeal's answer (`complaints::answer`), never
        /// the actions endpoint, so it is not in [`Action::MANUAL`].
        Reopen => "reopen",
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
            Action::Refer | Action::Accelerate | Action::Reopen => &[Role::OfficeHead],
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
            Action::Reopen => &[State::Rejected],
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
            Action::Resubmit | Action::Reopen => State::Submitted,
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
    pub(super) fn event(self, reason: Option<String>) -> Event {
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
            Action::Reopen => Event::Reopened,
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
