//! The process's copy of the reference data follows every committed change, however it was
//! made: programs, loan types, counties and holidays changed by plain SQL (as another server
//! process or an operator would) are seen by the next read, and a registration draws its
//! tracking code from its id without a retry.

use chrono::{NaiveDate, NaiveTime};
use vamyar_app::files::ProgramSettings;
use vamyar_app::{Clock, Ctx, Settings};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

async fn ctx_of(t: &TestDb) -> Ctx {
    let clock = Clock::at_tehran(today(), NaiveTime::from_hms_opt(10, 0, 0).unwrap());
    let ctx = Ctx::new(t.db.clone(), Settings::default()).with_clock(clock);
    vamyar_app::demo::seed(&ctx.db, ctx.today()).await.unwrap();
    ctx
}

async fn exec(t: &TestDb, sql: &str) {
    sqlx::query(sql).execute(t.db.pool()).await.unwrap();
}

both_engines!(
    changes_made_by_sql_are_seen_at_the_next_read,
    |t: TestDb| async move {
        let ctx = ctx_of(&t).await;
        let program: i64 = sqlx::query_scalar("select id from program order by id limit 1")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        let before = ProgramSettings::load(&ctx, program).await.unwrap().unwrap();
        let ceiling = before.ceiling("self_employment", 1).unwrap();
        // read twice: the second comes from the copy and agrees
        let again = ProgramSettings::load(&ctx, program).await.unwrap().unwrap();
        assert_eq!(again.ceiling("self_employment", 1), Some(ceiling));

        exec(
            &t,
            "update program_loan_type set ceiling = ceiling + 10 where loan_type = 'self_employment'",
        )
        .await;
        let after = ProgramSettings::load(&ctx, program).await.unwrap().unwrap();
        assert_eq!(after.ceiling("self_employment", 1), Some(ceiling + 10));

        exec(&t, "update program set is_active = 0").await;
        let closed = ProgramSettings::load(&ctx, program).await.unwrap().unwrap();
        assert!(!closed.program.is_active);

        let county = vamyar_app::reference::county(&ctx, "07-15")
            .await
            .unwrap()
            .unwrap();
        exec(
            &t,
            &format!(
                "update county set is_deprived = {} where code = '07-15'",
                i32::from(!county.is_deprived)
            ),
        )
        .await;
        let flipped = vamyar_app::reference::county(&ctx, "07-15")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(flipped.is_deprived, !county.is_deprived);

        // a working Tuesday becomes a holiday
        let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        assert!(ctx.calendar().await.unwrap().is_working_day(day));
        exec(
            &t,
            "insert into holiday (holiday_date, name_fa, name_en, kind, created_at) \
             values ('2026-12-08', 'آزمون', 'test', 'lunar', '2026-12-01T00:00:00.000000Z')",
        )
        .await;
        assert!(ctx.calendar().await.unwrap().is_holiday(day));
        exec(&t, "delete from holiday where holiday_date = '2026-12-08'").await;
        assert!(ctx.calendar().await.unwrap().is_working_day(day));
    }
);

fn walk_in(program_id: i64, national_id: &str) -> vamyar_app::files::register::RegisterBody {
    vamyar_app::input::from_value(serde_json::json!({
        "program_id": program_id, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": national_id, "first_name": "زهرا", "last_name": "احمدی",
            "father_name": "علی", "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "address": "تهران، خیابان آزادی",
            "female_head_of_household": true, "disability": false, "household_size": 3,
            "income_decile": 2, "beneficiary_status": "supported"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 2}
    }))
    .unwrap()
}

both_engines!(
    a_file_s_tracking_code_is_its_id_through_the_installation_s_key,
    |t: TestDb| async move {
        use vamyar_app::files::register::{Caller, register};
        use vamyar_domain::primitives::TrackingCode;
        let ctx = ctx_of(&t).await;
        let program: i64 = sqlx::query_scalar("select id from program order by id limit 1")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        let desk = vamyar_app::actors::staff_by_username(&ctx, "desk")
            .await
            .unwrap();
        let key = vamyar_store::secret::get_or_create(&t.db, vamyar_store::secret::TRACKING_CODE)
            .await
            .unwrap();
        let code = |id: i64| {
            TrackingCode::for_sequence(id as u64, &key)
                .unwrap()
                .as_str()
                .to_string()
        };
        let first = register(
            &ctx,
            Caller::Actor(desk.clone()),
            walk_in(program, "0076229645"),
        )
        .await
        .unwrap();
        assert_eq!(first.tracking_code, code(first.id));

        // a file registered before codes came from ids holds, by chance, the next file's code
        sqlx::query("update application set tracking_code = $1 where id = $2")
            .bind(code(first.id + 1))
            .bind(first.id)
            .execute(t.db.pool())
            .await
            .unwrap();
        let second = register(
            &ctx,
            Caller::Actor(desk.clone()),
            walk_in(program, "1583250689"),
        )
        .await;
        let second = match t.db.backend() {
            // SQLite takes the next id in the same transaction
            vamyar_store::Backend::Sqlite => second.unwrap(),
            // PostgreSQL loses that registration; the sequence moved on, so a retry succeeds
            vamyar_store::Backend::Postgres => {
                assert!(second.is_err());
                register(&ctx, Caller::Actor(desk), walk_in(program, "1583250689"))
                    .await
                    .unwrap()
            }
        };
        assert!(second.id > first.id + 1);
        assert_eq!(second.tracking_code, code(second.id));
        let files: i64 = sqlx::query_scalar("select count(*) from application")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(files, 2);
    }
);
