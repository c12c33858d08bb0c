//! Announcements to the applicant (SMS and portal inbox), queued in the outbox inside the
//! transaction of the change they announce.

use serde_json::json;
use vamyar_domain::workflow::Event;
use vamyar_store::Tx;

use super::FileContext;
use crate::error::Result;

/// Queues the announcement of an event to the applicant (SMS and portal inbox).
pub async fn announce(
    tx: &mut Tx,
    file: &FileContext,
    event: &Event,
    version: i64,
    detail: &serde_json::Value,
) -> Result<()> {
    let payload = json!({
        "event": event,
        "tracking_code": file.app.tracking_code,
        "first_name": file.person.first_name,
        "detail": detail,
    });
    vamyar_store::outbox::enqueue(
        tx,
        &vamyar_store::outbox::NewMessage {
            event: event.kind(),
            application_id: Some(file.app.id),
            person_id: Some(file.person.id),
            recipient: &file.person.mobile,
            payload,
            dedupe_key: Some(format!(
                "application:{}:v{}:{}",
                file.app.id,
                version,
                event.kind()
            )),
            expires_at: None,
        },
    )
    .await?;
    Ok(())
}

/// Queues a message to the applicant about something that is not a workflow transition.
pub async fn queue_message(
    tx: &mut Tx,
    file: &FileContext,
    event: serde_json::Value,
    detail: serde_json::Value,
    dedupe_key: String,
) -> Result<()> {
    let kind = event["kind"].as_str().unwrap_or_default().to_string();
    let payload = json!({
        "event": event,
        "tracking_code": file.app.tracking_code,
        "first_name": file.person.first_name,
        "detail": detail,
    });
    vamyar_store::outbox::enqueue(
        tx,
        &vamyar_store::outbox::NewMessage {
            event: &kind,
            application_id: Some(file.app.id),
            person_id: Some(file.person.id),
            recipient: &file.person.mobile,
            payload,
            dedupe_key: Some(dedupe_key),
            expires_at: None,
        },
    )
    .await?;
    Ok(())
}
