//! The build script shared by every crate whose tests run on PostgreSQL: it sets
//! `cfg(pg_tests)` when `VAMYAR_TEST_POSTGRES_URL` is set. Without it, the PostgreSQL run of
//! each test is compiled with `#[ignore]`, so `cargo test` reports it as ignored rather than
//! as passed; `.ci/run` sets the variable, so CI runs every one.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(pg_tests)");
    println!("cargo::rerun-if-env-changed=VAMYAR_TEST_POSTGRES_URL");
    if std::env::var_os("VAMYAR_TEST_POSTGRES_URL").is_some() {
        println!("cargo::rustc-cfg=pg_tests");
    }
}
