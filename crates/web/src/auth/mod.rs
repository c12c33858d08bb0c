//! Authentication: password hashing (and, with the workflow, sessions and tokens).

pub mod password;
