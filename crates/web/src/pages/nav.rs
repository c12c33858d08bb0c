//! The navigation bar: the pages after the home link, per role.

use vamyar_domain::workflow::Role;

use super::{complaints, households};

/// The pages after the home link, per role.
pub fn for_role(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut nav = match role {
        Role::Applicant => {
            return vec![
                ("/portal", "pg-nav-my-file"),
                ("/portal/inbox", "pg-nav-inbox"),
                ("/portal/complaints", "pg-nav-complaints"),
                ("/portal/mobile", "pg-nav-mobile"),
            ];
        }
        Role::System => return vec![],
        Role::DeskClerk => vec![
            ("/desk", "pg-nav-queue"),
            ("/desk/register", "pg-nav-register"),
        ],
        Role::SocialWorker | Role::EmploymentExpert | Role::OfficeHead | Role::Auditor => {
            vec![("/desk", "pg-nav-queue")]
        }
        Role::BankOfficer => vec![
            ("/bank", "pg-nav-referrals"),
            ("/bank/payments", "pg-nav-payments-import"),
            ("/desk", "pg-nav-queue"),
        ],
        Role::ProvinceAdmin | Role::NationalAdmin => {
            vec![("/desk", "pg-nav-queue"), ("/admin", "pg-nav-admin")]
        }
    };
    if matches!(
        role,
        Role::BankOfficer | Role::ProvinceAdmin | Role::NationalAdmin | Role::Auditor
    ) {
        nav.push(("/reports", "pg-nav-reports"));
    }
    if matches!(
        role,
        Role::BankOfficer | Role::OfficeHead | Role::ProvinceAdmin | Role::NationalAdmin
    ) {
        nav.push(("/desk/proposals", "pg-nav-proposals"));
    }
    complaints::extend_nav(role, &mut nav);
    households::extend_nav(role, &mut nav);
    nav.push(("/desk/notices", "pg-nav-notices"));
    nav
}
