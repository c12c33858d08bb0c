//! Where messages go: the [`SmsProvider`] trait and its implementations — the `file` sink
//! (the default: JSON lines a person running a demo can read), a Kavenegar-compatible HTTP
//! API, and an in-memory fake for tests.

use std::future::Future;
use std::pin::Pin;

use thiserror::Error;

pub mod fake;
pub mod file;
pub mod kavenegar;

pub use fake::FakeProvider;
pub use file::FileProvider;
pub use kavenegar::{KavenegarConfig, KavenegarProvider};

/// A boxed future, so that providers can sit behind `Arc<dyn SmsProvider>`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One message to hand to a provider.
#[derive(Clone, Debug)]
pub struct Sms {
    /// The outbox id: the provider's local id (idempotency key).
    pub local_id: i64,
    /// Mobile, `09…`.
    pub to: String,
    /// The rendered text.
    pub text: String,
    /// The event it announces (`registered`, `otp`, …).
    pub kind: String,
    /// The file it is about.
    pub application_id: Option<i64>,
    /// For one-time codes: the code alone (a provider may send it through a template).
    pub otp_code: Option<String>,
}

/// The provider took the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The provider's id of the message, for delivery reports.
    pub message_id: String,
    /// The delivery status it reported at once, if any (see [`Delivery`]).
    pub delivery: Option<Delivery>,
}

/// Why a send (or a query) failed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SendError {
    /// Worth retrying later: network error, timeout, the provider busy or failing.
    #[error("transient: {0}")]
    Transient(String),
    /// Retrying cannot help: invalid number, blocked, bad account or message.
    #[error("permanent: {0}")]
    Permanent(String),
}

impl SendError {
    /// True when retrying may help.
    pub fn is_transient(&self) -> bool {
        matches!(self, SendError::Transient(_))
    }

    /// The reason, without the kind.
    pub fn reason(&self) -> &str {
        match self {
            SendError::Transient(r) | SendError::Permanent(r) => r,
        }
    }
}

/// What a provider knows of a local id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// It accepted a message with this local id.
    Accepted(Accepted),
    /// It has no message with this local id.
    NotFound,
    /// It cannot tell (no lookup by local id): sending again may duplicate.
    Unsupported,
}

/// A delivery report, from the Kavenegar message status codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// 1: queued at the provider.
    Queued,
    /// 2: scheduled.
    Scheduled,
    /// 4, 5: handed to the operator.
    SentToOperator,
    /// 10: delivered to the phone.
    Delivered,
    /// 6: failed.
    Failed,
    /// 11: not delivered (phone off or unreachable).
    Undelivered,
    /// 13: cancelled by the provider (refunded).
    Cancelled,
    /// 14: blocked by the recipient.
    Blocked,
    /// 100 or anything else: the provider does not know (any more).
    Unknown,
}

impl Delivery {
    /// From a Kavenegar message `status` code.
    pub fn from_code(code: i64) -> Delivery {
        match code {
            1 => Delivery::Queued,
            2 => Delivery::Scheduled,
            4 | 5 => Delivery::SentToOperator,
            6 => Delivery::Failed,
            10 => Delivery::Delivered,
            11 => Delivery::Undelivered,
            13 => Delivery::Cancelled,
            14 => Delivery::Blocked,
            _ => Delivery::Unknown,
        }
    }

    /// The stored name (`outbox.delivery_status`).
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Scheduled => "scheduled",
            Delivery::SentToOperator => "sent_to_operator",
            Delivery::Delivered => "delivered",
            Delivery::Failed => "failed",
            Delivery::Undelivered => "undelivered",
            Delivery::Cancelled => "cancelled",
            Delivery::Blocked => "blocked",
            Delivery::Unknown => "unknown",
        }
    }

    /// The message's final status once this is reported: `delivered`, `failed`, or `None`
    /// while it may still change (or never will be known).
    pub fn final_status(self) -> Option<&'static str> {
        match self {
            Delivery::Delivered => Some("delivered"),
            Delivery::Failed | Delivery::Undelivered | Delivery::Cancelled | Delivery::Blocked => {
                Some("failed")
            }
            _ => None,
        }
    }
}

/// Something that sends SMS.
pub trait SmsProvider: Send + Sync {
    /// A short name stored with each message it accepted (`file`, `kavenegar`, `fake`).
    fn name(&self) -> &str;

    /// Sends one message.
    fn send<'a>(&'a self, sms: &'a Sms) -> BoxFuture<'a, Result<Accepted, SendError>>;

    /// Whether a message with this local id was already accepted (after a crash between
    /// sending and recording).
    fn lookup_local_id(&self, local_id: i64) -> BoxFuture<'_, Result<Lookup, SendError>>;

    /// Delivery reports of accepted messages by their provider ids (at most
    /// [`SmsProvider::status_batch`] at a time). Ids the provider does not report are left out.
    fn status<'a>(
        &'a self,
        message_ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<(String, Delivery)>, SendError>>;

    /// How many ids one status call may carry; 0 when the provider gives no reports.
    fn status_batch(&self) -> usize;
}
