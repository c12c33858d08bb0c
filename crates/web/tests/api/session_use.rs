//! A session's last use is written at most once a minute: a request on a session seen within
//! the minute only reads it (on SQLite a write would wait for the one writer), one seen longer
//! ago is marked fresh.

use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;

both_engines!(
    a_session_is_marked_used_at_most_once_a_minute,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let token = app.staff_token("clerk", "desk_clerk").await;
        let hash = vamyar_store::session::token_hash(&token);
        let pool = app.db.db.pool().clone();
        let seen = || {
            let (pool, hash) = (pool.clone(), hash.clone());
            async move {
                sqlx::query_scalar::<_, String>(
                    "select last_seen_at from auth_session where token_hash = $1",
                )
                .bind(hash)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        let set = |seconds_ago: i64| {
            let (pool, hash) = (pool.clone(), hash.clone());
            let at =
                vamyar_store::time::ts(chrono::Utc::now() - chrono::Duration::seconds(seconds_ago));
            async move {
                sqlx::query("update auth_session set last_seen_at = $1 where token_hash = $2")
                    .bind(&at)
                    .bind(hash)
                    .execute(&pool)
                    .await
                    .unwrap();
                at
            }
        };
        let me = "/api/v1/auth/me";
        let recent = set(20).await;
        assert_eq!(
            app.call(reqwest::Method::GET, me, &token, None).await.0,
            200
        );
        assert_eq!(seen().await, recent, "seen 20 s ago: not written again");
        let old = set(120).await;
        assert_eq!(
            app.call(reqwest::Method::GET, me, &token, None).await.0,
            200
        );
        let now = seen().await;
        assert!(now > old, "seen two minutes ago: marked used now ({now})");
    }
);
