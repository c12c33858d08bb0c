//! The staff queue read from the database in the order of the stored rank: it agrees with the
//! live priority score computed independently for every file, a new high-priority file comes
//! first among ten thousand older ones (it was invisible when the queue took the 5,000 oldest
//! files), pages walked with `after` give every file once, and files past the waiting cap
//! keep their place after close of business re-ranks them.

use chrono::{Duration, NaiveDate, NaiveTime};
use serde_json::json;
use vamyar_app::files::register::{self, Caller, RegisterBody};
use vamyar_app::queue::{QueueQuery, list};
use vamyar_app::{Clock, Ctx, Settings};
use vamyar_domain::policy::Actor;
use vamyar_domain::priority::{BeneficiaryStatus, PriorityInput, PriorityWeights, score};
use vamyar_domain::queue_key::{Waiting, day_number};
use vamyar_store::both_engines;
use vamyar_store::synthetic::{self, Value};
use vamyar_store::testdb::TestDb;

const OLDER: i64 = 10_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

async fn ctx_of(t: &TestDb) -> Ctx {
    let settings = Settings {
        upload_dir: t.scratch_folder().join("uploads"),
        ..Settings::default()
    };
    let clock = Clock::at_tehran(today(), NaiveTime::from_hms_opt(10, 0, 0).unwrap());
    let ctx = Ctx::new(t.db.clone(), settings).with_clock(clock);
    vamyar_app::demo::seed(&ctx.db, ctx.today()).await.unwrap();
    ctx
}

/// What the test knows of each older file, to order them without the database.
struct Expected {
    id: i64,
    score: i64,
    submitted_at: String,
}

/// Ten thousand older files in one county, submitted 1–500 days ago (some past the one-year
/// waiting cap), some of the younger ones female heads of household, each ranked as registration
/// ranked it on its own day; returns each file's live score today.
async fn seed_older(ctx: &Ctx, program_id: i64, weights: &PriorityWeights) -> Vec<Expected> {
    let db = &ctx.db;
    let base_person = synthetic::max_id(db, "person").await.unwrap();
    let base_app = synthetic::max_id(db, "application").await.unwrap();
    let waiting = Waiting::from(weights);
    let (mut persons, mut files, mut expected) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..OLDER {
        let (pid, aid) = (base_person + 1 + i, base_app + 1 + i);
        let days = 1 + (i * 7919) % 500;
        // Female heads among the younger files only, small households: every older file
        // scores below a fresh file with four headline factors.
        let female_head = i % 5 == 0 && days < 100;
        let household = 1 + i % 3;
        let submitted = today() - Duration::days(days);
        let at = format!(
            "{}T05:00:00.{:06}Z",
            submitted.format("%Y-%m-%d"),
            i % 1_000_000
        );
        let input = PriorityInput {
            female_head_of_household: female_head,
            deprived_county: false,
            disability: false,
            income_decile: None,
            beneficiary_status: BeneficiaryStatus::None,
            household_size: household as u8,
            submitted_on: submitted,
        };
        let fixed = score(weights, &input, submitted).score;
        let day = day_number(submitted);
        persons.push(vec![
            Value::Int(pid),
            Value::Text(format!("9{:09}", i)),
            Value::Str("نام"),
            Value::Str("خانوادگی"),
            Value::Str(if female_head { "female" } else { "male" }),
            Value::Text(format!("0912{:07}", i)),
            Value::Str("07"),
            Value::Str("07-15"),
            Value::Int(household),
            Value::Int(i64::from(female_head)),
            Value::Text(at.clone()),
            Value::Text(at.clone()),
        ]);
        files.push(vec![
            Value::Int(aid),
            Value::Text(format!("9{:011}", i)),
            Value::Int(pid),
            Value::Int(program_id),
            Value::Str("self_employment"),
            Value::Str("web"),
            Value::Str("submitted"),
            Value::Int(1_000_000_000),
            Value::Str("کسب‌وکار"),
            Value::Str("07"),
            Value::Str("07-15"),
            Value::Int(fixed),
            Value::Text(at.clone()),
            Value::Text(at.clone()),
            Value::Text(at.clone()),
            Value::Text(at.clone()),
            Value::Int(waiting.rank(fixed, day, day)),
            Value::Int(day),
        ]);
        expected.push(Expected {
            id: aid,
            score: score(weights, &input, today()).score,
            submitted_at: at,
        });
    }
    let mut tx = db.begin().await.unwrap();
    let person_columns = [
        "id",
        "national_id",
        "first_name",
        "last_name",
        "gender",
        "mobile",
        "province_code",
        "county_code",
        "household_size",
        "is_female_head",
        "created_at",
        "updated_at",
    ];
    synthetic::insert(&mut tx, "person", &person_columns, &persons, 500)
        .await
        .unwrap();
    let file_columns = [
        "id",
        "tracking_code",
        "person_id",
        "program_id",
        "loan_type",
        "channel",
        "state",
        "requested_amount",
        "business_title",
        "province_code",
        "county_code",
        "priority_score",
        "submitted_at",
        "state_changed_at",
        "created_at",
        "updated_at",
        "queue_rank",
        "submitted_day",
    ];
    synthetic::insert(&mut tx, "application", &file_columns, &files, 500)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    synthetic::advance_identity(db, "person").await.unwrap();
    synthetic::advance_identity(db, "application")
        .await
        .unwrap();
    expected
}

fn high_priority(program_id: i64) -> RegisterBody {
    vamyar_app::input::from_value(json!({
        "program_id": program_id, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": "0076229645", "first_name": "زهرا", "last_name": "احمدی",
            "father_name": "علی", "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "address": "تهران، خیابان آزادی",
            "female_head_of_household": true, "disability": true, "household_size": 5,
            "income_decile": 1, "beneficiary_status": "supported"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 2}
    }))
    .unwrap()
}

async fn national_admin(ctx: &Ctx) -> Actor {
    vamyar_app::actors::staff_by_username(ctx, "admin")
        .await
        .unwrap()
}

both_engines!(queue_is_ordered_by_live_priority, |t: TestDb| async move {
    let ctx = ctx_of(&t).await;
    let program = vamyar_store::program::list(ctx.db.pool()).await.unwrap()[0].clone();
    let weights: PriorityWeights = serde_json::from_str(&program.priority_weights).unwrap();
    let mut expected = seed_older(&ctx, program.id, &weights).await;
    // Close of business moves the files past the waiting cap (a third of them here).
    let capped = vamyar_app::cob::queue::rerank_capped(&ctx, today())
        .await
        .unwrap();
    assert!(capped > 2_000, "{capped} files re-ranked at the cap");

    let desk = vamyar_app::actors::staff_by_username(&ctx, "desk")
        .await
        .unwrap();
    let new = register::register(&ctx, Caller::Actor(desk.clone()), high_priority(program.id))
        .await
        .unwrap();
    let new_score = new.priority.score;
    assert!(
        expected.iter().all(|e| e.score < new_score),
        "the new file outranks every older one"
    );

    let admin = national_admin(&ctx).await;
    let q = QueueQuery {
        limit: Some(50),
        ..Default::default()
    };
    let page = list(&ctx, &admin, &q).await.unwrap();
    assert_eq!(
        page.items[0].id, new.id,
        "the new high-priority file comes first"
    );
    assert_eq!(page.items[0].priority.score, new_score);

    // The rest of the page is the top of the older files, ordered without the database.
    expected.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.submitted_at.cmp(&b.submitted_at))
            .then_with(|| a.id.cmp(&b.id))
    });
    let got: Vec<(i64, i64)> = page.items[1..]
        .iter()
        .map(|v| (v.id, v.priority.score))
        .collect();
    let want: Vec<(i64, i64)> = expected[..49].iter().map(|e| (e.id, e.score)).collect();
    assert_eq!(got, want);

    // Walking every page with `after` gives each open file once, in order.
    let mut seen: Vec<i64> = Vec::new();
    let mut after = None;
    loop {
        let q = QueueQuery {
            limit: Some(1000),
            after: after.clone(),
            ..Default::default()
        };
        let page = list(&ctx, &admin, &q).await.unwrap();
        seen.extend(page.items.iter().map(|v| v.id));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let mut want: Vec<i64> = vec![new.id];
    want.extend(expected.iter().map(|e| e.id));
    assert_eq!(seen.len(), want.len());
    assert_eq!(seen, want);

    // The county clerk's queue is the same order within the county (all of them here).
    let page = list(
        &ctx,
        &desk,
        &QueueQuery {
            limit: Some(5),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ids: Vec<i64> = page.items.iter().map(|v| v.id).collect();
    assert_eq!(ids, want[..5].to_vec());
});

both_engines!(a_bad_cursor_is_a_field_error, |t: TestDb| async move {
    let ctx = ctx_of(&t).await;
    let admin = national_admin(&ctx).await;
    for bad in ["x", "12", "5.abc", "5.999999"] {
        let q = QueueQuery {
            after: Some(bad.into()),
            ..Default::default()
        };
        let err = list(&ctx, &admin, &q).await.unwrap_err();
        assert_eq!(err.code(), "validation_failed", "{bad}");
    }
});
