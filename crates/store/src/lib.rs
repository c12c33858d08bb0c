//! The one place that speaks SQL: the connection to SQLite or PostgreSQL, the migrations of
//! both engines, and repositories that take a transaction (the caller commits).

pub mod bank;
mod db;
mod error;
pub mod program;
pub mod reference;
pub mod schema;
pub mod session;
pub mod staff;
#[cfg(any(test, feature = "test-support"))]
pub mod testdb;
pub mod time;

pub use db::{Backend, Db, Tx};
pub use error::{StoreError, UniqueKey};
