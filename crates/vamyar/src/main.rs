//! The `vamyar` binary: parses the command line and hands over to the library.

use clap::Parser;

/// mimalloc instead of the C library's allocator: a request allocates and frees many small
/// buffers (rows, JSON, SQL arguments) across threads, where glibc's malloc spent about a
/// tenth of the server's time under load (see docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = vamyar::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vamyar: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(vamyar::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vamyar: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
