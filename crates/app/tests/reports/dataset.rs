//! The known dataset of the report tests, walked through the use cases on a clock standing
//! at 10:00 in Tehran, moved day by day:
//!
//! | file | applicant | county | journey |
//! |---|---|---|---|
//! | A | female head | 07-15 | approved Tue 12-01, documents Sun 12-06, plan Mon 12-07 (handicrafts, 3 jobs, 1,200,000,000), referred Wed 12-09, guarantees accepted Wed 12-09, disbursed Thu 12-10 (1405/09/19); visit finds 2 people employed, plan not carried out; accelerated |
//! | E | male | 07-15 | approved Wed 12-02, documents Sun 12-06, plan Wed 12-09 (services, 1 job, 900,000,000), referred Wed 12-09, guarantees accepted Tue 12-22, disbursed Wed 12-23 (1405/10/02); 100 days past due |
//! | B | female head | 07-15 | approved Sun 12-06 (one working day late), documents missing |
//! | D | male | 07-15 | rejected Thu 12-03 |
//! | C | female, not head | 13-24 (flagged deprived) | submitted, nothing since |
//!
//! Every file is registered on Tue 2026-12-01 (1405/09/10). 07-15 is flagged not deprived.
//! December 2026 holds no holiday (the test checks), Friday is the weekend.

use chrono::{Duration, NaiveDate, NaiveTime};
use serde_json::{Value, json};
use vamyar_app::applicant::Flex;
use vamyar_app::counselling::{self, PlanReviewBody};
use vamyar_app::documents::{self, Upload, UploadInput};
use vamyar_app::files::actions;
use vamyar_app::files::register::{self, Caller, RegisterBody};
use vamyar_app::{Clock, Ctx, Settings};
use vamyar_domain::policy::{Actor, Scope};
use vamyar_store::testdb::TestDb;

/// The ids of the files.
pub struct Files {
    /// File A.
    pub a: i64,
    /// The demo bank officer's bank (Mehr).
    pub mehr: i64,
}

pub async fn ctx_of(t: &TestDb) -> Ctx {
    let settings = Settings {
        upload_dir: t.scratch_folder().join("uploads"),
        ..Settings::default()
    };
    let clock = Clock::at_tehran(
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    );
    let ctx = Ctx::new(t.db.clone(), settings).with_clock(clock);
    vamyar_app::demo::seed(&ctx.db, ctx.today()).await.unwrap();
    ctx
}

pub async fn staff(ctx: &Ctx, username: &str) -> Actor {
    vamyar_app::actors::staff_by_username(ctx, username)
        .await
        .unwrap()
}

/// A staff account of another place or bank.
pub async fn new_staff(ctx: &Ctx, username: &str, role: &str, county: Option<&str>) -> Actor {
    let mut tx = ctx.db.begin().await.unwrap();
    vamyar_store::staff::create(
        &mut tx,
        &vamyar_store::staff::NewStaff {
            username: username.into(),
            password_hash: "unused".into(),
            full_name: username.into(),
            role: role.into(),
            province_code: county.map(|c| c[..2].to_string()),
            county_code: county.map(str::to_string),
            bank_id: None,
            branch_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    staff(ctx, username).await
}

fn registration(program: i64, nid: &str, female: bool, head: bool, county: &str) -> RegisterBody {
    vamyar_app::input::from_value(json!({
        "program_id": program, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": nid, "first_name": "نام", "last_name": "آزمون",
            "father_name": "علی", "birth_date": "1370/05/12",
            "gender": if female { "female" } else { "male" },
            "mobile": format!("0912{}", &nid[..7]),
            "province": &county[..2], "county": county, "address": "نشانی",
            "female_head_of_household": head, "disability": false, "household_size": 3,
            "income_decile": 2, "beneficiary_status": "supported"},
        "business": {"title": "کسب", "activity": "tailoring", "jobs_planned": 2}
    }))
    .unwrap()
}

async fn version(ctx: &Ctx, actor: &Actor, id: i64) -> i64 {
    vamyar_app::files::view::get(ctx, actor, id)
        .await
        .unwrap()
        .version
}

pub async fn act(ctx: &Ctx, actor: &Actor, id: i64, action: &str, mut body: Value) {
    body["version"] = json!(version(ctx, actor, id).await);
    let done = actions::act(ctx, actor, id, action, body)
        .await
        .unwrap_or_else(|e| panic!("{action} on {id}: {e:?}"));
    // four eyes: the province admin confirms what needs a second person
    if let actions::Performed::Proposed(p) = done {
        let second = vamyar_app::actors::staff_by_username(ctx, "province")
            .await
            .unwrap();
        vamyar_app::proposals::confirm(ctx, &second, p.proposal.id, json!({}))
            .await
            .unwrap_or_else(|e| panic!("confirming {action} on {id}: {e:?}"));
    }
}

/// Moves the clock to 10:00 on `day` of December 2026.
fn on(ctx: &Ctx, day: u32) {
    ctx.clock.set(vamyar_calendar::clock::tehran_instant(
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    ));
}

async fn documents(ctx: &Ctx, desk: &Actor, social: &Actor, id: i64) {
    for kind in ["national_card", "birth_certificate", "business_plan"] {
        let file = documents::may_upload(ctx, desk, id).await.unwrap();
        let input = UploadInput {
            kind: Some(kind.into()),
            file: Some(Upload {
                bytes: format!("%PDF-1.4\n% {kind} {id}\n%%EOF\n").into_bytes(),
                file_name: Some(format!("{kind}.pdf")),
            }),
            duplicates: Vec::new(),
        };
        let doc = documents::upload(ctx, desk, &file, input).await.unwrap();
        documents::review(ctx, social, doc.id, json!({"decision": "accept"}))
            .await
            .unwrap();
    }
}

async fn plan(ctx: &Ctx, expert: &Actor, id: i64, amount: i64, jobs: i64, sector: &str) {
    counselling::record_plan_review(
        ctx,
        expert,
        id,
        PlanReviewBody {
            activity: Some("خیاطی".into()),
            location: Some("تهران".into()),
            recommended_amount: Some(Flex(amount.to_string())),
            jobs_to_create: Some(Flex(jobs.to_string())),
            sector: Some(sector.into()),
            notes: None,
        },
    )
    .await
    .unwrap();
    act(ctx, expert, id, "approve_plan", json!({})).await;
}

/// Builds the dataset of the table above.
pub async fn build(ctx: &Ctx) -> Files {
    let pool = ctx.db.pool();
    let holidays: i64 = sqlx::query_scalar(
        "select count(*) from holiday where holiday_date between '2026-11-25' and '2027-01-05'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        holidays, 0,
        "the hand counts assume no holiday in December 2026"
    );
    for (county, deprived) in [("07-15", 0), ("13-24", 1)] {
        sqlx::query("update county set is_deprived = $1 where code = $2")
            .bind(deprived)
            .bind(county)
            .execute(pool)
            .await
            .unwrap();
    }
    let program: i64 = sqlx::query_scalar("select id from program order by id limit 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let (desk, social, expert, head, bank) = (
        staff(ctx, "desk").await,
        staff(ctx, "social").await,
        staff(ctx, "expert").await,
        staff(ctx, "head").await,
        staff(ctx, "bank").await,
    );
    let far_desk = new_staff(ctx, "zahedan-desk", "desk_clerk", Some("13-24")).await;
    let reg = async |actor: &Actor, nid: &str, female: bool, head: bool, county: &str| {
        register::register(
            ctx,
            Caller::Actor(actor.clone()),
            registration(program, nid, female, head, county),
        )
        .await
        .unwrap()
        .id
    };
    let a = reg(&desk, "0081234562", true, true, "07-15").await;
    let e = reg(&desk, "1122334451", false, false, "07-15").await;
    let b = reg(&desk, "2233445562", true, true, "07-15").await;
    let d = reg(&desk, "3344556673", false, false, "07-15").await;
    let c = reg(&far_desk, "4455667784", true, false, "13-24").await;

    act(ctx, &social, a, "approve", json!({})).await;
    on(ctx, 2);
    act(ctx, &social, e, "approve", json!({})).await;
    on(ctx, 3);
    act(
        ctx,
        &social,
        d,
        "reject",
        json!({"reason": "واجد شرایط نیست"}),
    )
    .await;
    on(ctx, 6);
    act(ctx, &social, b, "approve", json!({})).await;
    documents(ctx, &desk, &social, a).await;
    documents(ctx, &desk, &social, e).await;
    on(ctx, 7);
    plan(ctx, &expert, a, 1_200_000_000, 3, "handicrafts").await;
    on(ctx, 9);
    plan(ctx, &expert, e, 900_000_000, 1, "services").await;
    let mehr = match bank.scope() {
        Scope::Bank { bank_id, .. } => *bank_id,
        other => panic!("the demo bank officer has scope {other:?}"),
    };
    let branch = vamyar_store::bank::branches(pool)
        .await
        .unwrap()
        .into_iter()
        .find(|br| br.bank_id == mehr)
        .unwrap();
    for id in [a, e] {
        act(ctx, &head, id, "refer", json!({"branch_id": branch.id})).await;
        let guarantees = json!({"guarantees": [{"kind": "promissory_note"}]});
        act(ctx, &bank, id, "request_guarantees", guarantees).await;
    }
    act(ctx, &bank, a, "accept_guarantees", json!({})).await;
    on(ctx, 10);
    let disburse = json!({"contract_number": "C-A", "disbursed_on": "2026-12-10"});
    act(ctx, &bank, a, "disburse", disburse).await;
    on(ctx, 22);
    act(ctx, &bank, e, "accept_guarantees", json!({})).await;
    on(ctx, 23);
    let disburse = json!({"contract_number": "C-E", "disbursed_on": "2026-12-23"});
    act(ctx, &bank, e, "disburse", disburse).await;

    // A's first visit: two people employed, the plan not carried out; then acceleration
    let visit: i64 = sqlx::query_scalar(
        "select min(v.id) from monitoring_visit v join loan l on l.id = v.loan_id \
         where l.application_id = $1",
    )
    .bind(a)
    .fetch_one(pool)
    .await
    .unwrap();
    vamyar_app::visits::record(
        ctx,
        &expert,
        visit,
        json!({"visited_on": "2026-12-23", "business_running": true, "people_employed": 2,
            "plan_carried_out": false, "findings": "طرح اجرا نشده"}),
        vamyar_i18n::Lang::Fa,
    )
    .await
    .unwrap();
    act(
        ctx,
        &head,
        a,
        "accelerate",
        json!({"reason": "طرح اجرا نشد"}),
    )
    .await;
    // E 100 days past due, as close of business would have counted it
    let since = ctx.today() - Duration::days(100);
    sqlx::query("update loan set arrears_since = $1 where application_id = $2")
        .bind(vamyar_store::time::date(since))
        .bind(e)
        .execute(pool)
        .await
        .unwrap();
    ctx.clock.advance(Duration::hours(1));
    let _ = (b, c, d);
    Files { a, mehr }
}
