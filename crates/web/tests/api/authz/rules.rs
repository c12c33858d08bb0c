//! The expected rule of every API route: who may pass its authorization, and whether it
//! concerns the fixture file or the fixture household.

/// Who may pass a route's authorization.
#[derive(Clone, Copy, Debug)]
pub(super) enum Who {
    /// Anyone, without logging in.
    Public,
    /// Any logged-in caller.
    Anyone,
    /// Any staff member (applicants get 403).
    Staff,
    /// Only these roles (others logged in get 403).
    Roles(&'static [&'static str]),
    /// A shared secret, not a login (the SMS provider's webhook): everyone here lacks it, 401.
    Secret,
}

/// A route's rule: who passes, and whether it concerns the fixture file (then callers who
/// cannot see the file get 404 whatever their role) or the fixture household of the file's
/// county (`area`: staff outside the county get 404; applicants and bank officers, who have no
/// part in households, are judged by role).
#[derive(Clone, Copy, Debug)]
pub(super) struct Rule {
    pub(super) who: Who,
    pub(super) file: bool,
    pub(super) area: bool,
}

pub(super) const fn r(who: Who, file: bool) -> Rule {
    Rule {
        who,
        file,
        area: false,
    }
}

/// A rule about the fixture household (see [`Rule::area`]).
pub(super) const fn area(who: Who) -> Rule {
    Rule {
        who,
        file: false,
        area: true,
    }
}

/// Everyone but bank officers reads complaints (each within their scope).
pub(super) const COMPLAINT_READERS: Who = Who::Roles(&[
    "applicant",
    "desk_clerk",
    "social_worker",
    "employment_expert",
    "office_head",
    "province_admin",
    "national_admin",
    "auditor",
]);

/// The rules. A route missing here fails the test.
pub(super) fn rule(method: &str, path: &str) -> Option<Rule> {
    use Who::*;
    Some(match (method, path) {
        ("GET", "/healthz")
        | ("GET", "/api/v1/provinces")
        | ("GET", "/api/v1/track/{tracking_code}")
        | ("GET", "/api/v1/verify/{code}") => r(Public, false),
        ("POST", "/api/v1/applicants/validate") => r(Public, false),
        ("POST", "/api/v1/auth/login")
        | ("POST", "/api/v1/auth/otp")
        | ("POST", "/api/v1/auth/otp/verify") => r(Public, false),
        ("POST", "/api/v1/auth/logout") | ("GET", "/api/v1/auth/me") => r(Anyone, false),
        ("GET", "/api/v1/auth/tokens")
        | ("POST", "/api/v1/auth/tokens")
        | ("DELETE", "/api/v1/auth/tokens/{id}") => r(Staff, false),
        ("GET", "/api/v1/applications") => r(Staff, false),
        ("POST", "/api/v1/applications") => {
            r(Roles(&["applicant", "desk_clerk", "national_admin"]), false)
        }
        ("GET", "/api/v1/applications/{id}")
        | ("GET", "/api/v1/applications/{id}/history")
        | ("GET", "/api/v1/applications/{id}/messages")
        | ("GET", "/api/v1/applications/{id}/documents")
        | ("GET", "/api/v1/applications/{id}/counselling")
        | ("GET", "/api/v1/documents/{id}/content")
        | ("GET", "/api/v1/applications/{id}/loan")
        | ("GET", "/api/v1/applications/{id}/visits")
        | ("GET", "/api/v1/loans/{id}")
        | ("GET", "/api/v1/loans/{id}/schedule")
        | ("GET", "/api/v1/loans/{id}/schedule.pdf")
        | ("GET", "/api/v1/applications/{id}/referral-letter.pdf")
        | ("GET", "/api/v1/loans/{id}/payments") => r(Anyone, true),
        ("POST", "/api/v1/loans/{id}/payments") => r(Roles(&["bank_officer"]), true),
        ("POST", "/api/v1/payments/import") => r(Roles(&["bank_officer"]), false),
        ("POST", "/api/v1/visits/{id}") => r(Roles(&["employment_expert"]), true),
        ("POST", "/api/v1/applications/{id}/actions/{action}") => {
            r(Roles(&["social_worker"]), true)
        }
        ("POST", "/api/v1/applications/{id}/documents") => {
            r(Roles(&["applicant", "desk_clerk"]), true)
        }
        ("POST", "/api/v1/documents/{id}/review") => {
            r(Roles(&["social_worker", "employment_expert"]), true)
        }
        ("POST", "/api/v1/applications/{id}/counselling")
        | ("POST", "/api/v1/applications/{id}/plan-review")
        | ("POST", "/api/v1/applications/{id}/services") => r(Roles(&["employment_expert"]), true),
        ("GET", "/api/v1/referrals") => r(Roles(&["bank_officer"]), false),
        ("GET", "/api/v1/me/messages") => r(Roles(&["applicant"]), false),
        ("GET", "/api/v1/me/notices") | ("POST", "/api/v1/me/notices/read") => r(Staff, false),
        ("POST", "/api/v1/sms/inbound") => r(Secret, false),
        ("GET", "/api/v1/complaints") => r(COMPLAINT_READERS, false),
        ("POST", "/api/v1/complaints") => r(Roles(&["applicant", "desk_clerk"]), false),
        // {id} is a complaint about the fixture file
        ("GET", "/api/v1/complaints/{id}") => r(COMPLAINT_READERS, true),
        ("POST", "/api/v1/complaints/{id}/answer") => r(Roles(&["office_head"]), true),
        ("POST", "/api/v1/households") => r(Roles(&["desk_clerk", "social_worker"]), false),
        ("GET", "/api/v1/households/{case_number}") => area(Roles(&[
            "desk_clerk",
            "social_worker",
            "employment_expert",
            "office_head",
            "province_admin",
            "national_admin",
            "auditor",
        ])),
        ("POST", "/api/v1/households/{case_number}/members") => {
            area(Roles(&["desk_clerk", "social_worker"]))
        }
        ("GET", "/api/v1/banks")
        | ("GET", "/api/v1/memoranda")
        | ("GET", "/api/v1/programs")
        | ("GET", "/api/v1/programs/{id}")
        | ("GET", "/api/v1/holidays") => r(Staff, false),
        ("POST", "/api/v1/banks")
        | ("POST", "/api/v1/banks/{id}/branches")
        | ("POST", "/api/v1/memoranda")
        | ("POST", "/api/v1/programs")
        | ("PATCH", "/api/v1/programs/{id}")
        | ("PUT", "/api/v1/counties/{code}")
        | ("POST", "/api/v1/holidays")
        | ("DELETE", "/api/v1/holidays/{date}") => r(Roles(&["national_admin"]), false),
        ("PUT", "/api/v1/memoranda/{id}/quotas/{province_code}") => {
            r(Roles(&["national_admin", "province_admin"]), false)
        }
        ("GET", "/api/v1/staff") | ("POST", "/api/v1/staff") | ("PUT", "/api/v1/staff/{id}") => {
            r(Roles(&["national_admin", "province_admin"]), false)
        }
        ("POST", "/api/v1/auth/totp") | ("POST", "/api/v1/auth/totp/confirm") => {
            r(Roles(&["national_admin", "province_admin"]), false)
        }
        ("POST", "/api/v1/me/mobile") | ("POST", "/api/v1/me/mobile/confirm") => {
            r(Roles(&["applicant"]), false)
        }
        // {id} is the fixture file's id, which is also its applicant's person id here
        ("PATCH", "/api/v1/persons/{id}/contact") => {
            r(Roles(&["desk_clerk", "office_head"]), false)
        }
        ("GET", "/api/v1/proposals") => r(Staff, false),
        ("GET", "/api/v1/proposals/{id}") => r(Staff, true),
        // the fixture proposal is an acceleration another office head of the county proposed
        ("POST", "/api/v1/proposals/{id}/confirm") | ("POST", "/api/v1/proposals/{id}/reject") => {
            r(Roles(&["office_head", "province_admin"]), true)
        }
        ("POST", "/api/v1/payments/{id}/reversal") => r(Roles(&["bank_officer"]), true),
        ("GET", "/api/v1/changes") => r(Staff, false),
        // the fixture change is province 07's quota, proposed by someone else: its proposer and
        // those holding the quota authority of province 07 see and decide it
        ("GET", "/api/v1/changes/{id}")
        | ("POST", "/api/v1/changes/{id}/confirm")
        | ("POST", "/api/v1/changes/{id}/reject") => {
            r(Roles(&["national_admin", "province_admin"]), false)
        }
        ("GET", "/api/v1/reports") | ("GET", "/api/v1/reports/{name}") => r(
            Roles(&[
                "national_admin",
                "province_admin",
                "auditor",
                "bank_officer",
            ]),
            false,
        ),
        _ => return None,
    })
}
