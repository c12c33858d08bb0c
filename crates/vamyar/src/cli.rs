//! The command line: `vamyar serve | migrate | user add | audit verify | cob | seed |
//! default-config` (API.md).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Vamyar (وام‌یار): a welfare agency's employment micro-loan service.
#[derive(Debug, Parser)]
#[command(name = "vamyar", version, about)]
pub struct Cli {
    /// Configuration file (default: ./vamyar.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://data/vamyar.db (default) or postgres://…
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the pages, the API and background work.
    Serve(ServeArgs),
    /// Apply database migrations (and reference data) and exit.
    Migrate,
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Print a commented configuration file with every default.
    DefaultConfig,
    /// One close-of-business run (catching up missed dates); idempotent for a date.
    Cob(CobArgs),
    /// Synthetic applicants, files and loans for load tests.
    Seed(SeedArgs),
}

/// Options of `cob`.
#[derive(Debug, Args)]
pub struct CobArgs {
    /// Business date, YYYY-MM-DD or Jalali 1405/01/15 (default: today in Tehran).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// Options of `seed`.
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many applicants (each with a file).
    #[arg(long, value_name = "N")]
    pub applicants: u64,
    /// Give each applicant a disbursed, active loan of 36 monthly installments.
    #[arg(long)]
    pub loans: bool,
    /// Seed of the pseudo-random data; each seed owns its own range of national IDs.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The date the portfolio is as of (default: today in Tehran).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<String>,
    /// Seed a demo program, banks, memoranda and staff accounts (printed), once.
    #[arg(long)]
    pub demo: bool,
}

/// `vamyar user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account.
    Add(UserAddArgs),
}

/// `vamyar audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; exit 1 (listing each problem) when it is broken.
    Verify,
}

/// Options of `user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Login name.
    #[arg(long)]
    pub username: String,
    /// Password (or VAMYAR_PASSWORD, which keeps it out of the shell history).
    #[arg(long, env = "VAMYAR_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// desk_clerk, social_worker, employment_expert, office_head, bank_officer,
    /// province_admin, national_admin or auditor.
    #[arg(long)]
    pub role: String,
    /// Display name (defaults to the username).
    #[arg(long)]
    pub full_name: Option<String>,
    /// Province code (province_admin).
    #[arg(long)]
    pub province: Option<String>,
    /// County code (desk_clerk, social_worker, employment_expert, office_head).
    #[arg(long)]
    pub county: Option<String>,
    /// Bank code (bank_officer).
    #[arg(long)]
    pub bank: Option<String>,
    /// Branch code within the bank (optional, bank_officer).
    #[arg(long)]
    pub branch: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn user_add_reads_its_flags() {
        let cli = Cli::try_parse_from([
            "vamyar",
            "user",
            "add",
            "--username",
            "sara",
            "--password",
            "long enough",
            "--role",
            "social_worker",
            "--county",
            "07-01",
        ])
        .unwrap();
        let Command::User(UserCommand::Add(a)) = cli.command else {
            panic!("wrong command");
        };
        assert_eq!(a.role, "social_worker");
        assert_eq!(a.county.as_deref(), Some("07-01"));
    }

    #[test]
    fn cob_and_seed_read_their_flags() {
        let cli = Cli::try_parse_from(["vamyar", "cob", "--date", "1405/01/15"]).unwrap();
        let Command::Cob(a) = cli.command else {
            panic!("wrong command");
        };
        assert_eq!(a.date.as_deref(), Some("1405/01/15"));
        let cli = Cli::try_parse_from(["vamyar", "seed", "--applicants", "10", "--loans"]).unwrap();
        let Command::Seed(a) = cli.command else {
            panic!("wrong command");
        };
        assert_eq!((a.applicants, a.loans, a.seed), (10, true, 1));
    }

    #[test]
    fn audit_verify_parses() {
        let cli = Cli::try_parse_from(["vamyar", "audit", "verify"]).unwrap();
        assert!(matches!(cli.command, Command::Audit(AuditCommand::Verify)));
    }
}
