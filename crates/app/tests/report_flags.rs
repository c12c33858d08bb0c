//! What the file carries for the reports (migration 0014) stays true: the applicant's gender
//! and female-head flag follow the person, the deprived flag follows the county, and each
//! stage clock opened sets that stage's bit in `stages_reached` — one bit per workflow state,
//! the same numbers in the triggers of both engines as in `report::STAGE_BITS`.

use serde_json::json;
use vamyar_app::files::register::{self, Caller, RegisterBody};
use vamyar_app::{Ctx, Settings};
use vamyar_domain::workflow::State;
use vamyar_store::both_engines;
use vamyar_store::report::STAGE_BITS;
use vamyar_store::testdb::TestDb;

fn registration(program_id: i64) -> RegisterBody {
    vamyar_app::input::from_value(json!({
        "program_id": program_id, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": "0076229645", "first_name": "زهرا", "last_name": "احمدی",
            "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "female_head_of_household": true,
            "household_size": 3, "beneficiary_status": "supported"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 2}
    }))
    .unwrap()
}

#[derive(sqlx::FromRow, Debug, PartialEq)]
struct Carried {
    gender: Option<String>,
    is_female_head: i64,
    is_deprived: i64,
    stages_reached: i64,
}

async fn carried(ctx: &Ctx, id: i64) -> Carried {
    sqlx::query_as(
        "select gender, is_female_head, is_deprived, stages_reached from application where id = $1",
    )
    .bind(id)
    .fetch_one(ctx.db.pool())
    .await
    .unwrap()
}

async fn exec(ctx: &Ctx, sql: &str) {
    sqlx::query(sql).execute(ctx.db.pool()).await.unwrap();
}

#[test]
fn every_state_has_its_own_bit() {
    let names: Vec<&str> = STAGE_BITS.iter().map(|(s, _)| *s).collect();
    let states: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(names, states, "one bit per state, in the workflow's order");
    for (i, (_, bit)) in STAGE_BITS.iter().enumerate() {
        assert_eq!(*bit, 1_i64 << i);
    }
}

both_engines!(
    the_file_carries_its_flags_and_stages,
    |t: TestDb| async move {
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
        let id = register::register(&ctx, Caller::Actor(desk), registration(program))
            .await
            .unwrap()
            .id;
        let deprived: i64 =
            sqlx::query_scalar("select is_deprived from county where code = '07-15'")
                .fetch_one(ctx.db.pool())
                .await
                .unwrap();
        // registration opened the social-work review's clock
        assert_eq!(
            carried(&ctx, id).await,
            Carried {
                gender: Some("female".into()),
                is_female_head: 1,
                is_deprived: deprived,
                stages_reached: 1,
            }
        );

        // a clock in every state, some twice: each sets its own bit once
        for (state, _) in STAGE_BITS.iter().chain(STAGE_BITS.iter().take(3)) {
            sqlx::query(
            "insert into stage_timing (application_id, state, owner, started_at, created_at) \
             values ($1, $2, 'agency', '2026-12-01T08:00:00.000000Z', '2026-12-01T08:00:00.000000Z')",
        )
        .bind(id)
        .bind(*state)
        .execute(ctx.db.pool())
        .await
        .unwrap();
        }
        assert_eq!(carried(&ctx, id).await.stages_reached, (1 << 13) - 1);

        // the person's correction reaches the file; a change elsewhere does not disturb it
        exec(
            &ctx,
            "update person set is_female_head = 0, gender = 'male', updated_at = updated_at",
        )
        .await;
        exec(&ctx, "update person set mobile = '09120000000'").await;
        let now = carried(&ctx, id).await;
        assert_eq!(
            (now.gender.as_deref(), now.is_female_head),
            (Some("male"), 0)
        );

        // the county's flag today is the file's
        let flipped = 1 - deprived;
        exec(
            &ctx,
            &format!("update county set is_deprived = {flipped} where code = '07-15'"),
        )
        .await;
        assert_eq!(carried(&ctx, id).await.is_deprived, flipped);
        exec(
            &ctx,
            &format!("update county set is_deprived = {deprived} where code = '07-15'"),
        )
        .await;
        assert_eq!(carried(&ctx, id).await.is_deprived, deprived);
    }
);
