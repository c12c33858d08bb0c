//! The service's fixed vocabularies: kinds and statuses that the API, the forms and the
//! database spell as stable snake_case names.
//!
//! Each enum here is defined like the workflow's ([`crate::workflow::State`] and friends):
//! `as_str` gives the stable name, `parse` reads it back (exact match), `ALL` lists every
//! value in declaration order, `Display` and serde use the name, and `TryFrom<String>` /
//! `TryFrom<&str>` refuse an unknown name with [`UnknownName`], so that a text column can be
//! decoded straight into the enum (for instance with sqlx's `#[sqlx(try_from = "String")]`).
//! The names are those of the database's check constraints where a column has one.
//!
//! - Kinds, what something is: [`Gender`], [`LoanType`], [`EligibleGroup`],
//!   [`DocumentKind`], [`GuaranteeKind`], [`ServiceKind`], [`ApplicationChannel`],
//!   [`PaymentChannel`], [`ActorKind`], [`HolidayKind`].
//! - Statuses, where a record stands: [`ReferralStatus`], [`GuaranteeStatus`],
//!   [`DocumentStatus`], [`LoanStatus`], [`InstallmentStatus`].
//!
//! Vocabularies defined elsewhere in this crate are re-exported here rather than repeated:
//! [`BeneficiaryStatus`] (priority), [`ScheduleMethod`] (schedule) and [`ArrearsBucket`]
//! (allocation); they convert from names the same way. A file's state and the roles are
//! [`crate::workflow::State`] and [`crate::workflow::Role`], which convert likewise.

mod kinds;
mod status;

pub use kinds::{
    ActorKind, ApplicationChannel, DocumentKind, EligibleGroup, Gender, GuaranteeKind, HolidayKind,
    LoanType, PaymentChannel, Sector, ServiceKind,
};
pub use status::{
    CobRunStatus, DocumentStatus, GuaranteeStatus, InstallmentStatus, LoanStatus, MessageStatus,
    ReferralStatus,
};

pub use crate::allocation::ArrearsBucket;
pub use crate::named::UnknownName;
pub use crate::priority::BeneficiaryStatus;
pub use crate::schedule::ScheduleMethod;
