//! Two members of one household registering at the same moment get one open file between
//! them when the program allows one. The overlap is forced: the test holds the household's
//! row lock while both registrations pass their first check (no open file yet) and then wait
//! on that lock inside their transactions, seen in `pg_stat_activity`; only then does it let
//! go. Without the check inside the transaction both files would be written.
//!
//! PostgreSQL only: on SQLite every write transaction runs on the one writer connection under
//! `begin immediate`, so the check inside it cannot overlap another by construction.

use std::time::Duration;

use serde_json::json;
use vamyar_app::files::register::{self, Caller, RegisterBody};
use vamyar_app::households::{self, HouseholdBody, MemberBody};
use vamyar_app::{Ctx, Error, Settings};
use vamyar_store::Backend;
use vamyar_store::testdb::TestDb;

fn registration(program_id: i64, national_id: &str) -> RegisterBody {
    vamyar_app::input::from_value(json!({
        "program_id": program_id, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": national_id, "first_name": "زهرا", "last_name": "احمدی",
            "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "female_head_of_household": false,
            "household_size": 3, "beneficiary_status": "none"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 1}
    }))
    .unwrap()
}

/// Sessions of this database waiting for a lock.
async fn waiting_on_locks(ctx: &Ctx) -> i64 {
    sqlx::query_scalar(
        "select count(*) from pg_stat_activity \
         where datname = current_database() and wait_event_type = 'Lock'",
    )
    .fetch_one(ctx.db.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(pg_tests), ignore = "VAMYAR_TEST_POSTGRES_URL is not set")]
async fn two_members_registering_at_once_get_one_open_file() {
    let t = TestDb::new(Backend::Postgres).await.unwrap();
    let ctx = Ctx::new(
        t.db.clone(),
        Settings {
            upload_dir: t.scratch_folder().join("uploads"),
            ..Settings::default()
        },
    );
    vamyar_app::demo::seed(&ctx.db, ctx.today()).await.unwrap();
    let program: i64 = sqlx::query_scalar("select min(id) from program")
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
    let desk = vamyar_app::actors::staff_by_username(&ctx, "desk")
        .await
        .unwrap();
    households::create(
        &ctx,
        &desk,
        HouseholdBody {
            case_number: Some("1405/88".into()),
            size: Some(vamyar_app::fields::Flex("5".into())),
        },
    )
    .await
    .unwrap();
    let members = ["0076229645", "1234567891"];
    for nid in members {
        let body = MemberBody {
            national_id: Some(nid.into()),
        };
        households::add_member(&ctx, &desk, "1405/88", body)
            .await
            .unwrap();
    }
    // the tracking codes' key exists before the race (made on first use otherwise)
    vamyar_app::reference::tracking_key(&ctx).await.unwrap();

    let mut hold = ctx.db.begin().await.unwrap();
    sqlx::query("update household set updated_at = updated_at where case_number = '1405/88'")
        .execute(&mut *hold)
        .await
        .unwrap();
    let tasks: Vec<_> = members
        .iter()
        .map(|nid| {
            let (ctx, desk) = (ctx.clone(), desk.clone());
            let body = registration(program, nid);
            tokio::spawn(async move { register::register(&ctx, Caller::Actor(desk), body).await })
        })
        .collect();
    let mut waited = 0;
    while waiting_on_locks(&ctx).await < 2 {
        waited += 1;
        assert!(
            waited < 300,
            "both registrations passed their first check and wait on the household's lock"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    hold.commit().await.unwrap();

    let mut registered = 0;
    let mut refused = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => registered += 1,
            Err(Error::Validation(f)) => refused.extend(f.0.into_iter().map(|(k, v)| (k, v.code))),
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(registered, 1, "one of the two registrations is written");
    assert_eq!(
        refused,
        vec![(
            "applicant.national_id".to_string(),
            "household_has_open_file"
        )]
    );
    let files: i64 = sqlx::query_scalar("select count(*) from application")
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
    assert_eq!(files, 1, "the refused registration wrote nothing");
}
