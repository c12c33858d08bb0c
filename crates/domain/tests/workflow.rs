//! The workflow state machine against an independently written copy of SPEC §3.

use std::collections::{BTreeSet, VecDeque};

use proptest::prelude::*;
use vamyar_domain::workflow::{
    Action, ActionInput, Event, Role, StageOwner, State, Transition, WorkflowError,
    available_actions, decide, register, stage_owner,
};

#[path = "workflow/checks.rs"]
mod checks;
#[path = "workflow/events.rs"]
mod events;

/// One row of the expected table: action, roles, from-states, to-state, reason required,
/// event kind. Written from SPEC §3 by name, not from the implementation's accessors.
struct Rule {
    action: &'static str,
    roles: &'static [&'static str],
    from: &'static [&'static str],
    to: &'static str,
    reason: bool,
    event: &'static str,
}

const BEFORE_DISBURSEMENT: &[&str] = &[
    "submitted",
    "needs_correction",
    "documents_pending",
    "counselling",
    "awaiting_referral",
    "referred",
    "guarantees_pending",
    "bank_approved",
];

const RULES: &[Rule] = &[
    Rule {
        action: "approve",
        roles: &["social_worker"],
        from: &["submitted"],
        to: "documents_pending",
        reason: false,
        event: "approved",
    },
    Rule {
        action: "return",
        roles: &["social_worker"],
        from: &["submitted"],
        to: "needs_correction",
        reason: true,
        event: "returned",
    },
    Rule {
        action: "reject",
        roles: &["social_worker"],
        from: &["submitted"],
        to: "rejected",
        reason: true,
        event: "rejected",
    },
    Rule {
        action: "resubmit",
        roles: &["applicant", "desk_clerk"],
        from: &["needs_correction"],
        to: "submitted",
        reason: false,
        event: "resubmitted",
    },
    Rule {
        action: "withdraw",
        roles: &["applicant", "desk_clerk"],
        from: BEFORE_DISBURSEMENT,
        to: "withdrawn",
        reason: false,
        event: "withdrawn",
    },
    Rule {
        action: "documents_complete",
        roles: &["system"],
        from: &["documents_pending"],
        to: "counselling",
        reason: false,
        event: "documents_complete",
    },
    Rule {
        action: "approve_plan",
        roles: &["employment_expert"],
        from: &["counselling"],
        to: "awaiting_referral",
        reason: false,
        event: "plan_approved",
    },
    Rule {
        action: "refer",
        roles: &["office_head"],
        from: &["awaiting_referral"],
        to: "referred",
        reason: false,
        event: "referred",
    },
    Rule {
        action: "request_guarantees",
        roles: &["bank_officer"],
        from: &["referred"],
        to: "guarantees_pending",
        reason: false,
        event: "guarantees_requested",
    },
    Rule {
        action: "accept_guarantees",
        roles: &["bank_officer"],
        from: &["guarantees_pending"],
        to: "bank_approved",
        reason: false,
        event: "bank_approved",
    },
    Rule {
        action: "bank_reject",
        roles: &["bank_officer"],
        from: &["referred", "guarantees_pending", "bank_approved"],
        to: "awaiting_referral",
        reason: true,
        event: "bank_rejected",
    },
    Rule {
        action: "expire_referral",
        roles: &["system"],
        from: &["referred", "guarantees_pending"],
        to: "awaiting_referral",
        reason: false,
        event: "referral_expired",
    },
    Rule {
        action: "disburse",
        roles: &["bank_officer"],
        from: &["bank_approved"],
        to: "active",
        reason: false,
        event: "disbursed",
    },
    Rule {
        action: "accelerate",
        roles: &["office_head"],
        from: &["active"],
        to: "accelerated",
        reason: true,
        event: "accelerated",
    },
    Rule {
        action: "close",
        roles: &["system"],
        from: &["active", "accelerated"],
        to: "closed",
        reason: false,
        event: "closed",
    },
    Rule {
        action: "reopen",
        roles: &["office_head"],
        from: &["rejected"],
        to: "submitted",
        reason: false,
        event: "reopened",
    },
];

const STATE_NAMES: &[&str] = &[
    "submitted",
    "needs_correction",
    "rejected",
    "documents_pending",
    "counselling",
    "awaiting_referral",
    "referred",
    "guarantees_pending",
    "bank_approved",
    "active",
    "accelerated",
    "closed",
    "withdrawn",
];

const ROLE_NAMES: &[&str] = &[
    "applicant",
    "desk_clerk",
    "social_worker",
    "employment_expert",
    "office_head",
    "bank_officer",
    "province_admin",
    "national_admin",
    "auditor",
    "system",
];

fn rule(action: Action) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.action == action.as_str())
        .unwrap_or_else(|| panic!("no expectation for {action}"))
}

fn with_reason() -> ActionInput {
    ActionInput::new().with_reason("  مدارک ناقص است  ")
}

#[test]
fn names_round_trip_and_match_the_spec() {
    let states: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(states, STATE_NAMES);
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(roles, ROLE_NAMES);
    let actions: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    let expected: Vec<&str> = RULES.iter().map(|r| r.action).collect();
    assert_eq!(actions, expected);

    for &s in State::ALL {
        assert_eq!(State::parse(s.as_str()), Some(s));
        assert_eq!(s.to_string(), s.as_str());
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        assert_eq!(
            serde_json::from_str::<State>(&format!("\"{s}\"")).unwrap(),
            s
        );
    }
    for &r in Role::ALL {
        assert_eq!(Role::parse(r.as_str()), Some(r));
        assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{r}\""));
    }
    for &a in Action::ALL {
        assert_eq!(Action::parse(a.as_str()), Some(a));
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
    }
    assert_eq!(Action::Return.as_str(), "return");
    assert_eq!(State::parse("Submitted"), None);
    assert_eq!(State::parse(" submitted"), None);
    assert_eq!(Action::parse("bank-reject"), None);
    assert_eq!(Role::parse(""), None);
}

#[test]
fn login_and_staff_roles() {
    assert_eq!(Role::LOGIN_ROLES.len(), 9);
    assert!(!Role::LOGIN_ROLES.contains(&Role::System));
    assert_eq!(Role::parse("system"), Some(Role::System));
    assert_eq!(Role::parse_login("system"), None);
    assert_eq!(Role::parse_login("auditor"), Some(Role::Auditor));
    for &r in Role::ALL {
        let staff = !matches!(r, Role::Applicant | Role::System);
        assert_eq!(r.is_staff(), staff, "{r}");
        assert_eq!(Role::STAFF_ROLES.contains(&r), staff, "{r}");
        assert_eq!(r.is_login_role(), r != Role::System, "{r}");
    }
}

#[test]
fn state_predicates() {
    for &s in State::ALL {
        let name = s.as_str();
        let terminal = matches!(name, "rejected" | "withdrawn" | "closed");
        assert_eq!(s.is_terminal(), terminal, "{name}");
        assert_eq!(s.is_open(), !terminal, "{name}");
        assert_eq!(
            s.before_disbursement(),
            BEFORE_DISBURSEMENT.contains(&name),
            "{name}"
        );
    }
}

/// Every (state, action, role) triple, with and without a reason, against the table.
#[test]
fn every_triple_matches_the_expectation_table() {
    let mut allowed = 0;
    for &state in State::ALL {
        for &action in Action::ALL {
            let r = rule(action);
            for &role in Role::ALL {
                let role_ok = r.roles.contains(&role.as_str());
                let state_ok = r.from.contains(&state.as_str());
                for input in [
                    ActionInput::new(),
                    with_reason(),
                    ActionInput::new().with_reason(" \t\n "),
                ] {
                    let got = decide(state, action, role, &input);
                    let has_reason = input
                        .reason
                        .as_deref()
                        .is_some_and(|t| !t.trim().is_empty());
                    let ctx = format!("{state} {action} {role} reason={:?}", input.reason);
                    if !role_ok {
                        assert_eq!(
                            got,
                            Err(WorkflowError::RoleNotAllowed { role, action }),
                            "{ctx}"
                        );
                        assert_eq!(got.unwrap_err().code(), "role_not_allowed");
                    } else if !state_ok {
                        assert_eq!(
                            got,
                            Err(WorkflowError::WrongState { state, action }),
                            "{ctx}"
                        );
                        assert_eq!(got.unwrap_err().code(), "invalid_state");
                    } else if r.reason && !has_reason {
                        assert_eq!(got, Err(WorkflowError::ReasonRequired { action }), "{ctx}");
                        assert_eq!(got.unwrap_err().code(), "reason_required");
                    } else {
                        let t: Transition = got.unwrap_or_else(|e| panic!("{ctx}: {e:?}"));
                        allowed += 1;
                        assert_eq!(t.from, state, "{ctx}");
                        assert_eq!(t.to.as_str(), r.to, "{ctx}");
                        assert_eq!(t.action, action, "{ctx}");
                        assert_eq!(t.event.kind(), r.event, "{ctx}");
                        if r.reason {
                            assert_eq!(t.event.reason(), Some("مدارک ناقص است"), "{ctx}");
                        } else {
                            assert_eq!(t.event.reason(), None, "{ctx}");
                        }
                    }
                }
            }
        }
    }
    // Sanity: the table allows a known number of (state, action, role, input) combinations.
    let expected: usize = RULES
        .iter()
        .map(|r| r.roles.len() * r.from.len() * if r.reason { 1 } else { 3 })
        .sum();
    assert_eq!(allowed, expected);
}

#[test]
fn admins_and_auditors_perform_no_workflow_action() {
    for role in [Role::ProvinceAdmin, Role::NationalAdmin, Role::Auditor] {
        for &state in State::ALL {
            assert!(available_actions(state, role).is_empty(), "{role} {state}");
            for &action in Action::ALL {
                assert!(matches!(
                    decide(state, action, role, &with_reason()),
                    Err(WorkflowError::RoleNotAllowed { .. })
                ));
            }
        }
    }
}

#[test]
fn every_state_is_reachable_from_submitted() {
    let mut seen = BTreeSet::from([State::Submitted]);
    let mut queue = VecDeque::from([State::Submitted]);
    while let Some(state) = queue.pop_front() {
        for &role in Role::ALL {
            for action in available_actions(state, role) {
                let t = decide(state, action, role, &with_reason()).unwrap();
                if seen.insert(t.to) {
                    queue.push_back(t.to);
                }
            }
        }
    }
    let all: BTreeSet<State> = State::ALL.iter().copied().collect();
    assert_eq!(seen, all);
}

#[test]
fn terminal_states_have_no_outgoing_actions() {
    for &state in State::ALL.iter().filter(|s| s.is_terminal()) {
        for &role in Role::ALL {
            for &action in Action::ALL {
                // the one way back: an upheld appeal reopens a rejected file (never through
                // the actions endpoint)
                let appeal =
                    (state, action, role) == (State::Rejected, Action::Reopen, Role::OfficeHead);
                assert_eq!(
                    decide(state, action, role, &with_reason()).is_ok(),
                    appeal,
                    "{state} {action} {role}"
                );
                assert!(!appeal || !Action::MANUAL.contains(&action));
            }
        }
    }
    // And every open state has a way forward for someone.
    for &state in State::ALL.iter().filter(|s| s.is_open()) {
        assert!(
            Role::ALL
                .iter()
                .any(|&r| !available_actions(state, r).is_empty()),
            "{state} is a dead end"
        );
    }
}

#[test]
fn reasons_required_exactly_where_listed() {
    for &action in Action::ALL {
        let listed = matches!(
            action.as_str(),
            "return" | "reject" | "bank_reject" | "accelerate"
        );
        assert_eq!(action.requires_reason(), listed, "{action}");
        assert_eq!(rule(action).reason, listed, "{action}");
    }
}

fn any_state() -> impl Strategy<Value = State> {
    proptest::sample::select(State::ALL)
}
fn any_action() -> impl Strategy<Value = Action> {
    proptest::sample::select(Action::ALL)
}
fn any_role() -> impl Strategy<Value = Role> {
    proptest::sample::select(Role::ALL)
}

proptest! {
    /// Whatever the reason text, a required reason is accepted iff it has a non-space
    /// character, and the announced reason is exactly its trimmed form.
    #[test]
    fn reason_text(state in any_state(), action in any_action(), role in any_role(),
                   reason in proptest::option::of("\\PC{0,20}|[ \\t\\n]{0,5}")) {
        let input = ActionInput { reason: reason.clone(), note: None };
        let result = decide(state, action, role, &input);
        let trimmed = reason.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if let Ok(t) = &result {
            prop_assert_eq!(t.event.reason(), if action.requires_reason() { trimmed } else { None });
        }
        if matches!(result, Err(WorkflowError::ReasonRequired { .. })) {
            prop_assert!(trimmed.is_none());
        }
    }

    /// Random walks never leave the table: every accepted step ends in the action's target
    /// and terminal states stop the walk (but for an upheld appeal reopening a rejected file).
    #[test]
    fn random_walks(steps in proptest::collection::vec((any_action(), any_role()), 0..40)) {
        let mut state = State::Submitted;
        for (action, role) in steps {
            match decide(state, action, role, &with_reason()) {
                Ok(t) => {
                    prop_assert!(state.is_open() || action == Action::Reopen);
                    prop_assert_eq!(t.to.as_str(), rule(action).to);
                    state = t.to;
                }
                Err(_) => prop_assert!(!available_actions(state, role).contains(&action)),
            }
        }
    }
}
