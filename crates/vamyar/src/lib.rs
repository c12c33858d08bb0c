//! The `vamyar` program: configuration, the command line and its commands. `main.rs` only
//! parses arguments and calls [`run`].

use std::process::ExitCode;

use anyhow::Context;

pub mod cli;
pub mod commands;
pub mod config;
pub mod reports_config;

use cli::{AuditCommand, Cli, Command, UserCommand};
use config::Config;

/// Loads the configuration (file, environment, flags) for a command line.
pub fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let mut config = Config::load(cli.config.as_deref()).context("reading the configuration")?;
    if let Some(url) = &cli.database_url {
        config.database_url = url.clone();
    }
    if let Command::Serve(args) = &cli.command
        && let Some(addr) = &args.addr
    {
        config.addr = addr.clone();
    }
    Ok(config)
}

/// Runs one command line to completion.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::DefaultConfig = cli.command {
        print!("{}", config::DEFAULT_CONFIG_TOML);
        return Ok(ExitCode::SUCCESS);
    }
    let config = load_config(&cli)?;
    commands::init_tracing(&config);
    match cli.command {
        Command::Serve(args) => commands::serve::run(config, args.demo, args.demo_force).await,
        Command::Migrate => commands::migrate(&config).await,
        Command::User(UserCommand::Add(args)) => commands::user::add(&config, args).await,
        Command::User(UserCommand::ResetTotp(args)) => {
            commands::user::reset_totp(&config, args).await
        }
        Command::Audit(AuditCommand::Verify) => commands::audit::verify(&config).await,
        Command::Cob(args) => commands::cob::run(&config, args.date.as_deref()).await,
        Command::Seed(args) => commands::seed::run(&config, args).await,
        Command::Notify(cli::NotifyCommand::Run(args)) => {
            commands::notify::run(&config, args).await
        }
        Command::Notify(cli::NotifyCommand::Retry { id }) => {
            commands::notify::retry(&config, id).await
        }
        Command::Notify(cli::NotifyCommand::Status) => commands::notify::status(&config).await,
        Command::Import(cli::ImportCommand::Payments(args)) => {
            commands::import::payments(&config, &args.bank, &args.file).await
        }
        Command::Import(cli::ImportCommand::Deciles(args)) => {
            commands::import::deciles(&config, &args.file).await
        }
        Command::Import(cli::ImportCommand::Holidays(args)) => {
            commands::import::holidays(&config, &args.file).await
        }
        Command::Export(cli::ExportCommand::Referrals(args)) => {
            commands::export::referrals(&config, &args.bank, args.out.as_deref()).await
        }
        Command::DefaultConfig => Ok(ExitCode::SUCCESS),
    }
}
