//! Domain model of Vamyar, the employment micro-loan service.
//!
//! This crate is pure: no I/O, no clock reads, no user-facing text. Errors carry a stable
//! snake_case `code()` that the presentation layer maps to translated messages.
//!
//! - [`primitives`]: validated identifiers (national ID, mobile number, Sheba, postal code,
//!   tracking code), each parsed once from user input in any digit script.
//! - [`text`]: Persian text normalisation for names, free text and search keys.
//! - [`money`]: the [`money::Rial`] amount type with checked arithmetic and digit grouping.
//! - [`workflow`]: the file's states, actions and roles, and the pure transition function.
//! - [`announcement`]: what a message to a person says, as the outbox stores it.
//! - [`letter`]: where a printed referral letter stands (valid, expired, used, …).
//! - [`vocab`]: the fixed vocabularies (kinds and statuses) spelt as stable snake_case names.

pub mod allocation;
pub mod announcement;
pub mod ledger;
pub mod letter;
pub mod money;
mod named;
pub mod policy;
pub mod primitives;
pub mod priority;
pub mod queue_key;
pub mod schedule;
pub mod sla;
pub mod text;
pub mod vocab;
pub mod workflow;
