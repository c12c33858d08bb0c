//! Recording a claimed batch (`delivery::record_all`) in a few statements: every outcome
//! lands on its own message, a message whose lease another worker took over is left to that
//! worker, and a one-time code is scrubbed once its message is done with, not before.

use chrono::{Duration, Utc};
use vamyar_domain::announcement::{Announcement, Notice};
use vamyar_store::both_engines;
use vamyar_store::delivery::{self, Record, SCRUBBED_CODE_PAYLOAD};
use vamyar_store::outbox::NewMessage;
use vamyar_store::testdb::{self, TestDb};

/// Queues a message (a one-time code when `otp`) and returns its id.
async fn queue(t: &TestDb, n: usize, otp: bool) -> i64 {
    let notice = if otp {
        Notice::Otp {
            code: "493817".into(),
            expires_minutes: 5,
        }
    } else {
        Notice::Approved
    };
    let m = NewMessage {
        announcement: Announcement {
            tracking_code: Some("1405-ABCD-EFGH".into()),
            first_name: None,
            notice,
        },
        expires_at: otp.then(|| vamyar_store::time::ts(Utc::now() + Duration::minutes(5))),
        ..testdb::message("09121234567", Notice::Approved, format!("record:{n}"))
    };
    testdb::enqueue(&t.db, &m).await
}

type Row = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// status, provider, provider_message_id, delivery_status, locked_by, payload.
async fn row(t: &TestDb, id: i64) -> Row {
    sqlx::query_as(
        "select status, provider, provider_message_id, delivery_status, locked_by, payload \
         from outbox where id = $1",
    )
    .bind(id)
    .fetch_one(t.db.pool())
    .await
    .unwrap()
}

fn sent(message_id: &str, delivery: Option<&str>) -> Record {
    Record::Sent {
        provider_message_id: message_id.into(),
        delivery_status: delivery.map(str::to_string),
    }
}

both_engines!(
    a_batch_is_recorded_message_by_message,
    |t: TestDb| async move {
        let ids = [
            queue(&t, 1, false).await,
            queue(&t, 2, true).await,
            queue(&t, 3, false).await,
            queue(&t, 4, true).await,
            queue(&t, 5, true).await,
            queue(&t, 6, false).await,
        ];
        let claimed = delivery::claim(&t.db, "w1", Utc::now(), Duration::minutes(2), 10, None)
            .await
            .unwrap();
        assert_eq!(claimed.iter().map(|c| c.id).collect::<Vec<_>>(), ids);
        // the last one's lease passed to another worker meanwhile
        sqlx::query("update outbox set locked_by = 'w2' where id = $1")
            .bind(ids[5])
            .execute(t.db.pool())
            .await
            .unwrap();
        let retry_at = Utc::now() + Duration::minutes(1);
        let records = vec![
            (ids[0], sent("m-1", Some("queued"))),
            (ids[1], sent("m-2", None)),
            (
                ids[2],
                Record::Final {
                    status: "failed",
                    error: "invalid number".into(),
                },
            ),
            (
                ids[3],
                Record::Retry {
                    next_attempt_at: retry_at,
                    error: "timeout".into(),
                },
            ),
            (
                ids[4],
                Record::Final {
                    status: "failed",
                    error: "blocked".into(),
                },
            ),
            (ids[5], sent("m-6", None)),
        ];
        let recorded = delivery::record_all(&t.db, "w1", "kavenegar", &records)
            .await
            .unwrap();
        assert_eq!(recorded, vec![true, true, true, true, true, false]);

        let r = row(&t, ids[0]).await;
        assert_eq!(
            (
                r.0.as_str(),
                r.1.as_deref(),
                r.2.as_deref(),
                r.3.as_deref(),
                r.4
            ),
            ("sent", Some("kavenegar"), Some("m-1"), Some("queued"), None)
        );
        assert!(r.5.contains("1405-ABCD-EFGH"), "{}", r.5);
        // an accepted code: sent, and its code gone
        let r = row(&t, ids[1]).await;
        assert_eq!(
            (r.0.as_str(), r.2.as_deref(), r.3),
            ("sent", Some("m-2"), None)
        );
        assert_eq!(r.5, SCRUBBED_CODE_PAYLOAD);
        // a failed message that is not a code keeps its payload
        let r = row(&t, ids[2]).await;
        assert_eq!((r.0.as_str(), r.2, r.4), ("failed", None, None));
        assert!(r.5.contains("1405-ABCD-EFGH"), "{}", r.5);
        // a code to be retried keeps its code; a failed one does not
        let r = row(&t, ids[3]).await;
        assert_eq!((r.0.as_str(), r.4), ("pending", None));
        assert!(r.5.contains("493817"), "{}", r.5);
        let r = row(&t, ids[4]).await;
        assert_eq!(r.0, "failed");
        assert_eq!(r.5, SCRUBBED_CODE_PAYLOAD);
        // the message taken over is untouched: still sending, held by the other worker
        let r = row(&t, ids[5]).await;
        assert_eq!(
            (r.0.as_str(), r.1, r.2, r.4.as_deref()),
            ("sending", None, None, Some("w2"))
        );
    }
);

both_engines!(
    a_large_batch_takes_several_statements_and_loses_nothing,
    |t: TestDb| async move {
        let mut ids = Vec::new();
        for n in 0..450 {
            ids.push(queue(&t, n, n % 3 == 0).await);
        }
        let claimed = delivery::claim(&t.db, "w1", Utc::now(), Duration::minutes(2), 500, None)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 450);
        let records: Vec<(i64, Record)> = ids
            .iter()
            .map(|id| (*id, sent(&format!("m-{id}"), None)))
            .collect();
        let recorded = delivery::record_all(&t.db, "w1", "kavenegar", &records)
            .await
            .unwrap();
        assert!(recorded.iter().all(|r| *r));
        let (sent_rows, matching, codes_left): (i64, i64, i64) = sqlx::query_as(
            "select count(*), \
                    coalesce(sum(case when provider_message_id = 'm-' || id then 1 else 0 end), 0), \
                    coalesce(sum(case when payload like '%493817%' then 1 else 0 end), 0) \
             from outbox where status = 'sent'",
        )
        .fetch_one(t.db.pool())
        .await
        .unwrap();
        assert_eq!((sent_rows, matching, codes_left), (450, 450, 0));
    }
);
