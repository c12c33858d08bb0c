//! Vamyar's use cases, between the channels (the web API, the pages, the command line) and
//! the store: registration, actions on a file, documents, counselling, referral and quotas,
//! disbursement, payments and payment files, monitoring visits, acceleration, close of
//! business, and the administration of staff and reference data.
//!
//! A service takes a [`Ctx`] (database, clock, settings), the acting person (a policy
//! [`vamyar_domain::policy::Actor`]) and typed input, and returns typed output or an
//! [`Error`]. It knows nothing of HTTP: the web crate maps [`Error`] to a status code, and
//! the command line prints it. Everything that is decided is decided by `vamyar-domain`;
//! everything that is stored is written through `vamyar-store`, in one transaction per use.

pub mod actors;
pub mod admin;
pub mod applicant;
pub mod audit;
pub mod cob;
pub mod complaints;
pub mod counselling;
pub mod csv_rows;
pub mod ctx;
pub mod demo;
pub mod documents;
pub mod error;
pub mod fields;
pub mod files;
pub mod households;
pub mod input;
pub mod loans;
pub mod notices;
pub mod password;
pub mod persons;
pub mod print;
pub mod proposals;
pub mod queue;
pub mod reference;
pub mod reports;
pub mod totp;
pub mod track;
pub mod visits;

pub use ctx::{Ctx, Settings};
pub use error::{Coded, Error, FieldError, FieldErrors, Result};
pub use vamyar_calendar::Clock;
