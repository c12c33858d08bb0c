//! `serve --demo` seeds accounts with a published password: refused on PostgreSQL and on a
//! database that holds other accounts or programs, unless forced; and seeded once when two
//! processes start together on one database.

use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

async fn add_staff(t: &TestDb, username: &str) {
    let mut tx = t.db.begin().await.unwrap();
    vamyar_store::staff::create(
        &mut tx,
        &vamyar_store::staff::NewStaff {
            username: username.into(),
            password_hash: "x".into(),
            full_name: "someone".into(),
            role: "auditor".into(),
            province_code: None,
            county_code: None,
            bank_id: None,
            branch_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

both_engines!(
    the_demo_refuses_postgres_and_real_data_unless_forced,
    |t: TestDb| async move {
        let check = vamyar_app::demo::check_target(&t.db, false).await;
        match t.db.backend() {
            vamyar_store::Backend::Postgres => {
                let e = check.unwrap_err();
                assert!(e.to_string().contains("PostgreSQL"), "{e}");
            }
            vamyar_store::Backend::Sqlite => {
                check.expect("an empty SQLite database takes the demo");
                // the demo's own data does not count against it
                vamyar_app::demo::seed(&t.db, vamyar_app::Clock::system().today())
                    .await
                    .unwrap();
                vamyar_app::demo::check_target(&t.db, false)
                    .await
                    .expect("a demo database takes the demo again");
                add_staff(&t, "real.person").await;
                let e = vamyar_app::demo::check_target(&t.db, false)
                    .await
                    .unwrap_err();
                assert!(e.to_string().contains("not the demo's"), "{e}");
            }
        }
        vamyar_app::demo::check_target(&t.db, true)
            .await
            .expect("--demo-force overrides");
    }
);

/// The demo program as another process half-way through seeding the demo has written it.
fn demo_program(today: chrono::NaiveDate) -> vamyar_store::program::Program {
    let year = vamyar_calendar::JalaliDate::from_iso(today).year();
    vamyar_store::program::Program {
        id: 0,
        jalali_year: i64::from(year),
        code: format!("demo-{year}"),
        title_fa: "تسهیلات".into(),
        title_en: "Loans".into(),
        fee_rate_bp: 400,
        term_months: 60,
        grace_months: 6,
        grace_fee_accrues: true,
        schedule_method: "flat".into(),
        late_charge_extra_bp: 600,
        shift_due_to_working_day: true,
        eligible_groups: "[]".into(),
        required_documents: "[]".into(),
        priority_weights: serde_json::to_string(
            &vamyar_domain::priority::PriorityWeights::default(),
        )
        .unwrap(),
        service_levels: serde_json::to_string(&vamyar_domain::sla::ServiceLevels::default())
            .unwrap(),
        visit_months: "[3, 6, 12]".into(),
        sectors: r#"["agriculture","handicrafts","home_business"]"#.into(),
        is_active: true,
        max_open_files_per_household: 1,
    }
}

both_engines!(
    a_process_that_loses_the_race_to_seed_the_demo_finds_it_seeded,
    |t: TestDb| async move {
        let today = vamyar_app::Clock::system().today();
        // another process (a second `serve --demo` started at the same moment) is inside its
        // seeding transaction: it holds the demo program's code, not yet committed
        let mut other = t.db.begin().await.unwrap();
        vamyar_store::program::create(&mut other, &demo_program(today))
            .await
            .unwrap();
        let db = t.db.clone();
        let seeding = tokio::spawn(async move { vamyar_app::demo::seed(&db, today).await });
        // this one found no demo program and now waits for the other's write (PostgreSQL:
        // a lock on the unique code; SQLite: the writer)
        for _ in 0..300 {
            let waiting = match t.db.backend() {
                vamyar_store::Backend::Postgres => {
                    sqlx::query_scalar::<_, i64>(
                        "select count(*) from pg_locks where not granted \
                         and database = (select oid from pg_database where datname = current_database())",
                    )
                    .fetch_one(t.db.pool())
                    .await
                    .unwrap()
                        > 0
                }
                vamyar_store::Backend::Sqlite => true,
            };
            if waiting {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(
            !seeding.is_finished(),
            "the seed waits for the other process"
        );
        other.commit().await.unwrap();
        seeding
            .await
            .unwrap()
            .expect("the demo seeded by the other process is accepted");
        let programs: i64 = sqlx::query_scalar("select count(*) from program")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(programs, 1, "seeded once");
    }
);
