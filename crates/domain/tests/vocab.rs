//! The fixed vocabularies against the names the database's check constraints and the forms
//! use, written out here by hand: every value round-trips through its name (as_str, parse,
//! Display, serde, TryFrom) and anything else is refused.

use core::fmt::{Debug, Display};

use serde::Serialize;
use serde::de::DeserializeOwned;
use vamyar_domain::vocab::{
    ActorKind, ApplicationChannel, ArrearsBucket, BeneficiaryStatus, DocumentKind, DocumentStatus,
    EligibleGroup, Gender, GuaranteeKind, GuaranteeStatus, HolidayKind, InstallmentStatus,
    LoanStatus, LoanType, PaymentChannel, ReferralStatus, ScheduleMethod, ServiceKind, UnknownName,
};
use vamyar_domain::workflow::{Action, Role, State};

/// Inputs that no vocabulary accepts: blank, padded, differently cased, unknown.
const REFUSED: [&str; 6] = ["", " ", "unknown", "Open", " paid", "active "];

/// Checks the conversions shared by every vocabulary: `Display`, serde and `TryFrom` agree
/// with `name`, and every refused input fails with [`UnknownName`] naming `what`.
fn check_conversions<T>(value: T, name: &str, what: &str, known: &[&str])
where
    T: Copy
        + Debug
        + Display
        + Eq
        + Serialize
        + DeserializeOwned
        + TryFrom<String, Error = UnknownName>
        + for<'a> TryFrom<&'a str, Error = UnknownName>,
{
    assert_eq!(value.to_string(), name);
    let json = serde_json::to_string(&value).unwrap();
    assert_eq!(json, format!("\"{name}\""));
    assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
    assert_eq!(T::try_from(name.to_owned()), Ok(value));
    assert_eq!(T::try_from(name), Ok(value));

    for bad in REFUSED.iter().copied().filter(|b| !known.contains(b)) {
        let expected = UnknownName {
            what: leak(what),
            value: bad.to_owned(),
        };
        assert_eq!(T::try_from(bad), Err(expected.clone()), "{what} {bad:?}");
        assert_eq!(T::try_from(bad.to_owned()), Err(expected), "{what} {bad:?}");
        assert!(
            serde_json::from_str::<T>(&format!("\"{bad}\"")).is_err(),
            "{what} {bad:?}"
        );
    }
    // Case matters and names are never padded.
    let upper = name.to_uppercase();
    if upper != name {
        assert!(T::try_from(upper.as_str()).is_err(), "{what} {upper:?}");
    }
    let padded = format!(" {name}");
    assert!(T::try_from(padded.as_str()).is_err(), "{what} {padded:?}");
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// One test per vocabulary: `ALL` holds exactly `names`, in this order, and each value
/// round-trips through `as_str` and `parse` and the shared conversions.
macro_rules! vocabulary {
    ($test:ident, $ty:ident, [$($name:literal),+ $(,)?]) => {
        #[test]
        fn $test() {
            let names: &[&str] = &[$($name),+];
            let all: Vec<&str> = $ty::ALL.iter().map(|v| v.as_str()).collect();
            assert_eq!(all, names, "{} names", stringify!($ty));
            for (&value, &name) in $ty::ALL.iter().zip(names) {
                assert_eq!($ty::parse(name), Some(value));
                check_conversions(value, name, stringify!($ty), names);
            }
            for bad in REFUSED.iter().copied().filter(|b| !names.contains(b)) {
                assert_eq!($ty::parse(bad), None, "{} {bad:?}", stringify!($ty));
            }
        }
    };
}

vocabulary!(gender, Gender, ["female", "male"]);
vocabulary!(
    loan_type,
    LoanType,
    ["self_employment", "household_business", "employer"]
);
vocabulary!(
    eligible_group,
    EligibleGroup,
    [
        "supported",
        "waiting_list",
        "household_member",
        "decile_1_5",
        "employer"
    ]
);
vocabulary!(
    document_kind,
    DocumentKind,
    [
        "national_card",
        "birth_certificate",
        "business_plan",
        "skill_certificate",
        "residence_proof",
        "income_proof",
        "guarantor_documents",
        "photo",
    ]
);
vocabulary!(
    guarantee_kind,
    GuaranteeKind,
    [
        "guarantor",
        "promissory_note",
        "salary_deduction",
        "collateral_deed",
        "cheque",
        "institution",
    ]
);
vocabulary!(
    service_kind,
    ServiceKind,
    [
        "technical_advice",
        "training",
        "marketing",
        "licensing",
        "financial_advice",
        "equipment",
        "other",
    ]
);
vocabulary!(
    application_channel,
    ApplicationChannel,
    ["web", "desk", "api"]
);
vocabulary!(payment_channel, PaymentChannel, ["api", "file", "desk"]);
vocabulary!(actor_kind, ActorKind, ["staff", "applicant", "system"]);
vocabulary!(holiday_kind, HolidayKind, ["solar", "lunar", "other"]);
vocabulary!(
    referral_status,
    ReferralStatus,
    [
        "open",
        "guarantees_pending",
        "approved",
        "rejected",
        "expired",
        "withdrawn",
        "disbursed",
    ]
);
vocabulary!(
    guarantee_status,
    GuaranteeStatus,
    ["requested", "accepted", "rejected"]
);
vocabulary!(
    document_status,
    DocumentStatus,
    ["pending", "accepted", "rejected", "replaced"]
);
vocabulary!(loan_status, LoanStatus, ["active", "accelerated", "closed"]);
vocabulary!(
    installment_status,
    InstallmentStatus,
    ["pending", "due", "overdue", "paid"]
);

/// The workflow's named enums convert from their names the same way.
#[test]
fn workflow_names_convert() {
    let states: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
    for &state in State::ALL {
        check_conversions(state, state.as_str(), "State", &states);
    }
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    for &role in Role::ALL {
        check_conversions(role, role.as_str(), "Role", &roles);
    }
    let actions: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    for &action in Action::ALL {
        check_conversions(action, action.as_str(), "Action", &actions);
    }
}

/// The vocabularies defined elsewhere in the crate and re-exported convert from their names
/// the same way, with the names their columns allow.
#[test]
fn reused_vocabularies_convert() {
    let beneficiary = ["supported", "waiting_list", "household_member", "none"];
    let all: Vec<&str> = BeneficiaryStatus::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(all, beneficiary);
    for status in BeneficiaryStatus::ALL {
        check_conversions(status, status.as_str(), "BeneficiaryStatus", &beneficiary);
    }

    let buckets = ["current", "1_30", "31_90", "over_90"];
    let all: Vec<&str> = ArrearsBucket::ALL.iter().map(|b| b.as_str()).collect();
    assert_eq!(all, buckets);
    for bucket in ArrearsBucket::ALL {
        check_conversions(bucket, bucket.as_str(), "ArrearsBucket", &buckets);
    }

    let methods = ["annuity", "flat"];
    for method in [ScheduleMethod::Annuity, ScheduleMethod::Flat] {
        check_conversions(method, method.as_str(), "ScheduleMethod", &methods);
    }
}

/// The refusal names the vocabulary and the input, and has a stable code.
#[test]
fn unknown_name_reports_what_and_value() {
    let err = ReferralStatus::try_from("pending").unwrap_err();
    assert_eq!(err.what, "ReferralStatus");
    assert_eq!(err.value, "pending");
    assert_eq!(err.code(), "invalid_choice");
    assert_eq!(err.to_string(), "unknown ReferralStatus name `pending`");
    let boxed: Box<dyn std::error::Error + Send + Sync + 'static> = Box::new(err);
    assert!(boxed.source().is_none());
}

/// Each vocabulary holds only its own names: statuses shown on pages but never stored
/// (`upcoming`, `partial`, `missing`) and another table's statuses are refused.
#[test]
fn each_vocabulary_holds_only_its_own_names() {
    assert_eq!(LoanType::parse("employer"), Some(LoanType::Employer));
    assert_eq!(
        EligibleGroup::parse("employer"),
        Some(EligibleGroup::Employer)
    );
    assert_eq!(ReferralStatus::parse("replaced"), None);
    assert_eq!(DocumentStatus::parse("requested"), None);
    assert_eq!(GuaranteeStatus::parse("pending"), None);
    assert_eq!(InstallmentStatus::parse("upcoming"), None);
    assert_eq!(InstallmentStatus::parse("partial"), None);
    assert_eq!(DocumentStatus::parse("missing"), None);
    assert_eq!(LoanStatus::parse("open"), None);
}
