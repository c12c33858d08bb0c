//! An in-memory provider for tests: it records what it sent and follows a script of answers
//! (accept, fail, or accept but lose the answer, as a timeout after the provider took the
//! message does).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use super::{Accepted, BoxFuture, Delivery, Lookup, SendError, Sms, SmsProvider};

/// One scripted answer to a send.
#[derive(Clone, Debug)]
pub enum Script {
    /// Accept the message.
    Accept,
    /// Refuse it with this error (nothing is sent).
    Fail(SendError),
    /// Send it, then answer with this error (the answer was lost).
    AcceptThenFail(SendError),
}

#[derive(Default)]
struct State {
    sent: Vec<Sms>,
    accepted: HashMap<i64, Accepted>,
    script: VecDeque<Script>,
    no_lookup: bool,
    deliveries: HashMap<String, Delivery>,
    calls: usize,
    next_id: u64,
}

/// The test provider. Clones share their state.
#[derive(Clone, Default)]
pub struct FakeProvider {
    state: Arc<Mutex<State>>,
}

impl FakeProvider {
    /// A provider that accepts everything.
    pub fn new() -> FakeProvider {
        FakeProvider::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // a test that panicked while holding the lock has failed already
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds answers to the script; once it runs out, messages are accepted.
    pub fn script(&self, answers: impl IntoIterator<Item = Script>) {
        self.lock().script.extend(answers);
    }

    /// Makes the provider unable to look up local ids (as some real ones are).
    pub fn without_lookup(&self) {
        self.lock().no_lookup = true;
    }

    /// Every message handed to a phone, in order.
    pub fn sent(&self) -> Vec<Sms> {
        self.lock().sent.clone()
    }

    /// How many send calls were made (accepted or not).
    pub fn calls(&self) -> usize {
        self.lock().calls
    }

    /// Sets the delivery report of a provider message id.
    pub fn set_delivery(&self, message_id: &str, d: Delivery) {
        self.lock().deliveries.insert(message_id.to_string(), d);
    }

    /// Sets the same delivery report for every message sent so far.
    pub fn deliver_all(&self, d: Delivery) {
        let mut s = self.lock();
        let ids: Vec<String> = s.accepted.values().map(|a| a.message_id.clone()).collect();
        for id in ids {
            s.deliveries.insert(id, d);
        }
    }
}

impl SmsProvider for FakeProvider {
    fn name(&self) -> &str {
        "fake"
    }

    fn send<'a>(&'a self, sms: &'a Sms) -> BoxFuture<'a, Result<Accepted, SendError>> {
        Box::pin(async move {
            let mut s = self.lock();
            s.calls += 1;
            let answer = s.script.pop_front().unwrap_or(Script::Accept);
            let lost = match answer {
                Script::Fail(e) => return Err(e),
                Script::Accept => None,
                Script::AcceptThenFail(e) => Some(e),
            };
            s.next_id += 1;
            let accepted = Accepted {
                message_id: format!("fake-{}", s.next_id),
                delivery: Some(Delivery::Queued),
            };
            s.sent.push(sms.clone());
            s.accepted.insert(sms.local_id, accepted.clone());
            match lost {
                Some(e) => Err(e),
                None => Ok(accepted),
            }
        })
    }

    fn lookup_local_id(&self, local_id: i64) -> BoxFuture<'_, Result<Lookup, SendError>> {
        Box::pin(async move {
            let s = self.lock();
            if s.no_lookup {
                return Ok(Lookup::Unsupported);
            }
            Ok(match s.accepted.get(&local_id) {
                Some(a) => Lookup::Accepted(a.clone()),
                None => Lookup::NotFound,
            })
        })
    }

    fn status<'a>(
        &'a self,
        message_ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<(String, Delivery)>, SendError>> {
        Box::pin(async move {
            let s = self.lock();
            Ok(message_ids
                .iter()
                .filter_map(|id| s.deliveries.get(id).map(|d| (id.clone(), *d)))
                .collect())
        })
    }

    fn status_batch(&self) -> usize {
        500
    }
}
