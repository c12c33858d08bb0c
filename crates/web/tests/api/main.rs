//! Black-box tests of the HTTP API: the app is served on port 0 against a fresh database of
//! each engine, and driven with a real HTTP client.

mod acceleration;
mod admin;
mod auth;
mod authz;
mod bad_input;
mod calendar;
mod changes;
mod cob_days;
mod concurrency;
mod contact_pages;
mod deciles;
mod documented;
mod documents;
mod helpers;
mod journey;
mod loans;
mod messages;
mod mobile_pages;
mod openapi;
mod pages;
mod pages_admin;
mod pages_loans;
mod paging;
mod payment_files;
mod print;
mod proposals;
mod report_pages;
mod reports;
mod sectors;
mod security;
mod system;
mod takeover;
mod totp_pages;
mod validation;
mod verify;
