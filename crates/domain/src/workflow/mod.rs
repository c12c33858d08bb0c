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
//! | `reopen` | office_head | rejected | submitted | |
//!
//! `reopen` is the one way out of `rejected`: it follows an upheld appeal against the
//! rejection (the complaint's answer), never the actions endpoint (not in [`Action::MANUAL`]),
//! so the file gets a second social-work review.
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

mod action;
mod decide;
mod event;
mod state;

pub use action::{Action, ActionInput, Role};
pub use decide::{
    REGISTERING_ROLES, Transition, WorkflowError, available_actions, decide, register, stage_role,
};
pub use event::Event;
pub use state::{StageOwner, State, stage_owner};
