//! The delivery worker against the in-memory fake provider, on both engines: every message
//! sent once, transient failures delayed and retried, permanent ones parked, one-time codes
//! never sent after they expire, and a worker that died mid-send recovered by local id.

use std::sync::Arc;
use vamyar_domain::announcement::{Announcement, Notice};

use chrono::{Duration, Utc};
use vamyar_notify::provider::fake::Script;
use vamyar_notify::provider::{FakeProvider, FileProvider};
use vamyar_notify::{Delivery, SendError, Sms, SmsProvider, Worker, WorkerConfig};
use vamyar_store::both_engines;
use vamyar_store::outbox::NewMessage;
use vamyar_store::testdb::{self, TestDb};

#[path = "worker/file_provider.rs"]
mod file_provider;

const CODE: &str = "482913570164";

/// Queues an `approved` message to `to`; returns its id.
async fn queue(t: &TestDb, n: usize, to: &str) -> i64 {
    testdb::enqueue(
        &t.db,
        &testdb::message(to, Notice::Approved, format!("test:{n}")),
    )
    .await
}

async fn queue_otp(t: &TestDb, expires_in: Duration) -> i64 {
    let otp = Notice::Otp {
        code: "493817".into(),
        expires_minutes: 5,
    };
    let m = NewMessage {
        announcement: Announcement {
            tracking_code: None,
            first_name: None,
            notice: otp,
        },
        dedupe_key: None,
        expires_at: Some(vamyar_store::time::ts(Utc::now() + expires_in)),
        ..testdb::message("09121234567", Notice::Approved, String::new())
    };
    testdb::enqueue(&t.db, &m).await
}

/// (status, attempts, provider_message_id, last_error) of a message.
async fn row(t: &TestDb, id: i64) -> (String, i64, Option<String>, Option<String>) {
    sqlx::query_as(
        "select status, attempts, provider_message_id, last_error from outbox where id = $1",
    )
    .bind(id)
    .fetch_one(t.db.pool())
    .await
    .unwrap()
}

/// Moves every queued retry and every lease into the past: time passes.
async fn time_passes(t: &TestDb) {
    sqlx::query(
        "update outbox set next_attempt_at = '2000-01-01T00:00:00.000000Z', \
         locked_until = case when locked_until is null then null \
         else '2000-01-01T00:00:00.000000Z' end, updated_at = '2000-01-01T00:00:00.000000Z'",
    )
    .execute(t.db.pool())
    .await
    .unwrap();
}

fn worker(t: &TestDb, p: &FakeProvider) -> Worker {
    let provider: Arc<dyn SmsProvider> = Arc::new(p.clone());
    Worker::new(t.db.clone(), provider, WorkerConfig::default())
}

fn sent_ids(p: &FakeProvider) -> Vec<i64> {
    let mut ids: Vec<i64> = p.sent().iter().map(|s| s.local_id).collect();
    ids.sort_unstable();
    ids
}

both_engines!(
    each_message_is_sent_once_with_its_text,
    |t: TestDb| async move {
        let fake = FakeProvider::new();
        let a = queue(&t, 1, "09121234567").await;
        let b = queue(&t, 2, "09351234567").await;
        let w = worker(&t, &fake);
        assert_eq!(w.drain().await.unwrap(), 2);
        assert_eq!(w.drain().await.unwrap(), 0, "nothing is due any more");
        assert_eq!(sent_ids(&fake), vec![a, b]);
        // a batch goes out concurrently: order the record by outbox id
        let mut sent = fake.sent();
        sent.sort_by_key(|s| s.local_id);
        assert_eq!(sent[0].to, "09121234567");
        assert_eq!(sent[1].to, "09351234567");
        assert!(
            sent[0].text.starts_with("زهرا گرامی، صلاحیت شما"),
            "{}",
            sent[0].text
        );
        assert!(sent[0].text.contains("۴۸۲۹-۱۳۵۷-۰۱۶۴"));
        let (status, attempts, mid, _) = row(&t, a).await;
        assert_eq!((status.as_str(), attempts), ("sent", 1));
        assert!(mid.unwrap().starts_with("fake-"));
    }
);

both_engines!(
    a_provider_down_for_a_while_delays_messages_then_delivers_each_once,
    |t: TestDb| async move {
        let fake = FakeProvider::new();
        let ids = [
            queue(&t, 1, "09121234567").await,
            queue(&t, 2, "09121234568").await,
            queue(&t, 3, "09121234569").await,
        ];
        let w = worker(&t, &fake);
        // down: busy, then a timeout before the provider took anything, then busy again
        fake.script(
            (0..3).map(|_| Script::Fail(SendError::Transient("kavenegar 409: server busy".into()))),
        );
        w.drain().await.unwrap();
        assert!(fake.sent().is_empty());
        for id in ids {
            let (status, attempts, _, err) = row(&t, id).await;
            assert_eq!((status.as_str(), attempts), ("pending", 1));
            assert_eq!(err.as_deref(), Some("kavenegar 409: server busy"));
        }
        let next: String = sqlx::query_scalar("select min(next_attempt_at) from outbox")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert!(
            next > vamyar_store::time::now(),
            "the retry waits (backoff)"
        );
        assert_eq!(
            w.drain().await.unwrap(),
            0,
            "nothing is due before the backoff ends"
        );
        fake.script(
            (0..3).map(|_| {
                Script::Fail(SendError::Transient("kavenegar 500: provider error".into()))
            }),
        );
        time_passes(&t).await;
        w.drain().await.unwrap();
        assert!(fake.sent().is_empty());
        // back up
        time_passes(&t).await;
        w.drain().await.unwrap();
        assert_eq!(sent_ids(&fake), ids.to_vec(), "each delivered exactly once");
        for id in ids {
            let (status, attempts, _, err) = row(&t, id).await;
            assert_eq!((status, attempts, err), ("sent".to_string(), 3, None));
        }
    }
);

both_engines!(
    transient_failures_are_parked_after_the_last_attempt_and_permanent_ones_at_once,
    |t: TestDb| async move {
        let fake = FakeProvider::new();
        let provider: Arc<dyn SmsProvider> = Arc::new(fake.clone());
        let w = Worker::new(
            t.db.clone(),
            provider,
            WorkerConfig {
                max_attempts: 3,
                ..WorkerConfig::default()
            },
        );
        let busy = queue(&t, 1, "09121234567").await;
        fake.script(
            (0..10)
                .map(|_| Script::Fail(SendError::Transient("kavenegar 409: server busy".into()))),
        );
        for _ in 0..5 {
            w.drain().await.unwrap();
            time_passes(&t).await;
        }
        let (status, attempts, _, err) = row(&t, busy).await;
        assert_eq!((status.as_str(), attempts), ("failed", 3));
        assert!(err.unwrap().starts_with("gave up"));
        assert_eq!(fake.calls(), 3);

        let invalid = queue(&t, 2, "09121234568").await;
        fake.script([]);
        let calls = fake.calls();
        let perm = FakeProvider::new();
        perm.script([Script::Fail(SendError::Permanent(
            "kavenegar 411: invalid receptor".into(),
        ))]);
        let w2 = worker(&t, &perm);
        w2.drain().await.unwrap();
        time_passes(&t).await;
        w2.drain().await.unwrap();
        let (status, attempts, _, err) = row(&t, invalid).await;
        assert_eq!((status.as_str(), attempts), ("failed", 1));
        assert_eq!(err.as_deref(), Some("kavenegar 411: invalid receptor"));
        assert_eq!(perm.calls(), 1, "never retried");
        assert_eq!(fake.calls(), calls);

        // staff requeue a parked message; it goes out once
        assert!(
            vamyar_store::delivery::requeue_failed(&t.db, invalid)
                .await
                .unwrap()
        );
        w2.drain().await.unwrap();
        assert_eq!(row(&t, invalid).await.0, "sent");
        assert_eq!(perm.sent().len(), 1);
    }
);

both_engines!(
    one_time_codes_are_never_sent_after_they_expire,
    |t: TestDb| async move {
        let fake = FakeProvider::new();
        let w = worker(&t, &fake);
        let stale = queue_otp(&t, Duration::seconds(-1)).await;
        w.drain().await.unwrap();
        assert_eq!(row(&t, stale).await.0, "expired");
        assert_eq!(fake.calls(), 0);

        // a code that fails while valid is retried only until it expires
        let live = queue_otp(&t, Duration::minutes(5)).await;
        fake.script([Script::Fail(SendError::Transient(
            "kavenegar 409: server busy".into(),
        ))]);
        w.drain().await.unwrap();
        assert_eq!(row(&t, live).await.0, "pending");
        sqlx::query("update outbox set expires_at = '2000-01-01T00:00:00.000000Z' where id = $1")
            .bind(live)
            .execute(t.db.pool())
            .await
            .unwrap();
        time_passes(&t).await;
        w.drain().await.unwrap();
        assert_eq!(row(&t, live).await.0, "expired");
        assert_eq!(fake.calls(), 1);
        assert!(fake.sent().is_empty());
    }
);

both_engines!(
    a_worker_killed_between_claiming_and_recording_is_recovered_without_a_second_send,
    |t: TestDb| async move {
        let fake = FakeProvider::new();
        let ids = [
            queue(&t, 1, "09121234567").await,
            queue(&t, 2, "09121234568").await,
        ];
        // worker A claims both, hands the first to the provider, and dies
        let a = worker(&t, &fake);
        let claimed = a.claim_only().await.unwrap();
        assert_eq!(claimed, ids.to_vec());
        fake.send(&Sms {
            local_id: ids[0],
            to: "09121234567".into(),
            text: "…".into(),
            kind: "approved".into(),
            application_id: None,
            otp_code: None,
        })
        .await
        .unwrap();
        drop(a);
        // worker B finds nothing until the lease expires
        let b = worker(&t, &fake);
        assert_eq!(b.drain().await.unwrap(), 0, "the lease holds");
        time_passes(&t).await;
        assert_eq!(b.drain().await.unwrap(), 2);
        assert_eq!(sent_ids(&fake), ids.to_vec(), "no message went out twice");
        for id in ids {
            let (status, attempts, mid, _) = row(&t, id).await;
            assert_eq!((status.as_str(), attempts), ("sent", 2));
            assert!(mid.is_some());
        }
        // a timeout after the provider took a message: the retry finds it by local id
        let c = queue(&t, 3, "09121234569").await;
        fake.script([Script::AcceptThenFail(SendError::Transient(
            "kavenegar sms/send: timeout".into(),
        ))]);
        b.drain().await.unwrap();
        assert_eq!(row(&t, c).await.0, "pending");
        time_passes(&t).await;
        b.drain().await.unwrap();
        assert_eq!(row(&t, c).await.0, "sent");
        assert_eq!(fake.sent().iter().filter(|s| s.local_id == c).count(), 1);
    }
);

both_engines!(
    without_a_local_id_lookup_a_crash_after_acceptance_sends_twice,
    |t: TestDb| async move {
        // the documented at-least-once boundary
        let fake = FakeProvider::new();
        fake.without_lookup();
        let id = queue(&t, 1, "09121234567").await;
        fake.script([Script::AcceptThenFail(SendError::Transient(
            "timeout".into(),
        ))]);
        let w = worker(&t, &fake);
        w.drain().await.unwrap();
        time_passes(&t).await;
        w.drain().await.unwrap();
        assert_eq!(row(&t, id).await.0, "sent");
        assert_eq!(fake.sent().len(), 2, "delivered twice: the boundary");
    }
);

both_engines!(
    delivery_reports_are_polled_and_recorded,
    |t: TestDb| async move {
        let fake = FakeProvider::new();
        let a = queue(&t, 1, "09121234567").await;
        let b = queue(&t, 2, "09121234568").await;
        let c = queue(&t, 3, "09121234569").await;
        let w = worker(&t, &fake);
        w.drain().await.unwrap();
        time_passes(&t).await;
        let mid = |id: i64| {
            let t = &t;
            async move { row(t, id).await.2.unwrap() }
        };
        fake.set_delivery(&mid(a).await, Delivery::Delivered);
        fake.set_delivery(&mid(b).await, Delivery::Blocked);
        fake.set_delivery(&mid(c).await, Delivery::SentToOperator);
        assert_eq!(w.report_step().await.unwrap(), 3);
        let report = |id: i64| {
            let t = &t;
            async move {
                sqlx::query_as::<_, (String, Option<String>)>(
                    "select status, delivery_status from outbox where id = $1",
                )
                .bind(id)
                .fetch_one(t.db.pool())
                .await
                .unwrap()
            }
        };
        assert_eq!(
            report(a).await,
            ("delivered".into(), Some("delivered".into()))
        );
        assert_eq!(report(b).await, ("failed".into(), Some("blocked".into())));
        assert_eq!(
            report(c).await,
            ("sent".into(), Some("sent_to_operator".into()))
        );
        assert_eq!(w.report_step().await.unwrap(), 0, "polled recently");
    }
);

both_engines!(
    in_quiet_hours_only_login_codes_go_out_and_the_rest_waits_for_the_morning,
    |t: TestDb| async move {
        let fake = FakeProvider::new();
        let provider: Arc<dyn SmsProvider> = Arc::new(fake.clone());
        let hm = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let w = Worker::new(
            t.db.clone(),
            provider,
            WorkerConfig {
                quiet_hours: Some((hm(21, 0), hm(8, 0))),
                ..WorkerConfig::default()
            },
        );
        let reminder = queue(&t, 1, "09121234567").await;
        let code = queue_otp(&t, Duration::hours(96)).await;
        // 23:30 Tehran (20:00 UTC), tomorrow so the queued messages are due
        let tehran = |h, m| {
            let day = vamyar_calendar::tehran_date(Utc::now()) + Duration::days(1);
            day.and_time(hm(h, m))
                .and_local_timezone(vamyar_calendar::tehran())
                .unwrap()
                .with_timezone(&Utc)
        };
        assert!(w.step_at(tehran(23, 30)).await.unwrap() >= 1);
        assert_eq!(
            row(&t, code).await.0,
            "sent",
            "the login code is not held back"
        );
        assert_eq!(row(&t, reminder).await.0, "pending", "the reminder waits");
        assert_eq!(w.step_at(tehran(7, 59)).await.unwrap(), 0, "still quiet");
        assert_eq!(row(&t, reminder).await.0, "pending");
        // 08:00: the morning's step sends it, once
        assert_eq!(w.step_at(tehran(8, 0)).await.unwrap(), 1);
        assert_eq!(row(&t, reminder).await.0, "sent");
        assert_eq!(fake.sent().len(), 2);
    }
);

async fn payload(t: &TestDb, id: i64) -> String {
    sqlx::query_scalar("select payload from outbox where id = $1")
        .bind(id)
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

both_engines!(
    a_code_leaves_the_outbox_once_sent_or_expired,
    |t: TestDb| async move {
        let fake = FakeProvider::new();
        let w = Worker::new(
            t.db.clone(),
            Arc::new(fake.clone()),
            WorkerConfig::default(),
        );
        let sent = queue_otp(&t, Duration::minutes(5)).await;
        let stale = queue_otp(&t, Duration::seconds(-1)).await;
        assert!(
            payload(&t, sent).await.contains("493817"),
            "kept until sent"
        );
        w.drain().await.unwrap();
        assert_eq!(fake.calls(), 1);
        assert_eq!(row(&t, sent).await.0, "sent");
        assert_eq!(row(&t, stale).await.0, "expired");
        for id in [sent, stale] {
            let p = payload(&t, id).await;
            assert!(!p.contains("493817"), "{p}");
            assert_eq!(p, vamyar_store::delivery::SCRUBBED_CODE_PAYLOAD);
        }
        // other messages keep their payload
        let other = queue(&t, 9, "09121234567").await;
        w.drain().await.unwrap();
        assert!(payload(&t, other).await.contains(CODE));
    }
);
