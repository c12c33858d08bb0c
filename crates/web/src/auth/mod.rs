//! Authentication: who is calling (sessions, tokens), passwords, one-time codes.

pub mod actor;
pub mod cookies;
pub mod csrf;
pub mod enrolment;
pub mod limits;
pub mod login;
pub mod otp;
pub mod ratelimit;

pub use actor::{Caller, CurrentActor, MaybeActor};
pub use vamyar_app::password;
