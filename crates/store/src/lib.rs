//! The one place that speaks SQL: the connection to SQLite or PostgreSQL, the migrations of
//! both engines, and repositories that take a transaction (the caller commits).

pub mod application;
pub mod audit;
pub mod bank;
pub mod change_proposal;
pub mod cob;
pub mod complaint;
pub mod counselling;
mod db;
pub mod delivery;
pub mod document;
mod error;
mod flag;
mod group;
pub mod household;
mod later;
pub mod loan;
pub mod notice;
pub mod otp;
pub mod outbox;
pub mod person;
pub mod program;
pub mod proposal;
pub mod queue;
pub mod ratelimit;
pub mod reference;
pub mod referral;
pub mod report;
pub mod schema;
pub mod secret;
pub mod session;
pub mod staff;
pub mod stage;
pub mod synthetic;
#[cfg(any(test, feature = "test-support"))]
pub mod testdb;
pub mod time;
mod tx;
pub mod wal_sync;

pub use db::{Backend, Db};
pub use error::{StoreError, UniqueKey};
pub use flag::Flag;
pub use group::GroupStats;
pub use later::Value;
pub use tx::Tx;

/// Whether `conn` is a PostgreSQL connection (else SQLite): where the engines need different
/// SQL.
pub(crate) fn is_postgres(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}
