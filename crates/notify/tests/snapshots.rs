//! Snapshots of every SMS text Vamyar sends, in Persian and in English.
//!
//! Each case is one event with a realistic outbox payload of exactly the shape its producer
//! writes (see the helpers below for where each shape comes from). Its snapshot
//! (`tests/snapshots/snapshots__<case>.snap`) records the payload and, per language, the text
//! with its encoding, its length in that encoding's units, the most units two SMS parts hold
//! and the number of parts — so a change of wording, of a value's format or of length shows
//! in review.
//!
//! After an intended change of a text, rewrite the snapshots with
//! `INSTA_UPDATE=always cargo test -p vamyar-notify --test snapshots`, read the diff and
//! commit the `.snap` files: CI (`CI=true`) never writes snapshots, so a missing one fails.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use vamyar_domain::announcement::{Announcement, Names, Notice};
use vamyar_domain::primitives::TrackingCode;
use vamyar_domain::workflow::{Event, State};
use vamyar_i18n::Lang;
use vamyar_notify::length::{self, Encoding, MAX_PARTS};
use vamyar_notify::render::{OTHER_EVENTS, render};

#[path = "snapshot_cases/messages.rs"]
mod messages;
#[path = "snapshot_cases/transitions.rs"]
mod transitions;

/// A valid tracking code (twelve digits, Damm check digit).
const CODE: &str = "405273184963";
/// The applicant's first name as the register form stores it.
const NAME: &str = "سیده‌فاطمه‌زهرا";
/// A first name into which a desk clerk typed the whole name.
const LONG_NAME: &str = "سیده‌فاطمه‌زهرا سادات میرحسینی طباطبایی‌نژاد اصفهانی";
/// A staff reason of two sentences, longer than any message leaves room for.
const LONG_REASON: &str = "تصویر کارت ملی ناخوانا است و گواهی سکونت به نام سرپرست خانوار نیست؛ \
    لطفاً هر دو مدرک را با کیفیت بهتر و به نام خودتان دوباره بارگذاری کنید و نشانی را کامل بنویسید.";

/// The referral the bank events are about (letter `{jalali year}-{province}-{referral id:06}`).
const REFERRAL_ID: i64 = 41;
const LETTER: &str = "1405-07-000041";
/// The loan: 150,000,000 tomans paid out on 1405/10/01, 60 months after a 6-month grace at
/// 4 % (flat); the first installment is 28,041,666 rials on 1406/05/02 (1406/05/01 is a Friday).
const LOAN_ID: i64 = 17;
const PRINCIPAL: i64 = 1_500_000_000;
const FIRST_INSTALLMENT: i64 = 28_041_666;

/// The guarantee kinds a bank may ask for (`GUARANTEE_KINDS` in crates/web/src/files/hooks.rs).
const GUARANTEE_KINDS: [&str; 6] = [
    "guarantor",
    "promissory_note",
    "salary_deduction",
    "collateral_deed",
    "cheque",
    "institution",
];

/// The document kinds (`DOCUMENT_KINDS` in crates/web/src/routes/admin/program_input.rs).
const DOCUMENT_KINDS: [&str; 8] = [
    "national_card",
    "birth_certificate",
    "business_plan",
    "skill_certificate",
    "residence_proof",
    "income_proof",
    "guarantor_documents",
    "photo",
];

/// One snapshot: an event, what is special about it, and its outbox payload.
struct Case {
    event: &'static str,
    /// Empty for an event's usual message, else a short snake_case name of the variant.
    variant: &'static str,
    about: &'static str,
    payload: Value,
}

impl Case {
    fn name(&self) -> String {
        if self.variant.is_empty() {
            self.event.to_string()
        } else {
            format!("{}__{}", self.event, self.variant)
        }
    }
}

fn case(event: &'static str, variant: &'static str, about: &'static str, payload: Value) -> Case {
    Case {
        event,
        variant,
        about,
        payload,
    }
}

/// The outbox payload of an announcement about the file `CODE`.
fn payload(first_name: Option<&str>, notice: Notice) -> Value {
    Announcement {
        tracking_code: Some(CODE.into()),
        first_name: first_name.map(str::to_string),
        notice,
    }
    .to_payload()
}

/// A workflow announcement, as `files::announce::announce` (crates/app) queues it: the
/// event's own notice, or for referred, guarantees requested and disbursed the notice made
/// from the transition's detail (`files::hooks`, `loans::disburse`), whose fields it names.
fn announced(event: Event, first_name: &str, detail: Value) -> Value {
    let notice = Notice::of_event(&event).unwrap_or_else(|| {
        // the event's own fields (its reason) and the transition's detail
        let mut fields = json!(event).as_object().cloned().unwrap_or_default();
        fields.extend(detail.as_object().cloned().unwrap_or_default());
        fields.insert("kind".into(), json!(event.kind()));
        serde_json::from_value(Value::Object(fields))
            .unwrap_or_else(|e| panic!("{}: the detail lacks a field: {e}", event.kind()))
    });
    payload(Some(first_name), notice)
}

/// A message that is not a transition, as `files::announce::queue_message` (crates/app)
/// queues it.
fn queued(notice: Value) -> Value {
    payload(
        Some(NAME),
        serde_json::from_value(notice).expect("a notice"),
    )
}

/// An installment message as close of business queues it
/// (`cob::steps::queue_installment_messages`, crates/store).
fn installment(make: fn(i64, NaiveDate) -> Notice, due_on: &str, owed: i64) -> Value {
    payload(None, make(owed, day(due_on)))
}

/// The reply to an applicant who texted their tracking code (`routes::messages`, crates/web):
/// `since` is the Tehran day of the file's `state_changed_at`, an RFC 3339 UTC instant.
fn stage_reply(state: State, since: &str) -> Value {
    let at = DateTime::parse_from_rfc3339(since)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc);
    payload(
        None,
        Notice::StageReply {
            state,
            since: vamyar_calendar::tehran_date(at),
        },
    )
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("an ISO date")
}

/// The referral detail `files::hooks::refer` (crates/web) returns.
fn referral(bank: (&str, &str), branch: (&str, &str)) -> Value {
    json!({
        "referral_id": REFERRAL_ID,
        "letter_number": LETTER,
        "amount": PRINCIPAL,
        "valid_until": "2026-12-10",
        "bank": {"id": 1, "name_fa": bank.0, "name_en": bank.1},
        "branch": {"id": 1, "name_fa": branch.0, "name_en": branch.1},
    })
}

fn guarantees(kinds: &[&str]) -> Value {
    json!({"referral_id": REFERRAL_ID, "guarantees": kinds})
}

/// Every snapshot case.
fn cases() -> Vec<Case> {
    let mut list = transitions::transitions();
    list.extend(messages::messages());
    // the reply names the file's stage: one case per state
    for (state, variant) in State::ALL.iter().zip(STAGE_VARIANTS) {
        assert_eq!(state.as_str(), variant, "STAGE_VARIANTS follows State::ALL");
        list.push(case(
            "stage_reply",
            variant,
            "the applicant texted the tracking code",
            stage_reply(*state, "2026-11-26T07:42:18.523114Z"),
        ));
    }
    list
}

/// The snapshot names of the stage replies (`State::ALL`, as static strings).
const STAGE_VARIANTS: [&str; 13] = [
    "submitted",
    "needs_correction",
    "rejected",
    "documents_pending",
    "counselling",
    "awaiting_referral",
    "referred",
    "guarantees_pending",
    "bank_approved",
    "active",
    "accelerated",
    "closed",
    "withdrawn",
];

/// The acceleration detail `loans::accelerate::accelerate` (crates/web) returns.
fn accelerated_detail() -> Value {
    json!({
        "loan_id": LOAN_ID,
        "accelerated_on": "2027-12-29",
        "due_now": 1_465_000_000,
        "fee_dropped": 148_541_670,
        "late_charge_accrued": 1_284_310,
        "visit_id": 54,
    })
}

/// One language's text and how it is sent.
#[derive(Serialize)]
struct Sms {
    text: String,
    /// `GSM-7` or `UCS-2`.
    encoding: &'static str,
    /// Length in the encoding's units (septets or UTF-16 code units).
    units: usize,
    /// The most units the encoding fits in two parts (306 or 134).
    max_units: usize,
    parts: usize,
}

/// What a case's snapshot records.
#[derive(Serialize)]
struct Snapshot<'a> {
    event: &'a str,
    about: &'a str,
    payload: &'a Value,
    fa: Sms,
    en: Sms,
}

fn sms(case: &Case, lang: Lang) -> Sms {
    let text = render(case.event, &case.payload, lang)
        .unwrap_or_else(|e| panic!("{} ({lang:?}): {e}", case.name()));
    let encoding = length::encoding(&text);
    Sms {
        encoding: match encoding {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        },
        units: length::units(&text),
        max_units: length::capacity(encoding, MAX_PARTS),
        parts: length::parts(&text),
        text,
    }
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    // the payload's key order must not depend on serde_json's `preserve_order` feature
    s.set_sort_maps(true);
    s.set_omit_expression(true);
    s
}

#[test]
fn every_sms_text() {
    let mut failed = Vec::new();
    for case in cases() {
        let snapshot = Snapshot {
            event: case.event,
            about: case.about,
            payload: &case.payload,
            fa: sms(&case, Lang::Fa),
            en: sms(&case, Lang::En),
        };
        for sms in [&snapshot.fa, &snapshot.en] {
            assert!(
                sms.parts <= MAX_PARTS,
                "{}: {} parts: {}",
                case.name(),
                sms.parts,
                sms.text
            );
        }
        let name = case.name();
        // check every case, then fail with the list of those that changed
        let checked = catch_unwind(AssertUnwindSafe(|| {
            settings().bind(|| insta::assert_json_snapshot!(name.as_str(), snapshot));
        }));
        if checked.is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "SMS texts differ from their snapshots: {failed:?}"
    );
}

/// The words that fill `{ $guarantees }` and `{ $document }`, per kind and language.
#[test]
fn guarantee_and_document_words() {
    let words = |group: &str, kinds: &[&str]| -> BTreeMap<String, BTreeMap<&str, String>> {
        kinds
            .iter()
            .map(|kind| {
                let id = format!("sms-{group}-{kind}");
                let per_lang = [("fa", Lang::Fa), ("en", Lang::En)]
                    .into_iter()
                    .map(|(code, lang)| {
                        let text = vamyar_i18n::try_text(lang, &id, &[])
                            .unwrap_or_else(|| panic!("no {id} in {code}"));
                        (code, text)
                    })
                    .collect();
                (kind.to_string(), per_lang)
            })
            .collect()
    };
    let all = json!({
        "guarantees": words("guarantee", &GUARANTEE_KINDS),
        "documents": words("document", &DOCUMENT_KINDS),
    });
    settings().bind(|| insta::assert_json_snapshot!("words", all));
}

/// The events with an SMS template: the workflow's and the others.
fn every_event() -> BTreeSet<&'static str> {
    Event::KINDS.iter().chain(OTHER_EVENTS).copied().collect()
}

#[test]
fn every_event_with_a_template_has_a_snapshot_case() {
    let covered: BTreeSet<&str> = cases().iter().map(|c| c.event).collect();
    let missing: Vec<_> = every_event().difference(&covered).copied().collect();
    assert!(
        missing.is_empty(),
        "events without a snapshot case: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&every_event()).copied().collect();
    assert!(
        unknown.is_empty(),
        "cases of events that are not sent: {unknown:?}"
    );
    // a template in sms.ftl must belong to an event in the lists
    for lang in [Lang::Fa, Lang::En] {
        for id in vamyar_i18n::ids(lang) {
            if let Some(event) = id.strip_prefix("sms-").filter(|e| !e.contains('-')) {
                assert!(
                    every_event().contains(event),
                    "`{id}` ({lang:?}) is in no event list, so it has no snapshot"
                );
            }
        }
    }
}

#[test]
fn every_stage_has_a_reply_case() {
    let cases = cases();
    let replied: BTreeSet<&str> = cases
        .iter()
        .filter(|c| c.event == "stage_reply")
        .filter_map(|c| c.payload["notice"]["state"].as_str())
        .collect();
    for state in State::ALL {
        assert!(
            replied.contains(state.as_str()),
            "no stage_reply case for {state}"
        );
    }
}

#[test]
fn every_kind_has_a_word_and_every_word_a_kind() {
    for (group, kinds) in [
        ("guarantee", &GUARANTEE_KINDS[..]),
        ("document", &DOCUMENT_KINDS[..]),
        ("stage", &STAGE_VARIANTS[..]),
    ] {
        for lang in [Lang::Fa, Lang::En] {
            let prefix = format!("sms-{group}-");
            let words: BTreeSet<String> = vamyar_i18n::ids(lang)
                .iter()
                .filter_map(|id| id.strip_prefix(&prefix).map(str::to_string))
                .collect();
            let kinds: BTreeSet<String> = kinds.iter().map(|k| k.to_string()).collect();
            assert_eq!(words, kinds, "{group} words in {lang:?}");
        }
    }
}

#[test]
fn case_names_are_unique_and_the_payloads_realistic() {
    let mut names = BTreeSet::new();
    for c in cases() {
        assert!(names.insert(c.name()), "two cases named {}", c.name());
    }
    TrackingCode::parse(CODE).expect("CODE is a valid tracking code");
}
