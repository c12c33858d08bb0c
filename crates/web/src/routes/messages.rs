//! Messages over HTTP: the applicant's portal inbox (`GET /api/v1/me/messages`) and the SMS
//! provider's webhook for messages people send in (`POST /api/v1/sms/inbound`).
//!
//! # SMS in
//!
//! The webhook is authenticated by the shared secret `sms.inbound_secret`, presented **only**
//! in the `X-Sms-Secret` header (never the URL or the body: URLs end up in proxy logs and
//! browser histories). A provider whose panel takes only a URL is given a secret path on the
//! reverse proxy, which adds the header (docs/DEPLOY.md). It is compared in constant time;
//! with no secret configured the webhook refuses everything.
//!
//! A message holding a valid tracking code gets the file's stage back by SMS — queued in the
//! outbox to the file's **registered** mobile only, whoever asked. A sender other than the
//! registered mobile gets the help text, so the stage is never told to a stranger. Anything
//! else gets the help text. Replies are limited per sender and per file (silently: past the
//! limit nothing is sent, so the webhook cannot be used to flood a phone). The sender is kept
//! only as a hash in `sms_inbound`; a repeated provider message id is answered once.
//!
//! A message from the registered mobile with a tracking code and the keyword «شکایت» (a
//! complaint) or «اعتراض» (an appeal against a rejection) files it
//! (`vamyar_app::complaints::file_by_sms`), answered with the ticket number instead of the
//! stage.

use std::fmt;
use std::sync::Arc;
use vamyar_domain::announcement::{Announcement, Notice};
use vamyar_domain::vocab::MessageStatus;

use axum::Json;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vamyar_domain::primitives::Mobile;
use vamyar_domain::workflow::Role;
use vamyar_store::delivery::{self, InboxRow};
use vamyar_store::outbox::{self, NewMessage};

use crate::AppState;
use crate::auth::CurrentActor;
use crate::auth::ratelimit::{Limit, within};
use crate::error::{AppError, AppResult};
use crate::lang::ReqLang;

/// Replies per sender: a person asking again and again gets at most this many answers.
pub const REPLIES_PER_SENDER: Limit = Limit::per_minutes(5, 60);
/// Stage replies per file, whoever asks: the registered phone is never flooded.
pub const STAGE_REPLIES_PER_FILE: Limit = Limit::per_minutes(3, 60);

/// The shared secret of the inbound-SMS webhook (redacted in `Debug`).
#[derive(Clone, Default)]
pub struct InboundSecret(Option<Arc<str>>);

impl InboundSecret {
    /// A secret; an empty string means none (the webhook refuses everything).
    pub fn new(secret: &str) -> InboundSecret {
        let s = secret.trim();
        InboundSecret((!s.is_empty()).then(|| Arc::from(s)))
    }

    /// True when a secret is configured.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    /// True when `candidate` is the secret (constant time in the candidate's content).
    pub fn matches(&self, candidate: &str) -> bool {
        let Some(secret) = &self.0 else {
            return false;
        };
        let (a, b) = (secret.as_bytes(), candidate.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
        std::hint::black_box(diff) == 0
    }
}

impl fmt::Debug for InboundSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "[redacted]"
        } else {
            "none"
        })
    }
}

/// The message routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_messages))
        .routes(routes!(inbound))
}

/// One message of the portal inbox (or of a file, for staff).
#[derive(Serialize, ToSchema)]
pub struct MessageView {
    /// Id.
    pub id: i64,
    /// The file it is about.
    pub application_id: Option<i64>,
    /// The file's tracking code.
    pub tracking_code: Option<String>,
    /// What it announces (`registered`, `returned`, …).
    pub event: String,
    /// The text, in the request's language.
    pub text: Option<String>,
    /// Where it stands: `pending`, `sending`, `sent`, `delivered`, `failed`, `expired`.
    #[schema(value_type = String)]
    pub status: MessageStatus,
    /// The provider's delivery report (`delivered`, `undelivered`, `blocked`, …).
    pub delivery_status: Option<String>,
    /// When it was queued (RFC 3339).
    pub at: String,
    /// When the provider accepted it.
    pub sent_at: Option<String>,
}

/// The view of one outbox row, its text rendered in `lang` (None if it cannot be rendered).
pub fn view(row: InboxRow, lang: vamyar_i18n::Lang) -> MessageView {
    let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
    let text = vamyar_notify::render(&row.event, &payload, lang).ok();
    MessageView {
        id: row.id,
        application_id: row.application_id,
        tracking_code: payload
            .get("tracking_code")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        event: row.event,
        text,
        status: row.status,
        delivery_status: row.delivery_status,
        at: row.created_at,
        sent_at: row.sent_at,
    }
}

/// The applicant's inbox: every message sent (or queued) about their files, newest first,
/// with its delivery status. One-time codes are never listed.
#[utoipa::path(get, path = "/api/v1/me/messages", tag = "messages",
    responses((status = 200, body = Vec<MessageView>), (status = 401),
        (status = 403, description = "staff have no inbox; they read a file's messages")))]
pub async fn my_messages(
    State(state): State<AppState>,
    current: CurrentActor,
    ReqLang(lang): ReqLang,
) -> AppResult<Json<Vec<MessageView>>> {
    if current.role() != Role::Applicant {
        return Err(AppError::Forbidden);
    }
    let person = current.actor.person_id().ok_or(AppError::Forbidden)?;
    let rows = delivery::inbox(&state.db, person).await?;
    Ok(Json(rows.into_iter().map(|r| view(r, lang)).collect()))
}

/// What the SMS provider posts for a message sent in (Kavenegar's field names).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct InboundForm {
    /// The sender's number.
    pub from: Option<String>,
    /// The text.
    pub message: Option<String>,
    /// The provider's id of the message (repeated calls are answered once).
    pub messageid: Option<String>,
    /// The line it was sent to.
    pub to: Option<String>,
}

/// The webhook's answer.
#[derive(Serialize, ToSchema)]
pub struct InboundAnswer {
    /// Always true: the message was taken (a reply may or may not be queued).
    pub accepted: bool,
}

fn presented_secret(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-sms-secret").and_then(|v| v.to_str().ok())
}

/// The SMS provider's webhook for a message sent in: a tracking code gets the file's stage
/// back to the registered mobile; anything else gets a short help text. Authenticated by the
/// shared secret in the `X-Sms-Secret` header (only there).
#[utoipa::path(post, path = "/api/v1/sms/inbound", tag = "messages",
    request_body(content = InboundForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = InboundAnswer), (status = 400),
        (status = 401, description = "missing or wrong shared secret")))]
pub async fn inbound(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<InboundForm>, FormRejection>,
) -> AppResult<Json<InboundAnswer>> {
    let form = form.ok().map(|Form(f)| f);
    let secret = &state.config.sms_inbound_secret;
    if !presented_secret(&headers).is_some_and(|s| secret.matches(s)) {
        return Err(AppError::Unauthenticated);
    }
    let form = form.ok_or(AppError::BadRequest("bad_request"))?;
    let Some(sender) = form.from.as_deref().and_then(|f| Mobile::parse(f).ok()) else {
        // not a mobile we can answer (a short code, a landline): nothing to do
        return Ok(Json(InboundAnswer { accepted: true }));
    };
    let message_id = form.messageid.as_deref().filter(|m| !m.trim().is_empty());
    let text = form.message.unwrap_or_default();
    let code = vamyar_notify::inbound::find_tracking_code(&text);
    let file = match &code {
        Some(c) => vamyar_store::application::by_tracking_code(state.db.pool(), c.as_str()).await?,
        None => None,
    };
    // limits are counted before the transaction: on SQLite it holds the only write lock
    let allowed = within(
        &state,
        "sms_inbound",
        REPLIES_PER_SENDER,
        &[sender.as_str()],
    )
    .await?;
    let owner = match (&file, allowed) {
        (Some(app), true) => vamyar_store::person::get(state.db.pool(), app.person_id).await?,
        _ => None,
    };
    let stage_allowed = match (&file, &owner) {
        (Some(app), Some(_)) => {
            within(
                &state,
                "sms_stage_reply",
                STAGE_REPLIES_PER_FILE,
                &[&app.id.to_string()],
            )
            .await?
        }
        _ => false,
    };
    let keyword = vamyar_notify::inbound::complaint_keyword(&text);
    // a complaint is filed only from the registered mobile, within the file's reply limit
    let complaint = match (&file, &owner, keyword) {
        (Some(app), Some(p), Some(k)) if stage_allowed && p.mobile == sender.as_str() => {
            Some((app.id, k))
        }
        _ => None,
    };
    let kind = match (&file, allowed) {
        (_, false) => "rate_limited",
        (Some(_), true) if complaint.is_some() => "complaint",
        (Some(_), true) => "tracking_code",
        (None, true) if code.is_some() => "unknown_code",
        (None, true) => "help",
    };
    let mut tx = state.db.begin().await?;
    if !delivery::record_inbound(&mut tx, sender.as_str(), message_id, kind).await? {
        // the provider called again for a message already answered
        return Ok(Json(InboundAnswer { accepted: true }));
    }
    let reply_key = |what: &str| message_id.map(|m| format!("sms_in:{m}:{what}"));
    // the registered mobile asking gets the stage instead of the help text
    let help_to_sender = allowed && owner.as_ref().is_none_or(|p| p.mobile != sender.as_str());
    if let (Some(app), Some(person), true, None) = (&file, &owner, stage_allowed, complaint) {
        // the day the file entered its state, in Tehran (the stamp is UTC)
        let since =
            vamyar_calendar::tehran_date(vamyar_store::time::parse_ts(&app.state_changed_at)?);
        outbox::enqueue(
            &mut tx,
            &NewMessage {
                application_id: Some(app.id),
                person_id: Some(person.id),
                recipient: &person.mobile,
                announcement: Announcement {
                    tracking_code: Some(app.tracking_code.clone()),
                    first_name: None,
                    notice: Notice::StageReply {
                        state: app.state,
                        since,
                    },
                },
                dedupe_key: reply_key("stage"),
                expires_at: None,
            },
        )
        .await?;
    }
    if help_to_sender {
        outbox::enqueue(
            &mut tx,
            &NewMessage {
                application_id: None,
                person_id: None,
                recipient: sender.as_str(),
                announcement: Announcement {
                    tracking_code: None,
                    first_name: None,
                    notice: Notice::Help,
                },
                dedupe_key: reply_key("help"),
                expires_at: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    if let Some((application_id, keyword)) = complaint {
        // after the inbound row is committed: a repeated provider call files nothing twice
        vamyar_app::complaints::file_by_sms(&state.ctx, application_id, keyword, &text).await?;
    }
    tracing::info!(kind, "inbound SMS answered");
    Ok(Json(InboundAnswer { accepted: true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_exactly_and_print_redacted() {
        let s = InboundSecret::new("s3cret-value");
        assert!(s.matches("s3cret-value"));
        assert!(!s.matches("s3cret-valuE"));
        assert!(!s.matches("s3cret"));
        assert!(!s.matches(""));
        assert_eq!(format!("{s:?}"), "[redacted]");
        let none = InboundSecret::new("  ");
        assert!(!none.matches(""), "no secret configured refuses everything");
    }
}
