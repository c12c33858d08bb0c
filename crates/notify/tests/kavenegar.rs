//! The Kavenegar HTTP provider against a fake Kavenegar server on loopback that answers
//! busy, refuses, fails, times out and accepts.

use std::sync::Arc;
use std::time::Duration;
use vamyar_domain::announcement::Notice;

use vamyar_notify::provider::{KavenegarConfig, KavenegarProvider};
use vamyar_notify::testing::{Answer, FakeKavenegar};
use vamyar_notify::{Delivery, Lookup, SendError, Sms, SmsProvider, Worker, WorkerConfig};
use vamyar_store::both_engines;
use vamyar_store::outbox;
use vamyar_store::testdb::{self, TestDb};

fn provider(fake: &FakeKavenegar, timeout: Duration) -> KavenegarProvider {
    KavenegarProvider::new(KavenegarConfig {
        base_url: fake.base_url.clone(),
        api_key: fake.api_key.clone(),
        sender: Some("10004346".into()),
        timeout,
        verify_template: None,
    })
    .unwrap()
}

fn sms(local_id: i64) -> Sms {
    Sms {
        local_id,
        to: "09121234567".into(),
        text: "زهرا گرامی، درخواست شما ثبت شد.".into(),
        kind: "registered".into(),
        application_id: Some(1),
        otp_code: None,
    }
}

/// No error text may carry the API key or a URL.
fn clean(e: &SendError, fake: &FakeKavenegar) {
    let s = format!("{e} {e:?}");
    assert!(!s.contains(&fake.api_key), "{s}");
    assert!(!s.contains("http"), "{s}");
}

#[tokio::test]
async fn an_accepted_message_returns_the_providers_id_and_is_found_by_local_id() {
    let fake = FakeKavenegar::start().await.unwrap();
    let p = provider(&fake, Duration::from_secs(5));
    let a = p.send(&sms(41)).await.unwrap();
    assert_eq!(a.delivery, Some(Delivery::Queued));
    let got = fake.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].local_id, Some(41));
    assert_eq!(got[0].to, "09121234567");
    assert_eq!(got[0].text, "زهرا گرامی، درخواست شما ثبت شد.");
    assert_eq!(got[0].message_id.to_string(), a.message_id);
    match p.lookup_local_id(41).await.unwrap() {
        Lookup::Accepted(found) => assert_eq!(found.message_id, a.message_id),
        other => panic!("{other:?}"),
    }
    assert_eq!(p.lookup_local_id(42).await.unwrap(), Lookup::NotFound);
    fake.deliver_all(10);
    let reports = p.status(std::slice::from_ref(&a.message_id)).await.unwrap();
    assert_eq!(reports, vec![(a.message_id.clone(), Delivery::Delivered)]);
}

#[tokio::test]
async fn busy_and_server_errors_are_transient_refusals_permanent() {
    let fake = FakeKavenegar::start().await.unwrap();
    let p = provider(&fake, Duration::from_secs(5));
    fake.script([
        Answer::Status(409),
        Answer::ServerError,
        Answer::Status(411),
        Answer::Status(418),
        Answer::Status(422),
    ]);
    let busy = p.send(&sms(1)).await.unwrap_err();
    assert_eq!(
        busy,
        SendError::Transient("kavenegar 409: server busy".into())
    );
    let down = p.send(&sms(1)).await.unwrap_err();
    assert!(down.is_transient(), "{down}");
    let receptor = p.send(&sms(1)).await.unwrap_err();
    assert_eq!(
        receptor,
        SendError::Permanent("kavenegar 411: invalid receptor".into())
    );
    let credit = p.send(&sms(1)).await.unwrap_err();
    assert_eq!(
        credit,
        SendError::Permanent("kavenegar 418: insufficient credit".into())
    );
    let chars = p.send(&sms(1)).await.unwrap_err();
    assert!(!chars.is_transient());
    for e in [&busy, &down, &receptor, &credit, &chars] {
        clean(e, &fake);
    }
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn a_wrong_key_is_permanent_and_never_shown() {
    let fake = FakeKavenegar::start().await.unwrap();
    let p = KavenegarProvider::new(KavenegarConfig {
        base_url: fake.base_url.clone(),
        api_key: "WRONG-KEY-XYZ".into(),
        sender: None,
        timeout: Duration::from_secs(5),
        verify_template: None,
    })
    .unwrap();
    let e = p.send(&sms(1)).await.unwrap_err();
    assert_eq!(
        e,
        SendError::Permanent("kavenegar 403: invalid API key".into())
    );
    assert!(!format!("{e:?}").contains("WRONG-KEY-XYZ"));
}

#[tokio::test]
async fn a_timeout_is_transient_and_the_lookup_then_finds_the_message() {
    let fake = FakeKavenegar::start().await.unwrap();
    let p = provider(&fake, Duration::from_millis(300));
    fake.script([Answer::AcceptSlowly(Duration::from_secs(3))]);
    let e = p.send(&sms(7)).await.unwrap_err();
    assert_eq!(
        e,
        SendError::Transient("kavenegar sms/send: timeout".into())
    );
    clean(&e, &fake);
    assert!(matches!(
        p.lookup_local_id(7).await.unwrap(),
        Lookup::Accepted(_)
    ));
}

#[tokio::test]
async fn the_fake_logs_each_accepted_message_as_a_json_line_before_it_answers() {
    let log = std::env::temp_dir().join(format!("vamyar-fake-log-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let fake = FakeKavenegar::start().await.unwrap();
    fake.log_to(&log).unwrap();
    let p = provider(&fake, Duration::from_millis(300));
    let a = p.send(&sms(5)).await.unwrap();
    fake.script([
        Answer::Status(409),
        Answer::AcceptSlowly(Duration::from_secs(3)),
    ]);
    assert!(p.send(&sms(6)).await.is_err(), "busy: refused, not logged");
    assert!(p.send(&sms(7)).await.is_err(), "taken, answered too late");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["localid"], 5);
    assert_eq!(lines[0]["receptor"], "09121234567");
    assert_eq!(lines[0]["message"], "زهرا گرامی، درخواست شما ثبت شد.");
    assert_eq!(lines[0]["messageid"].to_string(), a.message_id);
    assert_eq!(
        lines[1]["localid"], 7,
        "logged when taken, before the late answer"
    );
    let _ = std::fs::remove_file(&log);
}

#[tokio::test]
async fn a_provider_that_is_not_there_is_transient() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let p = KavenegarProvider::new(KavenegarConfig {
        base_url: format!("http://{addr}"),
        api_key: "K".into(),
        sender: None,
        timeout: Duration::from_secs(2),
        verify_template: None,
    })
    .unwrap();
    let e = p.send(&sms(1)).await.unwrap_err();
    assert!(e.is_transient(), "{e}");
    assert!(!e.to_string().contains("127.0.0.1"), "{e}");
}

#[tokio::test]
async fn one_time_codes_go_through_the_verify_template_when_configured() {
    let fake = FakeKavenegar::start().await.unwrap();
    let p = KavenegarProvider::new(KavenegarConfig {
        base_url: fake.base_url.clone(),
        api_key: fake.api_key.clone(),
        sender: None,
        timeout: Duration::from_secs(5),
        verify_template: Some("vamyar-otp".into()),
    })
    .unwrap();
    let mut m = sms(9);
    m.kind = "otp".into();
    m.otp_code = Some("493817".into());
    p.send(&m).await.unwrap();
    let got = fake.received();
    assert_eq!(got[0].text, "493817", "only the token travels");
    assert_eq!(got[0].local_id, None, "verify/lookup takes no local id");
}

both_engines!(
    through_the_fake_server_busy_and_timeouts_delay_but_never_duplicate,
    |t: TestDb| async move {
        let fake = FakeKavenegar::start().await.unwrap();
        let mut ids = Vec::new();
        let mut tx = t.db.begin().await.unwrap();
        for n in 0..6 {
            let m = testdb::message("09121234567", Notice::Registered, format!("k:{n}"));
            ids.push(outbox::enqueue(&mut tx, &m).await.unwrap().unwrap());
        }
        tx.commit().await.unwrap();
        fake.script([
            Answer::Status(409),
            Answer::AcceptSlowly(Duration::from_secs(3)),
            Answer::ServerError,
            Answer::AcceptSlowly(Duration::from_secs(3)),
        ]);
        let p: Arc<dyn SmsProvider> = Arc::new(provider(&fake, Duration::from_millis(500)));
        let w = Worker::new(
            t.db.clone(),
            p,
            WorkerConfig {
                batch: 1,
                ..WorkerConfig::default()
            },
        );
        // each round lets the retries' backoff pass; four scripted failures need a few rounds
        // (more on a loaded machine, where an ordinary answer may also miss the timeout)
        for _ in 0..20 {
            w.drain().await.unwrap();
            let pending: i64 =
                sqlx::query_scalar("select count(*) from outbox where status <> 'sent'")
                    .fetch_one(t.db.pool())
                    .await
                    .unwrap();
            if pending == 0 {
                break;
            }
            sqlx::query("update outbox set next_attempt_at = '2000-01-01T00:00:00.000000Z'")
                .execute(t.db.pool())
                .await
                .unwrap();
        }
        let statuses: Vec<String> = sqlx::query_scalar("select status from outbox order by id")
            .fetch_all(t.db.pool())
            .await
            .unwrap();
        assert!(statuses.iter().all(|s| s == "sent"), "{statuses:?}");
        let mut got: Vec<i64> = fake.received().iter().filter_map(|r| r.local_id).collect();
        got.sort_unstable();
        assert_eq!(got, ids, "each message accepted exactly once");
    }
);
