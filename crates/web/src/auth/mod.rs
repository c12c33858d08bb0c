//! Authentication: who is calling (sessions, tokens), passwords, one-time codes.

pub mod actor;
pub mod password;

pub use actor::{Caller, CurrentActor, MaybeActor};
