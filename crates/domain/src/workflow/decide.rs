//! The transition function: [`decide`], [`register`] and [`available_actions`].

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::action::{Action, ActionInput, Role};
use super::event::Event;
use super::state::State;

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

/// Who moves a file on from `state` while the agency or a bank owns the stage: the role told
/// when the stage passes its service level (with the county's office head). `None` where the
/// applicant or nobody acts. In `documents_pending` the social-work unit reviews what was
/// uploaded (the move to counselling is automatic once every document is accepted).
pub const fn stage_role(state: State) -> Option<Role> {
    match state {
        State::Submitted | State::DocumentsPending => Some(Role::SocialWorker),
        State::Counselling => Some(Role::EmploymentExpert),
        State::AwaitingReferral => Some(Role::OfficeHead),
        State::Referred | State::BankApproved => Some(Role::BankOfficer),
        _ => None,
    }
}

#[cfg(test)]
mod stage_role_tests {
    use super::*;
    use crate::workflow::{StageOwner, stage_owner};

    #[test]
    fn the_role_told_of_a_breach_is_one_that_can_move_the_file_on() {
        for &state in State::ALL {
            let owned = matches!(
                stage_owner(state, false),
                StageOwner::Agency | StageOwner::Bank
            );
            assert_eq!(stage_role(state).is_some(), owned, "{state:?}");
            if let Some(role) = stage_role(state)
                && state != State::DocumentsPending
            {
                assert!(
                    available_actions(state, role)
                        .iter()
                        .any(|a| a.target() != State::Withdrawn),
                    "{role:?} cannot act in {state:?}"
                );
            }
        }
    }
}
