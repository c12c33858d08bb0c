//! The command line: `vamyar serve | migrate | user add | audit verify | cob | seed |
//! import | export | default-config` (API.md).

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
    /// SMS delivery: run the outbox worker alone, retry a parked message, show the queue.
    #[command(subcommand)]
    Notify(NotifyCommand),
    /// One close-of-business run (catching up missed dates); idempotent for a date.
    Cob(CobArgs),
    /// Synthetic applicants, files and loans for load tests.
    Seed(SeedArgs),
    /// Read a file: a bank's payments, the lunar holidays, or the income deciles.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write a file for a partner: a bank's referrals.
    #[command(subcommand)]
    Export(ExportCommand),
}

/// `vamyar import …`
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Post a bank's payment file: CSV `contract_number,bank_reference,amount,paid_on`.
    /// A bad row is reported with its line number and the rest still posts; exit 0 when
    /// every row posted or was already posted, 2 when some rows were refused.
    Payments(ImportPaymentsArgs),
    /// Add lunar holidays from CSV `date,name_fa,name_en` (Jalali or ISO dates). A bad row
    /// is reported with its line number and the rest are added; a date that already is a
    /// holiday is left as it is. Exit 0 when no row was refused, 2 otherwise.
    Holidays(ImportHolidaysArgs),
    /// Set imported income deciles from CSV `national_id,decile` (the labour ministry's list;
    /// a newer list replaces older values). A bad row is reported with its line number and
    /// the rest are imported. Exit 0 when no row was refused, 2 otherwise.
    Deciles(ImportHolidaysArgs),
}

/// Options of `import holidays`.
#[derive(Debug, Args)]
pub struct ImportHolidaysArgs {
    /// The CSV file (UTF-8, byte-order mark and Windows line endings allowed).
    pub file: PathBuf,
}

/// Options of `import payments`.
#[derive(Debug, Args)]
pub struct ImportPaymentsArgs {
    /// The bank's code (e.g. `mehr`).
    #[arg(long)]
    pub bank: String,
    /// The CSV file (UTF-8, byte-order mark allowed).
    pub file: PathBuf,
}

/// `vamyar export …`
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The bank's referrals, approvals, disbursements and accelerations as CSV (UTF-8 with
    /// a byte-order mark).
    Referrals(ExportReferralsArgs),
}

/// Options of `export referrals`.
#[derive(Debug, Args)]
pub struct ExportReferralsArgs {
    /// The bank's code (e.g. `mehr`).
    #[arg(long)]
    pub bank: String,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
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
    /// Seed even where the demo is refused: a PostgreSQL database, or one holding other
    /// accounts or programs. The seed adds the demo's accounts, whose password is published,
    /// so this is for throw-away benchmark databases only.
    #[arg(long)]
    pub demo_force: bool,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<String>,
    /// Seed a demo program, banks, memoranda and staff accounts (printed), once. Refused on
    /// PostgreSQL and on a database holding other accounts or programs.
    #[arg(long)]
    pub demo: bool,
    /// Seed the demo even where `--demo` refuses (a throw-away PostgreSQL database).
    #[arg(long, requires = "demo")]
    pub demo_force: bool,
}

/// `vamyar user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account.
    Add(UserAddArgs),
    /// Remove an administrator's lost second factor (TOTP); the account must enrol again at
    /// its next login. Audited (`staff.totp_reset`).
    ResetTotp(UserResetTotpArgs),
}

/// Options of `user reset-totp`.
#[derive(Debug, Args)]
pub struct UserResetTotpArgs {
    /// The account's username.
    pub username: String,
    /// Why (kept in the audit log).
    #[arg(long)]
    pub reason: Option<String>,
}

/// `vamyar notify …`
#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Deliver the outbox until stopped (Ctrl-C), like the worker inside `serve`.
    Run(NotifyRunArgs),
    /// Put a parked (failed) message back in the queue.
    Retry {
        /// The message's id.
        #[arg(long)]
        id: i64,
    },
    /// How many messages are in each status.
    Status,
}

/// Options of `notify run`.
#[derive(Debug, Args)]
pub struct NotifyRunArgs {
    /// Deliver what is due now, then exit.
    #[arg(long)]
    pub until_empty: bool,
}

/// `vamyar audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Seal the committed audit rows, then check the audit log's hash chain; exit 1 (listing
    /// each problem) when it is broken.
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
    fn import_and_export_read_their_flags() {
        let cli =
            Cli::try_parse_from(["vamyar", "import", "payments", "--bank", "mehr", "pay.csv"])
                .unwrap();
        let Command::Import(ImportCommand::Payments(a)) = cli.command else {
            panic!("wrong command");
        };
        assert_eq!(
            (a.bank.as_str(), a.file.to_str()),
            ("mehr", Some("pay.csv"))
        );
        let cli = Cli::try_parse_from(["vamyar", "import", "holidays", "h.csv"]).unwrap();
        let Command::Import(ImportCommand::Holidays(a)) = cli.command else {
            panic!("wrong command");
        };
        assert_eq!(a.file.to_str(), Some("h.csv"));
        let cli = Cli::try_parse_from(["vamyar", "export", "referrals", "--bank", "mehr"]).unwrap();
        let Command::Export(ExportCommand::Referrals(a)) = cli.command else {
            panic!("wrong command");
        };
        assert_eq!((a.bank.as_str(), a.out), ("mehr", None));
    }

    #[test]
    fn notify_commands_parse() {
        let cli = Cli::try_parse_from(["vamyar", "notify", "run", "--until-empty"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Notify(NotifyCommand::Run(NotifyRunArgs { until_empty: true }))
        ));
        let cli = Cli::try_parse_from(["vamyar", "notify", "retry", "--id", "42"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Notify(NotifyCommand::Retry { id: 42 })
        ));
    }

    #[test]
    fn audit_verify_parses() {
        let cli = Cli::try_parse_from(["vamyar", "audit", "verify"]).unwrap();
        assert!(matches!(cli.command, Command::Audit(AuditCommand::Verify)));
    }
}
