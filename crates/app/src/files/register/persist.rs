//! Registration, step three: one transaction writes the person, the file with the tracking
//! code made from its id, its history, its first stage clock, the audit row and the announcement.

use serde_json::json;
use vamyar_domain::primitives::TrackingCode;
use vamyar_domain::workflow::{self, Role, State};
use vamyar_store::person::Person;
use vamyar_store::{Backend, Tx};

use super::decide::Decided;
use super::parse::Parsed;
use super::{Doer, Registered};
use crate::Ctx;
use crate::error::{Error, Result};
use crate::files::actions::open_clock;
use crate::files::announce::announce;
use crate::files::{FileContext, Rules};

/// Writes a decided registration, in a transaction shared with the other registrations and
/// writes waiting for the writer on SQLite ([`vamyar_store::Db::grouped`]).
pub async fn persist(ctx: &Ctx, p: Parsed, d: Decided, rules: Rules) -> Result<Registered> {
    // read (or made) before the transaction, which on SQLite holds the one writer connection
    let key = crate::reference::tracking_key(ctx).await?;
    let backend = ctx.db.backend();
    ctx.db
        .grouped(move |tx| Box::pin(write(tx, backend, key, p, d, rules)))
        .await
}

/// The registration's writes, on `tx`.
async fn write(
    tx: &mut Tx,
    backend: Backend,
    key: [u8; 32],
    p: Parsed,
    d: Decided,
    rules: Rules,
) -> Result<Registered> {
    let rules = &rules;
    let Decided {
        person,
        mut new,
        draft,
        priority,
        deprived,
    } = d;
    let by = &p.by;
    let channel = by.channel;
    if let Some(household) = p.household_id {
        let staff = by.doer.staff_id.is_some();
        crate::households::recheck(tx, household, &rules.settings, staff).await?;
    }
    let (person_id, details_kept) = vamyar_store::person::insert_or_keep(tx, &person).await?;
    let person = match details_kept {
        // Registered meanwhile (or known all along): the stored row, untouched, wins.
        true => vamyar_store::person::get(&mut **tx, person_id)
            .await?
            .ok_or_else(|| Error::Internal("kept person vanished".into()))?,
        false => person,
    };
    let person = Person {
        id: person_id,
        ..person
    };
    new.person_id = person_id;
    let first = vamyar_store::application::next_id(tx).await?;
    let mut id = first;
    loop {
        new.tracking_code = code_of(id, &key)?;
        match vamyar_store::application::create(tx, id, &new).await {
            Ok(_) => break,
            Err(e) if e.violates(vamyar_store::application::OPEN_PER_PERSON_KEY) => {
                return Err(Error::Conflict("open_file_exists"));
            }
            // Only a code drawn at random before migration 0008 can be taken. SQLite's
            // transaction survives the refused statement, so the next id is tried; on
            // PostgreSQL the transaction is lost, but the sequence has moved on, so the next
            // registration gets another id.
            Err(e)
                if e.violates(vamyar_store::application::TRACKING_CODE_KEY)
                    && backend == Backend::Sqlite
                    && id < first + 3 =>
            {
                id += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let doer = Doer {
        person_id: by.doer.person_id.or(if by.role == Role::Applicant {
            Some(person_id)
        } else {
            None
        }),
        ..by.doer.clone()
    };
    vamyar_store::application::add_event_later(
        tx,
        &vamyar_store::application::NewEvent {
            application_id: id,
            action: "register",
            from_state: None,
            to_state: State::Submitted.as_str(),
            actor_kind: doer.kind,
            staff_user_id: doer.staff_id,
            person_id: doer.person_id,
            note: None,
            reason: None,
            detail: json!({"channel": channel}),
            at: &rules.at,
        },
    )
    .await?;
    open_clock(tx, id, State::Submitted, false, rules, true).await?;
    let entry = match doer.kind {
        "applicant" => {
            vamyar_store::audit::Entry::applicant(person_id, "application.register", "application")
        }
        _ => vamyar_store::audit::Entry::staff(
            doer.staff_id.unwrap_or_default(),
            "application.register",
            "application",
        ),
    }
    .on(id)
    .detail(json!({
        "channel": channel,
        "program_id": rules.settings.program.id,
        "requested_amount": new.requested_amount,
    }));
    vamyar_store::audit::append_later(tx, &entry).await?;
    let app = vamyar_store::application::Application {
        id,
        person_id,
        tracking_code: new.tracking_code.clone(),
        ..draft
    };
    let file = FileContext {
        app,
        person,
        deprived,
        imported_decile: None,
        household_size: None,
    };
    let (_, event) = workflow::register(by.role).map_err(|_| Error::Forbidden)?;
    announce(tx, &file, &event, 1, &json!({"channel": channel})).await?;
    Ok(Registered {
        id,
        tracking_code: new.tracking_code,
        state: State::Submitted.as_str().into(),
        version: 1,
        priority,
        details_kept,
    })
}

/// The tracking code of file `id` under the installation's key.
fn code_of(id: i64, key: &[u8; 32]) -> Result<String> {
    u64::try_from(id)
        .ok()
        .and_then(|n| TrackingCode::for_sequence(n, key))
        .map(|c| c.as_str().to_string())
        .ok_or_else(|| Error::Internal(format!("no tracking code for file {id}")))
}
