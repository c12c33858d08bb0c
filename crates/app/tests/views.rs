//! Snapshots of the JSON of the main views — a file as registered and as disbursed, its
//! history, its loan and schedule, public tracking and the staff queue — so that a change of
//! shape or wording shows in review (`cargo insta review`, or `INSTA_UPDATE=always`).
//!
//! The file is walked through the use cases themselves on a clock standing at 10:00 on
//! 1405/09/10 (2026-12-01) in Tehran, so every date is fixed; both engines must give the same
//! JSON. Values drawn at random (the tracking code) or stamped by the database itself
//! (document upload times) are redacted.

use chrono::{NaiveDate, NaiveTime};
use insta::assert_json_snapshot;
use serde_json::{Value, json};
use vamyar_app::applicant::Flex;
use vamyar_app::counselling::{self, PlanReviewBody};
use vamyar_app::documents::{self, Upload, UploadInput};
use vamyar_app::files::actions;
use vamyar_app::files::register::{self, Caller, RegisterBody};
use vamyar_app::loans::service;
use vamyar_app::{Clock, Ctx, Settings};
use vamyar_domain::policy::Actor;
use vamyar_i18n::Lang;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

fn clock() -> Clock {
    Clock::at_tehran(
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    )
}

async fn ctx_of(t: &TestDb) -> Ctx {
    let settings = Settings {
        upload_dir: t.scratch_folder().join("uploads"),
        ..Settings::default()
    };
    let ctx = Ctx::new(t.db.clone(), settings).with_clock(clock());
    vamyar_app::demo::seed(&ctx.db, ctx.today()).await.unwrap();
    ctx
}

async fn staff(ctx: &Ctx, username: &str) -> Actor {
    vamyar_app::actors::staff_by_username(ctx, username)
        .await
        .unwrap()
}

fn registration(program_id: i64) -> RegisterBody {
    vamyar_app::input::from_value(json!({
        "program_id": program_id, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": "0076229645", "first_name": "زهرا", "last_name": "احمدی",
            "father_name": "علی", "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "address": "تهران، خیابان آزادی",
            "female_head_of_household": true, "disability": false, "household_size": 3,
            "income_decile": 2, "beneficiary_status": "supported"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 2}
    }))
    .unwrap()
}

/// Performs an action with the file's current version.
async fn act(ctx: &Ctx, actor: &Actor, id: i64, action: &str, mut body: Value, version: &mut i64) {
    body["version"] = json!(*version);
    let file = actions::perform(ctx, actor, id, action, body)
        .await
        .unwrap_or_else(|e| panic!("{action}: {e:?}"));
    *version = file.version;
}

fn pdf(kind: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {kind}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").into_bytes()
}

both_engines!(the_main_views_keep_their_shape, |t: TestDb| async move {
    let ctx = ctx_of(&t).await;
    let (desk, social, expert, head, bank) = (
        staff(&ctx, "desk").await,
        staff(&ctx, "social").await,
        staff(&ctx, "expert").await,
        staff(&ctx, "head").await,
        staff(&ctx, "bank").await,
    );
    let program: i64 = sqlx::query_scalar("select id from program order by id limit 1")
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
    let done = register::register(&ctx, Caller::Actor(desk.clone()), registration(program))
        .await
        .unwrap();
    let id = done.id;
    let code = done.tracking_code.clone();
    let registered = vamyar_app::files::view::get(&ctx, &desk, id).await.unwrap();
    assert_json_snapshot!("file_registered", registered, {".tracking_code" => "[tracking code]"});

    let mut version = registered.version;
    act(&ctx, &social, id, "approve", json!({}), &mut version).await;
    for kind in ["national_card", "birth_certificate", "business_plan"] {
        let file = documents::may_upload(&ctx, &desk, id).await.unwrap();
        let input = UploadInput {
            kind: Some(kind.into()),
            file: Some(Upload {
                bytes: pdf(kind),
                file_name: Some(format!("{kind}.pdf")),
            }),
            duplicates: Vec::new(),
        };
        let doc = documents::upload(&ctx, &desk, &file, input).await.unwrap();
        documents::review(&ctx, &social, doc.id, json!({"decision": "accept"}))
            .await
            .unwrap();
    }
    counselling::record_plan_review(
        &ctx,
        &expert,
        id,
        PlanReviewBody {
            activity: Some("خیاطی".into()),
            location: Some("تهران".into()),
            recommended_amount: Some(Flex("1200000000".into())),
            jobs_to_create: Some(Flex("2".into())),
            sector: Some("handicrafts".into()),
            notes: None,
        },
    )
    .await
    .unwrap();
    version = vamyar_app::files::view::get(&ctx, &expert, id)
        .await
        .unwrap()
        .version;
    act(&ctx, &expert, id, "approve_plan", json!({}), &mut version).await;
    let bank_id = match bank.scope() {
        vamyar_domain::policy::Scope::Bank { bank_id, .. } => *bank_id,
        other => panic!("the demo bank officer has scope {other:?}"),
    };
    let branch = vamyar_store::bank::branches(ctx.db.pool())
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.bank_id == bank_id)
        .unwrap();
    act(
        &ctx,
        &head,
        id,
        "refer",
        json!({"branch_id": branch.id}),
        &mut version,
    )
    .await;
    act(
        &ctx,
        &bank,
        id,
        "request_guarantees",
        json!({"guarantees": [{"kind": "promissory_note"}]}),
        &mut version,
    )
    .await;
    act(
        &ctx,
        &bank,
        id,
        "accept_guarantees",
        json!({}),
        &mut version,
    )
    .await;
    act(
        &ctx,
        &bank,
        id,
        "disburse",
        json!({"contract_number": "C-1001", "disbursed_on": "2026-12-01"}),
        &mut version,
    )
    .await;

    let active = vamyar_app::files::view::get(&ctx, &bank, id).await.unwrap();
    assert_json_snapshot!("file_disbursed_as_the_bank_sees_it", active, {".tracking_code" => "[tracking code]"});
    let history = vamyar_app::files::history::history(&ctx, &head, id)
        .await
        .unwrap();
    assert_json_snapshot!("history", history);
    let loan = service::of_file(&ctx, &bank, id, Lang::Fa).await.unwrap();
    assert_json_snapshot!("loan", loan, {".tracking_code" => "[tracking code]"});
    let schedule = service::schedule(&ctx, &bank, loan.id, Lang::Fa)
        .await
        .unwrap();
    assert_json_snapshot!("schedule", schedule);
    // a loan's read pins a pinned use case's reference data at the version read with it (no
    // round trip of its own); an unpinned context stays unpinned
    let pinned = ctx.pinned();
    vamyar_app::loans::load(&pinned, loan.id)
        .await
        .unwrap()
        .unwrap();
    let version = vamyar_store::reference::version(&ctx.db).await.unwrap();
    assert_eq!(
        pinned.reference_pin.as_ref().and_then(|p| p.get()),
        Some(&version)
    );
    vamyar_app::loans::load(&ctx, loan.id)
        .await
        .unwrap()
        .unwrap();
    assert!(ctx.reference_pin.is_none());
    let tracked = vamyar_app::track::track(&ctx, &code).await.unwrap();
    assert_json_snapshot!("tracked", tracked, {".tracking_code" => "[tracking code]"});
    let queue = vamyar_app::queue::list(&ctx, &head, &Default::default())
        .await
        .unwrap()
        .items;
    assert_json_snapshot!("queue_of_the_office_head", queue, {"[].tracking_code" => "[tracking code]"});
    let docs = documents::list(&ctx, &social, id).await.unwrap();
    assert_json_snapshot!("documents", docs, {"[].created_at" => "[stamped]", "[].reviewed_at" => "[stamped]"});
});
