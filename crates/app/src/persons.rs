//! A person's contact details (mobile, Sheba, county, address) change only here: by an
//! explicit, audited action of staff in the person's own county, or by the person after a
//! code sent to the **old** mobile. Registration never changes them (it keeps a known
//! person's stored row). When the mobile changes, the old mobile is told by SMS.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use vamyar_domain::announcement::{Announcement, Notice};
use vamyar_domain::policy::{Actor, Scope};
use vamyar_domain::primitives::{Mobile, Sheba};
use vamyar_domain::text::normalize_persian;
use vamyar_domain::workflow::Role;
use vamyar_store::Tx;
use vamyar_store::person::{Contact, Person};

use crate::Ctx;
use crate::applicant::{DbGeography, Geography};
use crate::error::{Error, FieldErrors, Result};
use crate::fields;

/// The outbox event telling the old mobile that the mobile changed.
pub const MOBILE_CHANGED_EVENT: &str = "mobile_changed";
/// The purpose of a code that confirms a person's own mobile change.
pub const MOBILE_CHANGE_PURPOSE: &str = "mobile_change";
/// How long a mobile-change code works.
pub const MOBILE_CHANGE_TTL_MINUTES: i64 = 5;
/// The longest address (characters).
const MAX_ADDRESS: usize = 500;

/// The body of `PATCH /api/v1/persons/{id}/contact`: what is given (not blank) changes.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    /// New mobile, `09…`.
    pub mobile: Option<String>,
    /// New Sheba, `IR…`.
    pub sheba: Option<String>,
    /// New county code (`PP-NN`); the province follows.
    pub county: Option<String>,
    /// New address.
    pub address: Option<String>,
    /// Why (kept in the audit log).
    pub reason: Option<String>,
}

/// A person's contact details as shown after a change.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ContactView {
    /// The person.
    pub person_id: i64,
    /// Mobile.
    pub mobile: String,
    /// Sheba, if any.
    pub sheba: Option<String>,
    /// Province code.
    pub province_code: String,
    /// County code.
    pub county_code: String,
    /// Address, if any.
    pub address: Option<String>,
    /// The fields that changed.
    pub changed: Vec<&'static str>,
}

fn contact_of(p: &Person) -> Contact {
    Contact {
        mobile: p.mobile.clone(),
        sheba: p.sheba.clone(),
        province_code: p.province_code.clone(),
        county_code: p.county_code.clone(),
        address: p.address.clone(),
    }
}

/// The fields of `body` read over the stored `old` contact.
fn parse(body: &ContactBody, old: &Contact, geo: &impl Geography) -> Result<(Contact, String)> {
    let mut errors = FieldErrors::new();
    let mut new = old.clone();
    if let Some(m) = fields::given(&body.mobile)
        && let Some(m) = errors.check("mobile", Mobile::parse(m))
    {
        new.mobile = m.as_str().to_string();
    }
    if let Some(s) = fields::given(&body.sheba)
        && let Some(s) = errors.check("sheba", Sheba::parse(s))
    {
        new.sheba = Some(s.as_str().to_string());
    }
    if let Some(c) = fields::given(&body.county) {
        let c = vamyar_calendar::digits::to_latin_digits(c);
        match geo.province_of(&c) {
            Some(p) => {
                new.province_code = p;
                new.county_code = c;
            }
            None => errors.add("county", "unknown_county"),
        }
    }
    if let Some(a) = fields::given(&body.address) {
        if a.chars().count() > MAX_ADDRESS {
            errors.add_with("address", "too_long", vec![("max", MAX_ADDRESS as i64)]);
        } else {
            new.address = Some(normalize_persian(a));
        }
    }
    let reason = fields::text(&mut errors, "reason", &body.reason, MAX_ADDRESS, true);
    errors.finish()?;
    Ok((new, reason.unwrap_or_default()))
}

/// The names of the fields that differ.
fn changed(old: &Contact, new: &Contact) -> Vec<&'static str> {
    let mut out = Vec::new();
    if old.mobile != new.mobile {
        out.push("mobile");
    }
    if old.sheba != new.sheba {
        out.push("sheba");
    }
    if old.county_code != new.county_code {
        out.push("county");
    }
    if old.address != new.address {
        out.push("address");
    }
    out
}

/// Writes the change, its audit row and (when the mobile changed) the SMS to the old mobile.
async fn apply(
    tx: &mut Tx,
    person: &Person,
    new: &Contact,
    entry: vamyar_store::audit::Entry,
    reason: Option<&str>,
) -> Result<Vec<&'static str>> {
    let old = contact_of(person);
    let fields = changed(&old, new);
    if fields.is_empty() {
        return Ok(fields);
    }
    vamyar_store::person::update_contact(tx, person.id, new).await?;
    // The audit row names the fields, never the values (personal data).
    let entry = entry
        .on(person.id)
        .detail(json!({"changed": fields, "reason": reason}));
    vamyar_store::audit::append(tx, &entry).await?;
    if old.mobile != new.mobile {
        vamyar_store::outbox::enqueue(
            tx,
            &vamyar_store::outbox::NewMessage {
                application_id: None,
                person_id: Some(person.id),
                recipient: &old.mobile,
                announcement: Announcement {
                    tracking_code: None,
                    first_name: Some(person.first_name.clone()),
                    notice: Notice::MobileChanged,
                },
                dedupe_key: None,
                expires_at: None,
            },
        )
        .await?;
    }
    Ok(fields)
}

/// True when `actor` may change the contact details of a person living in `county`: the desk
/// clerks and the office head of that county.
pub fn may_change_contact(actor: &Actor, county: &str) -> bool {
    match actor.scope() {
        Scope::County { county_code, .. } => {
            county_code == county && matches!(actor.role(), Role::DeskClerk | Role::OfficeHead)
        }
        _ => false,
    }
}

/// A person's contact details as stored, for the staff who may change them (others 403).
pub async fn contact(ctx: &Ctx, actor: &Actor, person_id: i64) -> Result<ContactView> {
    let person = vamyar_store::person::get(ctx.db.pool(), person_id)
        .await?
        .ok_or(Error::NotFound)?;
    if !may_change_contact(actor, &person.county_code) {
        return Err(Error::Forbidden);
    }
    Ok(view(person_id, &contact_of(&person), Vec::new()))
}

/// Changes a person's contact details: the desk clerks and the office head of the person's
/// own county only (everyone else 403, audited); the old mobile is told by SMS when the mobile changes.
pub async fn change_contact(
    ctx: &Ctx,
    actor: &Actor,
    person_id: i64,
    body: &ContactBody,
) -> Result<ContactView> {
    let in_county = |p: &Person| may_change_contact(actor, &p.county_code);
    let geo = DbGeography::load(ctx).await?;
    let mut tx = ctx.db.begin().await?;
    let Some(person) = vamyar_store::person::lock(&mut tx, person_id).await? else {
        return Err(Error::NotFound);
    };
    if !in_county(&person) {
        drop(tx);
        crate::audit::denied(ctx, actor, "person.contact_change", "person", person_id).await;
        return Err(Error::Forbidden);
    }
    let (new, reason) = parse(body, &contact_of(&person), &geo)?;
    let entry = crate::audit::entry(actor, "person.contact_change", "person");
    let fields = apply(&mut tx, &person, &new, entry, Some(&reason)).await?;
    tx.commit().await?;
    Ok(view(person_id, &new, fields))
}

fn view(person_id: i64, c: &Contact, changed: Vec<&'static str>) -> ContactView {
    ContactView {
        person_id,
        mobile: c.mobile.clone(),
        sheba: c.sheba.clone(),
        province_code: c.province_code.clone(),
        county_code: c.county_code.clone(),
        address: c.address.clone(),
        changed,
    }
}

/// A logged-in applicant asks to move to `new_mobile`: a code goes to the **stored** (old)
/// mobile; the change happens only when that code is given ([`confirm_mobile_change`]).
pub async fn request_mobile_change(ctx: &Ctx, person_id: i64, new_mobile: &str) -> Result<()> {
    let new_mobile =
        Mobile::parse(new_mobile).map_err(|e| Error::field("mobile", crate::Coded::code(&e)))?;
    let person = vamyar_store::person::get(ctx.db.pool(), person_id)
        .await?
        .ok_or(Error::NotFound)?;
    if person.mobile == new_mobile.as_str() {
        return Err(Error::field("mobile", "same_mobile"));
    }
    let mut tx = ctx.db.begin().await?;
    let code = vamyar_store::otp::new_code();
    vamyar_store::otp::create_for(
        &mut tx,
        &vamyar_store::otp::NewChallenge {
            person_id: Some(person.id),
            national_id: &person.national_id,
            mobile: &person.mobile,
        },
        &code,
        Duration::minutes(MOBILE_CHANGE_TTL_MINUTES),
        MOBILE_CHANGE_PURPOSE,
        Some(new_mobile.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms a mobile change with the code sent to the old mobile; a wrong, expired or used
/// code changes nothing (`invalid_code`). The old mobile is told that the mobile changed.
pub async fn confirm_mobile_change(ctx: &Ctx, person_id: i64, code: &str) -> Result<ContactView> {
    let mut tx = ctx.db.begin().await?;
    let Some(person) = vamyar_store::person::lock(&mut tx, person_id).await? else {
        return Err(Error::NotFound);
    };
    let live =
        vamyar_store::otp::latest_live_for(&mut tx, &person.national_id, MOBILE_CHANGE_PURPOSE)
            .await?;
    let challenge = match live {
        Some(c) if vamyar_store::otp::count_attempt(&mut tx, c.id).await? => c,
        _ => {
            tx.commit().await?;
            return Err(Error::field("code", "invalid_code"));
        }
    };
    let new_mobile = match challenge.new_mobile.clone() {
        Some(m)
            if challenge.person_id == Some(person.id)
                && challenge.mobile == person.mobile
                && vamyar_store::otp::code_matches(
                    &challenge.code_hash,
                    &person.national_id,
                    code.trim(),
                )
                && vamyar_store::otp::consume(&mut tx, challenge.id).await? =>
        {
            m
        }
        _ => {
            tx.commit().await?;
            return Err(Error::field("code", "invalid_code"));
        }
    };
    let new = Contact {
        mobile: new_mobile,
        ..contact_of(&person)
    };
    let entry = vamyar_store::audit::Entry::applicant(person.id, "person.mobile_change", "person");
    let fields = apply(&mut tx, &person, &new, entry, None).await?;
    tx.commit().await?;
    Ok(view(person.id, &new, fields))
}
