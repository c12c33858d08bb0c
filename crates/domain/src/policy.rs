//! Access policy: the one place that answers every (actor, action, record) question.
//!
//! An [`Actor`] is a [`Role`] with the [`Scope`] it works in. A file is described by its
//! [`FileScope`]. The answers follow one rule (SPEC §1): a record outside the actor's scope
//! is [`Access::NotFound`] — its existence is never revealed — while a record in scope on
//! which the role may not perform the requested action is [`Access::Forbidden`].
//!
//! | role | scope | sees files |
//! |---|---|---|
//! | applicant | [`Scope::Own`] | their own |
//! | desk_clerk, social_worker, employment_expert, office_head | [`Scope::County`] | in that county |
//! | province_admin | [`Scope::Province`] | in that province |
//! | bank_officer | [`Scope::Bank`] | referred to that bank (and branch, if set) |
//! | national_admin, auditor, system | [`Scope::All`] | all |
//!
//! Whether an action fits the file's *state* is [`crate::workflow::decide`]'s question; this
//! module decides who and where.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::workflow::{Action, REGISTERING_ROLES, Role};

/// The records an actor works on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// One person's own files (the applicant).
    Own {
        /// The person.
        person_id: i64,
    },
    /// One county (county staff).
    County {
        /// The county's province.
        province_code: String,
        /// The county.
        county_code: String,
    },
    /// One province (province admin).
    Province {
        /// The province.
        province_code: String,
    },
    /// Files referred to one bank, optionally one branch (bank officer).
    Bank {
        /// The bank.
        bank_id: i64,
        /// The branch, if the officer is restricted to one.
        branch_id: Option<i64>,
    },
    /// Everything (national admin, auditor, system).
    All,
}

/// The kind of scope a role requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ScopeKind {
    Own,
    County,
    Province,
    Bank,
    All,
}

impl Scope {
    fn kind(&self) -> ScopeKind {
        match self {
            Scope::Own { .. } => ScopeKind::Own,
            Scope::County { .. } => ScopeKind::County,
            Scope::Province { .. } => ScopeKind::Province,
            Scope::Bank { .. } => ScopeKind::Bank,
            Scope::All => ScopeKind::All,
        }
    }

    /// Whether this scope covers everything in `province_code` (province admins of that
    /// province and everyone with [`Scope::All`]).
    pub fn covers_province(&self, province_code: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Province { province_code: p } => p == province_code,
            _ => false,
        }
    }
}

const fn required_scope(role: Role) -> ScopeKind {
    match role {
        Role::Applicant => ScopeKind::Own,
        Role::DeskClerk | Role::SocialWorker | Role::EmploymentExpert | Role::OfficeHead => {
            ScopeKind::County
        }
        Role::ProvinceAdmin => ScopeKind::Province,
        Role::BankOfficer => ScopeKind::Bank,
        Role::NationalAdmin | Role::Auditor | Role::System => ScopeKind::All,
    }
}

/// Why an actor cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum PolicyError {
    /// The scope does not fit the role (e.g. a county scope for a bank officer), a scope
    /// code is blank, or the identities contradict the role (an applicant without their
    /// own person, a person id that differs from the scope's).
    #[error("scope does not fit role {role}")]
    ScopeMismatch {
        /// The role.
        role: Role,
    },
}

impl PolicyError {
    /// Stable snake_case code for translation and API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ScopeMismatch { .. } => "scope_mismatch",
        }
    }
}

/// Who is acting: a role, the scope it works in, and the identities behind it.
///
/// Built only through [`Actor::new`] (or the shorthands), so the role and scope always fit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor {
    role: Role,
    scope: Scope,
    staff_id: Option<i64>,
    person_id: Option<i64>,
}

impl Actor {
    /// Builds an actor, checking that the scope fits the role: applicant → [`Scope::Own`];
    /// desk_clerk, social_worker, employment_expert, office_head → [`Scope::County`];
    /// province_admin → [`Scope::Province`]; bank_officer → [`Scope::Bank`]; national_admin,
    /// auditor, system → [`Scope::All`]. Province and county codes must be non-blank. An
    /// applicant has no `staff_id` and their `person_id`, if given, must equal the scope's
    /// (it is filled from the scope otherwise). Staff have no `person_id`; the system has
    /// neither identity.
    pub fn new(
        role: Role,
        scope: Scope,
        staff_id: Option<i64>,
        person_id: Option<i64>,
    ) -> Result<Actor, PolicyError> {
        let mismatch = PolicyError::ScopeMismatch { role };
        if scope.kind() != required_scope(role) {
            return Err(mismatch);
        }
        let blank = |s: &str| s.trim().is_empty();
        match &scope {
            Scope::County {
                province_code,
                county_code,
            } if blank(province_code) || blank(county_code) => return Err(mismatch),
            Scope::Province { province_code } if blank(province_code) => return Err(mismatch),
            _ => {}
        }
        let person_id = match (role, &scope) {
            (Role::Applicant, Scope::Own { person_id: own }) => {
                if staff_id.is_some() || person_id.is_some_and(|p| p != *own) {
                    return Err(mismatch);
                }
                Some(*own)
            }
            (Role::System, _) => {
                if staff_id.is_some() || person_id.is_some() {
                    return Err(mismatch);
                }
                None
            }
            _ => {
                if person_id.is_some() {
                    return Err(mismatch);
                }
                None
            }
        };
        Ok(Actor {
            role,
            scope,
            staff_id,
            person_id,
        })
    }

    /// An applicant acting on their own files.
    pub fn applicant(person_id: i64) -> Actor {
        Actor {
            role: Role::Applicant,
            scope: Scope::Own { person_id },
            staff_id: None,
            person_id: Some(person_id),
        }
    }

    /// A staff member; same checks as [`Actor::new`].
    pub fn staff(role: Role, staff_id: i64, scope: Scope) -> Result<Actor, PolicyError> {
        if !role.is_staff() {
            return Err(PolicyError::ScopeMismatch { role });
        }
        Actor::new(role, scope, Some(staff_id), None)
    }

    /// The service itself (automatic transitions, close of business), with [`Scope::All`].
    pub fn system() -> Actor {
        Actor {
            role: Role::System,
            scope: Scope::All,
            staff_id: None,
            person_id: None,
        }
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The staff account, for staff.
    pub fn staff_id(&self) -> Option<i64> {
        self.staff_id
    }

    /// The person, for an applicant.
    pub fn person_id(&self) -> Option<i64> {
        self.person_id
    }
}

/// Where a file belongs, for access decisions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileScope {
    /// The applicant.
    pub person_id: i64,
    /// The file's province.
    pub province_code: String,
    /// The file's county.
    pub county_code: String,
    /// The bank of the file's current or last referral, if it was ever referred.
    pub bank_id: Option<i64>,
    /// The branch of the file's current or last referral.
    pub branch_id: Option<i64>,
}

/// The answer to an access question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Go ahead.
    Allowed,
    /// The record is in scope but the role may not do this (HTTP 403, code `forbidden`).
    Forbidden,
    /// The record is outside the actor's scope; answer as if it did not exist (HTTP 404,
    /// code `not_found`).
    NotFound,
}

impl Access {
    /// Whether access is granted.
    pub const fn is_allowed(self) -> bool {
        matches!(self, Access::Allowed)
    }

    /// Stable snake_case code of a refusal (`forbidden`, `not_found`); `None` when allowed.
    pub const fn code(self) -> Option<&'static str> {
        match self {
            Access::Allowed => None,
            Access::Forbidden => Some("forbidden"),
            Access::NotFound => Some("not_found"),
        }
    }
}

/// Whether `actor` may see `file` at all: [`Access::Allowed`] or [`Access::NotFound`]
/// (never [`Access::Forbidden`]).
///
/// Applicant: own files. County staff: files in their county. Province admin: files in
/// their province. Bank officer: files whose current or last referral is to their bank (and
/// their branch, if they are restricted to one). National admin, auditor, system: all.
pub fn can_view_file(actor: &Actor, file: &FileScope) -> Access {
    let visible = match &actor.scope {
        Scope::Own { person_id } => *person_id == file.person_id,
        Scope::County {
            province_code,
            county_code,
        } => *province_code == file.province_code && *county_code == file.county_code,
        Scope::Province { province_code } => *province_code == file.province_code,
        Scope::Bank { bank_id, branch_id } => {
            file.bank_id == Some(*bank_id)
                && branch_id.is_none_or(|branch| file.branch_id == Some(branch))
        }
        Scope::All => true,
    };
    if visible {
        Access::Allowed
    } else {
        Access::NotFound
    }
}

/// Whether `actor` may perform the workflow `action` on `file`: [`Access::NotFound`] if the
/// file is not visible, [`Access::Forbidden`] if the role may never perform the action,
/// [`Access::Allowed`] otherwise. The file's state is then checked by
/// [`crate::workflow::decide`].
pub fn can_act_on_file(actor: &Actor, action: Action, file: &FileScope) -> Access {
    match can_view_file(actor, file) {
        Access::Allowed if action.allows_role(actor.role) => Access::Allowed,
        Access::Allowed => Access::Forbidden,
        other => other,
    }
}

/// A permission outside the workflow: configuration, reference data and file work that is
/// not a state change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Permission {
    /// Create and edit programs (ceilings, fees, documents, weights, service levels).
    ManagePrograms,
    /// Create and edit banks and branches.
    ManageBanks,
    /// Create and edit bank memoranda.
    ManageMemoranda,
    /// Set a memorandum's quota for a province.
    ManageQuotas {
        /// The province whose quota is edited.
        province: String,
    },
    /// Create and edit staff accounts in a province.
    ManageStaff {
        /// The province of the account being managed.
        province: String,
    },
    /// Edit the holiday calendar.
    ManageHolidays,
    /// Edit counties (e.g. the deprived-area flag).
    ManageCounties,
    /// Read the audit log.
    ViewAudit,
    /// Read reports (rows narrowed to the actor's scope by the caller).
    ViewReports,
    /// Register a file (see [`crate::workflow::register`]).
    RegisterApplicant,
    /// Accept or reject uploaded documents.
    ReviewDocuments,
    /// Upload documents to a file.
    UploadDocuments,
    /// Record a counselling session and the business-plan review.
    RecordCounselling,
    /// Record a monitoring visit.
    RecordVisit,
    /// Post a repayment.
    PostPayments,
    /// Import a bank's payment file.
    ImportPayments,
    /// Read the bank's referral inbox.
    ViewReferrals,
}

/// Whether `actor` holds `permission`. Deny by default; the grants are:
///
/// | role | permissions |
/// |---|---|
/// | national_admin | every configuration permission (programs, banks, memoranda, quotas and staff in any province, holidays, counties), audit, reports, and `RegisterApplicant` as a partner gateway |
/// | province_admin | `ManageQuotas` and `ManageStaff` for their own province, `ViewReports` |
/// | auditor | `ViewAudit`, `ViewReports` (read-only) |
/// | desk_clerk | `RegisterApplicant`, `UploadDocuments` |
/// | social_worker | `ReviewDocuments` |
/// | employment_expert | `ReviewDocuments`, `RecordCounselling`, `RecordVisit` |
/// | bank_officer | `PostPayments`, `ImportPayments`, `ViewReferrals`, `ViewReports` (their bank's rows) |
/// | applicant | `RegisterApplicant` (themselves), `UploadDocuments` (own file) |
/// | office_head, system | nothing |
///
/// File-bound permissions are granted per file by [`check_file_permission`], which adds the
/// scope check.
pub fn allows(actor: &Actor, permission: &Permission) -> bool {
    use Permission as P;
    let granted = match actor.role {
        Role::NationalAdmin => matches!(
            permission,
            P::ManagePrograms
                | P::ManageBanks
                | P::ManageMemoranda
                | P::ManageQuotas { .. }
                | P::ManageStaff { .. }
                | P::ManageHolidays
                | P::ManageCounties
                | P::ViewAudit
                | P::ViewReports
                | P::RegisterApplicant
        ),
        Role::ProvinceAdmin => match permission {
            P::ManageQuotas { province } | P::ManageStaff { province } => {
                actor.scope.covers_province(province)
            }
            P::ViewReports => true,
            _ => false,
        },
        Role::Auditor => matches!(permission, P::ViewAudit | P::ViewReports),
        Role::DeskClerk => matches!(permission, P::RegisterApplicant | P::UploadDocuments),
        Role::SocialWorker => matches!(permission, P::ReviewDocuments),
        Role::EmploymentExpert => matches!(
            permission,
            P::ReviewDocuments | P::RecordCounselling | P::RecordVisit
        ),
        Role::BankOfficer => matches!(
            permission,
            P::PostPayments | P::ImportPayments | P::ViewReferrals | P::ViewReports
        ),
        Role::Applicant => matches!(permission, P::RegisterApplicant | P::UploadDocuments),
        Role::OfficeHead | Role::System => false,
    };
    // Registration has one source of truth: the workflow's list of registering roles.
    granted
        && (!matches!(permission, P::RegisterApplicant) || REGISTERING_ROLES.contains(&actor.role))
}

/// A permission exercised on one file (uploading or reviewing its documents, recording a
/// visit, posting a payment to its loan): [`Access::NotFound`] if the file is not visible,
/// [`Access::Forbidden`] if the actor lacks the permission, [`Access::Allowed`] otherwise.
pub fn check_file_permission(actor: &Actor, permission: &Permission, file: &FileScope) -> Access {
    match can_view_file(actor, file) {
        Access::Allowed if allows(actor, permission) => Access::Allowed,
        Access::Allowed => Access::Forbidden,
        other => other,
    }
}
