//! Route handlers, grouped by what they serve. Each group's `router()` registers its routes
//! with their OpenAPI descriptions.

pub mod admin;
pub mod applications;
pub mod auth;
pub mod complaints;
pub mod counselling;
pub mod documents;
pub mod households;
pub mod loans;
pub mod messages;
pub mod notices;
pub mod payment_files;
pub mod persons;
pub mod print;
pub mod proposals;
pub mod reference;
pub mod reports;
pub mod system;
pub mod totp;
pub mod validate;
pub mod visits;
