//! The `vamyar` binary: parses the command line and hands over to the library.

use clap::Parser;

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
