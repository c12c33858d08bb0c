//! `vamyar user add` and `vamyar user reset-totp`.

use std::process::ExitCode;

use anyhow::{Context, bail};
use vamyar_domain::workflow::Role;
use vamyar_store::staff::{self, NewStaff};

use crate::cli::{UserAddArgs, UserResetTotpArgs};
use crate::config::Config;

/// Creates a staff account with the scope its role needs.
pub async fn add(config: &Config, args: UserAddArgs) -> anyhow::Result<ExitCode> {
    let db = super::open_database(config).await?;
    let new = resolve(&db, &args).await?;
    let hash = vamyar_app::password::hash(args.password.clone())
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "the password cannot be used: {e} (at least {} characters, not a common one)",
                vamyar_app::password::MIN_PASSWORD_CHARS
            )
        })?;
    let new = NewStaff {
        password_hash: hash,
        ..new
    };
    let mut tx = db.begin().await?;
    let id = match staff::create(&mut tx, &new).await {
        Ok(id) => id,
        Err(e) if e.violates(staff::USERNAME_KEY) => {
            bail!("the username `{}` is taken", new.username)
        }
        Err(e) => return Err(e).context("creating the account"),
    };
    tx.commit().await?;
    println!("created {} `{}` (id {id})", new.role, new.username);
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Removes an account's second factor (TOTP): it must enrol again at its next login.
/// Audited as the system (`staff.totp_reset`, with the username and the reason).
pub async fn reset_totp(config: &Config, args: UserResetTotpArgs) -> anyhow::Result<ExitCode> {
    let db = super::open_database(config).await?;
    let ctx = super::app_ctx(config, &db);
    let account = staff::by_username(db.pool(), args.username.trim())
        .await?
        .with_context(|| format!("no account `{}`", args.username.trim()))?;
    vamyar_app::admin::totp_reset::reset(
        &ctx,
        vamyar_app::admin::totp_reset::ResetBy::Operator,
        account.id,
        args.reason.as_deref(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.message(vamyar_i18n::Lang::En)))?;
    println!(
        "the second factor of `{}` is reset; it enrols again at its next login",
        account.username
    );
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Checks the role and turns the scope flags into stored ids and codes.
pub async fn resolve(db: &vamyar_store::Db, args: &UserAddArgs) -> anyhow::Result<NewStaff> {
    let role = Role::parse(&args.role)
        .filter(|r| r.is_staff())
        .with_context(|| format!("unknown staff role `{}`", args.role))?;
    let username = args.username.trim().to_string();
    if username.is_empty() || username.len() > 64 || username.chars().any(char::is_whitespace) {
        bail!("a username is 1–64 characters without spaces");
    }
    let mut new = NewStaff {
        username: username.clone(),
        password_hash: String::new(),
        full_name: args.full_name.clone().unwrap_or(username),
        role: role.as_str().to_string(),
        province_code: None,
        county_code: None,
        bank_id: None,
        branch_id: None,
    };
    match role {
        Role::DeskClerk | Role::SocialWorker | Role::EmploymentExpert | Role::OfficeHead => {
            let code = args
                .county
                .as_deref()
                .context("this role works in a county: give --county CODE")?;
            let county = vamyar_store::reference::county(db, code)
                .await?
                .with_context(|| format!("no county with code `{code}`"))?;
            new.province_code = Some(county.province_code);
            new.county_code = Some(county.code);
        }
        Role::ProvinceAdmin => {
            let code = args
                .province
                .as_deref()
                .context("a province admin needs --province CODE")?;
            let known = vamyar_store::reference::provinces(db)
                .await?
                .into_iter()
                .any(|p| p.code == code);
            if !known {
                bail!("no province with code `{code}`");
            }
            new.province_code = Some(code.to_string());
        }
        Role::BankOfficer => {
            let code = args
                .bank
                .as_deref()
                .context("a bank officer needs --bank CODE")?;
            let bank = vamyar_store::bank::bank_by_code(db.pool(), code)
                .await?
                .with_context(|| format!("no bank with code `{code}`"))?;
            new.bank_id = Some(bank.id);
            if let Some(b) = args.branch.as_deref() {
                let branch = vamyar_store::bank::branch_by_code(db.pool(), bank.id, b)
                    .await?
                    .with_context(|| format!("bank `{code}` has no branch `{b}`"))?;
                new.branch_id = Some(branch.id);
            }
        }
        _ => {}
    }
    Ok(new)
}
