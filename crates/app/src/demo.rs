//! Demo data (`serve --demo`, and the fixtures of black-box tests): a demo program for the current Jalali year, two partner banks with
//! branches, memoranda with quotas in every province, and one staff account per role, so a
//! person trying Vamyar can log in as each role at once. Seeded once; logins printed each time.

use chrono::NaiveDate;
use vamyar_calendar::JalaliDate;
use vamyar_store::bank::{self, Branch, Memorandum};
use vamyar_store::program::{self, LoanType, Program};
use vamyar_store::staff::{self, NewStaff};
use vamyar_store::{Db, time};

/// Why the demo could not be seeded.
#[derive(Debug, thiserror::Error)]
#[error("demo data: {0}")]
pub struct DemoError(pub String);

impl From<vamyar_store::StoreError> for DemoError {
    fn from(e: vamyar_store::StoreError) -> Self {
        DemoError(e.to_string())
    }
}

impl From<sqlx::Error> for DemoError {
    fn from(e: sqlx::Error) -> Self {
        DemoError(e.to_string())
    }
}

impl From<serde_json::Error> for DemoError {
    fn from(e: serde_json::Error) -> Self {
        DemoError(e.to_string())
    }
}

/// The password of every demo account (it is a demo: printed on purpose).
pub const DEMO_PASSWORD: &str = "vamyar-demo-pass";

/// The county the demo staff work in (Tehran county).
pub const DEMO_COUNTY: &str = "07-15";

/// The demo accounts: username, role, scope.
pub const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    ("desk", "desk_clerk"),
    ("social", "social_worker"),
    ("expert", "employment_expert"),
    ("head", "office_head"),
    ("bank", "bank_officer"),
    ("province", "province_admin"),
    ("admin", "national_admin"),
    ("auditor", "auditor"),
];

/// Refuses to seed the demo (with its published password) where it could harm real data:
/// any PostgreSQL database (the production engine), and a database that already holds staff
/// accounts or programs that are not the demo's. `force` (`--demo-force`) overrides both.
pub async fn check_target(db: &Db, force: bool) -> Result<(), DemoError> {
    if force {
        return Ok(());
    }
    if db.backend() == vamyar_store::Backend::Postgres {
        return Err(DemoError(
            "refusing --demo on PostgreSQL (the production engine): its accounts have a \
             published password; use --demo-force on a throw-away database"
                .into(),
        ));
    }
    let demo_users: Vec<&str> = DEMO_ACCOUNTS.iter().map(|(u, _)| *u).collect();
    let users: Vec<String> = sqlx::query_scalar("select username from staff_user")
        .fetch_all(db.pool())
        .await?;
    let programs: Vec<String> = sqlx::query_scalar("select code from program")
        .fetch_all(db.pool())
        .await?;
    let foreign_users = users.iter().any(|u| !demo_users.contains(&u.as_str()));
    let foreign_programs = programs.iter().any(|c| !c.starts_with("demo-"));
    if foreign_users || foreign_programs {
        return Err(DemoError(
            "refusing --demo: this database holds staff accounts or programs that are not the \
             demo's; use an empty database (or --demo-force)"
                .into(),
        ));
    }
    Ok(())
}

/// Seeds the demo unless its program exists (the caller prints [`DEMO_ACCOUNTS`]). Several
/// processes started together on one database (two `serve --demo`) seed it once: the demo
/// is one transaction, and the one that loses the race on the program's unique code finds
/// the winner's demo and succeeds too.
pub async fn seed(db: &Db, today: NaiveDate) -> Result<(), DemoError> {
    let year = JalaliDate::from_iso(today).year();
    let code = format!("demo-{year}");
    if program::by_code(db.pool(), &code).await?.is_none()
        && let Err(e) = seed_once(db, year, &code).await
    {
        if program::by_code(db.pool(), &code).await?.is_none() {
            return Err(e);
        }
        tracing::info!(program = code, "demo seeded meanwhile by another process");
    }
    Ok(())
}

async fn seed_once(db: &Db, year: i32, code: &str) -> Result<(), DemoError> {
    let start = JalaliDate::new(year, 1, 1)
        .map_err(|e| DemoError(e.to_string()))?
        .to_iso();
    let end = JalaliDate::new(year, 12, JalaliDate::days_in_month(year, 12))
        .map_err(|e| DemoError(e.to_string()))?
        .to_iso();
    let hash = crate::password::hash(DEMO_PASSWORD.to_string())
        .await
        .map_err(|e| DemoError(format!("hashing the demo password: {e}")))?;
    let mut tx = db.begin().await?;
    let program_id = program::create(
        &mut tx,
        &Program {
            id: 0,
            jalali_year: i64::from(year),
            code: code.to_string(),
            title_fa: format!("تسهیلات اشتغال مددجویان {year}"),
            title_en: format!("Employment loans {year}"),
            fee_rate_bp: 400,
            term_months: 60,
            grace_months: 6,
            grace_fee_accrues: true,
            schedule_method: "flat".into(),
            late_charge_extra_bp: 600,
            shift_due_to_working_day: true,
            eligible_groups: serde_json::to_string(&[
                "supported",
                "waiting_list",
                "household_member",
                "decile_1_5",
                "employer",
            ])?,
            required_documents: serde_json::to_string(&[
                "national_card",
                "birth_certificate",
                "business_plan",
            ])?,
            priority_weights: serde_json::to_string(
                &vamyar_domain::priority::PriorityWeights::default(),
            )?,
            service_levels: serde_json::to_string(&vamyar_domain::sla::ServiceLevels::default())?,
            visit_months: serde_json::to_string(&[3, 6, 12])?,
            sectors: serde_json::to_string(vamyar_domain::vocab::Sector::ALL)?,
            is_active: true,
            max_open_files_per_household: 1,
        },
    )
    .await?;
    for (loan_type, fa, en, ceiling, per_job) in [
        (
            "self_employment",
            "خوداشتغالی",
            "Self-employment",
            2_000_000_000_i64,
            false,
        ),
        (
            "household_business",
            "مشاغل خانگی",
            "Household business",
            1_500_000_000,
            false,
        ),
        (
            "employer",
            "کارفرمایی (به ازای هر شغل)",
            "Employer (per job created)",
            1_000_000_000,
            true,
        ),
    ] {
        program::add_loan_type(
            &mut tx,
            &LoanType {
                id: 0,
                program_id,
                loan_type: loan_type.into(),
                title_fa: fa.into(),
                title_en: en.into(),
                ceiling,
                per_job,
            },
        )
        .await?;
    }
    let provinces = vamyar_store::reference::provinces(db).await?;
    let mut first_bank = None;
    for (bank_code, fa, en, sheba, branch_code, branch_fa, branch_en) in [
        (
            "mehr",
            "بانک قرض‌الحسنه مهر ایران",
            "Mehr-e Iran Bank",
            "060",
            "101",
            "شعبهٔ مرکزی تهران",
            "Tehran central branch",
        ),
        (
            "resalat",
            "بانک قرض‌الحسنه رسالت",
            "Resalat Bank",
            "070",
            "201",
            "شعبهٔ انقلاب",
            "Enghelab branch",
        ),
    ] {
        let bank_id = bank::create_bank(&mut tx, bank_code, fa, en, Some(sheba)).await?;
        first_bank.get_or_insert(bank_id);
        bank::create_branch(
            &mut tx,
            &Branch {
                id: 0,
                bank_id,
                code: branch_code.into(),
                name_fa: branch_fa.into(),
                name_en: branch_en.into(),
                province_code: "07".into(),
                county_code: Some(DEMO_COUNTY.into()),
            },
        )
        .await?;
        let memorandum_id = bank::create_memorandum(
            &mut tx,
            &Memorandum {
                id: 0,
                bank_id,
                program_id,
                number: format!("{year}/{bank_code}/1"),
                signed_on: time::date(start),
                valid_from: time::date(start),
                valid_to: time::date(end),
                fee_rate_bp: 400,
                term_months: 60,
                grace_months: 6,
                letter_validity_days: 30,
            },
        )
        .await?;
        for p in &provinces {
            bank::set_quota(&mut tx, memorandum_id, &p.code, 500, 500 * 2_000_000_000).await?;
        }
    }
    for (username, role) in DEMO_ACCOUNTS {
        let county = matches!(
            *role,
            "desk_clerk" | "social_worker" | "employment_expert" | "office_head"
        );
        staff::create(
            &mut tx,
            &NewStaff {
                username: (*username).into(),
                password_hash: hash.clone(),
                full_name: format!("demo {role}"),
                role: (*role).into(),
                province_code: (county || *role == "province_admin").then(|| "07".to_string()),
                county_code: county.then(|| DEMO_COUNTY.to_string()),
                bank_id: (*role == "bank_officer").then_some(first_bank).flatten(),
                branch_id: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(program = code, "demo seeded");
    Ok(())
}
