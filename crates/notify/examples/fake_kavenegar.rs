//! A fake Kavenegar server as a process of its own (not a test): serves
//! [`vamyar_notify::testing::FakeKavenegar`] on an address and appends every message it
//! accepts to a file as one JSON line (`localid`, `receptor`, `message`, `messageid`), so
//! that runs of whole `vamyar serve` processes (`scripts/two_nodes.sh`) can count what was
//! really "sent". Runs until it is killed.
//!
//! With a third argument `MS`, every message is accepted (and logged) at once but answered
//! only `MS` milliseconds later: a provider that took a message before its sender learned
//! so, which is what a sender killed meanwhile leaves behind.
//!
//! ```sh
//! cargo run -p vamyar-notify --features test-support --example fake_kavenegar -- \
//!     127.0.0.1:18090 /tmp/sms-sent.jsonl [300]
//! ```
//!
//! Then `[sms] provider = "kavenegar"`, `base_url = "http://127.0.0.1:18090"` and the API key
//! it prints (`VAMYAR_SMS__API_KEY`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use vamyar_notify::testing::{Answer, FakeKavenegar};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(log)) = (args.next(), args.next()) else {
        eprintln!("usage: fake_kavenegar HOST:PORT LOG_FILE [ANSWER_AFTER_MS]");
        std::process::exit(2);
    };
    let addr: SocketAddr = addr.parse()?;
    let log = PathBuf::from(log);
    let answer_after: u64 = match args.next() {
        Some(ms) => ms.parse()?,
        None => 0,
    };
    let fake = FakeKavenegar::start_on(addr).await?;
    fake.log_to(&log)?;
    if answer_after > 0 {
        fake.set_default(Answer::AcceptSlowly(Duration::from_millis(answer_after)));
    }
    println!(
        "fake Kavenegar on {} (API key {}), logging to {}, answering after {answer_after} ms",
        fake.base_url,
        fake.api_key,
        log.display()
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
