//! Telling applicants about their files: the text of every message (Fluent templates in
//! `crates/i18n/locales/*/sms.ftl`, fitted into two SMS parts), the SMS providers (`file`,
//! Kavenegar-compatible HTTP, a test fake) and the worker that delivers the transactional
//! outbox — claiming due messages under a lease, retrying transient failures with backoff,
//! recovering after a crash by the provider's local id, and polling delivery reports.
//!
//! The outbox rows are written by the workflow in the same transaction as the change they
//! announce (`vamyar_store::outbox`); the SQL of delivering them is in
//! `vamyar_store::delivery`. The at-least-once boundary is described in [`worker`].

pub mod inbound;
pub mod length;
pub mod provider;
pub mod render;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod worker;

pub use provider::{Accepted, Delivery, Lookup, SendError, Sms, SmsProvider};
pub use render::{RenderError, render};
pub use worker::{Outcome, Worker, WorkerConfig};
