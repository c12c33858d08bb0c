//! Announcements to the applicant (SMS and portal inbox), queued in the outbox inside the
//! transaction of the change they announce, as typed [`Announcement`]s.

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use vamyar_domain::announcement::{Announcement, Names, Notice};
use vamyar_domain::workflow::Event;
use vamyar_store::Tx;

use super::FileContext;
use crate::error::{Error, Result};

/// Queues the announcement of a workflow event to the applicant (SMS and portal inbox).
/// `detail` is what the transition produced (the referral letter, the guarantees asked for,
/// the disbursement); the events that carry such facts read them from it by name and type.
pub async fn announce(
    tx: &mut Tx,
    file: &FileContext,
    event: &Event,
    version: i64,
    detail: &serde_json::Value,
) -> Result<()> {
    let notice = match Notice::of_event(event) {
        Some(n) => n,
        None => notice_of(event, detail)?,
    };
    let key = format!("application:{}:v{}:{}", file.app.id, version, event.kind());
    queue_message(tx, file, notice, key).await
}

/// Queues a message to the applicant about their file; a repeated `dedupe_key` queues nothing.
pub async fn queue_message(
    tx: &mut Tx,
    file: &FileContext,
    notice: Notice,
    dedupe_key: String,
) -> Result<()> {
    vamyar_store::outbox::enqueue_later(
        tx,
        &vamyar_store::outbox::NewMessage {
            application_id: Some(file.app.id),
            person_id: Some(file.person.id),
            recipient: &file.person.mobile,
            announcement: Announcement {
                tracking_code: Some(file.app.tracking_code.clone()),
                first_name: Some(file.person.first_name.clone()),
                notice,
            },
            dedupe_key: Some(dedupe_key),
            expires_at: None,
        },
    )
    .await?;
    Ok(())
}

/// The referral's facts in the transition's detail (see `files::hooks::refer`).
#[derive(Deserialize)]
struct Referred {
    letter_number: String,
    bank: Names,
    branch: Names,
    amount: i64,
    valid_until: NaiveDate,
}

/// The guarantees asked for (see `files::hooks`).
#[derive(Deserialize)]
struct Guarantees {
    guarantees: Vec<String>,
}

/// The disbursement's facts (see `loans::disburse`).
#[derive(Deserialize)]
struct Disbursed {
    amount: i64,
    first_installment_amount: i64,
    first_due_on: NaiveDate,
}

/// The acceleration's facts (see `loans::accelerate`).
#[derive(Deserialize)]
struct Accelerated {
    accelerated_on: NaiveDate,
    due_now: i64,
}

/// The notice of an event whose message carries facts the transition produced.
fn notice_of(event: &Event, detail: &serde_json::Value) -> Result<Notice> {
    Ok(match event {
        Event::Referred => {
            let d: Referred = read(event, detail)?;
            Notice::Referred {
                letter_number: d.letter_number,
                bank: d.bank,
                branch: d.branch,
                amount: d.amount,
                valid_until: d.valid_until,
            }
        }
        Event::GuaranteesRequested => {
            let d: Guarantees = read(event, detail)?;
            Notice::GuaranteesRequested {
                guarantees: d.guarantees,
            }
        }
        Event::Disbursed => {
            let d: Disbursed = read(event, detail)?;
            Notice::Disbursed {
                amount: d.amount,
                first_installment_amount: d.first_installment_amount,
                first_due_on: d.first_due_on,
            }
        }
        Event::Accelerated { reason } => {
            let d: Accelerated = read(event, detail)?;
            Notice::Accelerated {
                reason: reason.clone(),
                accelerated_on: d.accelerated_on,
                due_now: d.due_now,
            }
        }
        other => Notice::of_event(other)
            .ok_or_else(|| Error::Internal(format!("no notice for `{}`", other.kind())))?,
    })
}

fn read<T: DeserializeOwned>(event: &Event, detail: &serde_json::Value) -> Result<T> {
    T::deserialize(detail).map_err(|e| {
        Error::Internal(format!(
            "the detail of `{}` lacks what its message needs: {e}",
            event.kind()
        ))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_referral_detail_makes_a_typed_notice_and_a_missing_fact_is_an_error() {
        let detail = json!({
            "referral_id": 4, "letter_number": "1405-07-000041", "amount": 1_500_000_000_i64,
            "valid_until": "2026-12-31",
            "bank": {"id": 1, "name_fa": "بانک", "name_en": "Bank"},
            "branch": {"id": 2, "name_fa": "شعبه", "name_en": "Branch"},
        });
        let n = notice_of(&Event::Referred, &detail).unwrap();
        assert_eq!(n.kind(), "referred");
        let Notice::Referred { amount, bank, .. } = n else {
            panic!("not a referral notice")
        };
        assert_eq!(amount, 1_500_000_000);
        assert_eq!(bank.name_en, "Bank");
        let no_bank = json!({"letter_number": "x", "amount": 1, "valid_until": "2026-12-31",
            "branch": {"name_fa": "ش", "name_en": "B"}});
        assert!(notice_of(&Event::Referred, &no_bank).is_err());
    }
}
