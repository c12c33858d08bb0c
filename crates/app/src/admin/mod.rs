//! The administration of reference data: programs, banks, memoranda and quotas, counties
//! and holidays, staff accounts.

pub mod program_input;
