//! Fixtures shared by the binary's tests and benchmarks: the demo data and loans disbursed
//! today, written straight through the store (a file in `active` with its approved referral
//! and a loan whose schedule comes from `vamyar_domain::schedule::generate`), and the
//! application served on loopback with a demo account logged in.

#![allow(dead_code)]

use vamyar_domain::schedule::{self, ScheduleMethod, ScheduleTerms};
use vamyar_store::Db;
use vamyar_store::loan::{self, NewLoan};

/// A valid national ID (check digit computed) made from `n`.
pub fn national_id(n: u64) -> String {
    let base = format!("{:09}", 100_000_000 + n % 800_000_000);
    let sum: u32 = base
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap_or(0) * (10 - i as u32))
        .sum();
    let r = sum % 11;
    format!("{base}{}", if r < 2 { r } else { 11 - r })
}

/// A disbursed loan of the fixture.
#[derive(Clone, Debug)]
pub struct FixtureLoan {
    /// The file.
    pub application_id: i64,
    /// The loan.
    pub loan_id: i64,
    /// Its contract number at bank `mehr`.
    pub contract: String,
    /// Principal plus fee.
    pub total: i64,
}

/// Seeds the demo and `count` loans of 100,000,000 rials over 12 months, disbursed today at
/// bank `mehr`, to applicants named `first_name`.
pub async fn disbursed_loans(db: &Db, count: u64, first_name: &str) -> Vec<FixtureLoan> {
    vamyar_web::demo::seed(db, vamyar_app::Clock::system().today())
        .await
        .expect("demo");
    let pool = db.pool();
    let program: i64 = sqlx::query_scalar("select id from program order by id limit 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let (bank, branch, memorandum, quota): (i64, i64, i64, i64) = {
        let bank: i64 = sqlx::query_scalar("select id from bank where code = 'mehr'")
            .fetch_one(pool)
            .await
            .unwrap();
        let branch: i64 = sqlx::query_scalar("select id from branch where bank_id = $1")
            .bind(bank)
            .fetch_one(pool)
            .await
            .unwrap();
        let m: i64 = sqlx::query_scalar("select id from memorandum where bank_id = $1")
            .bind(bank)
            .fetch_one(pool)
            .await
            .unwrap();
        let q: i64 = sqlx::query_scalar(
            "select id from quota where memorandum_id = $1 and province_code = '07'",
        )
        .bind(m)
        .fetch_one(pool)
        .await
        .unwrap();
        (bank, branch, m, q)
    };
    let today = vamyar_app::Clock::system().today();
    let calendar =
        vamyar_store::reference::working_calendar(db, vamyar_calendar::Clock::system().today())
            .await
            .unwrap();
    let now = vamyar_store::time::now();
    let mut out = Vec::new();
    for i in 0..count {
        let mut tx = db.begin().await.unwrap();
        let person: i64 = sqlx::query_scalar(
            "insert into person (national_id, first_name, last_name, gender, mobile, \
             province_code, county_code, created_at, updated_at) \
             values ($1, $2, 'احمدی', 'female', $3, '07', '07-15', $4, $4) returning id",
        )
        .bind(national_id(7_000 + i))
        .bind(first_name)
        .bind(format!("0912{:07}", 1_000_000 + i))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let app: i64 = sqlx::query_scalar(
            "insert into application (tracking_code, person_id, program_id, loan_type, channel, \
             state, requested_amount, approved_amount, business_title, province_code, county_code, \
             submitted_at, state_changed_at, created_at, updated_at) \
             values ($1, $2, $3, 'self_employment', 'desk', 'active', 100000000, 100000000, \
             'خیاطی', '07', '07-15', $4, $4, $4, $4) returning id",
        )
        .bind(format!("9{:011}", 70_000 + i))
        .bind(person)
        .bind(program)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let referral: i64 = sqlx::query_scalar(
            "insert into referral (application_id, memorandum_id, quota_id, bank_id, branch_id, \
             letter_number, amount, issued_on, valid_until, status, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, 100000000, $7, $7, 'disbursed', $8, $8) returning id",
        )
        .bind(app)
        .bind(memorandum)
        .bind(quota)
        .bind(bank)
        .bind(branch)
        .bind(format!("FX-{app}"))
        .bind(vamyar_store::time::date(today))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let terms = ScheduleTerms {
            principal: 100_000_000,
            annual_rate_bp: 400,
            term_months: 12,
            grace_months: 0,
            grace_fee_accrues: false,
            method: ScheduleMethod::Flat,
            disbursed_on: today,
            shift_to_working_day: true,
        };
        let plan = schedule::generate(&terms, &calendar).unwrap();
        let contract = format!("FX-{i:04}");
        let loan_id = loan::create(
            &mut tx,
            &NewLoan {
                application_id: app,
                referral_id: referral,
                bank_id: bank,
                contract_number: &contract,
                principal: 100_000_000,
                fee_rate_bp: 400,
                term_months: 12,
                grace_months: 0,
                schedule_method: "flat",
                late_charge_extra_bp: 600,
                disbursed_on: today,
                total_fee: plan.total_fee,
            },
            &plan.installments,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        out.push(FixtureLoan {
            application_id: app,
            loan_id,
            contract,
            total: plan.total_repayable(),
        });
    }
    out
}

/// Σ paid parts of a loan's installments plus its credit, and Σ its payments.
pub async fn reconcile(db: &Db, loan_id: i64) -> (i64, i64) {
    let pool = db.pool();
    let paid: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(principal_paid + fee_paid + late_charge_paid), 0) as bigint) \
         from installment where loan_id = $1",
    )
    .bind(loan_id)
    .fetch_one(pool)
    .await
    .unwrap();
    let credit: i64 = sqlx::query_scalar("select credit_balance from loan where id = $1")
        .bind(loan_id)
        .fetch_one(pool)
        .await
        .unwrap();
    let payments: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(amount), 0) as bigint) from payment where loan_id = $1",
    )
    .bind(loan_id)
    .fetch_one(pool)
    .await
    .unwrap();
    (paid + credit, payments)
}

/// Serves `state` on an ephemeral loopback port; returns `http://127.0.0.1:PORT`.
pub async fn serve(state: vamyar_web::AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            listener,
            vamyar_web::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    base
}

/// Logs a demo account in; returns its bearer token.
pub async fn login(client: &reqwest::Client, base: &str, username: &str) -> String {
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(
            &serde_json::json!({"username": username, "password": vamyar_app::demo::DEMO_PASSWORD}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{username} logged in: {login}"))
        .to_string()
}
