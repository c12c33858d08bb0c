//! Two second persons confirming one change at once: both pass every check while the proposal
//! is pending (the overlap, forced by checking both before either is carried out), then both
//! are carried out together; the claim in each transaction lets exactly one carry the change
//! out, and the other is told it was decided meanwhile.

use super::*;

/// `quota.set` audit rows: one per time a quota was written.
async fn quota_sets(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = 'quota.set'")
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

both_engines!(
    two_confirmations_at_once_carry_a_change_out_once,
    |db: TestDb| async move {
        let app = app_with_four_eyes(db).await;
        demo_program(&app).await;
        let m = mehr_memorandum(&app).await;
        let province = login(&app, "province").await;
        app.create_staff("admin2", "national_admin", StaffScope::All)
            .await;
        let url = format!("/api/v1/memoranda/{m}/quotas/07");
        let limits = json!({"count_limit": 321, "amount_limit": 900_000_000});
        let (status, proposed) = call(&app, Method::PUT, &province, &url, Some(limits)).await;
        assert_eq!(status, 202, "{proposed}");
        let id = proposed["change"]["id"].as_i64().unwrap();
        let before = scalar(&app, QUOTA_07, m).await;
        assert_ne!(before, 321);
        let sets_before = quota_sets(&app).await;

        let ctx = vamyar_app::Ctx::new(app.db.db.clone(), Default::default());
        let admin = vamyar_app::actors::staff_by_username(&ctx, "admin")
            .await
            .unwrap();
        let admin2 = vamyar_app::actors::staff_by_username(&ctx, "admin2")
            .await
            .unwrap();
        use vamyar_app::admin::changes::{check_confirm, confirm_checked};
        let a = check_confirm(&ctx, &admin, id, json!({})).await.unwrap();
        let b = check_confirm(&ctx, &admin2, id, json!({"note": "هم‌زمان"}))
            .await
            .unwrap();
        let (ra, rb) = tokio::join!(
            confirm_checked(&ctx, &admin, a),
            confirm_checked(&ctx, &admin2, b),
        );
        let (won, lost) = match (ra, rb) {
            (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
            (ra, rb) => panic!("exactly one must win: {ra:?} {rb:?}"),
        };
        assert_eq!(won.status, "confirmed");
        assert_eq!(lost.code(), "proposal_decided");
        assert_eq!(scalar(&app, QUOTA_07, m).await, 321);
        assert_eq!(quota_sets(&app).await, sets_before + 1);
        assert_eq!(audited(&app, "change.confirm", id).await, 1);
        let decided: String =
            text(&app, "select status from change_proposal where id = $1", id).await;
        assert_eq!(decided, "confirmed");
    }
);
