//! The actions offered agree with decide, which actions are automatic, and the order of the checks:
//! role, then state, then reason.

use super::*;

#[test]
fn available_actions_agree_with_decide() {
    for &state in State::ALL {
        for &role in Role::ALL {
            let available = available_actions(state, role);
            for &action in Action::ALL {
                let ok = decide(state, action, role, &with_reason()).is_ok();
                assert_eq!(available.contains(&action), ok, "{state} {role} {action}");
            }
            if role.is_login_role() {
                assert!(
                    available.iter().all(|a| !a.is_automatic()),
                    "{state} {role}"
                );
            }
        }
    }
    assert_eq!(
        available_actions(State::Submitted, Role::SocialWorker),
        vec![Action::Approve, Action::Return, Action::Reject]
    );
    assert_eq!(
        available_actions(State::Submitted, Role::Applicant),
        vec![Action::Withdraw]
    );
    assert_eq!(
        available_actions(State::BankApproved, Role::BankOfficer),
        vec![Action::BankReject, Action::Disburse]
    );
}

#[test]
fn automatic_and_manual_actions() {
    for &action in Action::ALL {
        let automatic = rule(action).roles == ["system"];
        assert_eq!(action.is_automatic(), automatic, "{action}");
        // `reopen` is a person's act, but only through an upheld appeal's answer
        let manual = !automatic && action != Action::Reopen;
        assert_eq!(Action::MANUAL.contains(&action), manual, "{action}");
    }
    assert_eq!(Action::MANUAL.len(), 12);
}

#[test]
fn role_is_checked_before_state_and_state_before_reason() {
    // Wrong role and wrong state: the role error wins.
    assert_eq!(
        decide(
            State::Closed,
            Action::Approve,
            Role::Applicant,
            &ActionInput::new()
        ),
        Err(WorkflowError::RoleNotAllowed {
            role: Role::Applicant,
            action: Action::Approve
        })
    );
    // Right role, wrong state, no reason: the state error wins.
    assert_eq!(
        decide(
            State::Counselling,
            Action::Reject,
            Role::SocialWorker,
            &ActionInput::new()
        ),
        Err(WorkflowError::WrongState {
            state: State::Counselling,
            action: Action::Reject
        })
    );
}
