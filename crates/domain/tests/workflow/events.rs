//! The happy path, the events each action makes, who registers, who owns each stage and what each
//! action does to the quota.

use super::*;

#[test]
fn the_happy_path_and_its_events() {
    let steps = [
        (
            Action::Approve,
            Role::SocialWorker,
            State::DocumentsPending,
            Event::Approved,
        ),
        (
            Action::DocumentsComplete,
            Role::System,
            State::Counselling,
            Event::DocumentsComplete,
        ),
        (
            Action::ApprovePlan,
            Role::EmploymentExpert,
            State::AwaitingReferral,
            Event::PlanApproved,
        ),
        (
            Action::Refer,
            Role::OfficeHead,
            State::Referred,
            Event::Referred,
        ),
        (
            Action::RequestGuarantees,
            Role::BankOfficer,
            State::GuaranteesPending,
            Event::GuaranteesRequested,
        ),
        (
            Action::AcceptGuarantees,
            Role::BankOfficer,
            State::BankApproved,
            Event::BankApproved,
        ),
        (
            Action::Disburse,
            Role::BankOfficer,
            State::Active,
            Event::Disbursed,
        ),
        (Action::Close, Role::System, State::Closed, Event::Closed),
    ];
    let (mut state, event) = register(Role::Applicant).unwrap();
    assert_eq!(state, State::Submitted);
    assert_eq!(event, Event::Registered);
    for (action, role, to, event) in steps {
        let input = ActionInput::new().with_note("internal");
        let t = decide(state, action, role, &input).unwrap();
        assert_eq!((t.to, &t.event), (to, &event), "{action}");
        state = t.to;
    }
    assert!(state.is_terminal());
}

#[test]
fn reasons_are_trimmed_into_events_and_ignored_elsewhere() {
    let t = decide(
        State::Submitted,
        Action::Return,
        Role::SocialWorker,
        &ActionInput::new().with_reason("\u{3000} کارت ملی خوانا نیست \n"),
    )
    .unwrap();
    assert_eq!(
        t.event,
        Event::Returned {
            reason: "کارت ملی خوانا نیست".into()
        }
    );
    // A reason given where none is needed is not announced.
    let t = decide(
        State::Submitted,
        Action::Approve,
        Role::SocialWorker,
        &with_reason(),
    )
    .unwrap();
    assert_eq!(t.event, Event::Approved);
    let t = decide(
        State::Active,
        Action::Accelerate,
        Role::OfficeHead,
        &with_reason(),
    )
    .unwrap();
    assert_eq!(t.event.kind(), "accelerated");
}

#[test]
fn event_serde_uses_kind_tag() {
    let e = Event::BankRejected {
        reason: "اعتبارسنجی".into(),
    };
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"kind": "bank_rejected", "reason": "اعتبارسنجی"})
    );
    assert_eq!(serde_json::from_value::<Event>(json).unwrap(), e);
    assert_eq!(
        serde_json::to_value(Event::Closed).unwrap(),
        serde_json::json!({"kind": "closed"})
    );
    // Every kind the transitions can produce is listed in KINDS, and KINDS has no extras.
    let mut produced = BTreeSet::from(["registered"]);
    for r in RULES {
        produced.insert(r.event);
    }
    let kinds: BTreeSet<&str> = Event::KINDS.iter().copied().collect();
    assert_eq!(produced, kinds);
    assert_eq!(kinds.len(), Event::KINDS.len());
}

#[test]
fn registration_roles() {
    for &role in Role::ALL {
        let ok = matches!(
            role,
            Role::Applicant | Role::DeskClerk | Role::NationalAdmin
        );
        match register(role) {
            Ok((state, event)) => {
                assert!(ok, "{role}");
                assert_eq!(state, State::Submitted);
                assert_eq!(event.kind(), "registered");
            }
            Err(e) => {
                assert!(!ok, "{role}");
                assert_eq!(e, WorkflowError::RegisterNotAllowed { role });
                assert_eq!(e.code(), "role_not_allowed");
            }
        }
    }
}

#[test]
fn stage_owners() {
    use StageOwner::*;
    let expected = [
        ("submitted", Agency, Agency),
        ("needs_correction", Applicant, Applicant),
        ("rejected", None, None),
        ("documents_pending", Applicant, Agency),
        ("counselling", Agency, Agency),
        ("awaiting_referral", Agency, Agency),
        ("referred", Bank, Bank),
        ("guarantees_pending", Applicant, Applicant),
        ("bank_approved", Bank, Bank),
        ("active", None, None),
        ("accelerated", None, None),
        ("closed", None, None),
        ("withdrawn", None, None),
    ];
    for (name, missing, complete) in expected {
        let s = State::parse(name).unwrap();
        assert_eq!(stage_owner(s, true), missing, "{name} missing");
        assert_eq!(stage_owner(s, false), complete, "{name} complete");
    }
    assert_eq!(StageOwner::Applicant.as_str(), "applicant");
    assert_eq!(
        serde_json::to_string(&StageOwner::None).unwrap(),
        "\"none\""
    );
}

#[test]
fn quota_effects() {
    let refer = decide(
        State::AwaitingReferral,
        Action::Refer,
        Role::OfficeHead,
        &ActionInput::new(),
    )
    .unwrap();
    assert!(refer.consumes_quota() && !refer.releases_quota());
    for (state, action, role) in [
        (State::Referred, Action::BankReject, Role::BankOfficer),
        (State::BankApproved, Action::BankReject, Role::BankOfficer),
        (
            State::GuaranteesPending,
            Action::ExpireReferral,
            Role::System,
        ),
        (State::Referred, Action::Withdraw, Role::Applicant),
        (State::BankApproved, Action::Withdraw, Role::DeskClerk),
    ] {
        let t = decide(state, action, role, &with_reason()).unwrap();
        assert!(
            t.releases_quota() && !t.consumes_quota(),
            "{state} {action}"
        );
    }
    for (state, action, role) in [
        (State::BankApproved, Action::Disburse, Role::BankOfficer),
        (State::Counselling, Action::Withdraw, Role::Applicant),
        (
            State::Referred,
            Action::RequestGuarantees,
            Role::BankOfficer,
        ),
    ] {
        let t = decide(state, action, role, &with_reason()).unwrap();
        assert!(!t.releases_quota(), "{state} {action}");
    }
}
