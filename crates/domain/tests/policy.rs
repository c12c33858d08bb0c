//! Access policy: actor construction, file visibility, actions and permissions.

use vamyar_domain::policy::{
    Access, Actor, FileScope, Permission, PolicyError, Scope, allows, can_act_on_file,
    can_view_file, check_file_permission,
};
use vamyar_domain::workflow::{Action, Role};

fn county(p: &str, c: &str) -> Scope {
    Scope::County {
        province_code: p.into(),
        county_code: c.into(),
    }
}

fn province(p: &str) -> Scope {
    Scope::Province {
        province_code: p.into(),
    }
}

fn bank(bank_id: i64, branch_id: Option<i64>) -> Scope {
    Scope::Bank { bank_id, branch_id }
}

/// A file of person 7 in county 23-01 of province 23, referred to bank 3 branch 31.
fn file() -> FileScope {
    FileScope {
        person_id: 7,
        province_code: "23".into(),
        county_code: "23-01".into(),
        bank_id: Some(3),
        branch_id: Some(31),
    }
}

fn unreferred() -> FileScope {
    FileScope {
        bank_id: None,
        branch_id: None,
        ..file()
    }
}

/// One actor of every role, all in scope of `file()`.
fn actors_in_scope() -> Vec<Actor> {
    vec![
        Actor::applicant(7),
        Actor::staff(Role::DeskClerk, 1, county("23", "23-01")).unwrap(),
        Actor::staff(Role::SocialWorker, 2, county("23", "23-01")).unwrap(),
        Actor::staff(Role::EmploymentExpert, 3, county("23", "23-01")).unwrap(),
        Actor::staff(Role::OfficeHead, 4, county("23", "23-01")).unwrap(),
        Actor::staff(Role::BankOfficer, 5, bank(3, None)).unwrap(),
        Actor::staff(Role::ProvinceAdmin, 6, province("23")).unwrap(),
        Actor::staff(Role::NationalAdmin, 7, Scope::All).unwrap(),
        Actor::staff(Role::Auditor, 8, Scope::All).unwrap(),
        Actor::system(),
    ]
}

fn scope_for(role: Role) -> Scope {
    match role {
        Role::Applicant => Scope::Own { person_id: 1 },
        Role::DeskClerk | Role::SocialWorker | Role::EmploymentExpert | Role::OfficeHead => {
            county("23", "23-01")
        }
        Role::ProvinceAdmin => province("23"),
        Role::BankOfficer => bank(3, Some(31)),
        Role::NationalAdmin | Role::Auditor | Role::System => Scope::All,
    }
}

#[test]
fn actor_scope_must_fit_role() {
    let scopes = [
        Scope::Own { person_id: 1 },
        county("23", "23-01"),
        province("23"),
        bank(3, None),
        Scope::All,
    ];
    for &role in Role::ALL {
        let fitting = scope_for(role);
        for scope in &scopes {
            let same_kind = std::mem::discriminant(scope) == std::mem::discriminant(&fitting);
            let (staff, person) = match role {
                Role::Applicant | Role::System => (None, None),
                _ => (Some(10), None),
            };
            let got = Actor::new(role, scope.clone(), staff, person);
            if same_kind {
                let actor = got.unwrap_or_else(|e| panic!("{role} {scope:?}: {e:?}"));
                assert_eq!(actor.role(), role);
                assert_eq!(actor.scope(), scope);
            } else {
                let err = got.unwrap_err();
                assert_eq!(err, PolicyError::ScopeMismatch { role });
                assert_eq!(err.code(), "scope_mismatch");
            }
        }
    }
}

#[test]
fn actor_identities() {
    let a = Actor::new(Role::Applicant, Scope::Own { person_id: 5 }, None, None).unwrap();
    assert_eq!(a.person_id(), Some(5));
    assert_eq!(a.staff_id(), None);
    assert_eq!(a, Actor::applicant(5));
    assert!(Actor::new(Role::Applicant, Scope::Own { person_id: 5 }, None, Some(5)).is_ok());
    // Someone else's person id, or a staff id on an applicant.
    assert!(Actor::new(Role::Applicant, Scope::Own { person_id: 5 }, None, Some(6)).is_err());
    assert!(Actor::new(Role::Applicant, Scope::Own { person_id: 5 }, Some(1), None).is_err());
    // Staff carry no person id; the system carries no identity.
    assert!(Actor::new(Role::DeskClerk, county("1", "1-1"), Some(1), Some(2)).is_err());
    assert!(Actor::new(Role::System, Scope::All, Some(1), None).is_err());
    // Blank codes.
    assert!(Actor::new(Role::DeskClerk, county("1", " "), Some(1), None).is_err());
    assert!(Actor::new(Role::DeskClerk, county("", "1-1"), Some(1), None).is_err());
    assert!(Actor::new(Role::ProvinceAdmin, province("  "), Some(1), None).is_err());
    // `staff` refuses non-staff roles.
    assert!(Actor::staff(Role::Applicant, 1, Scope::Own { person_id: 1 }).is_err());
    assert!(Actor::staff(Role::System, 1, Scope::All).is_err());
    let s = Actor::staff(Role::OfficeHead, 42, county("1", "1-1")).unwrap();
    assert_eq!((s.staff_id(), s.person_id()), (Some(42), None));
    assert_eq!(Actor::system().role(), Role::System);
}

#[test]
fn everyone_in_scope_sees_the_file() {
    for actor in actors_in_scope() {
        assert_eq!(
            can_view_file(&actor, &file()),
            Access::Allowed,
            "{:?}",
            actor.role()
        );
    }
}

#[test]
fn applicants_see_only_their_own_files() {
    assert_eq!(
        can_view_file(&Actor::applicant(7), &file()),
        Access::Allowed
    );
    assert_eq!(
        can_view_file(&Actor::applicant(8), &file()),
        Access::NotFound
    );
    // Even for an action they could take on their own file.
    assert_eq!(
        can_act_on_file(&Actor::applicant(8), Action::Withdraw, &file()),
        Access::NotFound
    );
    assert_eq!(
        can_act_on_file(&Actor::applicant(7), Action::Withdraw, &file()),
        Access::Allowed
    );
    assert_eq!(
        can_act_on_file(&Actor::applicant(7), Action::Approve, &file()),
        Access::Forbidden
    );
}

#[test]
fn county_staff_outside_their_county_get_not_found() {
    for role in [
        Role::DeskClerk,
        Role::SocialWorker,
        Role::EmploymentExpert,
        Role::OfficeHead,
    ] {
        let other_county = Actor::staff(role, 1, county("23", "23-02")).unwrap();
        assert_eq!(can_view_file(&other_county, &file()), Access::NotFound);
        // Same county code under another province does not match either.
        let other_province = Actor::staff(role, 1, county("24", "23-01")).unwrap();
        assert_eq!(can_view_file(&other_province, &file()), Access::NotFound);
        for &action in Action::ALL {
            assert_eq!(
                can_act_on_file(&other_county, action, &file()),
                Access::NotFound
            );
        }
    }
    let head = Actor::staff(Role::OfficeHead, 1, county("23", "23-01")).unwrap();
    assert_eq!(
        can_act_on_file(&head, Action::Refer, &file()),
        Access::Allowed
    );
    assert_eq!(
        can_act_on_file(&head, Action::Approve, &file()),
        Access::Forbidden
    );
}

#[test]
fn province_admins_see_their_province_and_act_on_nothing() {
    let admin = Actor::staff(Role::ProvinceAdmin, 1, province("23")).unwrap();
    assert_eq!(can_view_file(&admin, &file()), Access::Allowed);
    let other = Actor::staff(Role::ProvinceAdmin, 1, province("24")).unwrap();
    assert_eq!(can_view_file(&other, &file()), Access::NotFound);
    for &action in Action::ALL {
        assert_eq!(can_act_on_file(&admin, action, &file()), Access::Forbidden);
        assert_eq!(can_act_on_file(&other, action, &file()), Access::NotFound);
    }
}

#[test]
fn bank_officers_see_only_files_referred_to_them() {
    let whole_bank = Actor::staff(Role::BankOfficer, 1, bank(3, None)).unwrap();
    let right_branch = Actor::staff(Role::BankOfficer, 1, bank(3, Some(31))).unwrap();
    let wrong_branch = Actor::staff(Role::BankOfficer, 1, bank(3, Some(32))).unwrap();
    let other_bank = Actor::staff(Role::BankOfficer, 1, bank(4, None)).unwrap();
    let other_bank_same_branch_id = Actor::staff(Role::BankOfficer, 1, bank(4, Some(31))).unwrap();

    assert_eq!(can_view_file(&whole_bank, &file()), Access::Allowed);
    assert_eq!(can_view_file(&right_branch, &file()), Access::Allowed);
    assert_eq!(can_view_file(&wrong_branch, &file()), Access::NotFound);
    assert_eq!(can_view_file(&other_bank, &file()), Access::NotFound);
    assert_eq!(
        can_view_file(&other_bank_same_branch_id, &file()),
        Access::NotFound
    );

    // A file never referred is invisible to every bank officer.
    for officer in [&whole_bank, &right_branch, &wrong_branch, &other_bank] {
        assert_eq!(can_view_file(officer, &unreferred()), Access::NotFound);
    }
    // A referral without a recorded branch is invisible to branch-restricted officers.
    let bank_only = FileScope {
        branch_id: None,
        ..file()
    };
    assert_eq!(can_view_file(&whole_bank, &bank_only), Access::Allowed);
    assert_eq!(can_view_file(&right_branch, &bank_only), Access::NotFound);

    assert_eq!(
        can_act_on_file(&right_branch, Action::Disburse, &file()),
        Access::Allowed
    );
    assert_eq!(
        can_act_on_file(&right_branch, Action::Refer, &file()),
        Access::Forbidden
    );
    assert_eq!(
        can_act_on_file(&wrong_branch, Action::Disburse, &file()),
        Access::NotFound
    );
}

#[test]
fn national_staff_and_system_see_everything() {
    let far = FileScope {
        person_id: 99,
        province_code: "01".into(),
        county_code: "01-09".into(),
        bank_id: None,
        branch_id: None,
    };
    for actor in [
        Actor::staff(Role::NationalAdmin, 1, Scope::All).unwrap(),
        Actor::staff(Role::Auditor, 1, Scope::All).unwrap(),
        Actor::system(),
    ] {
        assert_eq!(can_view_file(&actor, &far), Access::Allowed);
    }
}

/// Visibility decides NotFound; the role decides Forbidden; nothing else matters.
#[test]
fn act_on_file_matrix() {
    for actor in actors_in_scope() {
        for &action in Action::ALL {
            let expected = if action.roles().contains(&actor.role()) {
                Access::Allowed
            } else {
                Access::Forbidden
            };
            assert_eq!(
                can_act_on_file(&actor, action, &file()),
                expected,
                "{} {action}",
                actor.role()
            );
        }
    }
    // Admins and auditors never act, even though they see everything.
    for role in [Role::NationalAdmin, Role::Auditor] {
        let actor = Actor::staff(role, 1, Scope::All).unwrap();
        for &action in Action::ALL {
            assert_eq!(can_act_on_file(&actor, action, &file()), Access::Forbidden);
        }
    }
}

fn all_permissions(province: &str) -> Vec<Permission> {
    vec![
        Permission::ManagePrograms,
        Permission::ManageBanks,
        Permission::ManageMemoranda,
        Permission::ManageQuotas {
            province: province.into(),
        },
        Permission::ManageStaff {
            province: province.into(),
        },
        Permission::ManageHolidays,
        Permission::ManageCounties,
        Permission::ViewAudit,
        Permission::ViewReports,
        Permission::RegisterApplicant,
        Permission::ReviewDocuments,
        Permission::UploadDocuments,
        Permission::RecordCounselling,
        Permission::RecordVisit,
        Permission::PostPayments,
        Permission::ImportPayments,
        Permission::ViewReferrals,
    ]
}

/// Short names for the expectation table below.
fn short(p: &Permission) -> &'static str {
    match p {
        Permission::ManagePrograms => "programs",
        Permission::ManageBanks => "banks",
        Permission::ManageMemoranda => "memoranda",
        Permission::ManageQuotas { .. } => "quotas",
        Permission::ManageStaff { .. } => "staff",
        Permission::ManageHolidays => "holidays",
        Permission::ManageCounties => "counties",
        Permission::ViewAudit => "audit",
        Permission::ViewReports => "reports",
        Permission::RegisterApplicant => "register",
        Permission::ReviewDocuments => "review",
        Permission::UploadDocuments => "upload",
        Permission::RecordCounselling => "counselling",
        Permission::RecordVisit => "visit",
        Permission::PostPayments => "post",
        Permission::ImportPayments => "import",
        Permission::ViewReferrals => "referrals",
    }
}

/// The expected grants per role, for permissions about the actor's own province.
fn expected_grants(role: Role) -> &'static [&'static str] {
    match role {
        Role::NationalAdmin => &[
            "programs",
            "banks",
            "memoranda",
            "quotas",
            "staff",
            "holidays",
            "counties",
            "audit",
            "reports",
            "register",
        ],
        Role::ProvinceAdmin => &["quotas", "staff", "reports"],
        Role::Auditor => &["audit", "reports"],
        Role::DeskClerk => &["register", "upload"],
        Role::SocialWorker => &["review"],
        Role::EmploymentExpert => &["review", "counselling", "visit"],
        Role::BankOfficer => &["post", "import", "referrals", "reports"],
        Role::Applicant => &["register", "upload"],
        Role::OfficeHead | Role::System => &[],
    }
}

#[test]
fn permission_matrix_every_role_by_every_permission() {
    for &role in Role::ALL {
        let actor = Actor::new(role, scope_for(role), role.is_staff().then_some(1), None).unwrap();
        let grants = expected_grants(role);
        for p in all_permissions("23") {
            assert_eq!(
                allows(&actor, &p),
                grants.contains(&short(&p)),
                "{role} {p:?}"
            );
        }
    }
}

#[test]
fn province_bound_permissions() {
    let admin = Actor::staff(Role::ProvinceAdmin, 1, province("23")).unwrap();
    let national = Actor::staff(Role::NationalAdmin, 1, Scope::All).unwrap();
    for p in [
        Permission::ManageQuotas {
            province: "24".into(),
        },
        Permission::ManageStaff {
            province: "24".into(),
        },
    ] {
        assert!(!allows(&admin, &p), "{p:?}");
        assert!(allows(&national, &p), "{p:?}");
    }
}

#[test]
fn file_bound_permissions_apply_scope_first() {
    let clerk = Actor::staff(Role::DeskClerk, 1, county("23", "23-01")).unwrap();
    let far_clerk = Actor::staff(Role::DeskClerk, 1, county("23", "23-02")).unwrap();
    let up = Permission::UploadDocuments;
    let review = Permission::ReviewDocuments;
    assert_eq!(check_file_permission(&clerk, &up, &file()), Access::Allowed);
    assert_eq!(
        check_file_permission(&clerk, &review, &file()),
        Access::Forbidden
    );
    assert_eq!(
        check_file_permission(&far_clerk, &up, &file()),
        Access::NotFound
    );
    assert_eq!(
        check_file_permission(&far_clerk, &review, &file()),
        Access::NotFound
    );

    assert_eq!(
        check_file_permission(&Actor::applicant(7), &up, &file()),
        Access::Allowed
    );
    assert_eq!(
        check_file_permission(&Actor::applicant(8), &up, &file()),
        Access::NotFound
    );

    let officer = Actor::staff(Role::BankOfficer, 1, bank(3, Some(31))).unwrap();
    let post = Permission::PostPayments;
    assert_eq!(
        check_file_permission(&officer, &post, &file()),
        Access::Allowed
    );
    assert_eq!(
        check_file_permission(&officer, &post, &unreferred()),
        Access::NotFound
    );

    let auditor = Actor::staff(Role::Auditor, 1, Scope::All).unwrap();
    assert_eq!(
        check_file_permission(&auditor, &up, &file()),
        Access::Forbidden
    );
}

#[test]
fn access_codes() {
    assert_eq!(Access::Allowed.code(), None);
    assert_eq!(Access::Forbidden.code(), Some("forbidden"));
    assert_eq!(Access::NotFound.code(), Some("not_found"));
    assert!(Access::Allowed.is_allowed());
    assert!(!Access::NotFound.is_allowed());
}

#[test]
fn scope_serde() {
    let s = bank(3, Some(31));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"kind": "bank", "bank_id": 3, "branch_id": 31})
    );
    assert_eq!(serde_json::from_value::<Scope>(json).unwrap(), s);
    assert_eq!(
        serde_json::to_value(Scope::All).unwrap(),
        serde_json::json!({"kind": "all"})
    );
}
