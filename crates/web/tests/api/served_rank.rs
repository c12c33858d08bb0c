//! A file whose loan was disbursed waits for nothing: it leaves the ordering by live score for
//! the band after every waiting file (`vamyar_domain::queue_key::SERVED`), so the queue lists
//! the files waiting for someone's action first, and close of business's daily re-ranking at
//! the waiting cap never rewrites it (a portfolio of a million loans is not rewritten every
//! day); a waiting file past the cap still moves.

use chrono::Duration;
use vamyar_domain::queue_key::{SERVED, day_number};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, registration};
use crate::loans::{bank_approved, disburse, staff, today};

async fn rank(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar("select queue_rank from application where id = $1")
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

both_engines!(
    a_served_file_follows_the_waiting_ones_and_keeps_its_rank,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        // the served file scores higher than the waiting one (a female head of household)
        let (served, version) = bank_approved(&app, &s, program, "0076229645", 1).await;
        let before = rank(&app, served).await;
        assert!(before < SERVED, "waiting: {before}");
        disburse(&app, &s, served, version, "C-1", 0).await;
        let mut body = registration(program, "0499370899");
        body["applicant"]["female_head_of_household"] = false.into();
        let (status, reg) = call(
            &app,
            reqwest::Method::POST,
            &s.desk,
            "/api/v1/applications",
            Some(body),
        )
        .await;
        assert_eq!(status, 201, "{reg}");
        let waiting = reg["id"].as_i64().unwrap();

        let at = rank(&app, served).await;
        assert!(at > SERVED, "served: {at}");
        // the queue: every waiting file before the served one
        let (status, page) = call(
            &app,
            reqwest::Method::GET,
            &s.head,
            "/api/v1/applications?limit=100",
            None,
        )
        .await;
        assert_eq!(status, 200, "{page}");
        let items = page.as_array().unwrap();
        let at_of = |id: i64| items.iter().position(|f| f["id"] == id).unwrap();
        let states: Vec<&str> = items.iter().map(|f| f["state"].as_str().unwrap()).collect();
        let first_served = states.iter().position(|s| *s == "active").unwrap();
        assert!(
            states[first_served..].iter().all(|s| *s == "active"),
            "{states:?}"
        );
        assert!(at_of(waiting) < at_of(served), "{states:?}");

        // Both files registered 400 days ago: past the one-year cap. The daily re-rank moves
        // the waiting file's rank and leaves the served one's alone.
        let day = day_number(today()) - 400;
        sqlx::query("update application set submitted_day = $1 where id in ($2, $3)")
            .bind(day)
            .bind(served)
            .bind(waiting)
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let ctx = vamyar_app::Ctx::new(app.db.db.clone(), vamyar_app::Settings::default());
        let mut waiting_ranks = Vec::new();
        for d in [today(), today() + Duration::days(1)] {
            let moved = vamyar_app::cob::queue::rerank_capped(&ctx, d)
                .await
                .unwrap();
            assert!(moved >= 1, "{d}: {moved}");
            assert_eq!(rank(&app, served).await, at, "{d}");
            waiting_ranks.push(rank(&app, waiting).await);
        }
        assert!(waiting_ranks[1] > waiting_ranks[0], "{waiting_ranks:?}");
        assert!(waiting_ranks[1] < SERVED);
    }
);
