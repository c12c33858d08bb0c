//! `serve --demo` seeds accounts with a published password: refused on PostgreSQL and on a
//! database that holds other accounts or programs, unless forced.

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
