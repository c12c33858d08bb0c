//! A fake Kavenegar server on loopback, for tests and the dispatch benchmark (feature
//! `test-support`). It serves `sms/send`, `sms/statuslocalmessageid`, `sms/status` and
//! `verify/lookup` under `/v1/{API-KEY}/…`, records every message it accepted (a second send
//! of the same local id is recorded again, so duplicates show), and follows a script of
//! answers: accept, busy (409), a permanent refusal (411, 418, …), or accept and then answer
//! too late (beyond the client's timeout). [`FakeKavenegar::log_to`] also appends every
//! accepted message to a file as a JSON line, for runs of whole processes
//! (`examples/fake_kavenegar.rs`, `scripts/two_nodes.sh`).

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// How the fake answers a send.
#[derive(Clone, Debug)]
pub enum Answer {
    /// Accept (return.status 200).
    Accept,
    /// Refuse with this return.status (409 busy, 411 receptor, 418 credit, …), sending nothing.
    Status(u16),
    /// Accept the message, then wait this long before answering (a client timeout after the
    /// provider took the message).
    AcceptSlowly(Duration),
    /// Answer with a bare HTTP 500 and no JSON.
    ServerError,
}

/// A message the fake accepted.
#[derive(Clone, Debug)]
pub struct Received {
    /// The `localid` sent (the outbox id).
    pub local_id: Option<i64>,
    /// `receptor`.
    pub to: String,
    /// `message` (or the token, for verify/lookup).
    pub text: String,
    /// The message id given.
    pub message_id: i64,
}

#[derive(Default)]
struct Inner {
    script: VecDeque<Answer>,
    default: Option<Answer>,
    received: Vec<Received>,
    by_local: HashMap<i64, i64>,
    delivery: HashMap<i64, i64>,
    calls: usize,
    next_id: i64,
    latency: Duration,
    log: Option<std::fs::File>,
}

/// The running fake. Clones share the same server.
#[derive(Clone)]
pub struct FakeKavenegar {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The API key it expects in the path.
    pub api_key: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeKavenegar {
    /// Starts a fake on an ephemeral loopback port (in the current tokio runtime).
    pub async fn start() -> std::io::Result<FakeKavenegar> {
        FakeKavenegar::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a fake listening on `addr` (in the current tokio runtime).
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<FakeKavenegar> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let fake = FakeKavenegar {
            base_url: format!("http://{addr}"),
            api_key: "TEST-KEY-0123456789".to_string(),
            inner: Arc::new(Mutex::new(Inner {
                next_id: 700_000_000,
                ..Inner::default()
            })),
        };
        let app = Router::new()
            .route("/v1/{key}/sms/send.json", post(send))
            .route("/v1/{key}/verify/lookup.json", post(send))
            .route("/v1/{key}/sms/statuslocalmessageid.json", post(lookup))
            .route("/v1/{key}/sms/status.json", post(status))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(fake)
    }

    /// From now on, also appends every accepted message to `path` as one JSON line
    /// (`{"localid":…,"receptor":…,"message":…,"messageid":…}`), written before the answer
    /// leaves, so the file holds every message a sender was told was accepted.
    pub fn log_to(&self, path: &std::path::Path) -> std::io::Result<()> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        self.lock().log = Some(file);
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues answers for the next sends; afterwards the default answer applies.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.lock().script.extend(answers);
    }

    /// The answer once the script has run out (initially [`Answer::Accept`]).
    pub fn set_default(&self, answer: Answer) {
        self.lock().default = Some(answer);
    }

    /// Makes every send take this long to answer (a provider far away).
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// Every accepted message, in order (a repeated local id appears twice).
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// How many send calls arrived (accepted or not).
    pub fn calls(&self) -> usize {
        self.lock().calls
    }

    /// Sets the delivery status code (Kavenegar's, 10 = delivered) of every accepted message.
    pub fn deliver_all(&self, code: i64) {
        let mut s = self.lock();
        let ids: Vec<i64> = s.received.iter().map(|r| r.message_id).collect();
        for id in ids {
            s.delivery.insert(id, code);
        }
    }

    fn key_ok(&self, key: &str) -> bool {
        key == self.api_key
    }
}

fn envelope(status: u16, entries: Value) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        code,
        axum::Json(json!({"return": {"status": status, "message": "fake"}, "entries": entries})),
    )
        .into_response()
}

async fn send(
    State(fake): State<FakeKavenegar>,
    Path(key): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !fake.key_ok(&key) {
        return envelope(403, Value::Null);
    }
    let (answer, latency) = {
        let mut s = fake.lock();
        s.calls += 1;
        let default = s.default.clone().unwrap_or(Answer::Accept);
        (s.script.pop_front().unwrap_or(default), s.latency)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let accept = |fake: &FakeKavenegar| {
        let mut s = fake.lock();
        s.next_id += 1;
        let id = s.next_id;
        let local_id = form.get("localid").and_then(|l| l.parse().ok());
        s.received.push(Received {
            local_id,
            to: form.get("receptor").cloned().unwrap_or_default(),
            text: form
                .get("message")
                .or_else(|| form.get("token"))
                .cloned()
                .unwrap_or_default(),
            message_id: id,
        });
        if let Some(l) = local_id {
            s.by_local.insert(l, id);
        }
        if s.log.is_some() {
            let line = json!({"localid": local_id, "receptor": form.get("receptor"),
                "message": form.get("message").or_else(|| form.get("token")), "messageid": id})
            .to_string()
                + "\n";
            // one write per line, so concurrent answers never interleave
            if let Some(Err(e)) = s.log.as_mut().map(|f| f.write_all(line.as_bytes())) {
                tracing::error!(error = %e, "fake Kavenegar: writing the log");
            }
        }
        s.delivery.insert(id, 1);
        json!([{"messageid": id, "status": 1, "statustext": "در صف ارسال",
                "receptor": form.get("receptor"), "sender": "10004346", "date": 0, "cost": 120}])
    };
    match answer {
        Answer::Accept => envelope(200, accept(&fake)),
        Answer::Status(code) => envelope(code, Value::Null),
        Answer::ServerError => (StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response(),
        Answer::AcceptSlowly(d) => {
            let entries = accept(&fake);
            tokio::time::sleep(d).await;
            envelope(200, entries)
        }
    }
}

async fn lookup(
    State(fake): State<FakeKavenegar>,
    Path(key): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !fake.key_ok(&key) {
        return envelope(403, Value::Null);
    }
    let local: i64 = form
        .get("localid")
        .and_then(|l| l.parse().ok())
        .unwrap_or(-1);
    let s = fake.lock();
    match s.by_local.get(&local) {
        Some(id) => {
            let status = s.delivery.get(id).copied().unwrap_or(1);
            envelope(
                200,
                json!([{"messageid": id, "localid": local, "status": status, "statustext": ""}]),
            )
        }
        None => envelope(
            200,
            json!([{"messageid": 0, "localid": local, "status": 100, "statustext": "نامعتبر"}]),
        ),
    }
}

async fn status(
    State(fake): State<FakeKavenegar>,
    Path(key): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !fake.key_ok(&key) {
        return envelope(403, Value::Null);
    }
    let ids: Vec<i64> = form
        .get("messageid")
        .map(|s| s.split(',').filter_map(|p| p.trim().parse().ok()).collect())
        .unwrap_or_default();
    if ids.len() > 500 {
        return envelope(414, Value::Null);
    }
    let s = fake.lock();
    let entries: Vec<Value> = ids
        .iter()
        .map(|id| {
            let status = s.delivery.get(id).copied().unwrap_or(100);
            json!({"messageid": id, "status": status, "statustext": ""})
        })
        .collect();
    envelope(200, Value::Array(entries))
}
