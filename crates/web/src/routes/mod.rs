//! Route handlers, grouped by what they serve.

pub mod reference;
pub mod system;
pub mod validate;
